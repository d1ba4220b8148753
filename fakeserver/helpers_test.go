package fakeserver

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/authconform/authconform/fakeserver/internal/testkit"

	"github.com/authconform/authconform/fakeserver/internal/couchdb"
)

// The document's own example token of the Query API, and the media type
// of its typed JSON.
const (
	docToken  = "xbhkjnlvianztghqwawxqfe"
	mimeTyped = "application/vnd.neo4j.query"
	formCT    = "application/x-www-form-urlencoded"
)

// couchFlavor is the CouchDB server behind f, for tests of its tables.
func couchFlavor(t *testing.T, f *Fake) *couchdb.Server {
	t.Helper()
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.cur.(*couchdb.Server)
}

func newCouchFake(t *testing.T, o Options) *Fake {
	t.Helper()
	o.Flavor = CouchDB
	o.Clock = testkit.ClockAt(testkit.TranscriptDay())
	f, err := New(o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return f
}

// couchDo sends one request to h at the CouchDB transcript's address (see
// testkit.Do).
func couchDo(h http.Handler, method, path, body string, headers ...string) *httptest.ResponseRecorder {
	return testkit.Do(h, testkit.CouchDBBase, method, path, body, headers...)
}

// couchLogin logs in with a form and returns the AuthSession value.
func couchLogin(t *testing.T, h http.Handler, user, password string) string {
	t.Helper()
	w := couchDo(h, "POST", "/_session", "name="+user+"&password="+password, "Content-Type", formCT)
	cookies := (&http.Response{Header: w.Header()}).Cookies()
	if w.Code != http.StatusOK || len(cookies) != 1 || cookies[0].Name != "AuthSession" || cookies[0].Value == "" {
		t.Fatalf("login %s: status %d, Set-Cookie %q", user, w.Code, w.Header().Values("Set-Cookie"))
	}
	return cookies[0].Value
}
