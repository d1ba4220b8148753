package couchdb_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

// The couchdb-3.5 profile answers odd Authorization headers and unread
// bodies as 3.5.0 did (docs/reference/couchdb-3.5.0.md run 6, bad-input
// cases); the documented profile keeps its clear 4xx.

func TestReleaseTwoAuthorizationHeaders(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{Profile: fakeserver.ProfileCouchDB35})
	admin := testkit.Basic("admin", "secret")
	tests := []struct {
		name, first, second, body string
		status                    int
	}{
		{"alice then admin", tAliceB, admin, `{"error":"case_clause","reason":"bad","ref":1236979948}`, 500},
		{"admin then not-base64", admin, "Basic not-base64!!!", `{"error":"unknown_error","reason":"badarg","ref":2650020842}`, 500},
		{"XX= then admin", "Basic XX=", admin, `{"error":"unknown_error","reason":"badarg","ref":2650020842}`, 500},
		{"admin twice", admin, admin, `{"error":"unknown_error","reason":"badarg","ref":2650020842}`, 500},
		{"admin then Bearer", admin, "Bearer x", `{"error":"unknown_error","reason":"badarg","ref":2650020842}`, 500},
		{"Bearer then admin", "Bearer x", admin, `{"ok":true,"userCtx":{"name":null,"roles":[]}`, 200},
	}
	for _, tc := range tests {
		w := couchDo(f, "GET", "/_session", "", "Authorization", tc.first, "Authorization", tc.second)
		if w.Code != tc.status || !strings.HasPrefix(w.Body.String(), tc.body) {
			t.Errorf("%s: %d %s, want %d %s", tc.name, w.Code, w.Body, tc.status, tc.body)
		}
	}
}

func TestReleaseAuthorizationBytes(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{Profile: fakeserver.ProfileCouchDB35})
	testkit.WantCouchError(t, couchDo(f, "GET", "/_session", "", "Authorization", "Basic \x7f"), 400, "bad_request", wantBadBase64)
	testkit.WantCouchError(t, couchDo(f, "GET", "/_session", "", "Authorization", "Basic \x01\x02\x03"), 400, "bad_request", wantBadBase64)
	want(t, couchDo(f, "GET", "/_session", "", "Authorization", "Basic "+strings.TrimPrefix(tAliceB, "Basic ")+"\x01"), 500, `{"error":"case_clause","reason":"bad","ref":1236979948}`)
	testkit.WantCouchError(t, couchDo(f, "GET", "/authtest", "", "Authorization", "\x01\x02"), 401, "unauthorized", wantNotAuthorized)
}

// TestReleaseUnreadBodyCloses: a reply sent before the request's body was
// read says Connection: close; one after reading it does not.
func TestReleaseUnreadBodyCloses(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{Profile: fakeserver.ProfileCouchDB35})
	w := couchDo(f, "PUT", "/_node/_local/_config/admins/carl", `"carlpw"`, "Authorization", tAliceB, "Content-Type", jsonCT)
	testkit.WantCouchError(t, w, 401, "unauthorized", wantNotAdmin)
	if got := w.Header().Get("Connection"); got != "close" {
		t.Errorf("401 before the body: Connection %q, want close", got)
	}
	w = couchDo(f, "POST", "/_session", `{"name":"admin","password":"wrong"}`, "Content-Type", jsonCT)
	testkit.WantCouchError(t, w, 401, "unauthorized", wantBadPassword)
	if got := w.Header().Get("Connection"); got != "" {
		t.Errorf("401 after reading the body: Connection %q, want none", got)
	}
	w = couchDo(f, "GET", "/authtest", "")
	if got := w.Header().Get("Connection"); w.Code != 401 || got != "" {
		t.Errorf("401 to a GET: %d, Connection %q, want 401 and none", w.Code, got)
	}
	// A body the fake reads ahead of the access checks still counts as
	// unread when they refuse (d16, d18, d19, b37).
	for _, w := range []*httptest.ResponseRecorder{
		couchDo(f, "POST", "/authtest/_bulk_docs", `{"docs":[]}`, "Authorization", tAliceB, "Content-Type", jsonCT),
		couchDo(f, "POST", "/authtest/_bulk_docs", `{"docs":[]}`, "Content-Type", jsonCT),
		couchDo(f, "POST", "/authtest/_bulk_docs", `{"docs":[]}`, "Authorization", tAdminB, "Content-Type", formCT),
		couchDo(f, "PUT", "/authtest/cl3", `{"a":1}`, "Content-Type", jsonCT),
	} {
		if w.Code < 400 || w.Header().Get("Connection") != "close" {
			t.Errorf("%d %s: Connection %q, want an error and close", w.Code, w.Body, w.Header().Get("Connection"))
		}
	}
	w = couchDo(f, "PUT", "/authtest/cl3", `{"a":1}`, "Authorization", tAdminB, "Content-Type", jsonCT)
	if w.Code != 201 || w.Header().Get("Connection") != "" {
		t.Errorf("a written document: %d, Connection %q, want 201 and none", w.Code, w.Header().Get("Connection"))
	}
	w = couchDo(f, "PUT", "/scratch1", "", "Authorization", tAdminB) // no body (run 6, d1)
	if w.Code != 201 || w.Header().Get("Connection") != "" {
		t.Errorf("a database made without a body: %d, Connection %q, want 201 and none", w.Code, w.Header().Get("Connection"))
	}
	doc := newCouchFake(t, fakeserver.Options{})
	w = couchDo(doc, "PUT", "/_node/_local/_config/admins/carl", `"carlpw"`, "Authorization", tAliceB, "Content-Type", jsonCT)
	if got := w.Header().Get("Connection"); got != "" {
		t.Errorf("documented profile: Connection %q, want none", got)
	}
}

// TestReleaseTooLargeAfterCredentials: 3.5.0 checks credentials before it
// reads a body, so bad ones are a 401 even with a body over the limit;
// good ones get the 413. Both close the connection.
func TestReleaseTooLargeAfterCredentials(t *testing.T) {
	big := `{"a":"` + strings.Repeat("x", 1<<10) + `"}`
	f := newCouchFake(t, fakeserver.Options{Profile: fakeserver.ProfileCouchDB35, MaxBodyBytes: 512})
	w := couchDo(f, "POST", "/authtest", big, "Authorization", testkit.Basic("admin", "wrong"), "Content-Type", jsonCT)
	testkit.WantCouchError(t, w, 401, "unauthorized", wantBadPassword)
	if got := w.Header().Get("Connection"); got != "close" {
		t.Errorf("401: Connection %q, want close", got)
	}
	w = couchDo(f, "POST", "/authtest", big, "Authorization", tAdminB, "Content-Type", jsonCT)
	testkit.WantCouchError(t, w, 413, "too_large", "the request entity is too large")
	if got := w.Header().Get("Connection"); got != "close" {
		t.Errorf("413: Connection %q, want close", got)
	}
	// The access checks answer before the limit too (b19, b20); a
	// handler that reads no body answers as usual; a login reads it.
	testkit.WantCouchError(t, couchDo(f, "POST", "/authtest", big, "Content-Type", jsonCT), 401, "unauthorized", wantNotAuthorized)
	testkit.WantCouchError(t, couchDo(f, "POST", "/authtest", big, "Authorization", tAliceB, "Content-Type", jsonCT), 403, "forbidden", wantNotAllowed)
	want(t, couchDo(f, "GET", "/_session", big, "Authorization", tAdminB), 200, `"name":"admin"`)
	testkit.WantCouchError(t, couchDo(f, "POST", "/_session", big, "Content-Type", jsonCT), 413, "too_large", "the request entity is too large") // b22
	doc := newCouchFake(t, fakeserver.Options{MaxBodyBytes: 512})
	testkit.WantCouchError(t, couchDo(doc, "POST", "/authtest", big, "Authorization", testkit.Basic("admin", "wrong"), "Content-Type", jsonCT), 413, "too_large", "")
}

// TestReleaseBase64Crashes: each place in Erlang's base64 module that
// raises has its own stack hash on 3.5.0 (run 6).
func TestReleaseBase64Crashes(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{Profile: fakeserver.ProfileCouchDB35})
	for value, body := range map[string]string{
		"Basic ab!=":     `{"error":"unknown_error","reason":"badarith","ref":4009739386}`,
		"Basic a!==":     `{"error":"unknown_error","reason":"badarith","ref":3250022585}`,
		"Basic !b==":     `{"error":"unknown_error","reason":"badarg","ref":1699836774}`,
		"Basic ab=c":     `{"error":"unknown_error","reason":"badarg","ref":2650020842}`,
		"Basic YQ==YQ==": `{"error":"case_clause","reason":"24","ref":1236979948}`,
	} {
		w := couchDo(f, "GET", "/_session", "", "Authorization", value)
		if w.Code != 500 || strings.TrimSpace(w.Body.String()) != body || !strings.Contains(body, w.Header().Get("X-Couch-Stack-Hash")) {
			t.Errorf("%s: %d %s (X-Couch-Stack-Hash %q), want 500 %s", value, w.Code, w.Body, w.Header().Get("X-Couch-Stack-Hash"), body)
		}
	}
}

func TestReleaseLoginTypeRefusedAfterReading(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{Profile: fakeserver.ProfileCouchDB35})
	w := couchDo(f, "POST", "/_session", `{"a":1}`, "Content-Type", "text/plain")
	testkit.WantCouchError(t, w, 415, "bad_content_type", "Content-Type must be 'application/x-www-form-urlencoded' or 'application/json'")
	if got := w.Header().Get("Connection"); got != "" {
		t.Errorf("415: Connection %q, want none (3.5.0 reads the body first)", got)
	}
}
