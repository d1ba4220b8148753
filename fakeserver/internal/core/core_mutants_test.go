package core

import (
	"crypto/tls"
	"errors"
	"io"
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

// recordingFlavor records what ServeLimited lets through or refuses.
type recordingFlavor struct {
	problem Problem
	served  bool
	read    int
	readErr error
}

func (f *recordingFlavor) ServeHTTP(_ http.ResponseWriter, r *http.Request) {
	f.served = true
	b, err := io.ReadAll(r.Body)
	f.read, f.readErr = len(b), err
}
func (f *recordingFlavor) EnterState(string) (map[string]string, error) { return nil, nil }
func (f *recordingFlavor) States() []string                             { return nil }
func (f *recordingFlavor) WriteProblem(_ http.ResponseWriter, _ *http.Request, p Problem) {
	f.problem = p
}

func serveLimited(r *http.Request, maxBody int64) *recordingFlavor {
	fl := &recordingFlavor{}
	ServeLimited(fl, maxBody, time.Second, httptest.NewRecorder(), r)
	return fl
}

// TestServeLimitedEdges: a header block of exactly MaxHeaderBytes and a
// declared body of exactly the limit are served; one byte more is the
// flavor's problem, before the body is read. A body longer than it
// declares is cut at the limit.
func TestServeLimitedEdges(t *testing.T) {
	header := func(size int) *http.Request {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header = http.Header{"X": {strings.Repeat("v", size-len("/")-len("X")-4)}}
		return r
	}
	if fl := serveLimited(header(MaxHeaderBytes), 10); !fl.served || fl.problem != 0 {
		t.Errorf("a header block of MaxHeaderBytes: %+v", fl)
	}
	if fl := serveLimited(header(MaxHeaderBytes+1), 10); fl.served || fl.problem != HeaderTooLarge {
		t.Errorf("a header block over MaxHeaderBytes: %+v", fl)
	}
	body := func(n int) *http.Request {
		return httptest.NewRequest("POST", "/", strings.NewReader(strings.Repeat("b", n)))
	}
	if fl := serveLimited(body(10), 10); !fl.served || fl.read != 10 || fl.readErr != nil {
		t.Errorf("a body of the limit: %+v", fl)
	}
	if fl := serveLimited(body(11), 10); fl.served || fl.problem != BodyTooLarge {
		t.Errorf("a declared body over the limit: %+v", fl)
	}
	r := body(11)
	r.ContentLength = -1 // chunked: the size is known only by reading
	fl := serveLimited(r, 10)
	var tooBig *http.MaxBytesError
	if !fl.served || fl.read != 10 || !errors.As(fl.readErr, &tooBig) {
		t.Errorf("an undeclared body over the limit: %+v", fl)
	}
	if fl := serveLimited(httptest.NewRequest("GET", "/", nil), 10); !fl.served || fl.read != 0 || fl.readErr != nil {
		t.Errorf("no body: %+v", fl)
	}
}

// deadlineRecorder is a ResponseWriter that takes read deadlines, as a
// server connection's does.
type deadlineRecorder struct {
	*httptest.ResponseRecorder
	deadlines []time.Time
}

func (d *deadlineRecorder) SetReadDeadline(t time.Time) error {
	d.deadlines = append(d.deadlines, t)
	return nil
}

// TestServeLimitedBodyDeadline: a request with a body gets the body's own
// read deadline (so a body that stops half-way is a 408, not a hang until
// the listener's ReadTimeout); one without a body gets none.
func TestServeLimitedBodyDeadline(t *testing.T) {
	for _, tc := range []struct {
		name string
		body io.Reader
		want int
	}{
		{"a body", strings.NewReader("x"), 1},
		{"no body", nil, 0},
	} {
		w := &deadlineRecorder{ResponseRecorder: httptest.NewRecorder()}
		before := time.Now()
		ServeLimited(&recordingFlavor{}, 10, time.Minute, w, httptest.NewRequest("POST", "/", tc.body))
		if len(w.deadlines) != tc.want {
			t.Errorf("%s: %d read deadlines, want %d", tc.name, len(w.deadlines), tc.want)
			continue
		}
		if tc.want == 1 && (w.deadlines[0].Before(before.Add(time.Minute)) || w.deadlines[0].After(time.Now().Add(time.Minute))) {
			t.Errorf("%s: deadline %v, want a minute from %v", tc.name, w.deadlines[0], before)
		}
	}
}
