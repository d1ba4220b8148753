package couchdb

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/authconform/authconform/fakeserver/internal/core"
	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

// fuzzT0 is the fixed time of the fuzz targets.
var fuzzT0 = testkit.FuzzDay()

func FuzzParseBasicCouch(f *testing.F) {
	testkit.AddAuthHeaders(f)
	f.Fuzz(func(t *testing.T, header string) {
		name, password, present, ok := parseBasicCouch(header)
		if !ok && present {
			t.Fatalf("%q: credentials present in a header that did not decode", header)
		}
		if present && (strings.Contains(name, ":") || name == "_" && password == "_") {
			t.Fatalf("%q: credentials %q %q should not be present", header, name, password)
		}
	})
}

// couchFuzzFlavor builds a CouchDB flavor directly, with a fixed clock.
func couchFuzzFlavor(tb testing.TB, release bool) *Server {
	fl, err := New(Config{Release: release, CookieSecret: []byte("fuzz"), Clock: core.NewClock(testkit.ClockAt(fuzzT0))})
	if err != nil {
		tb.Fatal(err)
	}
	return fl
}

// FuzzCouchCookie decodes and verifies AuthSession values: no panic, a
// value that does not carry a valid HMAC is never accepted, and a request
// carrying it is never answered with a 5xx.
func FuzzCouchCookie(f *testing.F) {
	for _, s := range testkit.Cookies() {
		f.Add(s)
	}
	docs := couchFuzzFlavor(f, false)
	acct, _ := docs.users.Lookup("admin")
	valid := docs.mintCookie(acct, fuzzT0.Add(-time.Minute))
	f.Add(valid)
	f.Add(testkit.FlipLastBit(valid))
	f.Add(testkit.Tamper(valid))
	f.Add(valid + "=")
	f.Add(strings.ReplaceAll(valid, "-", "+"))
	f.Fuzz(func(t *testing.T, value string) {
		for _, c := range []*Server{docs, couchFuzzFlavor(t, true)} {
			_, _ = decodeCouchBase64URL(value)
			ctx, malformed := c.verifyCookie(value, fuzzT0)
			if malformed && !ctx.anonymous() {
				t.Fatalf("%q: malformed but authenticated as %q", value, ctx.name)
			}
			if !ctx.anonymous() {
				raw, err := decodeCouchBase64URL(value)
				if err != nil {
					t.Fatalf("%q accepted but does not decode: %v", value, err)
				}
				parts := strings.SplitN(string(raw), ":", 3)
				a, _ := c.users.Lookup(parts[0])
				if string(c.cookieMAC(a, parts[0]+":"+parts[1])) != parts[2] {
					t.Fatalf("%q accepted without a valid HMAC", value)
				}
			}
			if !isCookieValue(value) {
				continue
			}
			r := httptest.NewRequest(http.MethodGet, "/_session", nil)
			r.Header.Set("Cookie", "AuthSession="+value)
			w := httptest.NewRecorder()
			c.ServeHTTP(w, r)
			if w.Code >= 500 {
				t.Fatalf("cookie %q: status %d, body %q", value, w.Code, w.Body)
			}
		}
	})
}

// isCookieValue reports whether net/http would send v as a cookie value.
func isCookieValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x21 || c > 0x7e || c == '"' || c == ';' || c == '\\' || c == ',' {
			return false
		}
	}
	return true
}
