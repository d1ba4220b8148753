package couchdb

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/authconform/authconform/fakeserver/internal/core"
)

// The tests of this file look inside the server: the revocation and lockout
// tables must stay bounded.

func newTableServer(t *testing.T, cfg Config) (*Server, *core.Clock) {
	t.Helper()
	clock := core.NewClock(func() time.Time { return time.Date(2026, 11, 22, 14, 49, 7, 0, time.UTC) })
	cfg.Clock = clock
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s, clock
}

func serve(s *Server, method, path, body string, header http.Header, remote string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, "http://127.0.0.1:15984"+path, strings.NewReader(body))
	for k, vs := range header {
		r.Header[k] = vs
	}
	if remote != "" {
		r.RemoteAddr = remote
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

// TestCouchRevocationsBounded: revocations are dropped once the cookie
// would have expired anyway.
func TestCouchRevocationsBounded(t *testing.T) {
	s, clock := newTableServer(t, Config{SessionTTL: time.Minute})
	logoutMany := func(n int) {
		for i := 0; i < n; i++ {
			clock.Advance(time.Second)
			w := serve(s, "POST", "/_session", url.Values{"name": {"admin"}, "password": {"secret"}}.Encode(),
				http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, "")
			cookies := (&http.Response{Header: w.Header()}).Cookies()
			if w.Code != 200 || len(cookies) != 1 {
				t.Fatalf("login: %d %q", w.Code, w.Header().Values("Set-Cookie"))
			}
			if w := serve(s, "DELETE", "/_session", "", http.Header{"Cookie": {"AuthSession=" + cookies[0].Value}}, ""); w.Code != 200 {
				t.Fatalf("logout: %d", w.Code)
			}
		}
	}
	logoutMany(500)
	if n, _ := s.Revocations(); n > 2*couchSweepMin+60 {
		t.Fatalf("%d revocations kept for a 60 s lifetime", n)
	}
	clock.Advance(2 * time.Minute)
	logoutMany(couchSweepMin * 2)
	if n, _ := s.Revocations(); n > 2*couchSweepMin+60 {
		t.Fatalf("%d revocations kept after they expired", n)
	}
	release, _ := newTableServer(t, Config{Release: true})
	if _, kept := release.Revocations(); kept {
		t.Fatalf("couchdb-3.5 must not keep revocations")
	}
}

// TestCouchLockoutBounded: entries are reclaimed once their lifetime ends.
func TestCouchLockoutBounded(t *testing.T) {
	s, clock := newTableServer(t, Config{})
	bad := http.Header{"Authorization": {"Basic YWRtaW46d3Jvbmc="}} // admin:wrong
	fail := func(n, base int) {
		for i := 0; i < n; i++ {
			addr := fmt.Sprintf("10.%d.%d.%d:1", (base+i)>>16&255, (base+i)>>8&255, (base+i)&255)
			serve(s, "GET", "/", "", bad, addr)
		}
	}
	fail(1000, 0)
	if n := s.LockoutEntries(); n != 1000 {
		t.Fatalf("%d entries, want 1000 live ones", n)
	}
	clock.Advance(301 * time.Second)
	fail(2*couchSweepMin, 5000)
	if n := s.LockoutEntries(); n > 2*couchSweepMin {
		t.Fatalf("%d entries after the first 1000 expired", n)
	}
}
