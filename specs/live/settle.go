package live

import (
	"context"
	"fmt"
	"time"
)

// settleTime is how long the run gives a cluster to show its own write on
// the node that answers next (read-after-write): a balancer may send the
// read to a node that has not applied the write yet. Measured on a 3-node
// CouchDB 3.5.0 cluster on loopback: at once, but once in a handful of runs
// a fresh database's _security was not yet seen by the next request.
// (A variable only for the tests of the package.)
var settleTime = 5 * time.Second

// settlePause is the pause between two looks; a variable of the package
// only so that its tests need not wait.
var settlePause = 250 * time.Millisecond

// untilSeen asks seen until it reports true or settleTime has passed. seen
// must send nothing that could count as a failed login: an anonymous
// request, or a login with credentials that are new (never a password that
// a write just replaced, which would count as a failure against the new
// one).
func untilSeen(ctx context.Context, what string, seen func(context.Context) (bool, error)) error {
	deadline := time.Now().Add(settleTime)
	for {
		ok, err := seen(ctx)
		switch {
		case err != nil:
			return err
		case ok:
			return nil
		case time.Now().After(deadline):
			return fmt.Errorf("%s: not seen within %s of the write (read-after-write on a cluster?)", what, settleTime)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(settlePause):
		}
	}
}
