package couchdb_test

import (
	"net/http"
	"testing"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

// The rules on names and roles of _users' validate_doc_update in CouchDB
// 3.5.0 (src/couch/include/couch_js_functions.hrl), texts copied from
// there, checked in its order: roles are strings before the id is
// compared, system roles before the name.
func TestUsersNamesAndRolesAsCouchDB350(t *testing.T) {
	for _, p := range []fakeserver.Profile{fakeserver.ProfileDocumented, fakeserver.ProfileCouchDB35} {
		f := newCouchFake(t, fakeserver.Options{Profile: p})
		put := func(id, body string) *http.Response {
			return couchDo(f, "PUT", "/_users/"+id, body, "Authorization", tAdminB, "Content-Type", jsonCT).Result()
		}
		refused := []struct{ id, body, reason string }{
			{"org.couchdb.user:_x", `{"name":"_x","password":"p","roles":[],"type":"user"}`, "Username may not start with underscore."},
			{"org.couchdb.user:a:b", `{"name":"a:b","password":"p","roles":[],"type":"user"}`, "Character `:` is not allowed in usernames."},
			{"org.couchdb.user:_x", `{"name":"_x","password":"p","roles":["_admin"],"type":"user"}`, "No system roles (starting with underscore) in users db."},
			{"org.couchdb.user:other", `{"name":"v6","password":"p","roles":[1],"type":"user"}`, "doc.roles can only contain strings"},
			{"org.couchdb.user:v7", `{"name":"v7","password":"p","roles":["_metrics","_reader"],"type":"user"}`, "No system roles (starting with underscore) in users db."},
		}
		for _, tc := range refused {
			w := couchDo(f, "PUT", "/_users/"+tc.id, tc.body, "Authorization", tAdminB, "Content-Type", jsonCT)
			testkit.WantCouchError(t, w, http.StatusForbidden, "forbidden", tc.reason)
		}
		// _metrics is the one system role a user document may carry.
		if res := put("org.couchdb.user:prom", `{"name":"prom","password":"prompw","roles":["_metrics"],"type":"user"}`); res.StatusCode != http.StatusCreated {
			t.Fatalf("%s: a user with the role _metrics: status %d, want 201", p, res.StatusCode)
		}
		w := couchDo(f, "GET", "/_session", "", "Authorization", testkit.Basic("prom", "prompw"))
		want(t, w, 200, `"userCtx":{"name":"prom","roles":["_metrics"]}`)
	}
}
