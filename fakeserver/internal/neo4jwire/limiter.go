package neo4jwire

import (
	"time"

	"github.com/authconform/authconform/fakeserver/internal/core"
)

// NewLimiter is Neo4j's failed-login limit unless Options say otherwise:
// 3 failures per user, then a 5 s lock. Both releases have it (reference
// §3): 3.3 as unsupported.dbms.security.auth_max_failed_attempts and the
// fixed FAILED_AUTH_COOLDOWN_PERIOD, 5 as
// dbms.security.auth_max_failed_attempts and dbms.security.auth_lock_time.
// A negative maxFailures turns the limit off.
func NewLimiter(maxFailures int, lock time.Duration) *core.Limiter {
	if maxFailures == 0 {
		maxFailures = 3
	}
	if lock == 0 {
		lock = 5 * time.Second
	}
	return core.NewLimiter(core.NewCountUntilSuccess(maxFailures, lock))
}
