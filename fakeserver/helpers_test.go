package fakeserver

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/authconform/authconform/fakeserver/internal/couchdb"
)

// The document's own example token of the Query API, and the media type
// of its typed JSON.
const (
	docToken  = "xbhkjnlvianztghqwawxqfe"
	mimeTyped = "application/vnd.neo4j.query"
	formCT    = "application/x-www-form-urlencoded"
)

func basicAuth(user, password string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
}

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
	o.Clock = func() time.Time { return time.Date(2026, 11, 22, 14, 49, 7, 0, time.UTC) }
	f, err := New(o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return f
}

// couchDo sends one request to h; headers are name/value pairs, and
// "RemoteAddr" sets the client address.
func couchDo(h http.Handler, method, path, body string, headers ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, "http://127.0.0.1:15984"+path, strings.NewReader(body))
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
