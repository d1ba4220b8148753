package couchdb

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
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

// The GET /_session body as encoding/json writes it, the yardstick of
// appendSessionInfo.
type refSessionUser struct {
	Name  *string  `json:"name"`
	Roles []string `json:"roles"`
}

type refSessionInfo struct {
	AuthenticationDB       string   `json:"authentication_db,omitempty"`
	AuthenticationHandlers []string `json:"authentication_handlers"`
	Authenticated          string   `json:"authenticated,omitempty"`
}

type refSession struct {
	OK      bool           `json:"ok"`
	UserCtx refSessionUser `json:"userCtx"`
	Info    refSessionInfo `json:"info"`
}

func refSessionBody(ctx couchUserCtx, release bool) string {
	body := refSession{OK: true, UserCtx: refSessionUser{Roles: nonNil(ctx.roles)}}
	if !ctx.anonymous() {
		body.UserCtx.Name = &ctx.name
	}
	body.Info.Authenticated = ctx.handler
	if release {
		body.Info.AuthenticationHandlers = []string{"cookie", "default"}
	} else {
		body.Info.AuthenticationDB = "_users"
		body.Info.AuthenticationHandlers = []string{"delegated", "cookie", "default", "local"}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(body)
	return buf.String()
}

func TestSessionInfoBodyIsEncodingJSON(t *testing.T) {
	ctxs := []couchUserCtx{
		{roles: []string{}},
		{roles: nil},
		{name: "admin", roles: []string{"_admin"}, handler: "default"},
		{name: "alice", roles: []string{"reader", "writer"}, handler: "cookie"},
		{name: `a"b\c<d>&é` + "\x00\u2028\xff", roles: []string{"x\ny"}, handler: "cookie"},
		{name: "nobody", handler: "default"},
	}
	for _, release := range []bool{false, true} {
		c := &Server{cfg: Config{Release: release, Clock: core.NewClock(nil)}}
		for _, ctx := range ctxs {
			if got, want := string(c.appendSessionInfo(nil, ctx)), refSessionBody(ctx, release); got != want {
				t.Errorf("release %v, %+v:\n got %s\nwant %s", release, ctx, got, want)
			}
		}
	}
}

func FuzzSessionInfoBody(f *testing.F) {
	f.Add("admin", "_admin", "default", false)
	f.Add("", "", "", true)
	f.Fuzz(func(t *testing.T, name, role, handler string, release bool) {
		ctx := couchUserCtx{name: name, roles: []string{role}, handler: handler}
		c := &Server{cfg: Config{Release: release}}
		if got, want := string(c.appendSessionInfo(nil, ctx)), refSessionBody(ctx, release); got != want {
			t.Errorf("%+v:\n got %s\nwant %s", ctx, got, want)
		}
	})
}

// refDecodeCouchBase64URL is couch_util:decodeBase64Url written the
// plain way: the URL alphabet mapped to the standard one, then decoded.
func refDecodeCouchBase64URL(s string) ([]byte, error) {
	s = strings.NewReplacer("-", "+", "_", "/").Replace(strings.TrimRight(s, "="))
	return base64.RawStdEncoding.DecodeString(s)
}

func FuzzCouchBase64URL(f *testing.F) {
	for _, s := range []string{"", "YWRtaW46NjkyMUYwOEI6", "a-_b", "a+/b", "YQ==", "YQ", "Y", "Y\nQ", strings.Repeat("QUJD", 100) + "-_"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := decodeCouchBase64URL(s)
		want, wantErr := refDecodeCouchBase64URL(s)
		if (err == nil) != (wantErr == nil) || (err == nil && !bytes.Equal(got, want)) {
			t.Errorf("%q: got %q, %v; want %q, %v", s, got, err, want, wantErr)
		}
		prefixed, err := appendCouchBase64URL([]byte("x"), s)
		if err == nil && string(prefixed) != "x"+string(want) {
			t.Errorf("%q appended to x: %q", s, prefixed)
		}
	})
}
