package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestExpectTakesAnEmbeddedProfileName: --expect couchdb-3.5 works from
// any folder, without the checkout's fixtures/expectations.
func TestExpectTakesAnEmbeddedProfileName(t *testing.T) {
	t.Parallel()
	known := regexp.MustCompile(`(?m), ([1-9]\d*) known deviations?, `)
	r := cli(t, "run", "--flavor", "neo4j-query", "--profile", "neo4j-5", "--expect", "neo4j-5")
	if r.code != 0 || !known.MatchString(r.stdout) {
		t.Errorf("--expect neo4j-5 on the neo4j-5 fake: exit %d, want 0 with known deviations:\n%s%s", r.code, r.stdout, r.stderr)
	}
	// The documented fake passes what neo4j-5 fails: the expectations are stale.
	if r := cli(t, "run", "--flavor", "neo4j-query", "--expect", "neo4j-5"); r.code != 1 || !strings.Contains(r.stdout, "stale") {
		t.Errorf("--expect neo4j-5 on the documented fake: exit %d, want 1 with stale expectations:\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = cli(t, "run", "--flavor", "couchdb", "--expect", "couchdb-9.9")
	if r.code != 2 || !strings.Contains(r.stderr, "no such file, nor an embedded profile (") || !strings.Contains(r.stderr, "couchdb-3.5") {
		t.Errorf("--expect couchdb-9.9: exit %d, want 2 naming the profiles; stderr %q", r.code, r.stderr)
	}
}
