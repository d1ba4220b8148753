package core

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"slices"
	"sync"
)

// User is an account as a flavor is configured with it.
type User struct {
	Name     string
	Password string
	// Roles are the flavor's roles (CouchDB: "_admin" is a server admin).
	Roles []string
	// ChangeRequired asks for a password change before anything else.
	ChangeRequired bool
}

// Account is a stored user: the password only as a salted hash.
type Account struct {
	Name           string
	Roles          []string
	ChangeRequired bool
	salt, hash     []byte
}

func hashPassword(salt []byte, password string) []byte {
	m := hmac.New(sha256.New, salt)
	m.Write([]byte(password))
	return m.Sum(nil)
}

func newAccount(u User) *Account {
	salt := make([]byte, 16)
	_, _ = rand.Read(salt) // never fails (crypto/rand panics rather than return an error)
	return &Account{
		Name:           u.Name,
		Roles:          slices.Clone(u.Roles),
		ChangeRequired: u.ChangeRequired,
		salt:           salt,
		hash:           hashPassword(salt, u.Password),
	}
}

// Salt is the account's random salt, for keys that must change with the
// account (CouchDB's cookie MAC).
func (a *Account) Salt() []byte { return a.salt }

// PasswordIs compares in constant time.
func (a *Account) PasswordIs(password string) bool {
	return subtle.ConstantTimeCompare(a.hash, hashPassword(a.salt, password)) == 1
}

// Users is the set of accounts of one flavor, safe for concurrent use.
type Users struct {
	mu    sync.RWMutex
	users map[string]*Account
	// dummy is checked for unknown names so their timing matches known ones.
	dummy *Account
}

// NewUsers stores users; names are assumed unique (Options checks them).
func NewUsers(users []User) *Users {
	s := &Users{users: map[string]*Account{}, dummy: newAccount(User{Name: "\x00", Password: "\x00"})}
	for _, u := range users {
		s.users[u.Name] = newAccount(u)
	}
	return s
}

// Lookup returns a copy of the account, so callers never race on it.
func (s *Users) Lookup(name string) (Account, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, ok := s.users[name]
	if !ok {
		return Account{}, false
	}
	return *a, true
}

// Check reports whether name exists and password is its password; an
// unknown name costs the same hash as a known one.
func (s *Users) Check(name, password string) (acct Account, exists, ok bool) {
	a, exists := s.Lookup(name)
	if !exists {
		s.dummy.PasswordIs(password)
		return Account{}, false, false
	}
	return a, true, a.PasswordIs(password)
}

// SetPassword replaces a known user's password and clears ChangeRequired.
func (s *Users) SetPassword(name, password string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.users[name]; ok {
		a.hash = hashPassword(a.salt, password)
		a.ChangeRequired = false
	}
}
