package live_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/authconform/authconform/specs"
	"github.com/authconform/authconform/specs/live"
)

// Judge a real CouchDB from go test, as `authconform run --target` does:
// Target checks the server and the credentials before any fixture, and
// its Guard keeps the failed logins below the server's lock and journals
// every change in StateDir so that it is undone even after a crash.
// (Compiled, not run: it needs a real server.)
func ExampleTarget() {
	var t *testing.T // your test's *testing.T

	dir, err := live.DefaultStateDir() // the ledger must outlive the run
	if err != nil {
		t.Fatal(err)
	}
	target, err := live.Target(context.Background(), live.Config{
		BaseURL: "http://127.0.0.1:5984",
		Flavor:  "couchdb",
		Credentials: live.Credentials{
			User: "admin", Password: "secret",
			OtherUser: "alice", OtherPassword: "alicepw",
			Database: "authtest", Document: "public/document",
		},
		StateDir: dir,
	})
	if err != nil {
		t.Fatal(err)
	}
	specs.Register(target)
	gomega.RegisterFailHandler(ginkgo.Fail)
	ginkgo.RunSpecs(t, "my CouchDB conforms")
}

// A live server's failed-login budget stays below its own lock threshold:
// Neo4j locks after 3 failures (a success resets the count), CouchDB after
// 5 per user within 5 minutes.
func ExampleDefaultBudget() {
	for _, flavor := range []string{"neo4j-3.3", "couchdb"} {
		b := live.DefaultBudget(flavor)
		fmt.Printf("%s: at most %d failed logins per %s (reset by a success: %v)\n", flavor, b.Max, b.Window, b.ResetOnSuccess)
	}
	// Output:
	// neo4j-3.3: at most 2 failed logins per 5s (reset by a success: true)
	// couchdb: at most 4 failed logins per 5m0s (reset by a success: false)
}
