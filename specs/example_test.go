package specs_test

import (
	"os"
	"testing"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	"github.com/onsi/gomega"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/specs"
	"github.com/authconform/authconform/specs/report"
)

// Run the CouchDB fixtures against a server of your own from go test.
// (This example is compiled but not run: Ginkgo runs one suite per
// process, and this package's tests already run theirs.) The fake stands
// in for it here, its states reached in the same process (use
// ControlPlane for `authconform serve --control`, and package specs/live
// for a real server).
func ExampleRegister() {
	var t *testing.T // your test's *testing.T

	srv, err := fakeserver.Start(fakeserver.Options{Flavor: fakeserver.CouchDB})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()

	specs.Register(specs.Target{
		Name:    "my CouchDB",
		BaseURL: srv.URL,
		Flavor:  "couchdb",
		States:  specs.StateFuncs{EnterFunc: srv.EnterState, AdvanceFunc: srv.Advance},
	})

	var summary report.Summary
	ginkgo.ReportAfterSuite("summary", func(r types.Report) { summary = specs.Summarize(r) })
	gomega.RegisterFailHandler(ginkgo.Fail)
	ginkgo.RunSpecs(t, "my CouchDB conforms")
	_ = report.Text(os.Stdout, summary, false) // one line per fixture, the errata, the counts
	if code, why := report.Verdict(summary, false); code != report.ExitOK {
		t.Error(why) // something failed, or nothing passed
	}
}
