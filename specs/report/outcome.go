package report

import "fmt"

// Outcome is the verdict on one fixture. Its numeric values carry no
// order; reports name outcomes by String.
type Outcome int

// The outcomes. A skip is never a pass; an error (the target or the engine
// broke) is never counted as a conformance failure.
const (
	// Disabled: the user switched the fixture off (a filter or --fixture).
	Disabled Outcome = iota
	// NotRun: the run was interrupted before the fixture started.
	NotRun
	// Skipped: the fixture's state is unreachable on this target; the
	// reason names what would enable it.
	Skipped
	// Passed: every check of every step held.
	Passed
	// KnownDeviation: the fixture failed as an expectation file says the
	// target does (see Apply).
	KnownDeviation
	// Failed: a check did not hold, or an expectation is stale.
	Failed
	// Error: the target or the engine broke (unreachable, timeout).
	Error
	// Interrupted: a signal stopped the run while the fixture ran.
	Interrupted
)

// outcomeOrder is the order reports show outcomes in.
var outcomeOrder = []Outcome{Passed, Failed, KnownDeviation, Error, Skipped, Interrupted, NotRun, Disabled}

// Outcomes lists every outcome in the order reports show them.
func Outcomes() []Outcome { return append([]Outcome(nil), outcomeOrder...) }

var outcomeNames = [...]string{"disabled", "not-run", "skipped", "passed", "known-deviation", "failed", "error", "interrupted"}

// String is the outcome's name as reports and JSON write it, such as
// "known-deviation".
func (o Outcome) String() string {
	if o < 0 || int(o) >= len(outcomeNames) {
		return fmt.Sprintf("outcome(%d)", int(o))
	}
	return outcomeNames[o]
}

// ParseOutcome reads an outcome's name.
func ParseOutcome(name string) (Outcome, error) {
	for i, n := range outcomeNames {
		if n == name {
			return Outcome(i), nil
		}
	}
	return 0, fmt.Errorf("unknown outcome %q", name)
}

// MarshalText writes the outcome's name.
func (o Outcome) MarshalText() ([]byte, error) {
	if o < 0 || int(o) >= len(outcomeNames) {
		return nil, fmt.Errorf("unknown outcome %d", int(o))
	}
	return []byte(o.String()), nil
}

// UnmarshalText reads an outcome's name.
func (o *Outcome) UnmarshalText(b []byte) error {
	v, err := ParseOutcome(string(b))
	*o = v
	return err
}

// phrase is the outcome in a count line: "3 known deviations".
func (o Outcome) phrase(n int) string {
	switch o {
	case KnownDeviation:
		return plural(n, "known deviation", "known deviations")
	case Error:
		return plural(n, "error", "errors")
	case NotRun:
		return fmt.Sprintf("%d not run", n)
	case Disabled:
		return fmt.Sprintf("%d switched off", n)
	}
	return fmt.Sprintf("%d %s", n, o)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
