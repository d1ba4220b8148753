package couchdb

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/authconform/authconform/fakeserver/internal/core"
	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

// TestCookieWorkIsTheSameForUnknownUsers: every well-formed cookie costs
// exactly one HMAC, whether its user exists, its MAC is right, or its time
// is bad or past, so the time to refuse a cookie does not tell which names
// exist. (The work is counted, not timed.)
func TestCookieWorkIsTheSameForUnknownUsers(t *testing.T) {
	t0 := testkit.TranscriptDay()
	clock := core.NewClock(testkit.ClockAt(t0))
	c, err := New(Config{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	macs := 0
	c.onMAC = func() { macs++ }
	admin, _ := c.users.Lookup("admin")
	good := c.mintCookie(admin, t0)
	expired := c.mintCookie(admin, t0.Add(-48*time.Hour))
	forge := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	raw, _ := decodeCouchBase64URL(good)
	hexTime := strings.Split(string(raw), ":")[1]
	for _, cookie := range []struct {
		name, value string
		valid       bool
	}{
		{"valid", good, true},
		{"expired", expired, false},
		{"wrong MAC", forge("admin:" + hexTime + ":0123456789abcdef0123456789abcdef"), false},
		{"short MAC", forge("admin:" + hexTime + ":x"), false},
		{"unknown user", forge("nobody:" + hexTime + ":0123456789abcdef0123456789abcdef"), false},
		{"unknown user, empty MAC", forge("nobody:" + hexTime + ":"), false},
		{"bad time", forge("admin:zz:0123456789abcdef0123456789abcdef"), false},
	} {
		macs = 0
		ctx, malformed := c.verifyCookie(cookie.value, t0)
		if malformed || ctx.anonymous() == cookie.valid {
			t.Errorf("%s: malformed %v, user %q; want valid %v", cookie.name, malformed, ctx.name, cookie.valid)
		}
		if macs != 1 {
			t.Errorf("%s: %d HMACs computed, want 1", cookie.name, macs)
		}
	}
}

// TestCouchRevocationsBounded: revocations are dropped once the cookie
// would have expired anyway.
func TestCouchRevocationsBounded(t *testing.T) {
	s, clock := newTableServer(t, Config{SessionTTL: time.Minute})
	logoutMany := func(n int) {
		for i := 0; i < n; i++ {
			clock.Advance(time.Second)
			w := testkit.Do(s, testkit.CouchDBBase, "POST", "/_session", url.Values{"name": {"admin"}, "password": {"secret"}}.Encode(),
				"Content-Type", "application/x-www-form-urlencoded")
			cookies := (&http.Response{Header: w.Header()}).Cookies()
			if w.Code != 200 || len(cookies) != 1 {
				t.Fatalf("login: %d %q", w.Code, w.Header().Values("Set-Cookie"))
			}
			if w := testkit.Do(s, testkit.CouchDBBase, "DELETE", "/_session", "", "Cookie", "AuthSession="+cookies[0].Value); w.Code != 200 {
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
