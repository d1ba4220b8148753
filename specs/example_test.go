package specs_test

import (
	"os"
	"testing"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	"github.com/onsi/gomega"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/fixtures"
	"github.com/authconform/authconform/specs"
)

// Run the CouchDB fixtures against a server of your own from go test. The
// fake stands in for it here; Live reaches states on a real server from the
// credentials you give it (use ControlPlane for `authconform serve
// --control`, StateFuncs for a fake in the same process).
func ExampleRegister() {
	var t *testing.T // your test's *testing.T

	srv, err := fakeserver.Start(fakeserver.Options{Flavor: fakeserver.CouchDB})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()

	budget := specs.DefaultBudget("couchdb") // never lock the account out
	specs.Register(specs.Target{
		Name:    "my CouchDB",
		BaseURL: srv.URL,
		Flavor:  "couchdb",
		States: specs.Live("couchdb", srv.URL, specs.Credentials{
			User: "admin", Password: "secret",
			OtherUser: "alice", OtherPassword: "alicepw",
			Database: "authtest", Document: "db/document",
		}, nil),
		Budget: &budget,
	})

	var summary specs.Summary
	ginkgo.ReportAfterSuite("summary", func(r types.Report) { summary = specs.Summarize(r) })
	gomega.RegisterFailHandler(ginkgo.Fail)
	ginkgo.RunSpecs(t, "my CouchDB conforms")
	summary.Print(os.Stdout) // one line per fixture, the errata, "N passed, M failed, K skipped"
}

// Expected deviations turn known failures of a server into known
// deviations; an id that names no fixture is an error.
func ExampleSummary_Apply() {
	var summary specs.Summary // from Summarize
	exp, err := fixtures.LoadExpectations("my-server.yaml")
	if err != nil {
		panic(err)
	}
	summary = summary.Apply(exp, "")
	summary.Markdown(os.Stdout)
}
