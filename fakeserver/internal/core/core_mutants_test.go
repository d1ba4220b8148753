package core

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// These tests pin in this package what the flavors' tests and the specs
// otherwise check over the wire, so that make mutate sees it here.

// TestBaseURLFromProxyHeaders is XForwardUtil.externalUri as the Neo4j
// reference (§1 "The password_change URL") describes it.
func TestBaseURLFromProxyHeaders(t *testing.T) {
	for _, tc := range []struct {
		name, host, proto, fwdHost string
		tls                        bool
		want                       string
	}{
		{"plain", "bar.baz:7474", "", "", false, "http://bar.baz:7474"},
		{"TLS", "bar.baz:7473", "", "", true, "https://bar.baz:7473"},
		{"proto https", "bar.baz:7474", "HTTPS", "", false, "https://bar.baz:7474"},
		{"proto http over TLS", "bar.baz:7473", "http", "", true, "http://bar.baz:7473"},
		{"proto not http(s)", "bar.baz:7474", "ftp", "", false, "http://bar.baz:7474"},
		{"forwarded host", "bar.baz:7474", "", "proxy.example:80", false, "http://proxy.example:80"},
		{"first of several", "bar.baz:7474", "", " one.example , two.example", false, "http://one.example"},
		{"no port", "bar.baz:7474", "", "proxy.example", false, "http://proxy.example"},
		{"a path", "bar.baz:7474", "", "evil.example/x", false, "http://bar.baz:7474"},
		{"userinfo", "bar.baz:7474", "", "me@evil.example", false, "http://bar.baz:7474"},
		{"a space", "bar.baz:7474", "", "a b", false, "http://bar.baz:7474"},
		{"a query", "bar.baz:7474", "", "a?b", false, "http://bar.baz:7474"},
		{"a fragment", "bar.baz:7474", "", "a#b", false, "http://bar.baz:7474"},
		{"port only", "bar.baz:7474", "", ":80", false, "http://bar.baz:7474"},
		{"empty", "bar.baz:7474", "", ",x.example", false, "http://bar.baz:7474"},
	} {
		r := httptest.NewRequest("GET", "http://"+tc.host+"/", nil)
		if tc.tls {
			r.TLS = &tls.ConnectionState{}
		}
		if tc.proto != "" {
			r.Header.Set("X-Forwarded-Proto", tc.proto)
		}
		if tc.fwdHost != "" {
			r.Header.Set("X-Forwarded-Host", tc.fwdHost)
		}
		if got := BaseURL(r); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestParseBasicRFC7617: the scheme in any case, padded base64, a colon.
func TestParseBasicRFC7617(t *testing.T) {
	for _, tc := range []struct {
		header, user, password string
		ok                     bool
	}{
		{"Basic bmVvNGo6c2VjcmV0", "neo4j", "secret", true},
		{"basic bmVvNGo6c2VjcmV0", "neo4j", "secret", true},
		{"  BASIC  bmVvNGo6c2VjcmV0  ", "neo4j", "secret", true},
		{"Basic YTpiOmM=", "a", "b:c", true}, // the first colon splits
		{"Basic Og==", "", "", true},         // ":" is an empty user and password
		{"Basic bmVvNGo=", "neo4j", "", false},
		{"Bearer bmVvNGo6c2VjcmV0", "", "", false},
		{"Basic", "", "", false},
		{"Basic ", "", "", false},
		{"Basic bmVvNGo6c2VjcmV0!", "", "", false},
		{"Basic bmVvNGo6c2VjcmV", "", "", false}, // unpadded
	} {
		user, password, ok := ParseBasic(tc.header)
		if user != tc.user || password != tc.password || ok != tc.ok {
			t.Errorf("%q: %q %q %v, want %q %q %v", tc.header, user, password, ok, tc.user, tc.password, tc.ok)
		}
	}
}

func TestClockAdvance(t *testing.T) {
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := NewClock(func() time.Time { return base })
	if !c.Now().Equal(base) {
		t.Fatalf("Now %v", c.Now())
	}
	c.Advance(90 * time.Second)
	c.Advance(30 * time.Second)
	if got := c.Now().Sub(base); got != 2*time.Minute {
		t.Fatalf("after 90 s and 30 s: %v", got)
	}
	real := NewClock(nil)
	if d := time.Since(real.Now()); d < 0 || d > time.Minute {
		t.Fatalf("a nil base is not time.Now: %v off", d)
	}
}

func TestUnknownStateNamesKnown(t *testing.T) {
	err := UnknownState("nope", []string{"a", "b"})
	if err == nil || !strings.Contains(err.Error(), `"nope"`) || !strings.Contains(err.Error(), "[a b]") {
		t.Fatalf("%v", err)
	}
}

// TestHeaderSizeCountsEveryHeader: each header counts its name, value and
// ": " and CRLF; every value of a repeated header counts.
func TestHeaderSizeCountsEveryHeader(t *testing.T) {
	r := &http.Request{RequestURI: "/abc", Header: http.Header{"A": {"12", "345"}, "Bb": {"6"}}}
	if got, want := headerSize(r), 4+(1+2+4)+(1+3+4)+(2+1+4); got != want {
		t.Fatalf("headerSize %d, want %d", got, want)
	}
}

func TestUsersLookupCheckSetPassword(t *testing.T) {
	users := NewUsers([]User{{Name: "neo4j", Password: "neo4j", ChangeRequired: true, Roles: []string{"r"}}, {Name: "fred", Password: "fredpw"}})
	if _, ok := users.Lookup("nobody"); ok {
		t.Fatal("an unknown user exists")
	}
	a, ok := users.Lookup("neo4j")
	if !ok || a.Name != "neo4j" || !a.ChangeRequired || len(a.Roles) != 1 || len(a.Salt()) != 16 {
		t.Fatalf("%+v %v", a, ok)
	}
	if !a.PasswordIs("neo4j") || a.PasswordIs("neo4J") || a.PasswordIs("") {
		t.Fatal("PasswordIs")
	}
	if _, exists, ok := users.Check("nobody", "x"); exists || ok {
		t.Fatal("Check of an unknown user")
	}
	if acct, exists, ok := users.Check("neo4j", "wrong"); !exists || ok || acct.Name != "neo4j" {
		t.Fatalf("Check of a wrong password: %+v %v %v", acct, exists, ok)
	}
	users.SetPassword("neo4j", "secret")
	users.SetPassword("nobody", "secret") // no account is made
	if _, ok := users.Lookup("nobody"); ok {
		t.Fatal("SetPassword made an account")
	}
	if _, _, ok := users.Check("neo4j", "neo4j"); ok {
		t.Fatal("the old password still works")
	}
	if acct, _, ok := users.Check("neo4j", "secret"); !ok || acct.ChangeRequired {
		t.Fatalf("after SetPassword: %v %+v", ok, acct)
	}
	if _, _, ok := users.Check("fred", "fredpw"); !ok {
		t.Fatal("another user's password changed")
	}
	other := NewUsers([]User{{Name: "neo4j", Password: "neo4j"}})
	b, _ := other.Lookup("neo4j")
	if string(b.Salt()) == string(a.Salt()) {
		t.Fatal("two accounts share a salt")
	}
}

// TestLockBoundary: the lock starts at the max-th failure and ends exactly
// Lock after the last counted one; a disabled rule never locks.
func TestLockBoundary(t *testing.T) {
	c := NewCountUntilSuccess(2, 5*time.Second)
	c.Failed("k", t0)
	if c.Locked("k", t0) {
		t.Fatal("locked after one of two failures")
	}
	c.Failed("k", t0)
	if !c.Locked("k", t0) || !c.Locked("k", t0.Add(5*time.Second-time.Nanosecond)) {
		t.Fatal("not locked within the lock")
	}
	if c.Locked("k", t0.Add(5*time.Second)) {
		t.Fatal("still locked when Lock has passed")
	}
	if c.Locked("other", t0) {
		t.Fatal("another key is locked")
	}
	c.Succeeded("k")
	if c.Locked("k", t0) {
		t.Fatal("locked after a success")
	}
	off := NewCountUntilSuccess(0, time.Hour)
	for range 5 {
		off.Failed("k", t0)
	}
	if off.Locked("k", t0) {
		t.Fatal("a disabled rule locks")
	}
}
