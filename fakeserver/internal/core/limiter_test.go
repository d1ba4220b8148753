package core

import (
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func TestAttemptSequence(t *testing.T) {
	users := NewUsers([]User{{Name: "neo4j", Password: "secret"}})
	l := NewLimiter(NewCountUntilSuccess(3, 5*time.Second))
	try := func(name, password string, at time.Duration) Outcome {
		_, o := l.Attempt(users, name, name, password, t0.Add(at))
		return o
	}
	steps := []struct {
		name, password string
		at             time.Duration
		want           Outcome
	}{
		{"neo4j", "wrong", 0, BadLogin},
		{"neo4j", "wrong", 0, BadLogin},
		{"neo4j", "wrong", 0, BadLogin},
		{"neo4j", "secret", time.Second, LockedOut}, // locked even with the right password
		{"neo4j", "secret", 4 * time.Second, LockedOut},
		{"neo4j", "wrong", 5 * time.Second, BadLogin},   // the lock ran out; counted again
		{"neo4j", "secret", 6 * time.Second, LockedOut}, // and re-armed at once
		{"neo4j", "secret", 10 * time.Second, LoggedIn}, // a success ...
		{"neo4j", "wrong", 10 * time.Second, BadLogin},  // ... resets the count
		{"neo4j", "secret", 10 * time.Second, LoggedIn},
	}
	for i, s := range steps {
		if got := try(s.name, s.password, s.at); got != s.want {
			t.Fatalf("step %d (%s/%s at %v): %v, want %v", i, s.name, s.password, s.at, got, s.want)
		}
	}
	for i := 0; i < 10; i++ { // unknown names are never locked
		if got := try("nobody", "x", 0); got != BadLogin {
			t.Fatalf("unknown user, attempt %d: %v", i+1, got)
		}
	}
}

func TestAttemptReturnsTheAccount(t *testing.T) {
	users := NewUsers([]User{{Name: "admin", Password: "pw", Roles: []string{"_admin"}, ChangeRequired: true}})
	acct, o := NewLimiter(NewCountUntilSuccess(-1, 0)).Attempt(users, "k", "admin", "pw", t0)
	if o != LoggedIn || acct.Name != "admin" || len(acct.Roles) != 1 || !acct.ChangeRequired {
		t.Fatalf("%v %+v", o, acct)
	}
	users.SetPassword("admin", "new")
	if a, _ := users.Lookup("admin"); a.ChangeRequired || !a.PasswordIs("new") || a.PasswordIs("pw") {
		t.Fatalf("after SetPassword: %+v", a)
	}
}

func TestNoLimit(t *testing.T) {
	users := NewUsers([]User{{Name: "u", Password: "p"}})
	l := NewLimiter(NewCountUntilSuccess(0, time.Hour))
	for i := 0; i < 20; i++ {
		l.Attempt(users, "u", "u", "bad", t0)
	}
	if _, o := l.Attempt(users, "u", "u", "p", t0); o != LoggedIn {
		t.Fatalf("limit 0 locked: %v", o)
	}
}

// TestLockBoundary: the lock starts at the max-th failure and ends exactly
// Lock after the last counted one; a disabled rule never locks.
func TestLockBoundary(t *testing.T) {
	c := NewCountUntilSuccess(2, 5*time.Second)
	c.Failed("k", t0)
	if c.Locked("k", t0) {
		t.Fatal("locked after one of two failures")
	}
	c.Failed("k", t0)
	if !c.Locked("k", t0) || !c.Locked("k", t0.Add(5*time.Second-time.Nanosecond)) {
		t.Fatal("not locked within the lock")
	}
	if c.Locked("k", t0.Add(5*time.Second)) {
		t.Fatal("still locked when Lock has passed")
	}
	if c.Locked("other", t0) {
		t.Fatal("another key is locked")
	}
	c.Succeeded("k")
	if c.Locked("k", t0) {
		t.Fatal("locked after a success")
	}
	off := NewCountUntilSuccess(0, time.Hour)
	for range 5 {
		off.Failed("k", t0)
	}
	if off.Locked("k", t0) {
		t.Fatal("a disabled rule locks")
	}
}
