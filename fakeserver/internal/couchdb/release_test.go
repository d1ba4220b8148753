package couchdb_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

// The couchdb-3.5 profile's copies of CouchDB 3.5.0's oddities
// (docs/reference/couchdb-3.5.0.md run 5), and their absence from the
// documented profile.

func release(t *testing.T, o fakeserver.Options) *fakeserver.Fake {
	o.Profile = fakeserver.ProfileCouchDB35
	return newCouchFake(t, o)
}

func TestCouchReleaseCrashes(t *testing.T) {
	tests := []struct {
		name, method, path, ctype, body string
		headers                         []string
		want, hash                      string
	}{
		{"Basic not base64 (m166)", "GET", "/_session", "", "", []string{"Authorization", "Basic not-base64!!!"},
			`{"error":"unknown_error","reason":"badarg","ref":2650020842}`, "2650020842"},
		{"Basic with a trailing token (m167)", "GET", "/_session", "", "", []string{"Authorization", tAliceB + " extra"},
			`{"error":"case_clause","reason":"30","ref":1236979948}`, "1236979948"},
		{"two Authorization headers (m168)", "GET", "/_session", "", "", []string{"Authorization", tAliceB, "Authorization", tAdminB},
			`{"error":"case_clause","reason":"bad","ref":1236979948}`, "1236979948"},
		{"login JSON null (m173)", "POST", "/_session", jsonCT, "null", nil,
			`{"error":"unknown_error","reason":"badmatch","ref":1655787678}`, "1655787678"},
		{"login JSON [] (m174)", "POST", "/_session", jsonCT, "[]", nil,
			`{"error":"badmatch","reason":"","ref":1655787678}`, "1655787678"},
		{"login name a number (m177)", "POST", "/_session", jsonCT, `{"name":1,"password":"x"}`, nil,
			`{"error":"unknown_error","reason":"badarg","ref":4060413535}`, "4060413535"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := tc.headers
			if tc.ctype != "" {
				h = append(h, "Content-Type", tc.ctype)
			}
			w := couchDo(release(t, fakeserver.Options{}), tc.method, tc.path, tc.body, h...)
			if w.Code != 500 || strings.TrimSpace(w.Body.String()) != tc.want || w.Header().Get("X-Couch-Stack-Hash") != tc.hash {
				t.Fatalf("%d %s X-Couch-Stack-Hash %q, want 500 %s %s", w.Code, w.Body, w.Header().Get("X-Couch-Stack-Hash"), tc.want, tc.hash)
			}
			if w.Header().Get("X-Couch-Request-ID") == "" {
				t.Errorf("a 500 from chttpd's error path lacks X-Couch-Request-ID")
			}
			// The documented profile answers the same bad input with a 400;
			// two Authorization headers are not bad input of one header, and
			// it answers them otherwise.
			if d := couchDo(newCouchFake(t, fakeserver.Options{}), tc.method, tc.path, tc.body, h...); d.Code != 400 && headerCount(h, "Authorization") < 2 {
				t.Errorf("documented profile: %d %s, want a 400", d.Code, d.Body)
			}
		})
	}
	// A valid cookie is checked before Basic, so its request never reaches
	// the crashing Basic handler.
	f := release(t, fakeserver.Options{})
	ck := couchLogin(t, f, "admin", "secret")
	if w := couchDo(f, "GET", "/_session", "", "Cookie", "AuthSession="+ck, "Authorization", "Basic not-base64!!!"); w.Code != 200 {
		t.Fatalf("cookie with a broken Basic header: %d %s", w.Code, w.Body)
	}
}

func TestCouchPaddedCookie(t *testing.T) {
	f := release(t, fakeserver.Options{})
	ck := couchLogin(t, f, "alice", "alicepw")
	testkit.WantCouchError(t, couchDo(f, "GET", "/_session", "", "Cookie", "AuthSession="+ck+"="), 400, "bad_request", wantBadCookie)      // m147
	forged := "YWxpY2U6NkIwRjY4M0M6Zm9yZ2Vkc2lnbmF0dXJl"                                                                                   // alice:6B0F683C:forgedsignature
	testkit.WantCouchError(t, couchDo(f, "GET", "/_session", "", "Cookie", "AuthSession="+forged+"=="), 400, "bad_request", wantBadCookie) // m156
	if name, _ := sessionName(t, couchDo(f, "GET", "/_session", "", "Cookie", "AuthSession="+forged)); name != "" {                        // m157
		t.Fatalf("forged unpadded cookie names %q", name)
	}
	d := newCouchFake(t, fakeserver.Options{})
	testkit.WantCouchError(t, couchDo(d, "GET", "/_session", "", "Cookie", "AuthSession="+couchLogin(t, d, "alice", "alicepw")+"="), 400, "bad_request", wantBadCookie)
}

func TestCouchReleaseLineLimits(t *testing.T) {
	f := release(t, fakeserver.Options{})
	pad := func(line int) string { return strings.Repeat("a", line-len("X-Pad: ")) }
	if w := couchDo(f, "GET", "/_up", "", "X-Pad", pad(8189)); w.Code != 200 { // m163
		t.Fatalf("8,189-char header line: %d", w.Code)
	}
	w := couchDo(f, "GET", "/_up", "", "X-Pad", pad(8190)) // m164
	if w.Code != 400 || w.Body.Len() != 0 || w.Header().Get("Server") != "MochiWeb/1.0 (Any of you quaids got a smint?)" ||
		w.Header().Get("Content-Length") != "0" || w.Header().Get("X-Couch-Request-ID") != "" {
		t.Fatalf("8,190-char header line: %d %q %v", w.Code, w.Body, w.Header())
	}
	// Request line "GET /_up?x=<N> HTTP/1.1": 8,190 chars accepted, 8,191 not.
	q := func(line int) string { return "/_up?x=" + strings.Repeat("a", line-len("GET /_up?x= HTTP/1.1")) }
	if w := couchDo(f, "GET", q(8190), ""); w.Code != 200 {
		t.Fatalf("8,190-char request line: %d", w.Code)
	}
	if w := couchDo(f, "GET", q(8191), ""); w.Code != 400 || w.Body.Len() != 0 {
		t.Fatalf("8,191-char request line: %d %s", w.Code, w.Body)
	}
	if w := couchDo(newCouchFake(t, fakeserver.Options{}), "GET", "/_up", "", "X-Pad", pad(20000)); w.Code != 200 {
		t.Fatalf("documented profile refuses a 20,000-char line: %d", w.Code)
	}
}

func TestCouchReleaseRequestHeaders(t *testing.T) {
	f := release(t, fakeserver.Options{})
	has := func(w *httptest.ResponseRecorder) bool {
		id := w.Header().Get("X-Couch-Request-ID")
		return len(id) == 10 && w.Header().Get("X-CouchDB-Body-Time") == "0"
	}
	tests := []struct {
		name               string
		method, path, body string
		headers            []string
		status             int
		withRequestHeaders bool
	}{
		{"GET / (m1)", "GET", "/", "", nil, 200, true},
		{"GET /_up (m2)", "GET", "/_up", "", nil, 200, true},
		{"an error (m10)", "GET", "/_users/_all_docs", "", []string{"Authorization", tAliceB}, 401, true},
		{"GET /_session (m3)", "GET", "/_session", "", nil, 200, false},
		{"GET /_session wrong Basic (m62)", "GET", "/_session", "", []string{"Authorization", testkit.Basic("alice", "x")}, 401, true},
		{"POST /_session (m56)", "POST", "/_session", "name=alice&password=alicepw", []string{"Content-Type", formCT}, 200, false},
		{"POST /_session wrong password (m178)", "POST", "/_session", `{"name":"ghost","password":"x"}`, []string{"Content-Type", jsonCT}, 401, false},
		{"POST /_session {} (m175)", "POST", "/_session", `{}`, []string{"Content-Type", jsonCT}, 400, true},
		{"POST /_session text/plain (m179)", "POST", "/_session", `x`, []string{"Content-Type", "text/plain"}, 415, true},
		{"DELETE /_session (m183)", "DELETE", "/_session", "", nil, 200, false},
		{"PUT /_session (m184)", "PUT", "/_session", "", nil, 405, false},
		{"GET /_session/x anonymous (m180)", "GET", "/_session/x", "", nil, 401, true},
		{"GET /_session/x admin (m187)", "GET", "/_session/x", "", []string{"Authorization", tAdminB}, 200, false},
	}
	for _, tc := range tests {
		w := couchDo(f, tc.method, tc.path, tc.body, tc.headers...)
		if w.Code != tc.status || has(w) != tc.withRequestHeaders {
			t.Errorf("%s: %d, X-Couch-Request-ID %q, want %d with the headers %v", tc.name, w.Code, w.Header().Get("X-Couch-Request-ID"), tc.status, tc.withRequestHeaders)
		}
	}
	// The document shows x-couch-request-id on a /_session reply, so the
	// documented profile sends it there too.
	if w := couchDo(newCouchFake(t, fakeserver.Options{}), "DELETE", "/_session", ""); !has(w) {
		t.Errorf("documented profile: DELETE /_session lacks X-Couch-Request-ID, which the document shows")
	}
}

func TestCouchReleaseSessionPaths(t *testing.T) {
	f := release(t, fakeserver.Options{})
	testkit.WantCouchError(t, couchDo(f, "GET", "/_session/x", ""), 401, "unauthorized", wantNotAdmin)  // m180
	testkit.WantCouchError(t, couchDo(f, "POST", "/_session/x", ""), 401, "unauthorized", wantNotAdmin) // m182
	testkit.WantCouchError(t, couchDo(f, "GET", "/_session/x", "", "Authorization", tAliceB), 401, "unauthorized", wantNotAdmin)
	want(t, couchDo(f, "GET", "/_session/x", "", "Authorization", tAdminB), 200, `"userCtx":{"name":"admin"`)                             // m187
	testkit.WantCouchError(t, couchDo(f, "GET", "/_SESSION", ""), 401, "unauthorized", wantNotAdmin)                                      // m181
	testkit.WantCouchError(t, couchDo(f, "GET", "/_SESSION", "", "Authorization", tAdminB), 404, "not_found", "Database does not exist.") // m188
	want(t, couchDo(f, "GET", "/_session/", ""), 200, `"userCtx":{"name":null`)                                                           // m185
}

func TestCouchRequireValidUserExceptForUp(t *testing.T) {
	for _, p := range couchProfiles {
		f := newCouchFake(t, fakeserver.Options{Profile: p, RequireValidUserExceptForUp: true})
		for _, path := range []string{"/_up", "/_up/"} { // m191, m197
			if w := couchDo(f, "GET", path, ""); w.Code != 200 {
				t.Fatalf("%s %s: %d %s", p, path, w.Code, w.Body)
			}
		}
		for _, path := range []string{"/", "/_session", "/_all_dbs"} { // m192, m193, m195
			w := couchDo(f, "GET", path, "")
			testkit.WantCouchError(t, w, 401, "unauthorized", wantAuthRequired)
			if got := w.Header().Get("WWW-Authenticate"); got != "" {
				t.Errorf("%s %s: WWW-Authenticate %q", p, path, got)
			}
		}
		couchLogin(t, f, "alice", "alicepw")                                                      // m194
		want(t, couchDo(f, "GET", "/", "", "Authorization", tAliceB), 200, `"couchdb":"Welcome"`) // m196
		// require_valid_user itself closes /_up too, with a challenge (m259).
		g := newCouchFake(t, fakeserver.Options{Profile: p, RequireValidUser: true, RequireValidUserExceptForUp: true})
		if w := couchDo(g, "GET", "/_up", ""); w.Code != 401 || w.Header().Get("WWW-Authenticate") == "" {
			t.Fatalf("%s: require_valid_user /_up: %d %v", p, w.Code, w.Header())
		}
	}
}

// headerCount counts name in name/value pairs.
func headerCount(headers []string, name string) int {
	n := 0
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i] == name {
			n++
		}
	}
	return n
}
