package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/authconform/authconform/fakeserver"
)

// TestFreshStateDirFiveRunsNeverLock runs the whole live CouchDB suite
// five times in a row, each with a fresh state directory (a new CI
// container), against a fake whose lockout is on: the failing fixtures go
// to scratch users, so the admin never gets a 403, and no scratch user is
// left in _users.
func TestFreshStateDirFiveRunsNeverLock(t *testing.T) {
	t.Parallel()
	srv := startFake(t, fakeserver.Options{Flavor: fakeserver.CouchDB,
		Databases: liveDatabases()})
	if code, _ := adminGet(t, srv.URL+"/_users/_all_docs"); code != http.StatusOK {
		t.Skip("the CouchDB fake has no _users database yet (issue 15), so no scratch users; real CouchDB 3.5.0 runs are in README")
	}
	for i := range 5 {
		r := cli(t, "run", "--flavor", "couchdb", "--target", srv.URL, "--user", "admin", "--password", "secret",
			"--other-user", "alice", "--other-password", "alicepw", "--database", "private", "--document", "db/document",
			"--state-dir", t.TempDir(), "-v")
		if r.code != 0 || strings.Contains(r.stdout, "temporarily locked") {
			t.Fatalf("run %d: exit %d\n%s%s", i+1, r.code, r.stdout, r.stderr)
		}
		if !strings.Contains(r.stdout, "passed          couchdb/lockout") {
			t.Errorf("run %d: couchdb/lockout did not run on a scratch user", i+1)
		}
	}
	if code, _ := adminGet(t, srv.URL+"/_session"); code != http.StatusOK {
		t.Errorf("after five runs the admin gets %d", code)
	}
	if _, body := adminGet(t, srv.URL+"/_users/_all_docs"); strings.Contains(body, "authconform-scratch-") {
		t.Errorf("scratch users left in _users: %s", body)
	}
}
