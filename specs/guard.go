package specs

import (
	"context"

	"github.com/authconform/authconform/fixtures"
)

// Guard is a live target's say in its run: the engine asks it at the four
// points where a real server's accounts are at stake, and knows nothing of
// how it keeps them safe (package specs/live implements it with a
// failed-login ledger, restore journals and scratch accounts). A target
// whose States are not LockoutSafe and that has no Guard runs no fixture
// that fails a login on purpose or changes the target.
//
// The engine calls it for one fixture at a time, in this order.
type Guard interface {
	// FailedLogins enters fx's state for a fixture that fails logins on
	// purpose (fx.AuthFailures, fx.Lockout), in place of States.Enter: on
	// the target's own account within what its lock allows, or on a
	// throwaway account. release, when not nil, runs after the fixture.
	// An error wrapping ErrUnreachable skips the fixture with its text.
	FailedLogins(ctx context.Context, fx fixtures.Fixture) (vars fixtures.Vars, release func(context.Context) error, err error)
	// BeforeChange is called before the fixture's first request that may
	// change the target, with the fixture's variables (the new password
	// among them); an error stops the fixture before that request. note,
	// when not empty, goes to Target.Progress.
	BeforeChange(ctx context.Context, fx fixtures.Fixture, vars map[string]string) (note string, err error)
	// AfterRestore is called after the fixture's change was undone and
	// verified by logging in with the original password (restoreErr nil),
	// or not (restoreErr says why; it never holds the temporary password,
	// which the Guard must keep where only the user can read it). It
	// returns the fixture's restore error: restoreErr, or its own.
	AfterRestore(ctx context.Context, fx fixtures.Fixture, restoreErr error) error
	// Close is called after the target's last fixture (also after an
	// interrupt) and deletes what the Guard made for the run; a second
	// call returns the first call's error.
	Close(ctx context.Context) error
}
