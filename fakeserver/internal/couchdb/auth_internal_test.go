package couchdb

import (
	"fmt"
	"testing"
	"time"

	"github.com/authconform/authconform/fakeserver/internal/core"
	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

// The tests of this file look inside the server: the revocation and lockout
// tables must stay bounded.

func newTableServer(t *testing.T, cfg Config) (*Server, *core.Clock) {
	t.Helper()
	clock := core.NewClock(testkit.ClockAt(testkit.TranscriptDay()))
	cfg.Clock = clock
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s, clock
}

// TestCouchLockoutBounded: entries are reclaimed once their lifetime ends.
func TestCouchLockoutBounded(t *testing.T) {
	s, clock := newTableServer(t, Config{})
	fail := func(n, base int) {
		for i := 0; i < n; i++ {
			addr := fmt.Sprintf("10.%d.%d.%d:1", (base+i)>>16&255, (base+i)>>8&255, (base+i)&255)
			testkit.Do(s, testkit.CouchDBBase, "GET", "/", "", "Authorization", "Basic YWRtaW46d3Jvbmc=", "RemoteAddr", addr) // admin:wrong
		}
	}
	fail(1000, 0)
	if n := s.LockoutEntries(); n != 1000 {
		t.Fatalf("%d entries, want 1000 live ones", n)
	}
	clock.Advance(301 * time.Second)
	fail(2*couchSweepMin, 5000)
	if n := s.LockoutEntries(); n > 2*couchSweepMin {
		t.Fatalf("%d entries after the first 1000 expired", n)
	}
}
