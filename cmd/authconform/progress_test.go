package main

import (
	"io"
	"strings"
	"testing"
)

// TestRealTimeWaitsAreAnnounced: before a live run whose clock fixtures
// wait in real time, the run says how long it will take at least, and each
// wait gets its own line (no countdown: stderr is no terminal here).
func TestRealTimeWaitsAreAnnounced(t *testing.T) {
	t.Parallel()
	_, url := startServe(t, io.Discard, "couchdb", "--session-timeout", "2s")
	r := cli(t, "run", "--flavor", "couchdb", "--target", url, "--user", "admin", "--password", "secret",
		"--database", "authtest", "--session-timeout", "2s", "--fixture", "couchdb/cookie-expired")
	if r.code != 0 {
		t.Fatalf("exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"estimated duration: about 2s, as clock fixtures wait in real time for the server's sessions to expire",
		"couchdb/cookie-expired: waiting 2.1 s for the session to expire (--max-wait 2.4s)",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("no %q in stderr:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stderr, "left") {
		t.Errorf("a countdown on a stderr that is no terminal:\n%s", r.stderr)
	}
}
