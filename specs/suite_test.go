package specs_test

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	. "github.com/onsi/gomega"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/fixtures"
	"github.com/authconform/authconform/specs"
	"github.com/authconform/authconform/specs/report"
)

// judgedBelow stands in for testing.T in RunSpecs: fixtures fail on
// purpose against broken fakes, so every result is judged from the summary
// instead of failing the test wholesale.
type judgedBelow struct{}

func (judgedBelow) Fail() {}

// TestSuiteAgainstFakes runs every fixture against the fake of its flavor in
// the documented profile, one fake per flavor, reset for every fixture;
// every fixture must pass. In the same run (Ginkgo runs once per process)
// the fixtures meet fakes with one rule broken (registerBroken) and targets
// whose safety guards must hold fixtures back (registerGuards).
func TestSuiteAgainstFakes(t *testing.T) {
	RegisterFailHandler(Fail)
	all, err := fixtures.All()
	if err != nil {
		t.Fatal(err)
	}
	flavors := map[string]bool{}
	for _, fx := range all {
		flavors[fx.Flavor] = true
	}
	for _, fl := range fakeserver.Flavors() {
		if !flavors[string(fl)] {
			continue
		}
		// Over loopback, as a separate server would be.
		srv, err := fakeserver.Start(fakeserver.Options{Flavor: fl})
		if err != nil {
			t.Fatalf("starting the %s fake: %v", fl, err)
		}
		t.Cleanup(srv.Close)
		specs.Register(specs.Target{
			Name:             fmt.Sprintf("fake %s over loopback", fl),
			BaseURL:          srv.URL,
			Flavor:           string(fl),
			States:           specs.StateFuncs{EnterFunc: srv.EnterState, AdvanceFunc: srv.Advance},
			AllowDestructive: true,
		})
		// Over https, where CouchDB cookies also carry Secure.
		tlsSrv, err := fakeserver.StartTLS(fakeserver.Options{Flavor: fl})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(tlsSrv.Close)
		client := tlsSrv.Client()
		client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		specs.Register(specs.Target{
			Name:             fmt.Sprintf("fake %s over https", fl),
			BaseURL:          tlsSrv.URL,
			Flavor:           string(fl),
			Client:           client,
			States:           specs.StateFuncs{EnterFunc: tlsSrv.EnterState, AdvanceFunc: tlsSrv.Advance},
			AllowDestructive: true,
		})
		// In process, with no listener: the handler called directly.
		fake, err := fakeserver.New(fakeserver.Options{Flavor: fl})
		if err != nil {
			t.Fatal(err)
		}
		specs.Register(specs.Target{
			Name:             fmt.Sprintf("fake %s in process", fl),
			BaseURL:          "http://fake.test",
			Flavor:           string(fl),
			Client:           specs.InProcessClient(fake),
			States:           specs.StateFuncs{EnterFunc: fake.EnterState, AdvanceFunc: fake.Advance},
			AllowDestructive: true,
		})
	}
	checkBroken := registerBroken(t)
	checkGuards := registerGuards(t)
	checkMisuse := registerMisuse(t)
	checkNoAnswer := registerNoAnswer(t)
	checkCluster := registerCluster(t)
	checkGuardFailures := registerGuardFailures(t)
	var summary report.Summary
	var ginkgoReport types.Report
	ReportAfterSuite("summary", func(r types.Report) { summary, ginkgoReport = specs.Summarize(r), r })
	suiteConfig, reporterConfig := GinkgoConfiguration()
	// Run order is a contract of Register, not luck: shuffle everything
	// Ginkgo may shuffle, and check below that each target kept it.
	suiteConfig.RandomizeAllSpecs = true
	reporterConfig.Succinct = true // broken fakes fail on purpose; the checks below judge every result
	RunSpecs(judgedBelow{}, "authconform suite against the fakes, broken fakes and guarded targets", suiteConfig, reporterConfig)
	if err := report.Validate(summary); err != nil {
		t.Errorf("the summary breaks the report contract: %v", err)
	}
	checkRunOrder(t, all, ginkgoReport)
	checkBroken(summary)
	checkGuards(summary)
	checkMisuse(summary)
	checkNoAnswer(summary)
	checkGinkgoAgrees(t, summary, ginkgoReport)
	checkCluster(summary)
	checkGuardFailures(summary)
	for _, r := range summary.Results {
		if !strings.HasPrefix(r.Target, "fake ") {
			continue
		}
		if r.Outcome != report.Passed {
			t.Errorf("%s on %s: %s (the fake in its documented profile must pass every fixture and reach every state)", r.ID, r.Target, r.Outcome)
		}
	}
	if len(summary.Results) == 0 {
		t.Error("no fixture ran")
	}
}

// resultsWhere is the summary's results that keep keeps, in run order: what
// a register function's check judges of the run.
func resultsWhere(s report.Summary, keep func(report.Result) bool) []report.Result {
	var out []report.Result
	for _, r := range s.Results {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

// checkRunOrder checks that every target ran its fixtures in the order
// Register promises, whatever Ginkgo's randomisation (see outOfOrder).
func checkRunOrder(t *testing.T, all []fixtures.Fixture, r types.Report) {
	t.Helper()
	byID, index := map[string]fixtures.Fixture{}, map[string]int{}
	for i, fx := range all {
		byID[fx.ID], index[fx.ID] = fx, i
	}
	specs := slices.Clone(r.SpecReports)
	slices.SortStableFunc(specs, func(a, b types.SpecReport) int { return a.StartTime.Compare(b.StartTime) })
	ran := map[string][]fixtures.Fixture{} // by target, in the order they started
	checked := 0
	for _, sr := range specs {
		fx, fixture := byID[sr.LeafNodeText]
		if !fixture || sr.StartTime.IsZero() || len(sr.ContainerHierarchyTexts) == 0 {
			continue // not a fixture's spec (a setup error), or one that never started
		}
		target := sr.ContainerHierarchyTexts[len(sr.ContainerHierarchyTexts)-1]
		ran[target] = append(ran[target], fx)
		checked++
	}
	for _, target := range slices.Sorted(maps.Keys(ran)) {
		if why := outOfOrder(ran[target], index); why != "" {
			t.Errorf("%s: %s", target, why)
		}
	}
	if checked < len(all) {
		t.Errorf("run order: only %d specs checked", checked)
	}
	if !r.SuiteConfig.RandomizeAllSpecs {
		t.Error("the suite did not run with randomize-all")
	}
}

// outOfOrder says how fixtures, in the order they ran, break the order
// Register promises, or "" if they keep it: no fixture needing the default
// password after one of another state, no non-destructive one of those
// after a destructive one (which changes the password), and otherwise the
// order of fixtures.All (index).
func outOfOrder(ran []fixtures.Fixture, index map[string]int) string {
	mustRunFirst := func(a, b fixtures.Fixture) bool {
		return a.State == "default-password" && (b.State != "default-password" || !a.Destructive && b.Destructive)
	}
	for i, fx := range ran {
		for _, prev := range ran[:i] {
			switch {
			case mustRunFirst(fx, prev):
				return fmt.Sprintf("%s (state %s, destructive %v) ran after %s (state %s, destructive %v)", fx.ID, fx.State, fx.Destructive, prev.ID, prev.State, prev.Destructive)
			case !mustRunFirst(prev, fx) && index[prev.ID] > index[fx.ID]:
				return fmt.Sprintf("%s ran before %s, against the order of fixtures.All", prev.ID, fx.ID)
			}
		}
	}
	return ""
}
