package neo4jwire

import (
	"strings"
	"testing"

	"github.com/authconform/authconform/fakeserver/internal/core"
)

func TestStateUser(t *testing.T) {
	base := core.User{Name: "neo4j", Password: "pw", Roles: []string{"admin"}}
	for _, tc := range []struct {
		state       string
		base        core.User
		wantChange  bool
		wantAuthOff bool
	}{
		{"default-password", base, true, false},
		{"password-changed", core.User{Name: "neo4j", Password: "pw", ChangeRequired: true}, false, false},
		{"auth-disabled", base, false, true},
		{"auth-disabled", core.User{Name: "neo4j", Password: "pw", ChangeRequired: true}, true, true},
	} {
		u, authOff, err := StateUser(tc.state, tc.base, []string{"default-password", "password-changed", "auth-disabled"})
		if err != nil || u.Name != "neo4j" || u.Password != "pw" || u.ChangeRequired != tc.wantChange || authOff != tc.wantAuthOff {
			t.Errorf("%s from %+v: %+v, auth off %v, %v", tc.state, tc.base, u, authOff, err)
		}
	}
	_, _, err := StateUser("no-such-state", base, []string{"default-password"})
	if err == nil || !strings.Contains(err.Error(), `"no-such-state"`) || !strings.Contains(err.Error(), "default-password") {
		t.Errorf("an unknown state: %v", err)
	}
}
