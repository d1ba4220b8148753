package core

import (
	"hash/maphash"
	"sync"
	"time"
)

// LockRule is a flavor's failed-login policy, keyed by whatever the flavor
// counts per (Neo4j: the user name; CouchDB: client IP and name).
type LockRule interface {
	// Locked reports whether key may not try to log in at now.
	Locked(key string, now time.Time) bool
	Failed(key string, now time.Time)
	Succeeded(key string)
}

// Outcome is the result of one login Attempt.
type Outcome int

// The outcomes of an Attempt.
const (
	LoggedIn  Outcome = iota
	BadLogin          // unknown name or wrong password
	LockedOut         // a known name whose key is locked; the password was not checked
)

// Limiter runs login attempts under a LockRule. Attempt holds one key from
// the lock check until the outcome is counted: without that, every request
// of a concurrent burst could pass the lock check before any of their
// failures is counted, and more than the threshold would be let through.
type Limiter struct {
	rule    LockRule
	seed    maphash.Seed
	stripes [64]sync.Mutex // striped, so memory stays fixed
}

// NewLimiter returns a Limiter enforcing rule.
func NewLimiter(rule LockRule) *Limiter { return &Limiter{rule: rule, seed: maphash.MakeSeed()} }

// Attempt is one login of name with password, counted under key: a locked
// key is refused without a password check; a failure of a known name is
// counted (unknown names are never locked, so a lock reveals nothing); a
// success tells the rule.
func (l *Limiter) Attempt(users *Users, key, name, password string, now time.Time) (Account, Outcome) {
	m := &l.stripes[maphash.String(l.seed, key)%uint64(len(l.stripes))]
	m.Lock()
	defer m.Unlock()
	_, exists := users.Lookup(name)
	if exists && l.rule.Locked(key, now) {
		return Account{}, LockedOut
	}
	acct, _, ok := users.Check(name, password)
	if !ok {
		if exists {
			l.rule.Failed(key, now)
		}
		return Account{}, BadLogin
	}
	l.rule.Succeeded(key)
	return acct, LoggedIn
}

// Rule returns the limiter's rule, for tests that inspect its table.
func (l *Limiter) Rule() LockRule { return l.rule }

// CountUntilSuccess locks a key after Max failures until Lock has passed
// since the last counted failure; a refused attempt does not extend the
// lock, and only a success resets the count (Neo4j's
// RateLimitedAuthenticationStrategy). Max <= 0 disables it.
type CountUntilSuccess struct {
	max  int
	lock time.Duration

	mu       sync.Mutex
	failures map[string]int
	last     map[string]time.Time
}

// NewCountUntilSuccess returns the rule with its limits.
func NewCountUntilSuccess(maxFailures int, lock time.Duration) *CountUntilSuccess {
	return &CountUntilSuccess{max: maxFailures, lock: lock, failures: map[string]int{}, last: map[string]time.Time{}}
}

// Locked implements LockRule.
func (c *CountUntilSuccess) Locked(key string, now time.Time) bool {
	if c.max <= 0 {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.failures[key] >= c.max && now.Before(c.last[key].Add(c.lock))
}

// Failed implements LockRule.
func (c *CountUntilSuccess) Failed(key string, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.failures[key]++
	c.last[key] = now
}

// Succeeded implements LockRule.
func (c *CountUntilSuccess) Succeeded(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.failures, key)
	delete(c.last, key)
}
