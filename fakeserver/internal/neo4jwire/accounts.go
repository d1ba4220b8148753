package neo4jwire

import (
	"time"

	"github.com/authconform/authconform/fakeserver/internal/core"
)

// Accounts is what both Neo4j flavors take from fakeserver.Options besides
// their own fields: the users, whether authentication is off, the
// failed-login limit and the clock.
type Accounts struct {
	// Users replace the flavor's DefaultUser when non-empty.
	Users        []core.User
	AuthDisabled bool
	// MaxFailedLogins (zero: 3; negative: no limit) and LockDuration
	// (zero: 5 s) are the failed-login limit.
	MaxFailedLogins int
	LockDuration    time.Duration
	Clock           *core.Clock
}
