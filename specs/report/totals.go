package report

import (
	"fmt"
	"strings"
)

// Totals counts a Summary's results by outcome. It is the one counting
// rule: every writer and ExitCode count through it.
type Totals struct {
	byOutcome [len(outcomeNames)]int
	// Warnings counts the warnings of all results.
	Warnings int
}

// Count counts s's results.
func Count(s Summary) Totals {
	var t Totals
	for _, r := range s.Results {
		if r.Outcome >= 0 && int(r.Outcome) < len(t.byOutcome) {
			t.byOutcome[r.Outcome]++
		}
		t.Warnings += len(r.Warnings)
	}
	return t
}

// Of is how many results have outcome o.
func (t Totals) Of(o Outcome) int {
	if o < 0 || int(o) >= len(t.byOutcome) {
		return 0
	}
	return t.byOutcome[o]
}

// All is the number of results.
func (t Totals) All() int {
	n := 0
	for _, c := range t.byOutcome {
		n += c
	}
	return n
}

// Tested is how many fixtures reached a verdict on the target: passed, or
// failed as an expectation file says (a known deviation is a verdict too).
func (t Totals) Tested() int { return t.Of(Passed) + t.Of(KnownDeviation) }

// Broken is how many fixtures failed or errored.
func (t Totals) Broken() int { return t.Of(Failed) + t.Of(Error) }

// Line counts every outcome, zeros included, in one plain line:
// "3 passed, 0 failed, 1 known deviation, 0 errors, 2 skipped, 0 interrupted, 0 not run, 1 switched off".
func (t Totals) Line() string {
	parts := make([]string, 0, len(outcomeOrder))
	for _, o := range outcomeOrder {
		parts = append(parts, o.phrase(t.Of(o)))
	}
	return strings.Join(parts, ", ")
}

// Exit codes of a run.
const (
	ExitOK     = 0
	ExitFailed = 1
)

// ExitCode is the exit status a run reports:
//
//	130, 143, 129, 131  the run was interrupted by SIGINT, SIGTERM, SIGHUP, SIGQUIT
//	1         a fixture failed or errored (a stale expectation is a failure),
//	          or no fixture passed and allowEmpty is false
//	0         otherwise: nothing failed or errored and, unless allowEmpty,
//	          at least one fixture passed (a known deviation counts)
func ExitCode(s Summary, allowEmpty bool) int {
	code, _ := Verdict(s, allowEmpty)
	return code
}

// Verdict is ExitCode with the one line that explains it, such as
// "no fixture passed: 36 skipped (state default-password unreachable ...)".
func Verdict(s Summary, allowEmpty bool) (code int, line string) {
	t := Count(s)
	switch {
	case s.Interrupted != "":
		return s.Interrupted.ExitCode(), fmt.Sprintf("interrupted by %s: %s", s.Interrupted, t.Line())
	case t.Broken() > 0:
		return ExitFailed, t.Line()
	case t.Tested() == 0 && !allowEmpty:
		return ExitFailed, "no fixture passed: " + notTested(s, t)
	}
	return ExitOK, t.Line()
}

// notTested says why nothing was tested: the counts of what was not, and
// the distinct reasons.
func notTested(s Summary, t Totals) string {
	var parts []string
	for _, o := range []Outcome{Skipped, NotRun, Disabled} {
		if n := t.Of(o); n > 0 {
			parts = append(parts, o.phrase(n))
		}
	}
	if len(parts) == 0 {
		return "no fixture ran"
	}
	seen := map[string]bool{}
	var reasons []string
	for _, r := range s.Results {
		if reason := firstLine(r.Reason); reason != "" && !seen[reason] {
			seen[reason] = true
			reasons = append(reasons, reason)
		}
	}
	line := strings.Join(parts, ", ")
	if len(reasons) > 0 {
		line += " (" + strings.Join(reasons, "; ") + ")"
	}
	return line
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(s)
}
