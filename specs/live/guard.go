package live

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/authconform/authconform/fixtures"
)

// guard is the specs.Guard of a live target, in the order the engine asks
// it: failed logins go to a scratch user or are spent from the ledger, a
// change is journaled before it is sent, the journal goes once the engine
// verified the restore, and the run's scratch databases are deleted at the
// end.
type guard struct {
	states   *States // nil when only restoring a journal
	ledger   *budgetTracker
	base     string
	server   string // see serverKey
	stateDir string
	close    func(context.Context) error

	mu       sync.Mutex
	journals map[string]string // fixture id: its journal, until the restore is verified
}

// FailedLogins enters fx's state as a scratch user when the target allows
// one (CouchDB with a server admin: locking it harms nobody), else as the
// target's own account after spending fx's failures from the ledger.
func (g *guard) FailedLogins(ctx context.Context, fx fixtures.Fixture) (fixtures.Vars, func(context.Context) error, error) {
	if g.states == nil {
		return nil, nil, errors.New("this guard only restores journals")
	}
	if g.states.scratchAccounts() {
		return g.states.enterScratch(ctx, fx.ID, fx.State)
	}
	if fx.Lockout {
		return nil, nil, unreachable("locks an account on purpose; runs only against a fake or a CouchDB scratch user (needs a server admin), never against a live server's own accounts")
	}
	vars, err := g.states.Enter(ctx, fx.State)
	if err != nil {
		return nil, nil, err
	}
	if err := g.ledger.spend(fx.AuthFailures); err != nil {
		return nil, nil, unreachable("failed-login budget: %v", err)
	}
	return vars, nil, nil
}

// BeforeChange journals the change (see journalChange).
func (g *guard) BeforeChange(_ context.Context, fx fixtures.Fixture, vars map[string]string) (string, error) {
	return g.journalChange(fx, vars)
}

// AfterRestore removes the fixture's journal once the engine verified the
// restore, and otherwise says where the journal is.
func (g *guard) AfterRestore(_ context.Context, fx fixtures.Fixture, restoreErr error) error {
	g.mu.Lock()
	journal := g.journals[fx.ID]
	g.mu.Unlock()
	if journal == "" {
		return restoreErr
	}
	if restoreErr != nil {
		return fmt.Errorf("%w (the journal %s, readable only by you, keeps the temporary password; retry with authconform restore)", restoreErr, journal)
	}
	if err := os.Remove(journal); err != nil {
		return fmt.Errorf("restored, but the journal stays: %w", err)
	}
	g.mu.Lock()
	delete(g.journals, fx.ID)
	g.mu.Unlock()
	return nil
}

// Close deletes what the run created (scratch databases), once.
func (g *guard) Close(ctx context.Context) error {
	if g.close == nil {
		return nil
	}
	return g.close(ctx)
}
