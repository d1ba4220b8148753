package core

import "testing"

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
