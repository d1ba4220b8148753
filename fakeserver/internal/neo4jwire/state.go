package neo4jwire

import "github.com/authconform/authconform/fakeserver/internal/core"

// The states both Neo4j flavors offer.
const (
	DefaultPassword = "default-password" // the user must change the password first
	PasswordChanged = "password-changed" // the user logs in and is let through
	AuthDisabled    = "auth-disabled"    // dbms.security.auth_enabled=false
)

// StateUser is what the named state makes of the account states are built
// around: the password states say whether a change is required,
// auth-disabled keeps the account as it is and turns authentication off.
// known is the flavor's state list, for the error on any other name. Each
// flavor then adds what its own release does in that state.
func StateUser(name string, base core.User, known []string) (u core.User, authOff bool, err error) {
	switch name {
	case DefaultPassword:
		base.ChangeRequired = true
	case PasswordChanged:
		base.ChangeRequired = false
	case AuthDisabled:
		return base, true, nil
	default:
		return core.User{}, false, core.UnknownState(name, known)
	}
	return base, false, nil
}
