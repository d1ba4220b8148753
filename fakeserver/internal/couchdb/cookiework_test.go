package couchdb

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/authconform/authconform/fakeserver/internal/core"
)

// TestCookieWorkIsTheSameForUnknownUsers: every well-formed cookie costs
// exactly one HMAC, whether its user exists, its MAC is right, or its time
// is bad or past, so the time to refuse a cookie does not tell which names
// exist. (The work is counted, not timed.)
func TestCookieWorkIsTheSameForUnknownUsers(t *testing.T) {
	t0 := time.Date(2026, 11, 22, 14, 49, 7, 0, time.UTC)
	clock := core.NewClock(func() time.Time { return t0 })
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
