package report

import (
	"fmt"
	"io"
	"strings"
)

// Markdown writes the compliance report: per target, one row per fixture
// with its document section, the expected and observed statuses, the
// outcome class and the evidence; then the document errata with their
// evidence, and the count line (Totals.Line).
func Markdown(w io.Writer, s Summary) error {
	p := &printer{w: w}
	p.printf("# authconform compliance report\n")
	if s.SuiteVersion != "" || !s.Started.IsZero() {
		p.printf("\nauthconform %s, %s to %s\n", s.SuiteVersion, s.Started.UTC().Format("2006-01-02 15:04:05Z"), s.Finished.UTC().Format("15:04:05Z"))
	}
	if s.Interrupted != "" {
		p.printf("\n**Interrupted by %s**: fixtures after the one in flight did not run.\n", s.Interrupted)
	}
	target := "\x00"
	for _, r := range s.Results {
		if r.Target != target {
			target = r.Target
			p.printf("\n## %s: %s\n\nDocument: `%s`\n\n", r.Flavor, r.Target, document(r.Flavor))
			if t, ok := s.target(r.Target); ok && t.Cluster != nil {
				p.printf("%s\n\n", cell(t.Cluster.Line()))
			}
			p.printf("| fixture | section | expected | observed | class | evidence |\n|---|---|---|---|---|---|\n")
		}
		expected, observed := stepStatuses(r.Steps)
		p.printf("| `%s` | %s | %s | %s | %s | %s |\n", r.ID, cell(r.Section), expected, observed, class(r), cell(evidence(r)))
	}
	if len(s.Errata) > 0 {
		p.printf("\n## Document errata\n\n")
		for _, e := range s.Errata {
			p.printf("- **%s** (`%s`): %s Evidence: %s\n", e.ID, e.Fixture, cell(e.Summary), cell(e.Evidence))
		}
	}
	p.printf("\n%s\n", Count(s).Line())
	return p.err
}

// stepStatuses are the expected and observed columns: one entry per step.
func stepStatuses(steps []Step) (expected, observed string) {
	if len(steps) == 0 {
		return "", "not run"
	}
	var want, have []string
	for _, st := range steps {
		want, have = append(want, statuses(st.Want)), append(have, got(st)+onNode(st))
	}
	return strings.Join(want, ", "), strings.Join(have, ", ")
}

func class(r Result) string {
	c := strings.ReplaceAll(r.Outcome.String(), "-", " ")
	if r.Expectation != nil && r.Expectation.Stale {
		c += "; stale expectation"
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
