package report

import (
	"fmt"

	"github.com/authconform/authconform/fixtures"
)

// Apply returns s with exp applied to the results of the named target (all
// results when target is ""): a failure the file expects becomes a known
// deviation, and a pass it expects to fail becomes a failure (a stale
// expectation), so the file stays true. Other outcomes are left as they
// are. s itself is not changed.
func Apply(s Summary, exp fixtures.Expectations, target string) Summary {
	s.Results = append([]Result(nil), s.Results...)
	for i := range s.Results {
		r := &s.Results[i]
		x, ok := exp.Entries[r.ID]
		if !ok || (target != "" && r.Target != target) {
			continue
		}
		applied := &Applied{Profile: exp.Profile, Reason: x.Reason, Evidence: x.Evidence}
		switch r.Outcome {
		case Failed:
			r.Outcome, r.Expectation = KnownDeviation, applied
			r.Reason = fmt.Sprintf("known deviation (%s): %s\n  evidence: %s\n  observed: %s", exp.Profile, x.Reason, x.Evidence, firstLine(r.Reason))
		case Passed:
			applied.Stale = true
			r.Outcome, r.Expectation = Failed, applied
			r.Reason = fmt.Sprintf("stale expectation in %s: %q no longer happens; remove it from the file", exp.Profile, x.Reason)
		}
	}
	return s
}
