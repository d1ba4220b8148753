package couchdb_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/authconform/authconform/fakeserver"
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

// couchError is CouchDB's error body.
type couchError struct {
	Error  string `json:"error"`
	Reason string `json:"reason"`
}

// couchT0 is the fixed time of the CouchDB tests: the day the reference
// transcript was recorded.
var couchT0 = time.Date(2026, 11, 22, 14, 49, 7, 0, time.UTC)

// couchBase is the base URL the tests send requests to, the transcript's.
const couchBase = "http://127.0.0.1:15984"

func newCouchFake(t *testing.T, o fakeserver.Options) *fakeserver.Fake {
	t.Helper()
	o.Flavor = fakeserver.CouchDB
	if o.Clock == nil {
		o.Clock = func() time.Time { return couchT0 }
	}
	f, err := fakeserver.New(o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return f
}

// couchDo sends one request to h; headers are name/value pairs.
func couchDo(h http.Handler, method, path, body string, headers ...string) *httptest.ResponseRecorder {
	var r *http.Request
	if strings.HasPrefix(path, "http") {
		r = httptest.NewRequest(method, path, strings.NewReader(body))
	} else {
		r = httptest.NewRequest(method, couchBase+path, strings.NewReader(body))
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i] == "RemoteAddr" {
			r.RemoteAddr = headers[i+1]
			continue
		}
		r.Header.Add(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func basicAuth(user, password string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
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

// wantCouchError checks a CouchDB error reply.
func wantCouchError(t *testing.T, w *httptest.ResponseRecorder, status int, couch, reason string) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d (body %s)", w.Code, status, w.Body)
	}
	var e couchError
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
		t.Fatalf("error body %q: %v", w.Body, err)
	}
	if e.Error != couch || (reason != "" && e.Reason != reason) {
		t.Fatalf("error body %s, want error %q reason %q", w.Body, couch, reason)
	}
}
