package neo4jwire

import (
	"testing"
	"time"

	"github.com/authconform/authconform/fakeserver/internal/core"
)

var t0 = time.Date(2024, 7, 18, 12, 0, 0, 0, time.UTC)

// lockedAfter fails `failures` logins of neo4j at t0 and reports whether a
// right password is then refused at t0+after.
func lockedAfter(l *core.Limiter, failures int, after time.Duration) bool {
	users := core.NewUsers([]core.User{{Name: "neo4j", Password: "secret"}})
	for range failures {
		l.Attempt(users, "neo4j", "neo4j", "wrong", t0)
	}
	_, outcome := l.Attempt(users, "neo4j", "neo4j", "secret", t0.Add(after))
	return outcome == core.LockedOut
}

// TestNewLimiterDefaults is reference §3: 3 failures, then 5 s locked.
func TestNewLimiterDefaults(t *testing.T) {
	for _, tc := range []struct {
		failures int
		after    time.Duration
		locked   bool
	}{
		{2, 0, false},
		{3, 0, true},
		{3, 5*time.Second - time.Millisecond, true},
		{3, 5 * time.Second, false},
	} {
		if got := lockedAfter(NewLimiter(0, 0), tc.failures, tc.after); got != tc.locked {
			t.Errorf("%d failures, %v later: locked %v, want %v", tc.failures, tc.after, got, tc.locked)
		}
	}
}

func TestNewLimiterOptions(t *testing.T) {
	for _, tc := range []struct {
		maxFailures, failures int
		lock, after           time.Duration
		locked                bool
	}{
		{1, 1, time.Minute, 59 * time.Second, true},
		{1, 1, time.Minute, time.Minute, false},
		{5, 4, time.Minute, 0, false},
		{5, 5, time.Minute, 0, true},
		{-1, 50, time.Minute, 0, false}, // no limit
	} {
		if got := lockedAfter(NewLimiter(tc.maxFailures, tc.lock), tc.failures, tc.after); got != tc.locked {
			t.Errorf("limit %d/%v, %d failures, %v later: locked %v, want %v", tc.maxFailures, tc.lock, tc.failures, tc.after, got, tc.locked)
		}
	}
}
