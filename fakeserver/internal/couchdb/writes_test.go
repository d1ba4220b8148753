package couchdb_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

// The write paths an app's auth tests use: _users, databases, _security and
// documents (docs/reference/couchdb-3.5.0.md run 5).

var (
	tAdminB = testkit.Basic("admin", "secret")
	tAliceB = testkit.Basic("alice", "alicepw")
)

const jsonCT = "application/json"

func want(t *testing.T, w *httptest.ResponseRecorder, status int, bodyPart string) {
	t.Helper()
	if w.Code != status || !strings.Contains(w.Body.String(), bodyPart) {
		t.Fatalf("%d %s, want %d containing %s", w.Code, w.Body, status, bodyPart)
	}
}

func revOf(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	var reply struct{ Rev string }
	if err := json.Unmarshal(w.Body.Bytes(), &reply); err != nil || reply.Rev == "" {
		t.Fatalf("no rev in %s", w.Body)
	}
	return reply.Rev
}

func putUser(h *fakeserver.Fake, name, password string, roles string) *httptest.ResponseRecorder {
	body := `{"name":"` + name + `","password":"` + password + `","roles":` + roles + `,"type":"user"}`
	return couchDo(h, "PUT", "/_users/org.couchdb.user:"+name, body, "Authorization", tAdminB, "Content-Type", jsonCT)
}

func TestUsersCreateLoginChangeDelete(t *testing.T) {
	for _, p := range []fakeserver.Profile{fakeserver.ProfileDocumented, fakeserver.ProfileCouchDB35} {
		t.Run(string(p), func(t *testing.T) {
			f := newCouchFake(t, fakeserver.Options{Profile: p})
			w := putUser(f, "bob", "bobpw", `["staff"]`)
			want(t, w, 201, `{"ok":true,"id":"org.couchdb.user:bob","rev":"1-`) // m4
			rev := revOf(t, w)

			w = couchDo(f, "GET", "/_users/org.couchdb.user:bob", "", "Authorization", tAdminB)
			want(t, w, 200, `"password_scheme":"pbkdf2","pbkdf2_prf":"sha256","salt":"`) // m5
			if strings.Contains(w.Body.String(), "bobpw") || strings.Contains(w.Body.String(), `"password"`) {
				t.Fatalf("stored user document shows the password: %s", w.Body)
			}
			if !regexp.MustCompile(`"derived_key":"[0-9a-f]{64}","name":"bob","roles":\["staff"\],"type":"user"}`).Match(w.Body.Bytes()) {
				t.Fatalf("stored user document %s", w.Body)
			}

			// A new user logs in at once, by Basic and by POST /_session (m53-m55).
			if name, _ := sessionName(t, couchDo(f, "GET", "/_session", "", "Authorization", testkit.Basic("bob", "bobpw"))); name != "bob" {
				t.Fatalf("bob by Basic is %q", name)
			}
			cookie := couchLogin(t, f, "bob", "bobpw")

			// A password change ends the old cookie (m58-m63).
			w = couchDo(f, "PUT", "/_users/org.couchdb.user:bob?rev="+rev,
				`{"name":"bob","password":"newpw","roles":["staff"],"type":"user"}`, "Authorization", tAdminB, "Content-Type", jsonCT)
			want(t, w, 201, `"rev":"2-`)
			rev = revOf(t, w)
			if name, _ := sessionName(t, couchDo(f, "GET", "/_session", "", "Cookie", "AuthSession="+cookie)); name != "" {
				t.Fatalf("old cookie still names %q after the password change", name)
			}
			testkit.WantCouchError(t, couchDo(f, "GET", "/_session", "", "Authorization", testkit.Basic("bob", "bobpw")), 401, "unauthorized", wantBadPassword)
			cookie = couchLogin(t, f, "bob", "newpw")

			// Deleting the user ends the session and the password (m66-m69).
			want(t, couchDo(f, "DELETE", "/_users/org.couchdb.user:bob?rev="+rev, "", "Authorization", tAdminB), 200, `"ok":true`)
			if name, _ := sessionName(t, couchDo(f, "GET", "/_session", "", "Cookie", "AuthSession="+cookie)); name != "" {
				t.Fatalf("cookie still names %q after the deletion", name)
			}
			testkit.WantCouchError(t, couchDo(f, "GET", "/_session", "", "Authorization", testkit.Basic("bob", "newpw")), 401, "unauthorized", wantBadPassword)
			testkit.WantCouchError(t, couchDo(f, "GET", "/_users/org.couchdb.user:bob", "", "Authorization", tAdminB), 404, "not_found", "deleted")
		})
	}
}

func TestUsersRolesOnlyChangeKeepsSessions(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{})
	revOf(t, putUser(f, "bob", "bobpw", `[]`))
	cookie := couchLogin(t, f, "bob", "bobpw")
	w := couchDo(f, "GET", "/_users/org.couchdb.user:bob", "", "Authorization", tAdminB)
	var doc map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &doc)
	doc["roles"] = []string{"staff"}
	body, _ := json.Marshal(doc)
	want(t, couchDo(f, "PUT", "/_users/org.couchdb.user:bob", string(body), "Authorization", tAdminB, "Content-Type", jsonCT), 201, `"rev":"2-`)
	w = couchDo(f, "GET", "/_session", "", "Cookie", "AuthSession="+cookie)
	want(t, w, 200, `"userCtx":{"name":"bob","roles":["staff"]}`)

	// Leaving out both the password and the stored hash removes the
	// credentials, as on CouchDB (m35).
	w = couchDo(f, "GET", "/_users/org.couchdb.user:bob", "", "Authorization", tAdminB)
	revOf(t, couchDo(f, "PUT", "/_users/org.couchdb.user:bob?rev="+strings.Trim(w.Header().Get("ETag"), `"`),
		`{"name":"bob","roles":["staff"],"type":"user"}`, "Authorization", tAdminB, "Content-Type", jsonCT))
	testkit.WantCouchError(t, couchDo(f, "GET", "/_session", "", "Authorization", testkit.Basic("bob", "bobpw")), 401, "unauthorized", wantBadPassword)
}

func TestUsersValidation(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{})
	put := func(id, body string) *httptest.ResponseRecorder {
		return couchDo(f, "PUT", "/_users/"+id, body, "Authorization", tAdminB, "Content-Type", jsonCT)
	}
	tests := []struct{ id, body, reason string }{
		{"org.couchdb.user:v0", `{"name":"v0","password":"p","roles":[]}`, "doc.type must be user"},                                                         // m248
		{"org.couchdb.user:v1", `{"name":"other","password":"p","roles":[],"type":"user"}`, "Doc ID must be of the form org.couchdb.user:name"},             // m249
		{"org.couchdb.user:v3", `{"name":"v3","password":"p","roles":"x","type":"user"}`, "doc.roles must be an array"},                                     // m250
		{"org.couchdb.user:v3", `{"name":"v3","password":"p","type":"user"}`, "doc.roles must exist"},                                                       // m251
		{"v2", `{"name":"v2","password":"p","roles":[],"type":"user"}`, "Doc ID must be of the form org.couchdb.user:name"},                                 // m252
		{"org.couchdb.user:v5", `{"name":"v5","password":"p","roles":["_admin"],"type":"user"}`, "No system roles (starting with underscore) in users db."}, // m253
	}
	for _, tc := range tests {
		testkit.WantCouchError(t, put(tc.id, tc.body), 403, "forbidden", tc.reason)
	}
	testkit.WantCouchError(t, couchDo(f, "POST", "/_users", `{"name":"v4","password":"p","roles":[],"type":"user"}`, "Authorization", tAdminB, "Content-Type", jsonCT),
		403, "forbidden", "Doc ID must be of the form org.couchdb.user:name") // m255
	// alice is seeded as a _users document; a PUT without _rev conflicts (m254).
	testkit.WantCouchError(t, put("org.couchdb.user:alice", `{"name":"alice","password":"p","roles":[],"type":"user"}`), 409, "conflict", "Document update conflict.")
	if name, _ := sessionName(t, couchDo(f, "GET", "/_session", "", "Authorization", tAliceB)); name != "alice" {
		t.Fatal("a refused update changed alice's password")
	}
}

func TestSystemDatabases(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{})
	tests := []struct {
		method, path, auth string
		status             int
		couch, reason      string
	}{
		{"GET", "/_users", "", 401, "unauthorized", wantNotAuthorized},                                                      // m15
		{"GET", "/_users/_all_docs", "", 401, "unauthorized", wantNotAdmin},                                                 // m16
		{"GET", "/_users/org.couchdb.user:alice", "", 401, "unauthorized", wantNotAuthorized},                               // m17
		{"GET", "/_replicator", "", 401, "unauthorized", wantNotAuthorized},                                                 // m18
		{"GET", "/_users", tAliceB, 403, "forbidden", wantNotAllowed},                                                       // m13
		{"GET", "/_users/org.couchdb.user:alice", tAliceB, 403, "forbidden", wantNotAllowed},                                // m26: not even her own
		{"GET", "/_users/_all_docs", tAliceB, 401, "unauthorized", wantNotAdmin},                                            // m10
		{"PUT", "/_replicator/r1", tAliceB, 403, "forbidden", wantNotAllowed},                                               // m257
		{"PUT", "/_users/org.couchdb.user:signup1", "", 401, "unauthorized", wantNotAuthorized},                             // m24
		{"PUT", "/_users/_security", tAdminB, 403, "forbidden", "You can't edit the security object of the user database."}, // m27
	}
	for _, tc := range tests {
		var h []string
		if tc.auth != "" {
			h = []string{"Authorization", tc.auth}
		}
		body := ""
		if tc.method == "PUT" {
			body = `{"name":"signup1","password":"x","roles":[],"type":"user","admins":{},"members":{}}`
			h = append(h, "Content-Type", jsonCT)
		}
		w := couchDo(f, tc.method, tc.path, body, h...)
		testkit.WantCouchError(t, w, tc.status, tc.couch, tc.reason)
	}
	want(t, couchDo(f, "GET", "/_users/_security", "", "Authorization", tAdminB), 200, `{"members":{"roles":["_admin"]},"admins":{"roles":["_admin"]}}`)
	w := couchDo(f, "GET", "/_users/_all_docs", "", "Authorization", tAdminB)
	want(t, w, 200, `"id":"_design/_auth"`)
	want(t, w, 200, `"id":"org.couchdb.user:alice"`)
	if strings.Contains(w.Body.String(), "org.couchdb.user:admin") {
		t.Fatalf("the configured server admin is listed as a _users document: %s", w.Body)
	}
}

func TestDatabasesCreateDeleteSecurity(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{Users: []fakeserver.User{
		{Name: "admin", Password: "secret", Roles: []string{"_admin"}},
		{Name: "alice", Password: "alicepw"},
		{Name: "bob", Password: "bobpw", Roles: []string{"staff"}},
		{Name: "dave", Password: "davepw"},
	}})
	bob, dave := testkit.Basic("bob", "bobpw"), testkit.Basic("dave", "davepw")
	testkit.WantCouchError(t, couchDo(f, "PUT", "/scratch1", ""), 401, "unauthorized", wantNotAdmin)                           // m73
	testkit.WantCouchError(t, couchDo(f, "PUT", "/scratch1", "", "Authorization", tAliceB), 401, "unauthorized", wantNotAdmin) // m74
	w := couchDo(f, "PUT", "/scratch1", "", "Authorization", tAdminB)
	want(t, w, 201, `{"ok":true}`) // m71
	if got := w.Header().Get("Location"); got != couchBase+"/scratch1" {
		t.Fatalf("Location %q", got)
	}
	testkit.WantCouchError(t, couchDo(f, "PUT", "/scratch1", "", "Authorization", tAdminB), 412, "file_exists", "The database could not be created, the file already exists.") // m72
	testkit.WantCouchError(t, couchDo(f, "PUT", "/scratch1", "", "Authorization", tAliceB), 401, "unauthorized", wantNotAdmin)                                                 // m79
	for _, bad := range []string{"Bad_Name", "_bad", "1db"} {                                                                                                                  // m75-m77
		testkit.WantCouchError(t, couchDo(f, "PUT", "/"+bad, "", "Authorization", tAdminB), 400, "illegal_database_name", "")
	}
	// A new database is admin-only (m82-m85).
	want(t, couchDo(f, "GET", "/scratch1/_security", "", "Authorization", tAdminB), 200, `{"members":{"roles":["_admin"]},"admins":{"roles":["_admin"]}}`)
	testkit.WantCouchError(t, couchDo(f, "GET", "/scratch1", "", "Authorization", tAliceB), 403, "forbidden", wantNotAllowed)
	testkit.WantCouchError(t, couchDo(f, "GET", "/scratch1", ""), 401, "unauthorized", wantNotAuthorized)

	sec := `{"admins":{"names":[],"roles":["dbadmin"]},"members":{"names":["alice"],"roles":["staff"]}}`
	want(t, couchDo(f, "PUT", "/scratch1/_security", sec, "Authorization", tAdminB, "Content-Type", jsonCT), 200, `{"ok":true}`) // m86
	want(t, couchDo(f, "GET", "/scratch1/_security", "", "Authorization", tAdminB), 200, sec)                                    // m87
	want(t, couchDo(f, "GET", "/scratch1", "", "Authorization", tAliceB), 200, `"db_name":"scratch1"`)                           // m88 by name
	want(t, couchDo(f, "GET", "/scratch1", "", "Authorization", bob), 200, `"db_name":"scratch1"`)                               // m89 by role
	testkit.WantCouchError(t, couchDo(f, "GET", "/scratch1", "", "Authorization", dave), 403, "forbidden", wantNotAllowed)
	want(t, couchDo(f, "GET", "/scratch1/_security", "", "Authorization", tAliceB), 200, sec) // m91
	testkit.WantCouchError(t, couchDo(f, "PUT", "/scratch1/_security", "{}", "Authorization", tAliceB, "Content-Type", jsonCT), 403, "forbidden", "You are not a db or server admin.")
	testkit.WantCouchError(t, couchDo(f, "PUT", "/scratch1/_security", "{}", "Authorization", dave, "Content-Type", jsonCT), 403, "forbidden", wantNotAllowed) // m266
	testkit.WantCouchError(t, couchDo(f, "PUT", "/scratch1/_security", `{"members":{"names":"alice"}}`, "Authorization", tAdminB, "Content-Type", jsonCT), 400, "bad_request", "")
	want(t, couchDo(f, "GET", "/scratch1/_security", "", "Authorization", tAdminB), 200, sec) // m98: unchanged

	want(t, couchDo(f, "GET", "/_all_dbs", "", "Authorization", tAdminB), 200, `["_replicator","_users","authtest","db","scratch1"]`)

	// Only server admins delete, even the database's own admins (m101-m104).
	want(t, couchDo(f, "PUT", "/scratch1/_security", `{"admins":{"names":["bob"]},"members":{"names":["alice"]}}`, "Authorization", tAdminB, "Content-Type", jsonCT), 200, "ok")
	testkit.WantCouchError(t, couchDo(f, "DELETE", "/scratch1", "", "Authorization", bob), 401, "unauthorized", wantNotAdmin)
	testkit.WantCouchError(t, couchDo(f, "DELETE", "/scratch1", ""), 401, "unauthorized", wantNotAdmin)
	want(t, couchDo(f, "DELETE", "/scratch1", "", "Authorization", tAdminB), 200, `{"ok":true}`)
	testkit.WantCouchError(t, couchDo(f, "DELETE", "/scratch1", "", "Authorization", tAdminB), 404, "not_found", "Database does not exist.")
}

func TestSecurityRefusalsInRelease(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{Profile: fakeserver.ProfileCouchDB35,
		Databases: []fakeserver.Database{{Name: "scratch1", Security: `{"members":{"names":["alice"]}}`}}})
	// 3.5.0 answers both with a 500 "no_majority" (m92, m94).
	testkit.WantCouchError(t, couchDo(f, "PUT", "/scratch1/_security", "{}", "Authorization", tAliceB, "Content-Type", jsonCT), 500, "error", "no_majority")
	testkit.WantCouchError(t, couchDo(f, "PUT", "/scratch1/_security", `{"members":{"names":"alice"}}`, "Authorization", tAdminB, "Content-Type", jsonCT), 500, "error", "no_majority")
	want(t, couchDo(f, "GET", "/scratch1/_security", "", "Authorization", tAliceB), 200, `{"members":{"names":["alice"]}}`)
}

func TestDocuments(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{Users: []fakeserver.User{
		{Name: "admin", Password: "secret", Roles: []string{"_admin"}},
		{Name: "alice", Password: "alicepw"},
		{Name: "bob", Password: "bobpw"},
		{Name: "dave", Password: "davepw"},
	}, Databases: []fakeserver.Database{{Name: "scratch1", Security: `{"admins":{"names":["bob"]},"members":{"names":["alice"]}}`}}})
	dave := testkit.Basic("dave", "davepw")
	put := func(path, body, auth string) *httptest.ResponseRecorder {
		h := []string{"Content-Type", jsonCT}
		if auth != "" {
			h = append(h, "Authorization", auth)
		}
		return couchDo(f, "PUT", path, body, h...)
	}
	w := put("/scratch1/doc1", `{"a":1}`, tAliceB)
	want(t, w, 201, `{"ok":true,"id":"doc1","rev":"1-`) // m110
	rev1 := revOf(t, w)
	if w.Header().Get("ETag") != `"`+rev1+`"` || w.Header().Get("Location") != couchBase+"/scratch1/doc1" {
		t.Fatalf("ETag %q Location %q", w.Header().Get("ETag"), w.Header().Get("Location"))
	}
	want(t, couchDo(f, "GET", "/scratch1/doc1", "", "Authorization", tAliceB), 200, `{"_id":"doc1","_rev":"`+rev1+`","a":1}`) // m111
	testkit.WantCouchError(t, put("/scratch1/doc1", `{"a":2}`, tAliceB), 409, "conflict", "Document update conflict.")        // m112
	w = put("/scratch1/doc1", `{"_rev":"`+rev1+`","a":2}`, tAliceB)
	want(t, w, 201, `"rev":"2-`) // m113
	rev2 := revOf(t, w)
	testkit.WantCouchError(t, put("/scratch1/doc1", `{"_rev":"`+rev1+`","a":3}`, tAliceB), 409, "conflict", "Document update conflict.") // m114
	testkit.WantCouchError(t, put("/scratch1/doc1", `{"_rev":"bogus","a":3}`, tAliceB), 400, "bad_request", "Invalid rev format")        // m115
	testkit.WantCouchError(t, couchDo(f, "DELETE", "/scratch1/doc1?rev="+rev1, "", "Authorization", tAliceB), 409, "conflict", "")       // m116
	testkit.WantCouchError(t, couchDo(f, "DELETE", "/scratch1/doc1", "", "Authorization", tAliceB), 409, "conflict", "")                 // m117
	want(t, couchDo(f, "DELETE", "/scratch1/doc1?rev="+rev2, "", "Authorization", tAliceB), 200, `"rev":"3-`)                            // m118
	testkit.WantCouchError(t, couchDo(f, "GET", "/scratch1/doc1", "", "Authorization", tAliceB), 404, "not_found", "deleted")            // m119
	testkit.WantCouchError(t, couchDo(f, "GET", "/scratch1/missing", "", "Authorization", tAliceB), 404, "not_found", "missing")         // m120
	want(t, put("/scratch1/doc1", `{"again":true}`, tAliceB), 201, `"rev":"4-`)                                                          // a deleted id is writable again

	w = couchDo(f, "POST", "/scratch1", `{"x":1}`, "Authorization", tAliceB, "Content-Type", jsonCT)
	if w.Code != 201 || !regexp.MustCompile(`^\{"ok":true,"id":"[0-9a-f]{32}","rev":"1-[0-9a-f]{32}"\}`).Match(w.Body.Bytes()) { // m121
		t.Fatalf("POST: %d %s", w.Code, w.Body)
	}
	want(t, couchDo(f, "POST", "/scratch1", `{"_id":"mine","x":1}`, "Authorization", tAliceB, "Content-Type", jsonCT), 201, `"id":"mine"`) // m122

	testkit.WantCouchError(t, couchDo(f, "GET", "/scratch1/mine", "", "Authorization", dave), 403, "forbidden", wantNotAllowed)                                                                                                             // m124
	testkit.WantCouchError(t, put("/scratch1/doc3", `{}`, dave), 403, "forbidden", wantNotAllowed)                                                                                                                                          // m125
	testkit.WantCouchError(t, couchDo(f, "GET", "/scratch1/mine", ""), 401, "unauthorized", wantNotAuthorized)                                                                                                                              // m128
	testkit.WantCouchError(t, put("/scratch1/doc3", `{}`, ""), 401, "unauthorized", wantNotAuthorized)                                                                                                                                      // m129
	testkit.WantCouchError(t, put("/scratch1/_design/d", `{"views":{}}`, tAliceB), 403, "forbidden", "You are not a db or server admin.")                                                                                                   // m132
	want(t, put("/scratch1/_design/d", `{"views":{}}`, testkit.Basic("bob", "bobpw")), 201, `"id":"_design/d"`)                                                                                                                             // m133
	testkit.WantCouchError(t, couchDo(f, "GET", "/scratch1/_design/d/_view/v", "", "Authorization", tAliceB), 404, "not_found", "authconform's CouchDB fake does not implement /scratch1/_design/d/... (views, shows, lists, attachments)") // m134: left out
	testkit.WantCouchError(t, couchDo(f, "POST", "/scratch1/_find", "{}", "Authorization", tAliceB, "Content-Type", jsonCT), 404, "not_found", "authconform's CouchDB fake does not implement /scratch1/_find")
	testkit.WantCouchError(t, couchDo(f, "POST", "/scratch1/_find", "{}", "Authorization", dave, "Content-Type", jsonCT), 403, "forbidden", wantNotAllowed) // m138
	want(t, couchDo(f, "GET", "/scratch1/_all_docs", "", "Authorization", tAliceB), 200, `"total_rows":4`)
	testkit.WantCouchError(t, couchDo(f, "GET", "/nosuchdb", ""), 404, "not_found", "Database does not exist.") // m105
	testkit.WantCouchError(t, put("/scratch1/doc5", `[1]`, tAliceB), 400, "bad_request", "Document must be a JSON object")
	testkit.WantCouchError(t, put("/scratch1/doc5", `{"_bogus":1}`, tAliceB), 400, "doc_validation", "Bad special document member: _bogus")
}

func TestGzipBody(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{})
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write([]byte(`{"a":1}`))
	_ = zw.Close()
	w := couchDo(f, "PUT", "/authtest/z", buf.String(), "Authorization", tAdminB, "Content-Type", jsonCT, "Content-Encoding", "gzip")
	want(t, w, 201, `"id":"z"`)
	want(t, couchDo(f, "GET", "/authtest/z", "", "Authorization", tAdminB), 200, `"a":1`)
	testkit.WantCouchError(t, couchDo(f, "PUT", "/authtest/y", "not gzip", "Authorization", tAdminB, "Content-Type", jsonCT, "Content-Encoding", "gzip"),
		400, "bad_request", "the gzip request body is broken")
}
