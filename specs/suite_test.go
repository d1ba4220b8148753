package specs_test

import (
	"fmt"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	. "github.com/onsi/gomega"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/fixtures"
	"github.com/authconform/authconform/specs"
)

// TestSuiteAgainstFakes runs every fixture against the fake of its flavor in
// the documented profile, one fake per flavor, reset for every fixture.
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
		srv, err := fakeserver.Start(fakeserver.Options{Flavor: fl})
		if err != nil {
			t.Fatalf("starting the %s fake: %v", fl, err)
		}
		t.Cleanup(srv.Close)
		specs.Register(specs.Target{
			Name:             fmt.Sprintf("fake %s", fl),
			BaseURL:          srv.URL,
			Flavor:           string(fl),
			States:           specs.StateFuncs{EnterFunc: srv.EnterState, AdvanceFunc: srv.Advance},
			AllowDestructive: true,
		})
	}
	var summary specs.Summary
	ReportAfterSuite("summary", func(r types.Report) { summary = specs.Summarize(r) })
	RunSpecs(t, "authconform suite against the fakes")
	if n := summary.Count(specs.Skipped); n > 0 {
		t.Errorf("%d fixtures were skipped against the fake, which can reach every state", n)
	}
	if len(summary.Results) == 0 {
		t.Error("no fixture ran")
	}
}
