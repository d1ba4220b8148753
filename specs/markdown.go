package specs

import (
	"fmt"
	"io"
	"strings"

	"github.com/authconform/authconform/fixtures"
)

// Markdown writes the compliance report: one row per fixture with its
// document section, the expected and observed statuses, the outcome class
// and the evidence, then the document errata.
func (s Summary) Markdown(w io.Writer) {
	fmt.Fprintln(w, "# authconform compliance report")
	target := "\x00"
	for _, r := range s.Results {
		if r.Target != target {
			target = r.Target
			fmt.Fprintf(w, "\n## %s: %s\n\nDocument: `%s`\n\n", r.Flavor, r.Target, fixtures.Docs[r.Flavor])
			fmt.Fprintln(w, "| fixture | section | expected | observed | class | evidence |")
			fmt.Fprintln(w, "|---|---|---|---|---|---|")
		}
		expected, observed := statuses(r.Steps)
		fmt.Fprintf(w, "| `%s` | %s | %s | %s | %s | %s |\n", r.ID, cell(r.Section), expected, observed, class(r), cell(evidence(r)))
	}
	if len(s.Errata) > 0 {
		fmt.Fprintln(w, "\n## Document errata")
		fmt.Fprintln(w)
		for _, e := range s.Errata {
			fmt.Fprintf(w, "- **%s** (`%s`): %s Evidence: %s\n", e.ID, e.Fixture, cell(e.Summary), cell(e.Evidence))
		}
	}
	fmt.Fprintf(w, "\n%d passed, %d failed, %d known deviations, %d skipped, %d errors\n",
		s.Count(Passed), s.Count(Failed), s.Count(KnownDeviation), s.Count(Skipped)+s.Count(Disabled), s.Count(Error))
}

// statuses splits "GET /x: want 401, got 401" lines into the expected and
// observed columns.
func statuses(steps []string) (expected, observed string) {
	var want, got []string
	for _, st := range steps {
		_, rest, _ := strings.Cut(st, ": want ")
		wv, gv, _ := strings.Cut(rest, ", got ")
		want, got = append(want, wv), append(got, gv)
	}
	if len(want) == 0 {
		return "", "not run"
	}
	return strings.Join(want, ", "), strings.Join(got, ", ")
}

func class(r Result) string {
	c := r.Outcome.String()
	if r.Outcome == KnownDeviation {
		c = "known deviation"
	}
	if len(r.Errata) > 0 {
		c += "; document erratum"
	}
	if len(r.Warnings) > 0 {
		c += fmt.Sprintf("; %d warning(s)", len(r.Warnings))
	}
	return c
}

func evidence(r Result) string {
	var parts []string
	if r.Reason != "" && r.Outcome != Passed {
		parts = append(parts, firstLines(r.Reason, 2))
	}
	parts = append(parts, r.Warnings...)
	if len(r.Errata) > 0 {
		parts = append(parts, "errata: "+strings.Join(r.Errata, ", "))
	}
	return strings.Join(parts, "; ")
}

func firstLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[:n]
	}
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	return strings.Join(lines, " ")
}

// cell makes text safe inside a Markdown table cell.
func cell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}
