package specs_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	. "github.com/onsi/gomega"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/fixtures"
	"github.com/authconform/authconform/specs"
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
	checkLiveLiar := registerLiveLiar(t)
	var summary specs.Summary
	ReportAfterSuite("summary", func(r types.Report) { summary = specs.Summarize(r) })
	suiteConfig, reporterConfig := GinkgoConfiguration()
	reporterConfig.Succinct = true // broken fakes fail on purpose; the checks below judge every result
	RunSpecs(judgedBelow{}, "authconform suite against the fakes, broken fakes and guarded targets", suiteConfig, reporterConfig)
	checkBroken(summary)
	checkGuards(summary)
	checkLiveLiar(summary)
	for _, r := range summary.Results {
		if !strings.HasPrefix(r.Target, "fake ") {
			continue
		}
		if r.Outcome != specs.Passed {
			t.Errorf("%s on %s: %s (the fake in its documented profile must pass every fixture and reach every state)", r.ID, r.Target, r.Outcome)
		}
	}
	if len(summary.Results) == 0 {
		t.Error("no fixture ran")
	}
}
