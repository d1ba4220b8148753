package specs

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/authconform/authconform/fixtures"
)

// Outcome is the result of one fixture, ordered from least to most severe.
type Outcome int

// The outcomes. A skip is never a pass; an error (the target or the engine
// broke) is never counted as a conformance failure.
const (
	Disabled Outcome = iota
	Skipped
	Passed
	KnownDeviation
	Failed
	Error
)

func (o Outcome) String() string {
	return [...]string{"disabled", "skipped", "passed", "known-deviation", "failed", "error"}[o]
}

// MarshalText writes the outcome's name.
func (o Outcome) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// Result is one fixture's outcome with its reasons.
type Result struct {
	// Target names the server the fixture ran against.
	Target   string   `json:"target"`
	ID       string   `json:"id"`
	Flavor   string   `json:"flavor"`
	Section  string   `json:"section"`
	Kind     string   `json:"kind"`
	Outcome  Outcome  `json:"outcome"`
	Reason   string   `json:"reason,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
	// Steps say, per request, which status was expected and which came.
	Steps []string `json:"steps,omitempty"`
	// Errata are the document's mistakes this fixture exposes.
	Errata []string `json:"errata,omitempty"`
	// Exchanges are the redacted requests and responses.
	Exchanges []string `json:"exchanges,omitempty"`
}

// Summary is the per-fixture view of a Ginkgo report.
type Summary struct {
	Results []Result  `json:"results"`
	Errata  []Erratum `json:"errata"`
}

// Erratum is a mistake in a document, reported with its evidence.
type Erratum struct {
	Fixture string `json:"fixture"`
	fixtures.Erratum
}

// Summarize folds Ginkgo's spec reports into one Result per fixture. Specs
// not made by Register are ignored.
func Summarize(report types.Report) Summary {
	byID := map[string]*Result{}
	var order []string
	all, _ := fixtures.All()
	known := map[string]fixtures.Fixture{}
	for _, fx := range all {
		known[fx.ID] = fx
	}
	for _, sr := range report.SpecReports {
		id, target := "", ""
		for _, e := range sr.ReportEntries {
			switch e.Name {
			case entryFixture:
				id = e.StringRepresentation()
			case entryTarget:
				target = e.StringRepresentation()
			}
		}
		if id == "" { // a spec that never started, such as one filtered out
			id, target = fixtureFromHierarchy(sr, known)
		}
		fx, ok := known[id]
		if !ok {
			continue
		}
		key := target + "\x00" + id
		res := byID[key]
		if res == nil {
			res = &Result{Target: target, ID: id, Flavor: fx.Flavor, Section: fx.Source.Section, Kind: string(fx.Kind), Outcome: Disabled}
			for _, e := range fx.Errata {
				res.Errata = append(res.Errata, e.ID)
			}
			byID[key] = res
			order = append(order, key)
		}
		outcome, reason := specOutcome(sr)
		if outcome > res.Outcome || (outcome == res.Outcome && res.Reason == "") {
			res.Outcome, res.Reason = max(outcome, res.Outcome), reason
		}
		for _, e := range sr.ReportEntries {
			switch e.Name {
			case entryWarning:
				res.Warnings = append(res.Warnings, e.StringRepresentation())
			case entryExchange:
				res.Exchanges = append(res.Exchanges, e.StringRepresentation())
			case entryStatus:
				res.Steps = append(res.Steps, e.StringRepresentation())
			}
		}
	}
	// Ginkgo shuffles top-level containers (one per target); report them
	// in a stable order: by flavor, the documented profile first.
	sort.SliceStable(order, func(i, j int) bool { return targetRank(byID[order[i]]) < targetRank(byID[order[j]]) })
	var s Summary
	seenErrata := map[string]bool{}
	for _, key := range order {
		r := byID[key]
		s.Results = append(s.Results, *r)
		if r.Outcome == Disabled {
			continue // errata of fixtures the user switched off are not reported
		}
		for _, e := range known[r.ID].Errata {
			if !seenErrata[e.ID] {
				seenErrata[e.ID] = true
				s.Errata = append(s.Errata, Erratum{Fixture: r.ID, Erratum: e})
			}
		}
	}
	return s
}

// fixtureFromHierarchy finds the fixture and target of a spec from its
// container names: Register names the outermost container after the target
// and one inner container after the fixture id.
func fixtureFromHierarchy(sr types.SpecReport, known map[string]fixtures.Fixture) (id, target string) {
	texts := sr.ContainerHierarchyTexts
	for _, t := range texts {
		if _, ok := known[t]; ok && len(texts) > 0 {
			return t, texts[0]
		}
	}
	return "", ""
}

func targetRank(r *Result) string {
	documentedLast := "1"
	if strings.Contains(r.Target, "documented") {
		documentedLast = "0"
	}
	return fmt.Sprintf("%d\x00%s\x00%s", slices.Index(fixtures.Flavors, r.Flavor), documentedLast, r.Target)
}

func specOutcome(sr types.SpecReport) (Outcome, string) {
	for _, e := range sr.ReportEntries {
		if e.Name == entryError {
			return Error, e.StringRepresentation()
		}
	}
	switch {
	case sr.State.Is(types.SpecStatePassed):
		return Passed, ""
	case sr.State.Is(types.SpecStateSkipped) && sr.Failure.Message == "" && len(sr.ReportEntries) == 0:
		return Disabled, "switched off (--label-filter)"
	case sr.State.Is(types.SpecStateSkipped):
		return Skipped, firstLines(sr.Failure.Message, 1)
	case sr.State.Is(types.SpecStatePending):
		return Disabled, "pending"
	case sr.State.Is(types.SpecStateFailureStates):
		return Failed, sr.Failure.Message
	}
	return Disabled, "not run (filtered out)"
}

// Count returns how many results have outcome o.
func (s Summary) Count(o Outcome) int {
	n := 0
	for _, r := range s.Results {
		if r.Outcome == o {
			n++
		}
	}
	return n
}

// Ran is how many fixtures were not switched off.
func (s Summary) Ran() int { return len(s.Results) - s.Count(Disabled) }

// Failed reports whether any fixture failed or errored.
func (s Summary) Failed() bool { return s.Count(Failed)+s.Count(Error) > 0 }

// Print writes the human summary: one line per fixture grouped by flavor,
// the warnings, the document errata, and the closing count line.
func (s Summary) Print(w io.Writer) {
	target := "\x00"
	for _, r := range s.Results {
		if r.Outcome == Disabled {
			continue // counted below; the user switched them off
		}
		if r.Target != target {
			target = r.Target
			fmt.Fprintf(w, "\n%s, %s (%s)\n", r.Flavor, r.Target, fixtures.Docs[r.Flavor])
		}
		fmt.Fprintf(w, "  %-15s %-48s %s\n", r.Outcome, r.ID, r.Section)
		if r.Reason != "" && r.Outcome != Passed {
			for _, line := range strings.Split(strings.TrimSpace(r.Reason), "\n") {
				fmt.Fprintf(w, "      %s\n", line)
			}
		}
		for _, warn := range r.Warnings {
			fmt.Fprintf(w, "      warning: %s\n", warn)
		}
		if (r.Outcome == Failed || r.Outcome == Error) && len(r.Exchanges) > 0 {
			fmt.Fprintln(w, "      last exchange (credentials masked):")
			for _, line := range strings.Split(strings.TrimRight(r.Exchanges[len(r.Exchanges)-1], "\n"), "\n") {
				fmt.Fprintf(w, "        %s\n", line)
			}
		}
	}
	if len(s.Errata) > 0 {
		fmt.Fprintf(w, "\nDocument errata (%d):\n", len(s.Errata))
		sort.SliceStable(s.Errata, func(i, j int) bool { return s.Errata[i].Fixture < s.Errata[j].Fixture })
		for _, e := range s.Errata {
			fmt.Fprintf(w, "  %s (%s): %s\n      evidence: %s\n", e.ID, e.Fixture, e.Summary, e.Evidence)
		}
	}
	warnings := 0
	for _, r := range s.Results {
		warnings += len(r.Warnings)
	}
	fmt.Fprintln(w)
	if n := s.Count(Error) + s.Count(KnownDeviation) + warnings + s.Count(Disabled); n > 0 {
		fmt.Fprintf(w, "%d errors, %d known deviations, %d warnings, %d switched off\n", s.Count(Error), s.Count(KnownDeviation), warnings, s.Count(Disabled))
	}
	// The closing line, last: scripts and CI read it.
	fmt.Fprintf(w, "%d passed, %d failed, %d skipped\n", s.Count(Passed), s.Count(Failed), s.Count(Skipped))
}

// Apply turns failures that exp expects into known deviations, and fails
// expectations that no longer happen (stale), so the file stays true. It
// applies to the results of the named target, or to all when target is "".
func (s Summary) Apply(exp fixtures.Expectations, target string) Summary {
	for i := range s.Results {
		r := &s.Results[i]
		x, ok := exp.Entries[r.ID]
		if !ok || (target != "" && r.Target != target) {
			continue
		}
		switch r.Outcome {
		case Failed:
			r.Outcome = KnownDeviation
			r.Reason = fmt.Sprintf("known deviation (%s): %s\n  evidence: %s\n  observed: %s", exp.Profile, x.Reason, x.Evidence, firstLines(r.Reason, 1))
		case Passed:
			r.Outcome = Failed
			r.Reason = fmt.Sprintf("stale expectation in %s: %q no longer happens; remove it from the file", exp.Profile, x.Reason)
		}
	}
	return s
}
