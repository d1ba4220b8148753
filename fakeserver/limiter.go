package fakeserver

import (
	"hash/maphash"
	"sync"
	"time"
)

// keyLocks serialises the lock check, the password check and the failure
// count of one key (striped, so memory stays fixed). Without it every
// request of a concurrent burst could pass the lock check before any of
// their failures is counted, and more than the threshold would be let
// through.
type keyLocks struct {
	seed    maphash.Seed
	stripes [64]sync.Mutex
}

func newKeyLocks() *keyLocks { return &keyLocks{seed: maphash.MakeSeed()} }

// lock locks key's stripe and returns it, for the caller to unlock.
func (k *keyLocks) lock(key string) *sync.Mutex {
	m := &k.stripes[maphash.String(k.seed, key)%uint64(len(k.stripes))]
	m.Lock()
	return m
}

// loginLimiter counts failed logins per key and locks a key after max
// failures until lock has passed since the last counted failure. It is the
// rule Neo4j's RateLimitedAuthenticationStrategy uses: a refused attempt does
// not extend the lock, and only a success resets the count.
type loginLimiter struct {
	max  int
	lock time.Duration

	// serialize holds one key's login attempt from the lock check until
	// its outcome is recorded.
	serialize *keyLocks

	mu       sync.Mutex
	failures map[string]int
	last     map[string]time.Time
}

func newLoginLimiter(max int, lock time.Duration) *loginLimiter {
	return &loginLimiter{max: max, lock: lock, serialize: newKeyLocks(), failures: map[string]int{}, last: map[string]time.Time{}}
}

// locked reports whether key may not try to log in at now.
func (l *loginLimiter) locked(key string, now time.Time) bool {
	if l.max <= 0 {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.failures[key] >= l.max && now.Before(l.last[key].Add(l.lock))
}

func (l *loginLimiter) failed(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.failures[key]++
	l.last[key] = now
}

func (l *loginLimiter) succeeded(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, key)
	delete(l.last, key)
}
