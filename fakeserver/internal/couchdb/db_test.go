package couchdb_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

func TestCouchDatabases(t *testing.T) {
	admin := testkit.Basic("admin", "secret")
	alice := testkit.Basic("alice", "alicepw")
	bob := testkit.Basic("bob", "bobpw")
	custom := fakeserver.Options{
		Users: []fakeserver.User{
			{Name: "root", Password: "r", Roles: []string{"_admin"}},
			{Name: "alice", Password: "alicepw", Roles: []string{"reader"}},
			{Name: "bob", Password: "bobpw"},
		},
		Databases: []fakeserver.Database{
			{Name: "byrole", Members: []string{"reader"}, Docs: map[string]string{"d": `{"_id":"d","_rev":"2-abc","x":1}`}},
			{Name: "byname", Members: []string{"bob"}},
			{Name: "adminsonly", Admins: []string{"alice"}},
			{Name: "priv"},
		},
	}
	tests := []struct {
		opts    fakeserver.Options
		method  string
		path    string
		auth    string
		status  int
		couch   string
		reason  string
		wantDoc string
	}{
		{fakeserver.Options{}, "GET", "/db/document", "", 200, "", "", `{"_id":"document","_rev":"1-`},
		{fakeserver.Options{}, "GET", "/db/document", alice, 200, "", "", `"hello":"world"}`},
		{fakeserver.Options{}, "HEAD", "/db/document", "", 200, "", "", ""},
		{fakeserver.Options{}, "GET", "/db", "", 200, "", "", `"db_name":"db"`},
		{fakeserver.Options{}, "GET", "/db/nothing", "", 404, "not_found", "missing", ""},
		{fakeserver.Options{}, "GET", "/authtest", "", 401, "unauthorized", wantNotAuthorized, ""}, // case 30
		{fakeserver.Options{}, "GET", "/authtest", alice, 403, "forbidden", wantNotAllowed, ""},    // case 26
		{fakeserver.Options{}, "GET", "/authtest", admin, 200, "", "", `"db_name":"authtest"`},     // case 27
		{fakeserver.Options{}, "GET", "/authtest/missing", "", 401, "unauthorized", wantNotAuthorized, ""},
		{fakeserver.Options{}, "GET", "/authtest/missing", admin, 404, "not_found", "missing", ""},
		{fakeserver.Options{}, "PUT", "/authtest/doc1", "", 401, "unauthorized", wantNotAuthorized, ""}, // case 32
		{fakeserver.Options{}, "PUT", "/authtest/doc1", admin, 400, "bad_request", "Document must be a JSON object", ""},
		{fakeserver.Options{}, "GET", "/authtest/a/b/c", admin, 404, "not_found", "authconform's CouchDB fake does not implement attachments", ""},
		{fakeserver.Options{}, "GET", "/nope", "", 404, "not_found", "Database does not exist.", ""},
		{fakeserver.Options{}, "GET", "/nope/doc", admin, 404, "not_found", "Database does not exist.", ""},
		{fakeserver.Options{}, "GET", "/_nope", "", 401, "unauthorized", wantNotAdmin, ""},               // m181
		{fakeserver.Options{}, "GET", "/_nope", alice, 401, "unauthorized", wantNotAdmin, ""},            // m189
		{fakeserver.Options{}, "GET", "/_nope", admin, 404, "not_found", "Database does not exist.", ""}, // m188
		{fakeserver.Options{}, "GET", "/Upper", "", 404, "not_found", "Database does not exist.", ""},
		{fakeserver.Options{}, "PUT", "/Upper", admin, 400, "illegal_database_name", "Name: 'Upper'. Only lowercase characters (a-z), digits (0-9), and any of the characters _, $, (, ), +, -, and / are allowed. Must begin with a letter.", ""},
		{fakeserver.Options{}, "GET", "/_replicate", admin, 404, "not_found", "authconform's CouchDB fake does not implement /_replicate", ""},
		{fakeserver.Options{}, "GET", "/authtest/_find", admin, 404, "not_found", "authconform's CouchDB fake does not implement /authtest/_find", ""},
		{fakeserver.Options{}, "GET", "/authtest/_find", alice, 403, "forbidden", wantNotAllowed, ""},
		{fakeserver.Options{}, "GET", "/_all_dbs", "", 401, "unauthorized", wantNotAdmin, ""}, // case 33
		{fakeserver.Options{}, "GET", "/_all_dbs", alice, 401, "unauthorized", wantNotAdmin, ""},
		{fakeserver.Options{}, "GET", "/_all_dbs", admin, 200, "", "", `["_replicator","_users","authtest","db"]`}, // case 34, m95
		{fakeserver.Options{}, "POST", "/_all_dbs", admin, 405, "method_not_allowed", "", ""},
		{fakeserver.Options{}, "GET", "/", "", 200, "", "", `"vendor":{"name":"The Apache Software Foundation"}}`},
		{fakeserver.Options{}, "DELETE", "/", admin, 405, "method_not_allowed", "Only GET,HEAD allowed", ""},
		{fakeserver.Options{}, "GET", "/_up", "", 200, "", "", `{"status":"ok","seeds":{}}`},
		{fakeserver.Options{}, "GET", "/_up/x", "", 404, "not_found", "", ""},
		{custom, "GET", "/byrole/d", alice, 200, "", "", `{"_id":"d","_rev":"2-abc","x":1}`},
		{custom, "GET", "/byrole/d", bob, 403, "forbidden", wantNotAllowed, ""},
		{custom, "GET", "/byrole/d", "", 401, "unauthorized", wantNotAuthorized, ""},
		{custom, "GET", "/byname", bob, 200, "", "", `"db_name":"byname"`},
		{custom, "GET", "/byname", alice, 403, "forbidden", "", ""},
		{custom, "GET", "/adminsonly", alice, 200, "", "", ""},
		{custom, "GET", "/priv", testkit.Basic("root", "r"), 200, "", "", ""},
		{custom, "GET", "/priv", bob, 403, "forbidden", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			f := newCouchFake(t, tc.opts)
			var headers []string
			if tc.auth != "" {
				headers = []string{"Authorization", tc.auth}
			}
			w := couchDo(f, tc.method, tc.path, "", headers...)
			if tc.status >= 400 {
				testkit.WantCouchError(t, w, tc.status, tc.couch, tc.reason)
				return
			}
			if w.Code != tc.status || !strings.Contains(w.Body.String(), tc.wantDoc) {
				t.Fatalf("%d %s, want %d containing %s", w.Code, w.Body, tc.status, tc.wantDoc)
			}
		})
	}
}

// TestCouchDatabaseLimit: the fake holds at most 1,000 databases, a bound
// on its memory: creating up to that many works, one more is a 413, and
// deleting one makes room again.
func TestCouchDatabaseLimit(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{})
	var existing []string
	if err := json.Unmarshal(couchDo(f, "GET", "/_all_dbs", "", "Authorization", tAdminB).Body.Bytes(), &existing); err != nil {
		t.Fatal(err)
	}
	for i := len(existing); i < 1000; i++ {
		if w := couchDo(f, "PUT", fmt.Sprintf("/db%04d", i), "", "Authorization", tAdminB); w.Code != http.StatusCreated {
			t.Fatalf("database %d of 1000: %d %s", i+1, w.Code, w.Body)
		}
	}
	testkit.WantCouchError(t, couchDo(f, "PUT", "/onetoomany", "", "Authorization", tAdminB), http.StatusRequestEntityTooLarge, "too_large", "")
	want(t, couchDo(f, "DELETE", "/db0999", "", "Authorization", tAdminB), 200, `{"ok":true}`)
	want(t, couchDo(f, "PUT", "/onetoomany", "", "Authorization", tAdminB), 201, `{"ok":true}`)
}

// The bare and over-long _design and _local paths, answered as chttpd_db's
// db_req clauses of CouchDB 3.5.0 answer them. Anonymous reads of the public
// "db" reached these branches and once panicked.
func TestCouchDesignAndLocalPrefixesWithoutADocument(t *testing.T) {
	for _, p := range []fakeserver.Profile{fakeserver.ProfileDocumented, fakeserver.ProfileCouchDB35} {
		f := newCouchFake(t, fakeserver.Options{Profile: p})
		admin := testkit.Basic("admin", "secret")
		tests := []struct {
			method, path, body string
			auth               string
			status             int
			couch, reason      string
		}{
			{"GET", "/db/_local", "", "", 400, "bad_request", "Invalid _local document id."},
			{"GET", "/db/_local/", "", "", 400, "bad_request", "Invalid _local document id."},
			{"GET", "/db/_local/x/att", "", "", 400, "bad_request", "_local documents do not accept attachments."},
			{"GET", "/db/_local/x", "", "", 404, "not_found", "missing"},
			// "_design" alone is a document id no one can create.
			{"GET", "/db/_design", "", "", 404, "not_found", "missing"},
			{"GET", "/db/_design/", "", "", 404, "not_found", "missing"},
			{"DELETE", "/db/_design", "", admin, 404, "not_found", "missing"},
			{"PUT", "/db/_design", "{}", admin, 400, "illegal_docid", "Only reserved document ids may start with underscore."},
			{"GET", "/db/_design/d/_view/v", "", "", 404, "not_found", "authconform's CouchDB fake does not implement /db/_design/d/... (views, shows, lists, attachments)"},
		}
		for _, tc := range tests {
			t.Run(string(p)+" "+tc.method+" "+tc.path, func(t *testing.T) {
				headers := []string{"Content-Type", "application/json"}
				if tc.auth != "" {
					headers = append(headers, "Authorization", tc.auth)
				}
				testkit.WantCouchError(t, couchDo(f, tc.method, tc.path, tc.body, headers...), tc.status, tc.couch, tc.reason)
			})
		}
	}
}

// A design document is still read and written at /{db}/_design/{name}.
func TestCouchDesignDocumentRoundTrip(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{})
	admin := testkit.Basic("admin", "secret")
	if w := couchDo(f, "PUT", "/db/_design/d", `{"views":{}}`, "Authorization", admin, "Content-Type", "application/json"); w.Code != http.StatusCreated {
		t.Fatalf("PUT: status %d %s", w.Code, w.Body)
	}
	if w := couchDo(f, "GET", "/db/_design/d", ""); w.Code != http.StatusOK {
		t.Fatalf("GET: status %d %s", w.Code, w.Body)
	}
}
