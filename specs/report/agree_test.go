package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/authconform/authconform/fixtures"
)

// runModes are summaries shaped like each way a run can end.
func runModes() map[string]Summary {
	exp := fixtures.Expectations{Profile: "neo4j-5", Flavor: "neo4j-query", Entries: map[string]fixtures.Expectation{
		"neo4j-query/b": {Reason: "answers 400", Evidence: "source"},
	}}
	embedded := only(Passed, Passed, Skipped, Disabled)
	withExpectations := Apply(only(Passed, Failed), fixtures.Expectations{Profile: "p", Entries: map[string]fixtures.Expectation{"couchdb/fb": {Reason: "r", Evidence: "e"}}}, "")
	stale := Apply(Summary{Results: []Result{{ID: "neo4j-query/a", Outcome: Passed}, {ID: "neo4j-query/b", Outcome: Passed}}}, exp, "")
	interrupted := only(Passed, Interrupted, NotRun, NotRun)
	interrupted.Interrupted = SIGINT
	terminated := only(Passed, Passed, Interrupted)
	terminated.Interrupted = SIGTERM
	return map[string]Summary{
		"embedded":          embedded,
		"live-like":         only(Passed, Failed, Error, Skipped),
		"with expectations": withExpectations,
		"stale":             stale,
		"interrupted":       interrupted,
		"terminated":        terminated,
		"unreachable":       WithRunError(Summary{}, Target{Name: "couchdb x", Flavor: "couchdb"}, errors.New("connection refused")),
		"all skipped":       only(Skipped, Skipped, Disabled),
		"sample":            sample(),
	}
}

var footer = regexp.MustCompile(`<footer id="totals">([^<]*)</footer>`)

// TestEveryReportAgrees: for every way a run can end, the exit code, the
// text, Markdown, matrix, JSON, JUnit and HTML reports say the same.
func TestEveryReportAgrees(t *testing.T) {
	for mode, s := range runModes() {
		if err := Validate(s); err != nil {
			t.Fatalf("%s: %v", mode, err)
		}
		tot := Count(s)
		line := tot.Line()
		for _, name := range []string{"text", "markdown", "matrix"} {
			out := strings.TrimRight(render(t, name, s), "\n")
			if last := out[strings.LastIndex(out, "\n")+1:]; last != line {
				t.Errorf("%s: %s ends %q, want %q", mode, name, last, line)
			}
		}
		if m := footer.FindStringSubmatch(render(t, "html", s)); m == nil || m[1] != line {
			t.Errorf("%s: html footer %v, want %q", mode, m, line)
		}

		var b bytes.Buffer
		if err := JSON(&b, s); err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Totals map[string]int `json:"totals"`
		}
		if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		for _, o := range outcomeOrder {
			if key := strings.ReplaceAll(o.String(), "-", "_"); doc.Totals[key] != tot.Of(o) {
				t.Errorf("%s: json totals.%s = %d, want %d", mode, key, doc.Totals[key], tot.Of(o))
			}
		}

		junit, _ := writeJUnit(t, s)
		code := ExitCode(s, false)
		red := junit.Failures+junit.Errors > 0
		switch {
		case code == 0 && red:
			t.Errorf("%s: exit 0, but JUnit has %d failures, %d errors", mode, junit.Failures, junit.Errors)
		case code == 1 && !red && tot.Tested() > 0:
			t.Errorf("%s: exit 1, but JUnit is green and something passed", mode)
		case code == 0 && tot.Of(Passed)+tot.Of(KnownDeviation) == 0:
			t.Errorf("%s: exit 0 although nothing passed", mode)
		}
		if (s.Interrupted == SIGINT) != (code == 130) || (s.Interrupted == SIGTERM) != (code == 143) {
			t.Errorf("%s: interrupted by %q, exit %d", mode, s.Interrupted, code)
		}
	}
}
