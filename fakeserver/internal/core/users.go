package core

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"hash/maphash"
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
	// Hash, when set, is the stored credential passwords are checked
	// against, and Password is not used (CouchDB: a _users document's own
	// PBKDF2 or SHA-1 fields).
	Hash PasswordHash
	// Salt, when set, is the account's salt instead of a random one
	// (CouchDB: the document's salt, which keys its session cookies).
	Salt []byte
}

// PasswordHash is a credential stored in a flavor's own format.
type PasswordHash interface {
	// Matches reports whether password is the one the credential was made
	// from.
	Matches(password string) bool
}

// Account is a stored user: the password only as a salted hash.
type Account struct {
	Name           string
	Roles          []string
	ChangeRequired bool
	salt, hash     []byte
	// stored replaces salt and hash for checking passwords (User.Hash).
	stored PasswordHash
	// changes counts password changes, so that a Check that raced with
	// one does not cache the old password.
	changes uint64
}

// fingerprint identifies a verified name and password in the cache.
type fingerprint [2]uint64

func hashPassword(salt []byte, password string) []byte {
	m := hmac.New(sha256.New, salt)
	m.Write([]byte(password))
	return m.Sum(nil)
}

func newAccount(u User) *Account {
	salt := slices.Clone(u.Salt)
	if salt == nil {
		salt = make([]byte, 16)
		_, _ = rand.Read(salt) // never fails (crypto/rand panics rather than return an error)
	}
	a := &Account{
		Name:           u.Name,
		Roles:          slices.Clone(u.Roles),
		ChangeRequired: u.ChangeRequired,
		salt:           salt,
		stored:         u.Hash,
	}
	if u.Hash == nil {
		a.hash = hashPassword(salt, u.Password)
	}
	return a
}

// Salt is the account's random salt, for keys that must change with the
// account (CouchDB's cookie MAC).
func (a *Account) Salt() []byte { return a.salt }

// Hash is the stored credential the account was made from (User.Hash);
// nil when the account has the fake's own hash.
func (a *Account) Hash() PasswordHash { return a.stored }

// PasswordIs compares in constant time (the stored credential's Matches,
// when the account has one, decides for itself).
func (a *Account) PasswordIs(password string) bool {
	if a.stored != nil {
		return a.stored.Matches(password)
	}
	return subtle.ConstantTimeCompare(a.hash, hashPassword(a.salt, password)) == 1
}

func (s *Users) passwordIs(a *Account, password string) bool {
	if s.onHash != nil {
		s.onHash()
	}
	return a.PasswordIs(password)
}

// Users is the set of accounts of one flavor, safe for concurrent use.
//
// Check caches verified credentials, as CouchDB does: once a name and
// password have passed the hash, the same pair is accepted from a
// fingerprint without hashing again. The fingerprint is 128 bits of two
// randomly seeded hashes of name and password, and it is stored only after
// a successful hash, so a wrong password is never taken for a right one
// (it misses the cache and is hashed). Every method that changes or removes
// an account's password must drop its entry (forget), under the same lock
// as the change: SetPassword does, and so must any added later, such as
// CouchDB's _users updates.
type Users struct {
	mu    sync.RWMutex
	users map[string]*Account
	// verified holds the fingerprint of each name's last verified password.
	verified map[string]fingerprint
	seeds    [2]maphash.Seed
	// dummy is checked for unknown names so their timing matches known ones.
	dummy *Account
	// onHash, when set, is called for every password hash Check computes
	// (a test counts them).
	onHash func()
}

// NewUsers stores users; names are assumed unique (Options checks them).
func NewUsers(users []User) *Users {
	s := &Users{
		users: map[string]*Account{}, verified: map[string]fingerprint{},
		seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()},
		dummy: newAccount(User{Name: "\x00", Password: "\x00"}),
	}
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

// LookupOrDummy is Lookup, but for an unknown name it returns a dummy
// account (with its own random salt) and false, so that the caller can do
// the same work for unknown names as for known ones.
func (s *Users) LookupOrDummy(name string) (Account, bool) {
	if a, ok := s.Lookup(name); ok {
		return a, true
	}
	return *s.dummy, false
}

// Check reports whether name exists and password is its password. A pair
// verified before is accepted from the cache; anything else is hashed, and
// an unknown name costs the same hash as a known one, so a refusal takes
// the same work whether or not the name exists.
func (s *Users) Check(name, password string) (acct Account, exists, ok bool) {
	fp := s.fingerprint(name, password)
	s.mu.RLock()
	a, exists := s.users[name]
	if exists {
		acct = *a
	}
	cached, hit := s.verified[name]
	s.mu.RUnlock()
	if !exists {
		s.passwordIs(s.dummy, password)
		return Account{}, false, false
	}
	if hit && cached == fp {
		return acct, true, true
	}
	if !s.passwordIs(&acct, password) {
		return acct, true, false
	}
	s.mu.Lock()
	// The same account, unchanged since it was read: not replaced by Put
	// or deleted, and no password change in between.
	if cur, ok := s.users[name]; ok && cur == a && cur.changes == acct.changes {
		s.verified[name] = fp
	}
	s.mu.Unlock()
	return acct, true, true
}

// fingerprint hashes the name's length, the name and the password, so that
// no two pairs write the same bytes; it allocates nothing.
func (s *Users) fingerprint(name, password string) fingerprint {
	var fp fingerprint
	var size [8]byte
	binary.LittleEndian.PutUint64(size[:], uint64(len(name)))
	for i, seed := range s.seeds {
		var h maphash.Hash
		h.SetSeed(seed)
		_, _ = h.Write(size[:])
		_, _ = h.WriteString(name)
		_, _ = h.WriteString(password)
		fp[i] = h.Sum64()
	}
	return fp
}

// forget drops name's cached credential; the caller holds s.mu for writing.
func (s *Users) forget(name string) { delete(s.verified, name) }

// SetPassword replaces a known user's password and clears ChangeRequired.
func (s *Users) SetPassword(name, password string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.users[name]; ok {
		a.hash, a.stored = hashPassword(a.salt, password), nil
		a.ChangeRequired = false
		a.changes++
		s.forget(name)
	}
}

// Put creates name's account or replaces it, password and all, with a
// fresh salt: whatever was keyed by the old salt (CouchDB's session
// cookies) stops working, as on a real password change.
func (s *Users) Put(u User) {
	a := newAccount(u)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[u.Name] = a
	s.forget(u.Name)
}

// SetRoles replaces a known user's roles, keeping password and salt.
func (s *Users) SetRoles(name string, roles []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.users[name]; ok {
		a.Roles = slices.Clone(roles)
	}
}

// Delete removes name's account; unknown names are ignored.
func (s *Users) Delete(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.users, name)
	s.forget(name)
}
