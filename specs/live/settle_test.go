package live

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/specs"
)

// lagging answers the first lag anonymous reads of a scratch document with
// 401, as a cluster node that has not applied the new _security yet does.
func lagging(t *testing.T, lag int32) (*States, *atomic.Int32) {
	t.Helper()
	fake, err := fakeserver.New(fakeserver.Options{Flavor: fakeserver.CouchDB})
	if err != nil {
		t.Fatal(err)
	}
	var reads atomic.Int32
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "" && strings.HasSuffix(r.URL.Path, "/document") && reads.Add(1) <= lag {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		fake.ServeHTTP(w, r)
	})
	l := NewStates("couchdb", "http://fake.test", Credentials{User: "admin", Password: "secret"}, specs.InProcessClient(h))
	l.stateDir, l.server, l.scratch = t.TempDir(), "http://fake.test", true
	return l, &reads
}

func TestScratchDocumentWaitsForTheClusterToShowIt(t *testing.T) {
	defer func(p time.Duration) { settlePause = p }(settlePause)
	settlePause = 0
	l, reads := lagging(t, 2)
	name, done, err := l.scratchDatabase(context.Background(), true)
	if err != nil {
		t.Fatalf("two lagging reads, then seen: %v", err)
	}
	if n := reads.Load(); n != 3 {
		t.Errorf("%d anonymous reads, want 3 (two lagging, one seen)", n)
	}
	if err := done(context.Background()); err != nil || name == "" {
		t.Fatalf("cleanup of %q: %v", name, err)
	}
}

func TestScratchDocumentNeverSeenIsAnErrorAndCleanedUp(t *testing.T) {
	defer func(d time.Duration) { settleTime = d }(settleTime)
	settleTime = 0
	l, _ := lagging(t, 1<<30)
	_, _, err := l.scratchDatabase(context.Background(), true)
	if err == nil || !strings.Contains(err.Error(), "not seen within") {
		t.Fatalf("never seen: %v, want an error saying so", err)
	}
	status, body, _ := l.adminRequest(context.Background(), http.MethodGet, "/_all_dbs", nil)
	if status != http.StatusOK || strings.Contains(string(body), "authconform-scratch-") {
		t.Fatalf("GET /_all_dbs after the error: %d %s, want the scratch database deleted", status, body)
	}
}

func TestScratchUserIsAwaitedWhereTheFixtureWillUseIt(t *testing.T) {
	defer func(p time.Duration) { settlePause = p }(settlePause)
	settlePause = 0
	fake, err := fakeserver.New(fakeserver.Options{Flavor: fakeserver.CouchDB})
	if err != nil {
		t.Fatal(err)
	}
	var unknown atomic.Int32
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, _, _ := r.BasicAuth()
		if strings.HasPrefix(user, "authconform-scratch-") && r.URL.Path == "/_session" && unknown.Add(1) <= 2 {
			w.WriteHeader(http.StatusUnauthorized) // a node without the new _users document
			_, _ = w.Write([]byte(`{"error":"unauthorized","reason":"Name or password is incorrect."}`))
			return
		}
		fake.ServeHTTP(w, r)
	})
	l := NewStates("couchdb", "http://fake.test", Credentials{User: "admin", Password: "secret"}, specs.InProcessClient(h))
	l.stateDir, l.server, l.scratch, l.nodeURL = t.TempDir(), "http://fake.test", true, "http://node.fake.test"
	vars, cleanup, err := l.enterScratch(context.Background(), "couchdb/lockout", "user-exists")
	if err != nil {
		t.Fatalf("two answers from a node without the user, then known: %v", err)
	}
	defer func() { _ = cleanup(context.Background()) }()
	// Two unknown answers and one known at the target's URL, one known at
	// the node's.
	if n := unknown.Load(); n != 4 || !strings.HasPrefix(vars["User"].(string), "authconform-scratch-") {
		t.Errorf("%d session requests as %v, want 4", n, vars["User"])
	}
}
