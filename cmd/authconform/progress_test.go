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
		"--database", "authtest", "--session-timeout", "2s", "--max-wait", "3s", "--fixture", "couchdb/cookie-expired")
	if r.code != 0 {
		t.Fatalf("exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"estimated duration: about 2s, as clock fixtures wait in real time for the server's sessions to expire",
		"couchdb/cookie-expired: waiting 2.1 s for the session to expire (--max-wait 3s)",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("no %q in stderr:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stderr, "left") {
		t.Errorf("a countdown on a stderr that is no terminal:\n%s", r.stderr)
	}
}

// TestLongWaitsAreOptIn: without --max-wait a fixture that would wait for
// the server's clock is skipped, saying what to pass; with a --max-wait
// too short for it the run stops before anything runs.
func TestLongWaitsAreOptIn(t *testing.T) {
	t.Parallel()
	_, url := startServe(t, io.Discard, "couchdb", "--session-timeout", "2s")
	args := []string{"run", "--flavor", "couchdb", "--target", url, "--user", "admin", "--password", "secret",
		"--database", "authtest", "--session-timeout", "2s", "--fixture", "couchdb/cookie-expired", "--allow-empty"}
	r := cli(t, args...)
	if r.code != 0 || !strings.Contains(r.stdout, "it waits in real time for the server's 2s sessions to expire: pass --max-wait 3.2s to allow it") || strings.Contains(r.stderr, "waiting") {
		t.Errorf("without --max-wait: exit %d, want a skip naming --max-wait and no wait:\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = cli(t, append(args, "--max-wait", "1s")...)
	if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, "couchdb/cookie-expired would wait 2.1s for the server's clock, more than --max-wait 1s allows: raise --max-wait to 3s") {
		t.Errorf("--max-wait 1s: exit %d, want 2 before the run:\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestSessionLifetimeIsReadFromTheServer: without --session-timeout a
// CouchDB run reads the lifetime from its cookie's Max-Age, says so, and
// holds the clock fixtures to --max-wait with it.
func TestSessionLifetimeIsReadFromTheServer(t *testing.T) {
	t.Parallel()
	_, url := startServe(t, io.Discard, "couchdb", "--session-timeout", "2s")
	args := []string{"run", "--flavor", "couchdb", "--target", url, "--user", "admin", "--password", "secret",
		"--database", "authtest", "--fixture", "couchdb/cookie-expired", "--allow-empty"}
	r := cli(t, args...)
	if r.code != 0 || !strings.Contains(r.stderr, "session lifetime 2s, read from its AuthSession cookie's Max-Age") ||
		!strings.Contains(r.stdout, "pass --max-wait 3.2s to allow it") {
		t.Errorf("no --session-timeout: exit %d, want the lifetime read and a skip naming --max-wait:\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = cli(t, append(args, "--max-wait", "1s")...)
	if r.code != 2 || !strings.Contains(r.stderr, "couchdb/cookie-expired would wait 2.1s for the server's clock, more than --max-wait 1s allows") {
		t.Errorf("--max-wait 1s: exit %d, want 2 before any fixture:\n%s%s", r.code, r.stdout, r.stderr)
	}
}
