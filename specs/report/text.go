package report

import (
	"io"
	"strings"
)

// Text writes the terminal summary: per target, one line per fixture that
// was not switched off with what went wrong (the mismatches, the reason,
// the warnings, the last exchange of a failure or error), then each
// document erratum on one line, and last the line that counts every
// outcome (Totals.Line). verbose adds every step's statuses, the full
// reasons and the errata's evidence.
//
// Without verbose, a reason that repeats within a target is said once,
// under its first fixture, with the count of fixtures it holds for; and a
// series of fixtures not run for one reason is one line.
func Text(w io.Writer, s Summary, verbose bool) error {
	p := &printer{w: w}
	target := "\x00"
	shared := sharedReasons(s.Results)
	said := map[reasonKey]bool{}
	for i := 0; i < len(s.Results); i++ {
		r := s.Results[i]
		if r.Outcome == Disabled && !verbose {
			continue // counted in the last line; the user switched them off
		}
		if r.Target != target {
			target = r.Target
			p.printf("\n%s, %s (%s)\n", r.Flavor, r.Target, document(r.Flavor))
			if t, ok := s.target(r.Target); ok && t.Cluster != nil {
				p.printf("  %s\n", t.Cluster.Line())
			}
		}
		key := keyOf(r)
		if n := shared[key]; n > 1 && !verbose {
			if r.Outcome == NotRun {
				more := 0
				for i+1 < len(s.Results) && keyOf(s.Results[i+1]) == key {
					i, more = i+1, more+1
				}
				if more > 0 {
					p.printf("  %-15s %s and %d more\n", r.Outcome, r.ID, more)
					p.printf("      %s\n", firstLine(r.Reason))
					continue
				}
			}
			p.printf("  %-15s %-48s %s\n", r.Outcome, r.ID, r.Section)
			if !said[key] {
				said[key] = true
				p.printf("      %s (%d fixtures)\n", firstLine(r.Reason), n)
			}
			textWarnings(p, r)
			continue
		}
		p.printf("  %-15s %-48s %s\n", r.Outcome, r.ID, r.Section)
		textDetail(p, r, verbose)
	}
	if len(s.Errata) > 0 {
		p.printf("\nDocument errata (%d):\n", len(s.Errata))
		for _, e := range s.Errata {
			p.printf("  %s (%s): %s\n", e.ID, e.Fixture, e.Summary)
			if verbose {
				p.printf("      evidence: %s\n", e.Evidence)
			}
		}
	}
	t := Count(s)
	p.printf("\n")
	if s.Interrupted != "" {
		p.printf("interrupted by %s\n", s.Interrupted)
	}
	if t.Warnings > 0 {
		p.printf("%s\n", plural(t.Warnings, "warning", "warnings"))
	}
	// The closing line, last: scripts and CI read it.
	p.printf("%s\n", t.Line())
	return p.err
}

func textDetail(p *printer, r Result, verbose bool) {
	const pad = "      "
	mismatches := r.Mismatches()
	switch {
	case r.Outcome == Passed:
	case r.Outcome == Failed && len(mismatches) > 0 && r.Expectation == nil:
		for _, m := range mismatches {
			p.printf("%s%s\n", pad, m)
		}
	case verbose || r.Outcome == Failed || r.Outcome == Error:
		p.printf("%s", indent(strings.TrimSpace(r.Reason), pad))
	case r.Reason != "":
		p.printf("%s%s\n", pad, firstLine(r.Reason))
	}
	textWarnings(p, r)
	if verbose {
		for _, st := range r.Steps {
			p.printf("%sstep %s %s: want %s, got %s%s\n", pad, st.Method, st.Path, statuses(st.Want), got(st), onNode(st))
		}
	}
	if x, ok := r.LastExchange(); ok && (r.Outcome == Failed || r.Outcome == Error) {
		p.printf("%slast exchange (credentials masked):\n", pad)
		p.printf("%s", indent(x.Request, pad+"  > "))
		if x.Response != "" {
			p.printf("%s", indent(x.Response, pad+"  < "))
		}
	}
}

// onNode names the node that answered a step, when the target said.
func onNode(st Step) string {
	if st.Node == "" {
		return ""
	}
	return " (node " + st.Node + ")"
}

func textWarnings(p *printer, r Result) {
	for _, warn := range r.Warnings {
		p.printf("      warning: %s\n", warn)
	}
}

// reasonKey groups the fixtures of a target that were not tested for one
// reason.
type reasonKey struct {
	target  string
	outcome Outcome
	reason  string
}

// keyOf is r's group; fixtures that ran (or failed) have none.
func keyOf(r Result) reasonKey {
	if r.Outcome != Skipped && r.Outcome != NotRun || r.Reason == "" {
		return reasonKey{}
	}
	return reasonKey{r.Target, r.Outcome, firstLine(r.Reason)}
}

// sharedReasons counts the fixtures of each group.
func sharedReasons(results []Result) map[reasonKey]int {
	n := map[reasonKey]int{}
	for _, r := range results {
		if k := keyOf(r); k != (reasonKey{}) {
			n[k]++
		}
	}
	return n
}
