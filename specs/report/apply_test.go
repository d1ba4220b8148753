package report

import (
	"strings"
	"testing"

	"github.com/authconform/authconform/fixtures"
)

func TestApply(t *testing.T) {
	exp := fixtures.Expectations{Profile: "neo4j-5", Flavor: "neo4j-query", Entries: map[string]fixtures.Expectation{
		"neo4j-query/a": {Reason: "answers 400", Evidence: "source §4"},
		"neo4j-query/b": {Reason: "says Invalid credential.", Evidence: "source §7"},
		"neo4j-query/c": {Reason: "cannot skip", Evidence: "none"},
		"neo4j-query/d": {Reason: "other target", Evidence: "none"},
		"neo4j-query/f": {Reason: "an error is never excused", Evidence: "none"},
	}}
	in := Summary{Results: []Result{
		{Target: "t", ID: "neo4j-query/a", Outcome: Failed, Reason: "status: want 401, got 400\nmore detail"},
		{Target: "t", ID: "neo4j-query/b", Outcome: Passed},
		{Target: "t", ID: "neo4j-query/c", Outcome: Skipped, Reason: "unreachable"},
		{Target: "other", ID: "neo4j-query/d", Outcome: Failed, Reason: "x"},
		{Target: "t", ID: "neo4j-query/e", Outcome: Failed, Reason: "unexpected"},
		// An error (no answer, a failed restore) is not a deviation of the
		// server's: no expectation turns it into one.
		{Target: "t", ID: "neo4j-query/f", Outcome: Error, Reason: "no answer"},
	}}
	before := snapshot(t, in)
	out := Apply(in, exp, "t")
	if snapshot(t, in) != before {
		t.Fatal("Apply changed its argument")
	}
	want := []Outcome{KnownDeviation, Failed, Skipped, Failed, Failed, Error}
	for i, r := range out.Results {
		if r.Outcome != want[i] {
			t.Errorf("%s: %s, want %s", r.ID, r.Outcome, want[i])
		}
	}
	a, b := out.Results[0], out.Results[1]
	if a.Reason != "known deviation (neo4j-5): answers 400\n  evidence: source §4\n  observed: status: want 401, got 400" {
		t.Errorf("known deviation reason = %q", a.Reason)
	}
	if a.Expectation == nil || a.Expectation.Stale || a.Expectation.Profile != "neo4j-5" || a.Expectation.Evidence != "source §4" {
		t.Errorf("known deviation expectation = %+v", a.Expectation)
	}
	if !strings.HasPrefix(b.Reason, `stale expectation in neo4j-5: "says Invalid credential." no longer happens`) || b.Expectation == nil || !b.Expectation.Stale {
		t.Errorf("stale: %q %+v", b.Reason, b.Expectation)
	}
	for _, r := range out.Results[2:] {
		if r.Expectation != nil {
			t.Errorf("%s: expectation %+v attached although the outcome did not change", r.ID, r.Expectation)
		}
	}
	if all := Apply(in, exp, ""); all.Results[3].Outcome != KnownDeviation {
		t.Errorf("target \"\": other target's result %s, want known-deviation", all.Results[3].Outcome)
	}
}

// The shipped expectation files apply as they did before: every entry of
// a failing fixture is a known deviation, of a passing one a failure.
func TestApplyShippedExpectations(t *testing.T) {
	for _, profile := range []string{"neo4j-3.3.9", "neo4j-5", "couchdb-3.5"} {
		exp, ok, err := fixtures.ProfileExpectations(profile)
		if err != nil || !ok {
			t.Fatalf("%s: %v %v", profile, ok, err)
		}
		var failing, passing Summary
		for id := range exp.Entries {
			failing.Results = append(failing.Results, Result{Target: profile, ID: id, Flavor: exp.Flavor, Outcome: Failed, Reason: "status: want 401, got 400"})
			passing.Results = append(passing.Results, Result{Target: profile, ID: id, Flavor: exp.Flavor, Outcome: Passed})
		}
		ft, pt := Count(Apply(failing, exp, profile)), Count(Apply(passing, exp, profile))
		if n := len(exp.Entries); ft.Of(KnownDeviation) != n || pt.Of(Failed) != n || ExitCode(Apply(failing, exp, profile), false) != 0 {
			t.Errorf("%s: %d entries gave %s / %s", profile, n, ft.Line(), pt.Line())
		}
	}
}
