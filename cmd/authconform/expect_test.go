package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestExpectTakesAShippedName(t *testing.T) {
	t.Parallel()
	r := cli(t, "run", "--flavor", "couchdb", "--profile", "couchdb-3.4", "--expect", "couchdb-3.4", "--fixture", "couchdb/password-scheme-simple-pbkdf2")
	if r.code != 0 || !strings.Contains(r.stdout, "known deviation") {
		t.Errorf("--expect couchdb-3.4 on the couchdb-3.4 fake: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	// Without the file the same fixture fails: the name was read.
	r = cli(t, "run", "--flavor", "couchdb", "--profile", "couchdb-3.4", "--expect", "couchdb-3.5", "--fixture", "couchdb/password-scheme-simple-pbkdf2")
	if r.code != 1 {
		t.Errorf("--expect couchdb-3.5 on the couchdb-3.4 fake: exit %d, want 1\n%s", r.code, r.stdout)
	}
	r = cli(t, "run", "--flavor", "couchdb", "--expect", "couchdb-3.9")
	if r.code != 2 || !strings.Contains(r.stderr, "--expect couchdb-3.9: no such file, nor an embedded profile (") || !strings.Contains(r.stderr, "couchdb-3.3, couchdb-3.4, couchdb-3.5") {
		t.Errorf("unknown name: exit %d, %q", r.code, r.stderr)
	}
}

// TestLiveRunNamesTheRelease: a live run says which release answered and
// which shipped file fits it, and names it in the reports' target.
func TestLiveRunNamesTheRelease(t *testing.T) {
	t.Parallel()
	_, live := startServe(t, nil, "couchdb", "--profile", "couchdb-3.3")
	args := []string{"run", "--flavor", "couchdb", "--target", live, "--user", "admin", "--password", "secret",
		"--fixture", "couchdb/get-session", "--state-dir", t.TempDir()}
	r := cli(t, args...)
	if r.code != 0 || !strings.Contains(r.stderr, "authconform: judging CouchDB 3.3.3; its known deviations are in --expect couchdb-3.3\n") {
		t.Errorf("no --expect: exit %d, stderr %q", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "(CouchDB 3.3.3)") {
		t.Errorf("the target's name lacks the release:\n%s", r.stdout)
	}
	r = cli(t, append(args, "--expect", "couchdb-3.5")...)
	if !strings.Contains(r.stderr, "judging CouchDB 3.3.3 with --expect couchdb-3.5; the shipped file for this release is --expect couchdb-3.3\n") {
		t.Errorf("another release's file: stderr %q", r.stderr)
	}
}

func TestServerRelease(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		flavor, body     string
		status           int
		release, profile string
	}{
		{"couchdb", `{"couchdb":"Welcome","version":"3.4.3","vendor":{"name":"The Apache Software Foundation"}}`, 200, "CouchDB 3.4.3", "couchdb-3.4"},
		{"couchdb", `{"couchdb":"Welcome","version":"3.5.2","vendor":{"name":"The Apache Software Foundation"}}`, 200, "CouchDB 3.5.2", "couchdb-3.5"},
		{"couchdb", `{"couchdb":"Welcome","version":"3.2.0","vendor":{"name":"The Apache Software Foundation"}}`, 200, "CouchDB 3.2.0", ""},
		{"couchdb", `{"couchdb":"Welcome","version":"2.1.1","vendor":{"name":"IBM Cloudant","version":"8521"}}`, 200, "IBM Cloudant 2.1.1", ""},
		{"couchdb", `{"express-pouchdb":"Welcome","version":"4.2.0"}`, 200, "", ""},
		{"couchdb", `{"error":"unauthorized","reason":"Authentication required."}`, 401, "", ""},
		{"neo4j-query", `{"neo4j_version":"5.26.0","neo4j_edition":"community"}`, 200, "Neo4j 5.26.0", "neo4j-5"},
		{"neo4j-3.3", `{"data":"http://localhost:7474/db/data/"}`, 200, "", ""},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(tc.status)
			_, _ = w.Write([]byte(tc.body))
		}))
		release, profile := serverRelease(srv.Client(), srv.URL, tc.flavor)
		srv.Close()
		if release != tc.release || profile != tc.profile {
			t.Errorf("%s %s: %q %q, want %q %q", tc.flavor, tc.body, release, profile, tc.release, tc.profile)
		}
	}
}

func TestReleaseNote(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ release, profile, expect, want string }{
		{"", "", "", ""},
		{"CouchDB 3.2.0", "", "", "authconform: judging CouchDB 3.2.0 (no shipped expectation file for this release)\n"},
		{"CouchDB 3.4.3", "couchdb-3.4", "", "authconform: judging CouchDB 3.4.3; its known deviations are in --expect couchdb-3.4\n"},
		{"CouchDB 3.4.3", "couchdb-3.4", "couchdb-3.4", "authconform: judging CouchDB 3.4.3\n"},
		{"CouchDB 3.4.3", "couchdb-3.4", "fixtures/expectations/couchdb-3.5.yaml", "authconform: judging CouchDB 3.4.3 with --expect fixtures/expectations/couchdb-3.5.yaml; the shipped file for this release is --expect couchdb-3.4\n"},
		{"CouchDB 3.4.3", "couchdb-3.4", "mine.yaml", "authconform: judging CouchDB 3.4.3\n"},
	} {
		var b bytes.Buffer
		releaseNote(&b, tc.release, tc.profile, tc.expect)
		if b.String() != tc.want {
			t.Errorf("%q %q %q: %q, want %q", tc.release, tc.profile, tc.expect, b.String(), tc.want)
		}
	}
}
