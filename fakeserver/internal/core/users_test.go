package core

import (
	"bytes"
	"testing"
)

// TestCheckHashesOnceForEveryName: a known name with the right or a wrong
// password and an unknown name each cost one password hash, so the time to
// refuse does not tell which names exist. (Counted, not timed.)
func TestCheckHashesOnceForEveryName(t *testing.T) {
	users := NewUsers([]User{{Name: "alice", Password: "alicepw"}})
	hashes := 0
	users.onHash = func() { hashes++ }
	for _, c := range []struct {
		name, password string
		exists, ok     bool
	}{
		{"alice", "alicepw", true, true},
		{"alice", "wrong", true, false},
		{"alice", "", true, false},
		{"bob", "alicepw", false, false},
		{"", "", false, false},
	} {
		hashes = 0
		_, exists, ok := users.Check(c.name, c.password)
		if exists != c.exists || ok != c.ok {
			t.Errorf("Check(%q, %q) = exists %v ok %v, want %v %v", c.name, c.password, exists, ok, c.exists, c.ok)
		}
		if hashes != 1 {
			t.Errorf("Check(%q, %q): %d hashes, want 1", c.name, c.password, hashes)
		}
	}
}

// TestCheckCachesVerifiedCredentials: a verified pair is accepted again
// without a hash; a wrong password, another user's password and an
// unknown name are still hashed and refused; a password change drops the
// entry, so the old password fails and the new one is hashed once.
func TestCheckCachesVerifiedCredentials(t *testing.T) {
	users := NewUsers([]User{{Name: "alice", Password: "alicepw"}, {Name: "bob", Password: "bobpw"}, {Name: "alicep", Password: "w"}})
	hashes := 0
	users.onHash = func() { hashes++ }
	check := func(name, password string, wantOK bool, wantHashes int) {
		t.Helper()
		hashes = 0
		if _, _, ok := users.Check(name, password); ok != wantOK || hashes != wantHashes {
			t.Errorf("Check(%q, %q) = %v with %d hashes, want %v with %d", name, password, ok, hashes, wantOK, wantHashes)
		}
	}
	check("alice", "alicepw", true, 1)
	check("alice", "alicepw", true, 0) // cached
	check("alice", "alicepw ", false, 1)
	check("alice", "bobpw", false, 1)
	check("alice", "", false, 1)
	check("bob", "alicepw", false, 1)
	check("alicep", "w", true, 1)  // "alicep"+"w" is "alice"+"pw": the name length keeps them apart
	check("alice", "pw", false, 1) // not taken for alicep/w
	check("nobody", "alicepw", false, 1)
	check("alice", "alicepw", true, 0) // still cached after the failures

	users.SetPassword("alice", "newpw")
	check("alice", "alicepw", false, 1)
	check("alice", "newpw", true, 1)
	check("alice", "newpw", true, 0)
}

// TestCheckNeverCachesAPasswordChangedMeanwhile: a Check that verified the
// old password while SetPassword ran must not leave it cached.
func TestCheckNeverCachesAPasswordChangedMeanwhile(t *testing.T) {
	users := NewUsers([]User{{Name: "alice", Password: "old"}})
	users.onHash = func() { users.SetPassword("alice", "new") } // the change lands between hash and cache
	if _, _, ok := users.Check("alice", "old"); !ok {
		t.Fatal("the old password was refused before the change took effect")
	}
	users.onHash = nil
	if _, _, ok := users.Check("alice", "old"); ok {
		t.Fatal("the old password was cached across the change")
	}
}

func TestPutReplacesPasswordAndSalt(t *testing.T) {
	s := NewUsers([]User{{Name: "bob", Password: "old", Roles: []string{"staff"}}})
	before, _ := s.Lookup("bob")
	s.Put(User{Name: "bob", Password: "new", Roles: []string{"staff"}})
	after, _ := s.Lookup("bob")
	if bytes.Equal(before.Salt(), after.Salt()) {
		t.Fatal("Put kept the old salt; sessions keyed by it would survive a password change")
	}
	if _, _, ok := s.Check("bob", "old"); ok {
		t.Fatal("old password still accepted after Put")
	}
	if _, _, ok := s.Check("bob", "new"); !ok {
		t.Fatal("new password refused after Put")
	}
}

func TestSetRolesKeepsSalt(t *testing.T) {
	s := NewUsers([]User{{Name: "bob", Password: "pw"}})
	before, _ := s.Lookup("bob")
	s.SetRoles("bob", []string{"staff"})
	after, _ := s.Lookup("bob")
	if !bytes.Equal(before.Salt(), after.Salt()) || len(after.Roles) != 1 || after.Roles[0] != "staff" {
		t.Fatalf("SetRoles: salt kept %v, roles %v", bytes.Equal(before.Salt(), after.Salt()), after.Roles)
	}
}

func TestDelete(t *testing.T) {
	s := NewUsers([]User{{Name: "bob", Password: "pw"}})
	s.Delete("bob")
	if _, exists, _ := s.Check("bob", "pw"); exists {
		t.Fatal("deleted user still exists")
	}
	s.Delete("nobody") // no panic
}

// TestPutAndDeleteDropCachedCredentials: an account replaced by Put (a
// CouchDB _users update) or deleted no longer accepts a password verified
// before, however the cache was warmed.
func TestPutAndDeleteDropCachedCredentials(t *testing.T) {
	users := NewUsers([]User{{Name: "bob", Password: "old"}})
	if _, _, ok := users.Check("bob", "old"); !ok {
		t.Fatal("bob/old refused before any change")
	}
	users.Put(User{Name: "bob", Password: "new"})
	if _, _, ok := users.Check("bob", "old"); ok {
		t.Error("after Put, the old password is still accepted (cached)")
	}
	if _, _, ok := users.Check("bob", "new"); !ok {
		t.Error("after Put, the new password is refused")
	}
	users.Delete("bob")
	if _, exists, ok := users.Check("bob", "new"); exists || ok {
		t.Errorf("after Delete: exists %v ok %v, want false false", exists, ok)
	}
	users.Put(User{Name: "bob", Password: "third"})
	if _, _, ok := users.Check("bob", "new"); ok {
		t.Error("a deleted and re-created account accepts its old password")
	}
}

// plainHash is a PasswordHash that matches one password and counts checks.
type plainHash struct {
	password string
	checks   *int
}

func (h plainHash) Matches(password string) bool { *h.checks++; return password == h.password }

// TestStoredHashDecidesAndKeepsItsSalt: an account made from a stored hash
// is checked by that hash alone (its Password ignored), keeps the salt it
// was given, and a Put with another hash drops the cached pair, so the old
// password fails even with the same salt.
func TestStoredHashDecidesAndKeepsItsSalt(t *testing.T) {
	checks := 0
	salt := []byte("doc-salt")
	users := NewUsers(nil)
	users.Put(User{Name: "carol", Password: "ignored", Hash: plainHash{"carolpw", &checks}, Salt: salt})
	if _, _, ok := users.Check("carol", "ignored"); ok {
		t.Error("the Password field was accepted next to a stored hash")
	}
	acct, _, ok := users.Check("carol", "carolpw")
	if !ok {
		t.Fatal("the stored hash's password is refused")
	}
	if !bytes.Equal(acct.Salt(), salt) {
		t.Errorf("salt %q, want the given %q", acct.Salt(), salt)
	}
	checks = 0
	if _, _, ok := users.Check("carol", "carolpw"); !ok || checks != 0 {
		t.Errorf("second check: ok %v after %d hash checks, want true from the cache", ok, checks)
	}
	users.Put(User{Name: "carol", Hash: plainHash{"newpw", &checks}, Salt: salt})
	if _, _, ok := users.Check("carol", "carolpw"); ok {
		t.Error("after Put with a new hash, the old password is still accepted (cached)")
	}
	users.SetPassword("carol", "set")
	if _, _, ok := users.Check("carol", "set"); !ok {
		t.Error("SetPassword does not replace a stored hash")
	}
}

func TestUsersLookupCheckSetPassword(t *testing.T) {
	users := NewUsers([]User{{Name: "neo4j", Password: "neo4j", ChangeRequired: true, Roles: []string{"r"}}, {Name: "fred", Password: "fredpw"}})
	if _, ok := users.Lookup("nobody"); ok {
		t.Fatal("an unknown user exists")
	}
	a, ok := users.Lookup("neo4j")
	if !ok || a.Name != "neo4j" || !a.ChangeRequired || len(a.Roles) != 1 || len(a.Salt()) != 16 {
		t.Fatalf("%+v %v", a, ok)
	}
	if !a.PasswordIs("neo4j") || a.PasswordIs("neo4J") || a.PasswordIs("") {
		t.Fatal("PasswordIs")
	}
	if _, exists, ok := users.Check("nobody", "x"); exists || ok {
		t.Fatal("Check of an unknown user")
	}
	if acct, exists, ok := users.Check("neo4j", "wrong"); !exists || ok || acct.Name != "neo4j" {
		t.Fatalf("Check of a wrong password: %+v %v %v", acct, exists, ok)
	}
	users.SetPassword("neo4j", "secret")
	users.SetPassword("nobody", "secret") // no account is made
	if _, ok := users.Lookup("nobody"); ok {
		t.Fatal("SetPassword made an account")
	}
	if _, _, ok := users.Check("neo4j", "neo4j"); ok {
		t.Fatal("the old password still works")
	}
	if acct, _, ok := users.Check("neo4j", "secret"); !ok || acct.ChangeRequired {
		t.Fatalf("after SetPassword: %v %+v", ok, acct)
	}
	if _, _, ok := users.Check("fred", "fredpw"); !ok {
		t.Fatal("another user's password changed")
	}
	other := NewUsers([]User{{Name: "neo4j", Password: "neo4j"}})
	b, _ := other.Lookup("neo4j")
	if string(b.Salt()) == string(a.Salt()) {
		t.Fatal("two accounts share a salt")
	}
}
