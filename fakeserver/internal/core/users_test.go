package core

import (
	"bytes"
	"testing"
)

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
