package report

import (
	"fmt"
	"strings"
	"testing"
)

// TestTextSaysARepeatedReasonOnce: 33 fixtures not run after a signal are
// one line, and a skip reason shared by several fixtures is printed once
// with their count; every fixture skipped still has its row.
func TestTextSaysARepeatedReasonOnce(t *testing.T) {
	s := Summary{Interrupted: SIGINT}
	add := func(id string, o Outcome, reason string) {
		s.Results = append(s.Results, Result{Target: "fake couchdb", Flavor: "couchdb", ID: id, Outcome: o, Reason: reason})
	}
	add("couchdb/a", Passed, "")
	add("couchdb/b", Skipped, "needs credentials: pass --user and --password")
	add("couchdb/c", Skipped, "needs a clock")
	add("couchdb/d", Skipped, "needs credentials: pass --user and --password")
	add("couchdb/e", Interrupted, "interrupted by SIGINT")
	for i := range 33 {
		add(fmt.Sprintf("couchdb/n%02d", i), NotRun, "not run: the run was interrupted (SIGINT)")
	}
	var b strings.Builder
	if err := Text(&b, s, false); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for text, want := range map[string]int{
		"needs credentials: pass --user and --password (2 fixtures)": 1,
		"needs credentials":       1,
		"needs a clock":           1,
		"couchdb/d":               1,
		"not run: the run was":    1,
		"couchdb/n00 and 32 more": 1,
		"couchdb/n01":             0,
	} {
		if got := strings.Count(out, text); got != want {
			t.Errorf("%q %d times, want %d:\n%s", text, got, want, out)
		}
	}
	b.Reset()
	if err := Text(&b, s, true); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(b.String(), "not run: the run was"); got != 33 {
		t.Errorf("verbose: the not-run reason %d times, want every fixture's (33)", got)
	}
}
