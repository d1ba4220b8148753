package couchdb_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

// The reasons CouchDB 3.5.0 sends, copied from the wire as recorded in
// docs/reference/couchdb-3.5.0.md (not from the fake's own constants, so a
// changed text in the fake fails these tests).
const (
	wantBadPassword   = "Name or password is incorrect."
	wantBadBase64     = "Authorization header has invalid base64 value"
	wantBadCookie     = "Malformed AuthSession cookie. Please clear your cookies."
	wantAuthRequired  = "Authentication required."
	wantLocked        = "Account is temporarily locked due to multiple authentication failures"
	wantNotAdmin      = "You are not a server admin."
	wantPleaseLogin   = "Please login."
	wantNotAuthorized = "You are not authorized to access this db."
	wantNotAllowed    = "You are not allowed to access this db."
)

// couchBase is the base URL the tests send requests to, the transcript's.
const couchBase = testkit.CouchDBBase

func newCouchFake(t *testing.T, o fakeserver.Options) *fakeserver.Fake {
	t.Helper()
	o.Flavor = fakeserver.CouchDB
	if o.Clock == nil {
		o.Clock = testkit.ClockAt(testkit.TranscriptDay())
	}
	f, err := fakeserver.New(o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return f
}

// couchDo sends one request to h at the transcript's address (see
// testkit.Do).
func couchDo(h http.Handler, method, path, body string, headers ...string) *httptest.ResponseRecorder {
	return testkit.Do(h, couchBase, method, path, body, headers...)
}

const formCT = "application/x-www-form-urlencoded"

// couchLogin logs in with a form and returns the AuthSession value.
func couchLogin(t *testing.T, h http.Handler, user, password string) string {
	t.Helper()
	w := couchDo(h, "POST", "/_session", "name="+user+"&password="+password, "Content-Type", formCT)
	if w.Code != http.StatusOK {
		t.Fatalf("login %s: status %d, body %s", user, w.Code, w.Body)
	}
	ck := setCookie(t, w)
	if ck == nil || ck.Value == "" {
		t.Fatalf("login %s: no AuthSession cookie in %q", user, w.Header().Values("Set-Cookie"))
	}
	return ck.Value
}

// setCookie parses the response's only Set-Cookie with net/http; nil when
// there is none.
func setCookie(t *testing.T, w *httptest.ResponseRecorder) *http.Cookie {
	t.Helper()
	vs := w.Header().Values("Set-Cookie")
	if len(vs) == 0 {
		return nil
	}
	if len(vs) > 1 {
		t.Fatalf("want at most one Set-Cookie, got %q", vs)
	}
	ck, err := http.ParseSetCookie(vs[0])
	if err != nil {
		t.Fatalf("Set-Cookie %q does not parse: %v", vs[0], err)
	}
	if ck.Name != "AuthSession" {
		t.Fatalf("Set-Cookie names %q, want AuthSession", ck.Name)
	}
	return ck
}

// sessionName returns userCtx.name and info.authenticated of a GET
// /_session reply ("" for null / absent).
func sessionName(t *testing.T, w *httptest.ResponseRecorder) (name, handler string) {
	t.Helper()
	if w.Code != http.StatusOK {
		t.Fatalf("GET /_session: status %d, body %s", w.Code, w.Body)
	}
	var body struct {
		UserCtx struct {
			Name *string `json:"name"`
		} `json:"userCtx"`
		Info struct {
			Authenticated string `json:"authenticated"`
		} `json:"info"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatalf("GET /_session body %q: %v", w.Body, err)
	}
	if body.UserCtx.Name != nil {
		name = *body.UserCtx.Name
	}
	return name, body.Info.Authenticated
}

var couchProfiles = []fakeserver.Profile{fakeserver.ProfileDocumented, fakeserver.ProfileCouchDB35}
