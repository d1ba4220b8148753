package specs_test

import (
	"fmt"
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
// process, and this package's tests already run theirs.) The
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

	var summary report.Summary
	ginkgo.ReportAfterSuite("summary", func(r types.Report) { summary = specs.Summarize(r) })
	gomega.RegisterFailHandler(ginkgo.Fail)
	ginkgo.RunSpecs(t, "my CouchDB conforms")
	_ = report.Text(os.Stdout, summary, false) // one line per fixture, the errata, the counts
	if code, why := report.Verdict(summary, false); code != report.ExitOK {
		t.Error(why) // something failed, or nothing passed
	}
}

// A live server's failed-login budget stays below its own lock threshold:
// Neo4j locks after 3 failures (a success resets the count), CouchDB after
// 5 per user within 5 minutes.
func ExampleDefaultBudget() {
	for _, flavor := range []string{"neo4j-3.3", "couchdb"} {
		b := specs.DefaultBudget(flavor)
		fmt.Printf("%s: at most %d failed logins per %s (reset by a success: %v)\n", flavor, b.Max, b.Window, b.ResetOnSuccess)
	}
	// Output:
	// neo4j-3.3: at most 2 failed logins per 5s (reset by a success: true)
	// couchdb: at most 4 failed logins per 5m0s (reset by a success: false)
}
