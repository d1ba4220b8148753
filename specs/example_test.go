package specs_test

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
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

// Judge your own handler in process, with no listener: InProcessClient
// hands each request straight to it, and your StateProvider puts it into
// the state each fixture needs, returning that state's variables (see
// StateVars). Here the CouchDB fake stands in for your handler, and its
// EnterState for your own code that resets your server. (Compiled, not
// run here: Ginkgo runs one suite per test binary, and this package's
// tests already ran theirs.)
func ExampleRun() {
	var t *testing.T // your test's *testing.T

	mine, err := fakeserver.New(fakeserver.Options{Flavor: fakeserver.CouchDB}) // your http.Handler
	if err != nil {
		t.Fatal(err)
	}
	specs.Run(t, specs.Target{
		BaseURL: "http://mine.test", // any URL: no request leaves the process
		Flavor:  "couchdb",
		Client:  specs.InProcessClient(mine),
		States: specs.StateFuncs{
			// Reset your server into state and return its variables;
			// an error skips the fixtures that need it.
			EnterFunc: mine.EnterState,
			// Move your server's clock (nil skips the fixtures that need it).
			AdvanceFunc: mine.Advance,
		},
		AllowDestructive: true, // a state thrown away after each fixture may change
	})
}

// The variables each state's Enter must return for every CouchDB fixture
// to run.
func ExampleStateVars() {
	vars, err := specs.StateVars("couchdb")
	if err != nil {
		panic(err)
	}
	for _, state := range slices.Sorted(maps.Keys(vars)) {
		fmt.Printf("%s: %s\n", state, strings.Join(vars[state], ", "))
	}
	// Output:
	// logged-in: Cookie, OtherPassword, OtherUser, User
	// require-valid-user: Database, Password, User
	// require-valid-user-except-for-up: Password, User
	// user-exists: Database, Document, OtherPassword, OtherUser, Password, SessionTTL, User
}
