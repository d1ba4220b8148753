package specs_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	"github.com/onsi/gomega"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/fixtures"
	"github.com/authconform/authconform/specs"
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

	var summary specs.Summary
	ginkgo.ReportAfterSuite("summary", func(r types.Report) { summary = specs.Summarize(r) })
	gomega.RegisterFailHandler(ginkgo.Fail)
	ginkgo.RunSpecs(t, "my CouchDB conforms")
	summary.Print(os.Stdout) // one line per fixture, the errata, "N passed, M failed, K skipped"
}

// Expected deviations turn known failures of a server into known
// deviations; an expectation that no longer happens fails as stale, and an
// id that names no fixture is an error when the file is read.
func ExampleSummary_Apply() {
	exp, err := fixtures.ParseExpectations("my-couchdb.yaml", []byte(`
profile: my-couchdb
flavor: couchdb
expectations:
  couchdb/python-login-logout:
    reason: the AuthSession cookie stays valid after DELETE /_session
    evidence: couchdb-3.5.0-transcript.md cases 61-63
  couchdb/lockout:
    reason: no lockout configured
    evidence: local.ini has no lockout settings
`))
	if err != nil {
		panic(err)
	}
	summary := specs.Summary{Results: []specs.Result{ // as Summarize makes them
		{Target: "my CouchDB", ID: "couchdb/python-login-logout", Flavor: "couchdb", Outcome: specs.Failed, Reason: "status: want 401, got 200"},
		{Target: "my CouchDB", ID: "couchdb/lockout", Flavor: "couchdb", Outcome: specs.Passed},
		{Target: "my CouchDB", ID: "couchdb/get-session", Flavor: "couchdb", Outcome: specs.Passed},
	}}
	summary = summary.Apply(exp, "")
	for _, r := range summary.Results {
		fmt.Printf("%s: %s\n", r.ID, r.Outcome)
		if r.Reason != "" {
			fmt.Printf("  %s\n", strings.ReplaceAll(r.Reason, "\n", "\n  "))
		}
	}
	fmt.Println("failed:", summary.Failed())
	// Output:
	// couchdb/python-login-logout: known-deviation
	//   known deviation (my-couchdb): the AuthSession cookie stays valid after DELETE /_session
	//     evidence: couchdb-3.5.0-transcript.md cases 61-63
	//     observed: status: want 401, got 200
	// couchdb/lockout: failed
	//   stale expectation in my-couchdb: "no lockout configured" no longer happens; remove it from the file
	// couchdb/get-session: passed
	// failed: true
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
