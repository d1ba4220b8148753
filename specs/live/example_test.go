package live_test

import (
	"context"
	"os"
	"testing"

	"github.com/authconform/authconform/specs"
	"github.com/authconform/authconform/specs/live"
)

// Judge a real CouchDB from go test, as `authconform run --target` does:
// Target checks the server and the credentials when the test runs (never
// at package init), and its Guard keeps the failed logins below the
// server's lock and journals every change in the state directory
// (DefaultStateDir, as StateDir is not set), so that it is undone even
// after a crash. (Compiled, not run: it needs a real server.)
func ExampleTarget() {
	var t *testing.T // your test's *testing.T

	target, err := live.Target(context.Background(), live.Config{
		BaseURL: "http://127.0.0.1:5984",
		Flavor:  "couchdb",
		Credentials: live.Credentials{
			User: "admin", Password: os.Getenv("COUCHDB_PASSWORD"),
			OtherUser: "alice", OtherPassword: "alicepw",
			Database: "authtest", Document: "public/document",
		},
	})
	if err != nil {
		t.Fatal(err) // one line: unreachable, wrong password, missing database...
	}
	specs.Run(t, target)
}
