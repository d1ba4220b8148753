package live

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/authconform/authconform/fixtures"
	"github.com/authconform/authconform/specs"
)

// TestGuardJournalsEachChangeUntilItsRestoreIsVerified: the journal is
// written before the change, stays while the restore is not verified
// (the error names it), and goes once it is.
func TestGuardJournalsEachChangeUntilItsRestoreIsVerified(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	const canonical = "http://127.0.0.1:7474"
	g := &guard{base: canonical + "/", server: canonical, stateDir: dir, journals: map[string]string{}}
	fx := fixtures.Fixture{ID: "neo4j-3.3/change-password", Flavor: "neo4j-3.3"}

	if err := g.AfterRestore(ctx, fx, nil); err != nil {
		t.Errorf("a restore without a journal: %v", err)
	}
	note, err := g.BeforeChange(ctx, fx, map[string]string{"User": "neo4j", "Password": "neo4j", "NewPassword": "temporary"})
	if err != nil {
		t.Fatal(err)
	}
	pending, err := PendingRestores(dir, canonical)
	if err != nil || len(pending) != 1 || pending[0].Fixture != fx.ID || pending[0].User != "neo4j" || pending[0].Target != canonical {
		t.Fatalf("after BeforeChange: %+v, %v; want one journal of %s for neo4j", pending, err, fx.ID)
	}
	if st, err := os.Stat(pending[0].Path); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("journal %s: %v, mode %v; want 0600", pending[0].Path, err, st.Mode())
	}
	if !strings.Contains(note, pending[0].Path) || !strings.Contains(note, "authconform restore --state-dir "+dir) {
		t.Errorf("the note %q does not say where the journal is and how to restore", note)
	}

	failed := errors.New("logging in with the original password: 401")
	err = g.AfterRestore(ctx, fx, failed)
	if !errors.Is(err, failed) || !strings.Contains(err.Error(), pending[0].Path) {
		t.Errorf("an unverified restore: %v; want the restore error naming the journal", err)
	}
	if left, _ := PendingRestores(dir, canonical); len(left) != 1 {
		t.Fatalf("an unverified restore removed the journal: %v", left)
	}
	if err := g.AfterRestore(ctx, fx, nil); err != nil {
		t.Errorf("a verified restore: %v", err)
	}
	if left, _ := PendingRestores(dir, canonical); len(left) != 0 {
		t.Errorf("a verified restore left its journal: %v", left)
	}
}

// TestGuardSpendsFailedLoginsFromTheLedger: without scratch accounts, a
// lockout fixture is refused and failed logins are spent from the ledger
// until it has no room; each refusal skips (ErrUnreachable) with why.
func TestGuardSpendsFailedLoginsFromTheLedger(t *testing.T) {
	ctx := context.Background()
	states := NewStates("couchdb", "http://127.0.0.1:1", Credentials{User: "admin", Password: "secret"}, nil)
	g := &guard{states: states, ledger: &budgetTracker{b: failureBudget{Max: 2, Window: time.Hour}, now: time.Now}}

	lockout := fixtures.Fixture{ID: "couchdb/lockout", State: "user-exists", Lockout: true, AuthFailures: 1}
	if _, _, err := g.FailedLogins(ctx, lockout); !errors.Is(err, specs.ErrUnreachable) || !strings.Contains(err.Error(), "locks an account") {
		t.Errorf("a lockout fixture: %v, want a skip saying it locks an account", err)
	}
	failing := fixtures.Fixture{ID: "couchdb/basic-wrong-password", State: "user-exists", AuthFailures: 1}
	for i := range 2 {
		vars, release, err := g.FailedLogins(ctx, failing)
		if err != nil || vars["User"] != "admin" || release != nil {
			t.Fatalf("failure %d of 2: vars %v, release %v, %v", i+1, vars, release != nil, err)
		}
	}
	if _, _, err := g.FailedLogins(ctx, failing); !errors.Is(err, specs.ErrUnreachable) || !strings.Contains(err.Error(), "failed-login budget") {
		t.Errorf("a third failure within the window: %v, want a skip naming the failed-login budget", err)
	}
	unreachableState := fixtures.Fixture{ID: "couchdb/x", State: "no-such-state", AuthFailures: 1}
	if _, _, err := g.FailedLogins(ctx, unreachableState); !errors.Is(err, specs.ErrUnreachable) || strings.Contains(err.Error(), "budget") {
		t.Errorf("a state the target cannot reach: %v, want its own skip, not the budget's", err)
	}
	restoring := &guard{journals: map[string]string{}}
	if _, _, err := restoring.FailedLogins(ctx, failing); err == nil || errors.Is(err, specs.ErrUnreachable) {
		t.Errorf("a guard that only restores: %v, want an error", err)
	}
}

// TestGuardClosesOnce: the run's cleanup runs once, and every Close
// returns its error, so that the caller hears of it too.
func TestGuardClosesOnce(t *testing.T) {
	if err := (&guard{}).Close(context.Background()); err != nil {
		t.Errorf("a guard with nothing to delete: %v", err)
	}
	runs := 0
	failed := errors.New("deleting scratch database: 500")
	g := &guard{close: once(func(context.Context) error { runs++; return failed })}
	for range 2 {
		if err := g.Close(context.Background()); !errors.Is(err, failed) {
			t.Errorf("Close: %v, want %v", err, failed)
		}
	}
	if runs != 1 {
		t.Errorf("the cleanup ran %d times, want once", runs)
	}
}
