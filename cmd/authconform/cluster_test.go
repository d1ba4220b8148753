package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/authconform/authconform/fakeserver"
)

// TestRunJudgesAClusterThroughItsBalancer runs the README's real-server
// command against a 3-node fake cluster through its round-robin balancer:
// it exits 0 with the lockout rules reported as not judgeable; with
// --node they are judged on that node and pass; on nodes whose admin
// salts differ it stops before any fixture with one line.
func TestRunJudgesAClusterThroughItsBalancer(t *testing.T) {
	t.Parallel()
	s, err := fakeserver.Start(fakeserver.Options{Flavor: fakeserver.CouchDB, Nodes: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	args := func(target string, extra ...string) []string {
		return append([]string{"run", "--flavor", "couchdb", "--target", target, "--user", "admin", "--password", "secret",
			"--other-user", "alice", "--other-password", "alicepw", "--database", "authtest", "--allow-destructive",
			"--state-dir", t.TempDir()}, extra...)
	}
	r := cli(t, args(s.URL)...)
	if r.code != 0 {
		t.Fatalf("through the balancer: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, id := range []string{"couchdb/lockout", "couchdb/lockout-forwarded-for"} {
		if !regexp.MustCompile(`skipped\s+` + id + `\s`).MatchString(r.stdout) {
			t.Errorf("through the balancer: %s is not skipped:\n%s", id, r.stdout)
		}
	}
	if !strings.Contains(r.stdout, "not judgeable through a balancer") || !strings.Contains(r.stdout, "pass --node URL") || goWords.MatchString(r.stdout) {
		t.Errorf("through the balancer: no fixture says why it is not judgeable and what to pass, in flags:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "cluster of 3 node(s)") {
		t.Errorf("the report does not describe the cluster:\n%s", r.stdout)
	}
	r = cli(t, args(s.URL, "--node", s.NodeURLs[1])...)
	if r.code != 0 || !regexp.MustCompile(`passed\s+couchdb/lockout\s`).MatchString(r.stdout) || !strings.Contains(r.stdout, "judged at "+s.NodeURLs[1]) {
		t.Errorf("with --node: exit %d, lockout not passed on the node:\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	bad, err := fakeserver.Start(fakeserver.Options{Flavor: fakeserver.CouchDB, Nodes: 3, OwnAdminSalts: true})
	if err != nil {
		t.Fatal(err)
	}
	defer bad.Close()
	r = cli(t, args(bad.URL)...)
	if r.code != 1 || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || !strings.Contains(r.stderr, "different password hashes for admin") {
		t.Errorf("nodes with their own admin salts: exit %d, stderr %q, want 1 and one line naming the hashes", r.code, r.stderr)
	}
	if r := cli(t, "run", "--flavor", "couchdb", "--node", s.NodeURLs[0]); r.code != 2 {
		t.Errorf("--node without --target: exit %d, %q", r.code, r.stderr)
	}
}
