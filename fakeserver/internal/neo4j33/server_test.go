package neo4j33

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/authconform/authconform/fakeserver/internal/core"
	"github.com/authconform/authconform/fakeserver/internal/neo4jwire"
	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

// Expected values are the reference's (docs/reference/neo4j-auth.md §1,
// §2) and the document's, written out, not this package's constants.
const (
	wantInvalidFormat = "Neo.ClientError.Request.InvalidFormat"
	wantBadHeader     = "Invalid authentication header."
)

var (
	neo4jSecret = "Basic bmVvNGo6c2VjcmV0" // neo4j:secret
	neo4jNeo4j  = "Basic bmVvNGo6bmVvNGo=" // neo4j:neo4j, the document's first login
	fredFredpw  = "Basic ZnJlZDpmcmVkcHc=" // fred:fredpw
)

// newDefaultServer is a server for cfg on a fixed clock.
func newDefaultServer(t *testing.T, cfg Config) *Server {
	t.Helper()
	if cfg.Clock == nil {
		cfg.Clock = core.NewClock(testkit.ClockAt(time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC)))
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// newTestServer has two users who need no password change: neo4j/secret
// and fred/fredpw.
func newTestServer(t *testing.T, release bool) *Server {
	t.Helper()
	return newDefaultServer(t, Config{Release: release, Accounts: neo4jwire.Accounts{
		Users: []core.User{{Name: "neo4j", Password: "secret"}, {Name: "fred", Password: "fredpw"}},
	}})
}

// do sends one request with a JSON body, if any, and the given
// Authorization headers.
func do(s *Server, method, path, body string, authorization ...string) *httptest.ResponseRecorder {
	var headers []string
	for _, a := range authorization {
		headers = append(headers, "Authorization", a)
	}
	if body != "" {
		headers = append(headers, "Content-Type", "application/json")
	}
	return testkit.Do(s, testkit.Neo4jBase, method, path, body, headers...)
}

// neo4jErrors decodes a {"errors":[{code,message}]} body.
func neo4jErrors(t *testing.T, w *httptest.ResponseRecorder) (code, message string, body map[string]any) {
	t.Helper()
	e := testkit.OneNeo4jError(t, w)
	_ = json.Unmarshal(w.Body.Bytes(), &body)
	return e.Code, e.Message, body
}

// TestTwoAuthorizationHeaders: a request with two Authorization headers is
// malformed (RFC 9110 lets a sender send Authorization once), so it gets
// the filter's 400, even when both carry good credentials, and counts as no
// login.
func TestTwoAuthorizationHeaders(t *testing.T) {
	for _, release := range []bool{false, true} {
		s := newTestServer(t, release)
		for _, pair := range [][2]string{{neo4jSecret, neo4jSecret}, {neo4jSecret, fredFredpw}, {"Basic bm9wZTpub3Bl", neo4jSecret}} {
			w := do(s, "GET", "/db/data/", "", pair[0], pair[1])
			var body struct {
				Errors []struct{ Code, Message string } `json:"errors"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || w.Code != http.StatusBadRequest || len(body.Errors) != 1 ||
				body.Errors[0].Code != wantInvalidFormat || body.Errors[0].Message != wantBadHeader {
				t.Errorf("release %v, headers %q: %d %s; want 400 %s %q", release, pair, w.Code, w.Body, wantInvalidFormat, wantBadHeader)
			}
		}
		if w := do(s, "GET", "/db/data/", "", neo4jSecret); w.Code != http.StatusOK {
			t.Errorf("release %v: one good header afterwards: %d %s", release, w.Code, w.Body)
		}
	}
}

// TestOtherUsersResource is UserService's identity check (reference §2 U3,
// U11): another user's /user/{name} is a 404 with an empty body whether or
// not that user exists, and their password is not changed.
func TestOtherUsersResource(t *testing.T) {
	s := newTestServer(t, false)
	for _, tc := range []struct{ method, path, body string }{
		{"GET", "/user/fred", ""},   // exists
		{"GET", "/user/nobody", ""}, // does not
		{"POST", "/user/fred/password", `{"password":"stolen"}`},
		{"POST", "/user/nobody/password", `{"password":"stolen"}`},
	} {
		w := do(s, tc.method, tc.path, tc.body, neo4jSecret)
		if w.Code != http.StatusNotFound || w.Body.Len() != 0 {
			t.Errorf("%s %s as neo4j: %d %q; want 404 with an empty body", tc.method, tc.path, w.Code, w.Body)
		}
	}
	w := do(s, "GET", "/user/fred", "", fredFredpw)
	var status struct {
		Username string `json:"username"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &status); err != nil || w.Code != http.StatusOK || status.Username != "fred" {
		t.Errorf("fred's own status: %d %s", w.Code, w.Body)
	}
	if w := do(s, "GET", "/db/data/", "", "Basic ZnJlZDpzdG9sZW4="); w.Code != http.StatusUnauthorized { // fred:stolen
		t.Errorf("fred's password changed by neo4j: %d", w.Code)
	}
}

func TestStatesSeedAnotherUser(t *testing.T) {
	for _, tc := range []struct {
		state, password string
		changeForced    bool
	}{
		{"default-password", "neo4j", true},
		{"password-changed", "secret", false},
	} {
		s := newDefaultServer(t, Config{})
		vars, err := s.EnterState(tc.state)
		if err != nil {
			t.Fatal(err)
		}
		if vars["User"] != "neo4j" || vars["Password"] != tc.password || vars["OtherUser"] != "fred" || vars["OtherPassword"] != "fredpw" {
			t.Fatalf("%s: vars %v", tc.state, vars)
		}
		login := testkit.Basic("neo4j", tc.password)
		w := do(s, "GET", "/db/data/", "", login)
		if forced := w.Code == http.StatusForbidden; forced != tc.changeForced || (!forced && w.Code != http.StatusOK) {
			t.Errorf("%s: /db/data/ as neo4j: %d %s", tc.state, w.Code, w.Body)
		}
		// The other account exists and logs in, needing no change.
		if w := do(s, "GET", "/db/data/", "", fredFredpw); w.Code != http.StatusOK {
			t.Errorf("%s: fred cannot log in: %d %s", tc.state, w.Code, w.Body)
		}
		// Yet neo4j may not read fred's status (U3).
		if w := do(s, "GET", "/user/fred", "", login); w.Code != http.StatusNotFound || w.Body.Len() != 0 {
			t.Errorf("%s: fred's status as neo4j: %d %q", tc.state, w.Code, w.Body)
		}
	}
}

func TestStatesOtherUserFromConfig(t *testing.T) {
	s := newDefaultServer(t, Config{Accounts: neo4jwire.Accounts{Users: []core.User{{Name: "neo4j", Password: "pw"}, {Name: "wilma", Password: "wpw"}}}})
	vars, err := s.EnterState("password-changed")
	if err != nil || vars["Password"] != "pw" || vars["OtherUser"] != "wilma" || vars["OtherPassword"] != "wpw" {
		t.Fatalf("vars %v, %v", vars, err)
	}
	// A sole user named like the seeded one gets a different other user.
	s = newDefaultServer(t, Config{Accounts: neo4jwire.Accounts{Users: []core.User{{Name: "fred", Password: "pw"}}}})
	vars, _ = s.EnterState("default-password")
	if vars["User"] != "fred" || vars["OtherUser"] == "" || vars["OtherUser"] == "fred" {
		t.Fatalf("vars %v", vars)
	}
	if w := do(s, "GET", "/db/data/", "", testkit.Basic(vars["OtherUser"], vars["OtherPassword"])); w.Code != http.StatusOK {
		t.Errorf("the other user %q cannot log in: %d %s", vars["OtherUser"], w.Code, w.Body)
	}
}

func TestStateAuthDisabledAndUnknown(t *testing.T) {
	s := newDefaultServer(t, Config{})
	vars, err := s.EnterState("auth-disabled")
	if err != nil || vars["User"] != "neo4j" {
		t.Fatalf("vars %v, %v", vars, err)
	}
	if w := do(s, "GET", "/db/data/", ""); w.Code != http.StatusOK {
		t.Errorf("auth-disabled without a header: %d %s", w.Code, w.Body)
	}
	if w := do(s, "GET", "/user/neo4j", ""); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"username": "neo4j"`) {
		t.Errorf("auth-disabled, neo4j's status (U14): %d %s", w.Code, w.Body)
	}
	if w := do(s, "GET", "/user/other", ""); w.Code != http.StatusNotFound {
		t.Errorf("auth-disabled, another user's status (U14): %d", w.Code)
	}
	if _, err := newDefaultServer(t, Config{}).EnterState("no-such-state"); err == nil || !strings.Contains(err.Error(), "no-such-state") {
		t.Errorf("unknown state: %v", err)
	}
}

// TestForcedPasswordChange is reference §1 row 8 and the document's 5.2.1.3:
// 403 Forbidden with the password_change URL of the request's host, while
// /user/neo4j stays reachable.
func TestForcedPasswordChange(t *testing.T) {
	s := newDefaultServer(t, Config{})
	w := do(s, "GET", "/db/data/", "", neo4jNeo4j)
	code, msg, body := neo4jErrors(t, w)
	if w.Code != http.StatusForbidden || code != "Neo.ClientError.Security.Forbidden" || msg != "User is required to change their password." ||
		body["password_change"] != "http://localhost:7474/user/neo4j/password" {
		t.Errorf("forced change: %d %s", w.Code, w.Body)
	}
	if w := do(s, "GET", "/user/neo4j", "", neo4jNeo4j); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"password_change_required": true`) {
		t.Errorf("user status on first access (U2): %d %s", w.Code, w.Body)
	}
	if w := do(s, "POST", "/user/neo4j/password", `{"password":"secret"}`, neo4jNeo4j); w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Fatalf("change (U5): %d %q", w.Code, w.Body)
	}
	if w := do(s, "GET", "/db/data/", "", neo4jSecret); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"neo4j_version": "3.3.9"`) {
		t.Errorf("after the change: %d %s", w.Code, w.Body)
	}
	if w := do(s, "GET", "/db/data/", "", neo4jNeo4j); w.Code != http.StatusUnauthorized {
		t.Errorf("the old password after the change: %d", w.Code)
	}
}

// TestUnauthenticatedPaths: "/" is the discovery document and /browser/ the
// browser, both without authentication (reference §1 row 14); OPTIONS too.
func TestUnauthenticatedPaths(t *testing.T) {
	s := newDefaultServer(t, Config{})
	w := do(s, "GET", "/", "")
	var root map[string]string
	if err := json.Unmarshal(w.Body.Bytes(), &root); err != nil || w.Code != http.StatusOK ||
		root["management"] != "http://localhost:7474/db/manage/" || root["data"] != "http://localhost:7474/db/data/" ||
		root["bolt"] != "bolt://localhost:7687" || w.Header().Get("Content-Type") != "application/json; charset=UTF-8" {
		t.Errorf("GET /: %d %v %s", w.Code, w.Header(), w.Body)
	}
	r := httptest.NewRequest("GET", "http://[::1]:7474/", nil)
	w = httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if !strings.Contains(w.Body.String(), `"bolt": "bolt://[::1]:7687"`) {
		t.Errorf("GET / on [::1]: %s", w.Body)
	}
	r = httptest.NewRequest("GET", "http://example.com/", nil) // no port
	w = httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if !strings.Contains(w.Body.String(), `"bolt": "bolt://example.com:7687"`) {
		t.Errorf("GET / without a port: %s", w.Body)
	}
	w = do(s, "GET", "/browser/", "")
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
		t.Errorf("GET /browser/: %d %v", w.Code, w.Header())
	}
	w = do(s, "OPTIONS", "/db/data/", "")
	if w.Code != http.StatusNoContent || w.Header().Get("Allow") == "" {
		t.Errorf("OPTIONS: %d %v", w.Code, w.Header())
	}
	if w := do(s, "GET", "/db/data/", ""); w.Code != http.StatusUnauthorized {
		t.Errorf("/db/data/ is not exempt: %d", w.Code)
	}
}

func TestRoutes(t *testing.T) {
	s := newTestServer(t, false)
	for _, tc := range []struct {
		method, path string
		status       int
		code         string
	}{
		{"GET", "/db/data", 200, ""},
		{"HEAD", "/db/data/", 200, ""},
		{"POST", "/db/data/", 405, "Neo.ClientError.Request.Invalid"},
		{"GET", "/db/data/nowhere", 404, "Neo.ClientError.Request.Invalid"},
		{"DELETE", "/user/neo4j", 405, "Neo.ClientError.Request.Invalid"},
		{"GET", "/user/neo4j/password", 405, "Neo.ClientError.Request.Invalid"},
		{"GET", "/user/neo4j/roles", 404, "Neo.ClientError.Request.Invalid"},
	} {
		w := do(s, tc.method, tc.path, "", neo4jSecret)
		if w.Code != tc.status {
			t.Errorf("%s %s: %d %s, want %d", tc.method, tc.path, w.Code, w.Body, tc.status)
			continue
		}
		if tc.code != "" {
			if code, _, _ := neo4jErrors(t, w); code != tc.code {
				t.Errorf("%s %s: code %s", tc.method, tc.path, code)
			}
		}
	}
	w := do(s, "GET", "/user/neo4j", "", neo4jSecret)
	if !strings.Contains(w.Body.String(), `"username": "neo4j"`) ||
		!strings.Contains(w.Body.String(), `"password_change_required": false`) || !strings.Contains(w.Body.String(), `"password_change": "http://localhost:7474/user/neo4j/password"`) {
		t.Errorf("GET /user/neo4j (U1): %s", w.Body)
	}
}

// TestPasswordChangeValidation is UserService's order of checks (reference
// §2 U5-U10, U12).
func TestPasswordChangeValidation(t *testing.T) {
	for _, tc := range []struct {
		name, contentType, body string
		status                  int
		code, message           string
	}{
		{"not JSON (U10)", "application/json", "xxx", 400, "Neo.ClientError.Request.InvalidFormat", ""},
		{"no password key (U8)", "application/json", `{"pass":"x"}`, 422, "Neo.ClientError.Request.InvalidFormat", "Required parameter 'password' is missing."},
		{"an empty body (U8)", "", "", 422, "Neo.ClientError.Request.InvalidFormat", "Required parameter 'password' is missing."},
		{"a blank body (U8)", "application/json", "  \n", 422, "Neo.ClientError.Request.InvalidFormat", "Required parameter 'password' is missing."},
		{"null (U9)", "application/json", `{"password":null}`, 422, "Neo.ClientError.Request.InvalidFormat", "Required parameter 'password' is missing."},
		{"a number (U9)", "application/json", `{"password":1}`, 422, "Neo.ClientError.Request.InvalidFormat", "Expected 'password' to be a string."},
		{"empty (U7)", "application/json", `{"password":""}`, 422, "Neo.ClientError.General.InvalidArguments", "A password cannot be empty."},
		{"the same (U6)", "application/json", `{"password":"secret"}`, 422, "Neo.ClientError.General.InvalidArguments", "Old password and new password cannot be the same."},
		{"a form body", "application/x-www-form-urlencoded; charset=UTF-8", `{"password":""}`, 422, "Neo.ClientError.General.InvalidArguments", "A password cannot be empty."},
		{"text/plain", "text/plain", `{"password":"new"}`, 415, "Neo.ClientError.Request.Invalid", ""},
		{"a bad media type", "application/", `{"password":"new"}`, 415, "Neo.ClientError.Request.Invalid", ""},
	} {
		s := newTestServer(t, false)
		r := httptest.NewRequest("POST", "http://localhost:7474/user/neo4j/password", strings.NewReader(tc.body))
		r.Header.Set("Authorization", neo4jSecret)
		if tc.contentType != "" {
			r.Header.Set("Content-Type", tc.contentType)
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != tc.status {
			t.Errorf("%s: %d %s, want %d", tc.name, w.Code, w.Body, tc.status)
			continue
		}
		code, msg, _ := neo4jErrors(t, w)
		if code != tc.code || (tc.message != "" && msg != tc.message) {
			t.Errorf("%s: %s %q, want %s %q", tc.name, code, msg, tc.code, tc.message)
		}
		if w := do(s, "GET", "/db/data/", "", neo4jSecret); w.Code != http.StatusOK {
			t.Errorf("%s: the password changed anyway: %d", tc.name, w.Code)
		}
	}
}

// TestPasswordChangeOfDeletedCaller is U12: the caller authenticated but is
// gone by the time the change is looked up.
func TestPasswordChangeOfDeletedCaller(t *testing.T) {
	s := newDefaultServer(t, Config{Accounts: neo4jwire.Accounts{AuthDisabled: true, Users: []core.User{{Name: "someone", Password: "x"}}}})
	w := do(s, "POST", "/user/neo4j/password", `{"password":"new"}`)
	code, msg, _ := neo4jErrors(t, w)
	if w.Code != http.StatusUnprocessableEntity || code != "Neo.ClientError.General.InvalidArguments" || msg != "User 'neo4j' does not exist." {
		t.Errorf("U12: %d %s", w.Code, w.Body)
	}
	if w := do(s, "GET", "/user/neo4j", ""); w.Code != http.StatusOK {
		t.Errorf("auth disabled, neo4j's status without the account: %d", w.Code)
	}
}

func TestPasswordChangeBodyErrors(t *testing.T) {
	s := newTestServer(t, false)
	// Over the body limit the fake sets (a MaxBytesReader): 413.
	w := httptest.NewRecorder()
	r := httptest.NewRequest("POST", "http://localhost:7474/user/neo4j/password", strings.NewReader(`{"password":"`+strings.Repeat("x", 100)+`"}`))
	r.Header.Set("Authorization", neo4jSecret)
	r.Header.Set("Content-Type", "application/json")
	r.Body = http.MaxBytesReader(w, r.Body, 16)
	s.ServeHTTP(w, r)
	if code, _, _ := neo4jErrors(t, w); w.Code != http.StatusRequestEntityTooLarge || code != "Neo.ClientError.Request.Invalid" {
		t.Errorf("too large: %d %s", w.Code, w.Body)
	}
	// A body that breaks off: a 400 in Neo4j's error shape.
	w = httptest.NewRecorder()
	r = httptest.NewRequest("POST", "http://localhost:7474/user/neo4j/password", failingReader{})
	r.Header.Set("Authorization", neo4jSecret)
	s.ServeHTTP(w, r)
	if code, _, _ := neo4jErrors(t, w); w.Code != http.StatusBadRequest || !strings.HasPrefix(code, "Neo.ClientError.Request.") {
		t.Errorf("broken body: %d %s", w.Code, w.Body)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errBroken }

var errBroken = errors.New("connection reset")

// TestReleaseContentType is reference §1 "Content-Type of every filter
// error": 3.3.9's Jetty writes application/json;charset=utf-8.
func TestReleaseContentType(t *testing.T) {
	for release, want := range map[bool]string{false: "application/json; charset=UTF-8", true: "application/json;charset=utf-8"} {
		s := newTestServer(t, release)
		for _, w := range []*httptest.ResponseRecorder{do(s, "GET", "/db/data/", ""), do(s, "GET", "/db/data/", "", neo4jSecret), do(s, "GET", "/", "")} {
			if got := w.Header().Get("Content-Type"); got != want {
				t.Errorf("release %v: Content-Type %q, want %q", release, got, want)
			}
		}
	}
}
