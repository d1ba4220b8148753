package specs

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"testing"

	g "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/formatter"
	"github.com/onsi/ginkgo/v2/types"
	"github.com/onsi/gomega"

	"github.com/authconform/authconform/fixtures"
	"github.com/authconform/authconform/specs/report"
)

// ran is set by the first Run of this test binary.
var ran atomic.Bool

// Run judges targets from go test in one call: it registers them (see
// Register), runs the specs with Ginkgo (its -ginkgo.* flags apply; its own
// reporter speaks only with -ginkgo.v), writes the text summary to the
// test log, and fails t with the verdict when a fixture failed or errored,
// or none passed, naming each such fixture's file and the line of the step
// it stopped at. It closes each target (see
// Target.Close) and returns the summary for other reports (package
// report).
//
// Ginkgo runs one suite per test binary: call Run once in a package's
// tests, with every target; a second call fails t and runs nothing. Call
// Register and Summarize instead to run Ginkgo yourself.
func Run(t *testing.T, targets ...Target) report.Summary {
	t.Helper()
	if !ran.CompareAndSwap(false, true) {
		t.Error("specs.Run: called a second time in this test binary; Ginkgo runs one suite per binary, so pass every Target to a single Run")
		return report.Summary{}
	}
	if len(targets) == 0 {
		t.Error("specs.Run: no Target to judge")
		return report.Summary{}
	}
	for _, target := range targets {
		Register(target)
	}
	var summary report.Summary
	g.ReportAfterSuite("authconform summary", func(r types.Report) { summary = Summarize(r) })
	gomega.RegisterFailHandler(g.Fail)
	suiteConfig, reporterConfig := g.GinkgoConfiguration()
	if !reporterConfig.Verbose && !reporterConfig.VeryVerbose {
		// The summary is the one account of the run: Ginkgo's own would
		// print each failure again (-ginkgo.v brings it back).
		saved := formatter.ColorableStdOut
		formatter.ColorableStdOut = io.Discard
		defer func() { formatter.ColorableStdOut = saved }()
	}
	g.RunSpecs(verdictDecides{}, "authconform: "+t.Name(), suiteConfig, reporterConfig)
	for _, target := range targets {
		// Done by each target's container already, unless no fixture ran.
		if err := target.Close(context.Background()); err != nil {
			t.Errorf("closing %s: %v", target.name(), err)
		}
	}
	var text strings.Builder
	_ = report.Text(&text, summary, false)
	t.Log("authconform summary:\n" + text.String())
	if code, why := report.Verdict(summary, false); code != report.ExitOK {
		t.Error(strings.Join(append([]string{why}, failedAt(summary)...), "\n"))
	}
	return summary
}

// failedAt names, for each fixture that failed or errored, its file and
// the line of the step it stopped at, as IDEs and go test read them.
func failedAt(s report.Summary) []string {
	all, err := fixtures.All()
	if err != nil {
		return nil
	}
	byID := map[string]fixtures.Fixture{}
	for _, fx := range all {
		byID[fx.ID] = fx
	}
	var out []string
	for _, r := range s.Results {
		fx, ok := byID[r.ID]
		if !ok || (r.Outcome != report.Failed && r.Outcome != report.Error) {
			continue
		}
		out = append(out, fmt.Sprintf("%s: %s %s on %s", stoppedAt(fx, r), r.ID, r.Outcome, r.Target))
	}
	return out
}

// verdictDecides stands in for t in RunSpecs: Run fails t from the summary's
// verdict, which also fails a run in which nothing passed.
type verdictDecides struct{}

func (verdictDecides) Fail() {}
