package main

import (
	"strings"
	"testing"
)

func TestMisspelledFlagsSuggestTheFlagMeant(t *testing.T) {
	t.Parallel()
	for args, want := range map[string]string{
		"run --flavr couchdb":  "(did you mean --flavor?)",
		"run --verbos":         "(did you mean --verbose?)",
		"run --db authtest":    "(run takes --database)",
		"serve --document x":   "(serve takes --doc)",
		"run --addr x":         "(run takes --target)",
		"serve --expect x":     "(--expect is a flag of 'authconform run', not of serve)",
		"run --zzzzzzzzzzzzzz": "(see 'authconform run --help')",
		"-v":                   "(-v is run's --verbose; the version is --version)",
	} {
		r := cli(t, strings.Fields(args)...)
		if r.code != 2 || !strings.Contains(r.stderr, want) || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("%s: exit %d, stderr %q, want one line with %q", args, r.code, r.stderr, want)
		}
	}
	if d := editDistance("flavr", "flavor"); d != 1 {
		t.Errorf("editDistance(flavr, flavor) = %d", d)
	}
}

// TestVMeansVerbose: -v is --verbose wherever it exists, and --version
// is the version.
func TestVMeansVerbose(t *testing.T) {
	t.Parallel()
	if r := cli(t, "--version"); r.code != 0 || !strings.HasPrefix(r.stdout, "authconform ") {
		t.Errorf("--version: exit %d, %q", r.code, r.stdout)
	}
	r := cli(t, "run", "-v", "--fixture", "neo4j-3.3/authenticate")
	if r.code != 0 || !strings.Contains(r.stdout, "step ") {
		t.Errorf("run -v: exit %d, no steps in:\n%s", r.code, r.stdout)
	}
}
