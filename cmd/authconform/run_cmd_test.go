package main

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime"
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

// TestOneSummary: a run with failures prints the summary alone: no
// Ginkgo seed, no second failure block, no source paths, and no colour
// when the output is not a terminal.
func TestOneSummary(t *testing.T) {
	t.Parallel()
	r := cli(t, "run", "--flavor", "neo4j-query", "--expect", "neo4j-5") // stale expectations fail
	if r.code != 1 {
		t.Fatalf("exit %d, want 1 (stale expectations):\n%s%s", r.code, r.stdout, r.stderr)
	}
	out := r.stdout + r.stderr
	for _, bad := range []*regexp.Regexp{
		regexp.MustCompile(`\[\d{6,}\]`),             // Ginkgo's random seed
		regexp.MustCompile(`Summarizing|Ran \d+ of`), // Ginkgo's own summary
		regexp.MustCompile(`\.go:\d+`),               // a source path
		regexp.MustCompile("\x1b\\["),                // colour
	} {
		if m := bad.FindString(out); m != "" {
			t.Errorf("output has %q:\n%s", m, out)
		}
	}
	if n := len(countLine.FindAllString(r.stdout, -1)); n != 1 {
		t.Errorf("%d count lines, want 1", n)
	}
}

func TestColourOnlyMarksOutcomes(t *testing.T) {
	got := string(colourOutcomes([]byte("  failed          couchdb/x   section passed\n  passed          couchdb/y\n")))
	want := "  \x1b[31mfailed\x1b[0m          couchdb/x   section passed\n  \x1b[32mpassed\x1b[0m          couchdb/y\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestLiveRunsFailBeforeTheyStart: a live target without an account, and
// a report that cannot be written, stop the run at once with one line and
// exit 2, before any request.
func TestLiveRunsFailBeforeTheyStart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	readOnly := filepath.Join(dir, "ro")
	if err := os.Mkdir(readOnly, 0o555); err != nil {
		t.Fatal(err)
	}
	if probe, err := os.Create(filepath.Join(readOnly, "x")); err == nil {
		probe.Close()
		// root writes into read-only folders; not into sysfs.
		if readOnly = "/sys"; runtime.GOOS != "linux" {
			t.Skip("this user writes into read-only folders, and there is no /sys")
		}
	}
	for name, c := range map[string]struct {
		args []string
		want string
	}{
		"no account":        {[]string{"run", "--flavor", "couchdb", "--target", "http://" + closedPort(t)}, "needs an account on it: pass --user and --password"},
		"unwritable report": {[]string{"run", "--flavor", "neo4j-3.3", "--junit-report", filepath.Join(readOnly, "junit.xml")}, "--junit-report " + filepath.Join(readOnly, "junit.xml") + ": the folder " + readOnly + " is not writable"},
	} {
		r := cli(t, c.args...)
		if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, c.want) || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want 2 and one line with %q", name, r.code, r.stdout, r.stderr, c.want)
		}
	}
}
