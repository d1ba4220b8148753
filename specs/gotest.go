package specs

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	g "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	"github.com/onsi/gomega"

	"github.com/authconform/authconform/specs/report"
)

// ran is set by the first Run of this test binary.
var ran atomic.Bool

// Run judges targets from go test in one call: it registers them (see
// Register), runs the specs with Ginkgo (its -ginkgo.* flags apply), writes
// the text summary to the test log, and fails t with the verdict when a
// fixture failed or errored, or none passed. It closes each target (see
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
	reporterConfig.Succinct = !reporterConfig.Verbose && !reporterConfig.VeryVerbose
	reporterConfig.SilenceSkips = !reporterConfig.Verbose && !reporterConfig.VeryVerbose // the summary gives each skip's reason
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
		t.Error(why)
	}
	return summary
}

// verdictDecides stands in for t in RunSpecs: Run fails t from the summary's
// verdict, which also fails a run in which nothing passed.
type verdictDecides struct{}

func (verdictDecides) Fail() {}
