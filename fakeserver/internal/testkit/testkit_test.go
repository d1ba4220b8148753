package testkit

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"
)

func TestDoSendsPathsToBaseAndURLsAsTheyAre(t *testing.T) {
	var got *http.Request
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r; w.WriteHeader(http.StatusTeapot) })
	w := Do(h, CouchDBBase, "PUT", "/db?x=1", "body", "Authorization", "a", "Authorization", "b", "RemoteAddr", "10.0.0.1:9")
	if w.Code != http.StatusTeapot || got.Method != "PUT" || got.Host != "127.0.0.1:15984" || got.URL.RequestURI() != "/db?x=1" ||
		len(got.Header.Values("Authorization")) != 2 || got.RemoteAddr != "10.0.0.1:9" || got.Header.Get("RemoteAddr") != "" {
		t.Errorf("%d %+v", w.Code, got)
	}
	Do(h, Neo4jBase, "GET", "https://example.com:8443/x", "")
	if got.Host != "example.com:8443" || got.URL.Path != "/x" || got.TLS == nil {
		t.Errorf("absolute URL: %+v", got)
	}
	Do(h, Neo4jBase, "GET", "/", "")
	if got.Host != "localhost:7474" {
		t.Errorf("Neo4j base: %q", got.Host)
	}
}

func TestCredentialsAndInstants(t *testing.T) {
	if got := Basic("neo4j", "secret"); got != "Basic bmVvNGo6c2VjcmV0" { // the document's example
		t.Errorf("Basic: %q", got)
	}
	if got := Base64("a"); got != "YQ==" {
		t.Errorf("Base64: %q", got)
	}
	if got := TranscriptDay().Format(time.RFC3339); got != "2026-11-22T14:49:07Z" {
		t.Errorf("TranscriptDay: %s", got)
	}
	if got := ClockAt(FuzzDay())().Format(time.RFC3339); got != "2016-11-11T12:43:15Z" {
		t.Errorf("FuzzDay: %s", got)
	}
}

func TestErrorShapes(t *testing.T) {
	w := httptest.NewRecorder()
	w.WriteHeader(http.StatusUnauthorized)
	_, _ = w.WriteString(`{"error":"unauthorized","reason":"Name or password is incorrect."}`)
	WantCouchError(t, w, http.StatusUnauthorized, "unauthorized", "Name or password is incorrect.")
	WantCouchError(t, w, http.StatusUnauthorized, "unauthorized", "")
	for _, tc := range []struct {
		status        int
		couch, reason string
	}{{http.StatusForbidden, "unauthorized", ""}, {http.StatusUnauthorized, "forbidden", ""}, {http.StatusUnauthorized, "unauthorized", "other"}} {
		if !failsWith(func(tb testing.TB) { WantCouchError(tb, w, tc.status, tc.couch, tc.reason) }) {
			t.Errorf("WantCouchError(%d, %q, %q) passed", tc.status, tc.couch, tc.reason)
		}
	}
	w = httptest.NewRecorder()
	_, _ = w.WriteString(`{"errors":[{"code":"Neo.ClientError.Security.Unauthorized","message":"m"}]}`)
	if e := OneNeo4jError(t, w); e.Code != "Neo.ClientError.Security.Unauthorized" || e.Message != "m" {
		t.Errorf("OneNeo4jError: %+v", e)
	}
	for _, body := range []string{`{"errors":[]}`, `{"errors":[{},{}]}`, `not json`} {
		w = httptest.NewRecorder()
		_, _ = w.WriteString(body)
		if !failsWith(func(tb testing.TB) { OneNeo4jError(tb, w) }) {
			t.Errorf("OneNeo4jError passed %s", body)
		}
	}
}

// failsWith reports whether check fails the testing.TB it is given.
func failsWith(check func(testing.TB)) bool {
	rec := &recorder{}
	done := make(chan struct{})
	go func() { defer close(done); check(rec) }() // Fatalf ends the goroutine
	<-done
	return rec.failed
}

type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper()               {}
func (r *recorder) Fatalf(string, ...any) { r.failed = true; runtime.Goexit() }

func TestAllocatedByCountsWhatFnAllocates(t *testing.T) {
	var keep []byte
	if got := AllocatedBy(func() { keep = make([]byte, 1<<20) }); got < 1<<20 || got > 2<<20 {
		t.Errorf("a 1 MiB allocation counted as %d bytes", got)
	}
	_ = keep
}

func TestCookieEdits(t *testing.T) {
	const v = "YWRtaW46NkIwMzAwRTQ6nGSuzfighsClECNRwxLrY6GjawILEiibY97jWcTtij0" // the transcript's case 8 cookie shape
	for _, tc := range []struct{ got, want string }{
		{FlipLastBit(v), v[:len(v)-1] + "1"},
		{FlipLastBit("ab"), "aa"},
		{FlipLastBit("a_"), "a-"},
		{Tamper(v), v[:len(v)-10] + "A" + v[len(v)-9:]},
		{Tamper("AAAAAAAAAAAA"), "AABAAAAAAAAA"}, // 10 from the end, an A becomes B
	} {
		if tc.got != tc.want {
			t.Errorf("%q, want %q", tc.got, tc.want)
		}
	}
}
