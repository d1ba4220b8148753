package neo4j33

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/authconform/authconform/fakeserver/internal/core"
	"github.com/authconform/authconform/fakeserver/internal/neo4jwire"
)

// Wire values from the reference (docs/reference/neo4j-auth.md §1, §2), not
// from this package's constants.
const (
	wantInvalidFormat = "Neo.ClientError.Request.InvalidFormat"
	wantBadHeader     = "Invalid authentication header."
)

var (
	neo4jSecret = "Basic bmVvNGo6c2VjcmV0" // neo4j:secret
	fredSecret  = "Basic ZnJlZDpmcmVkcHc=" // fred:fredpw
)

// newTestServer has two users who need no password change: neo4j/secret
// and fred/fredpw.
func newTestServer(t *testing.T, release bool) *Server {
	t.Helper()
	s, err := New(Config{Release: release, Accounts: neo4jwire.Accounts{
		Users: []core.User{{Name: "neo4j", Password: "secret"}, {Name: "fred", Password: "fredpw"}},
		Clock: core.NewClock(func() time.Time { return time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC) }),
	}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func do(s *Server, method, path, body string, authorization ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, "http://localhost:7474"+path, strings.NewReader(body))
	for _, a := range authorization {
		r.Header.Add("Authorization", a)
	}
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

// TestTwoAuthorizationHeaders: a request with two Authorization headers is
// malformed (RFC 9110 lets a sender send Authorization once), so it gets
// the filter's 400, even when both carry good credentials, and counts as no
// login.
func TestTwoAuthorizationHeaders(t *testing.T) {
	for _, release := range []bool{false, true} {
		s := newTestServer(t, release)
		for _, pair := range [][2]string{{neo4jSecret, neo4jSecret}, {neo4jSecret, fredSecret}, {"Basic bm9wZTpub3Bl", neo4jSecret}} {
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
	w := do(s, "GET", "/user/fred", "", fredSecret)
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
