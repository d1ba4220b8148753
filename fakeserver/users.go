package fakeserver

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"slices"
	"sync"
)

// account is a stored user: the password only as a salted hash.
type account struct {
	name       string
	salt       []byte
	hash       []byte
	roles      []string
	changeReqd bool
}

func hashPassword(salt []byte, password string) []byte {
	m := hmac.New(sha256.New, salt)
	m.Write([]byte(password))
	return m.Sum(nil)
}

func newAccount(u User) *account {
	salt := make([]byte, 16)
	_, _ = rand.Read(salt) // never fails (crypto/rand panics rather than return an error)
	return &account{
		name:       u.Name,
		salt:       salt,
		hash:       hashPassword(salt, u.Password),
		roles:      slices.Clone(u.Roles),
		changeReqd: u.PasswordChangeRequired,
	}
}

// passwordIs compares in constant time.
func (a *account) passwordIs(password string) bool {
	return subtle.ConstantTimeCompare(a.hash, hashPassword(a.salt, password)) == 1
}

// userStore is the set of accounts of one Fake, safe for concurrent use.
type userStore struct {
	mu    sync.RWMutex
	users map[string]*account
	// dummy is checked for unknown names so their timing matches known ones.
	dummy *account
}

func newUserStore(users []User) *userStore {
	s := &userStore{users: map[string]*account{}, dummy: newAccount(User{Name: "\x00", Password: "\x00"})}
	for _, u := range users {
		s.users[u.Name] = newAccount(u)
	}
	return s
}

// lookup returns a copy of the account, so callers never race on it.
func (s *userStore) lookup(name string) (account, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, ok := s.users[name]
	if !ok {
		return account{}, false
	}
	return *a, true
}

// check reports whether name exists and password is its password.
func (s *userStore) check(name, password string) (acct account, exists, ok bool) {
	a, exists := s.lookup(name)
	if !exists {
		s.dummy.passwordIs(password)
		return account{}, false, false
	}
	return a, true, a.passwordIs(password)
}

// setPassword replaces a user's password and clears the change flag.
func (s *userStore) setPassword(name, password string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.users[name]
	if !ok {
		return false
	}
	a.hash = hashPassword(a.salt, password)
	a.changeReqd = false
	return true
}
