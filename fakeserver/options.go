package fakeserver

import (
	"fmt"
	"time"
)

// Flavor names the API a Fake implements.
type Flavor string

// The flavors a Fake can implement.
const (
	Neo4j33    Flavor = "neo4j-3.3"   // Neo4j 3.3 HTTP API
	Neo4jQuery Flavor = "neo4j-query" // Neo4j 5 Query API v2
	CouchDB    Flavor = "couchdb"     // CouchDB / Cloudant
)

// Flavors lists every flavor in a stable order.
func Flavors() []Flavor { return []Flavor{Neo4j33, Neo4jQuery, CouchDB} }

// Profile selects whose behaviour the fake follows where a real release
// differs from its document.
type Profile string

// The profiles. ProfileDocumented does exactly what the documents say; the
// others emulate the release behaviour measured in shared/reference.
const (
	ProfileDocumented Profile = "documented"
	ProfileNeo4j339   Profile = "neo4j-3.3.9"
	ProfileNeo4j5     Profile = "neo4j-5"
	ProfileCouchDB35  Profile = "couchdb-3.5"
)

// ProfilesFor lists the profiles that apply to a flavor, documented first.
func ProfilesFor(f Flavor) []Profile {
	switch f {
	case Neo4j33:
		return []Profile{ProfileDocumented, ProfileNeo4j339}
	case Neo4jQuery:
		return []Profile{ProfileDocumented, ProfileNeo4j5}
	case CouchDB:
		return []Profile{ProfileDocumented, ProfileCouchDB35}
	}
	return nil
}

// User is an account of the fake. Its password is stored hashed.
type User struct {
	Name     string
	Password string
	// Roles are CouchDB roles; "_admin" makes a server admin.
	Roles []string
	// PasswordChangeRequired is Neo4j's first-login flag.
	PasswordChangeRequired bool
}

// Token is a bearer token of the neo4j-query flavor.
type Token struct {
	Token string
	User  string
	// Expires is when the token stops working; zero means never.
	Expires time.Time
}

// Database is a CouchDB database seeded into the fake.
type Database struct {
	Name string
	// Public databases are readable by anyone; otherwise only server
	// admins, Admins and Members (user names or roles) may read.
	Public  bool
	Admins  []string
	Members []string
	// Docs maps document id to its JSON body.
	Docs map[string]string
}

// Options configures a Fake. The zero value is a usable Neo4j 3.3 fake in
// its documented profile with the fresh-install user neo4j/neo4j.
type Options struct {
	Flavor  Flavor
	Profile Profile
	// Users replaces the flavor's default users when non-empty. The
	// defaults are the documents' own: neo4j-3.3 neo4j/neo4j with a
	// password change required (a fresh install); neo4j-query
	// neo4j/verysecret; couchdb the server admin admin/secret and alice/alicepw
	// with role "reader".
	Users []User
	// AuthDisabled answers every request as if authenticated (Neo4j).
	AuthDisabled bool
	// Tokens are accepted as bearer tokens (neo4j-query); the default is
	// the document's xbhkjnlvianztghqwawxqfe for neo4j.
	Tokens []Token
	// SessionTTL is the cookie session lifetime (CouchDB); zero uses the
	// profile's default.
	SessionTTL time.Duration
	// CookieSecret signs session cookies; empty means random per Fake.
	CookieSecret []byte
	// Clock supplies the time; nil means time.Now. The fake adds its own
	// offset on top (see Fake.Advance), so tests can travel in time.
	Clock func() time.Time
	// MaxFailedLogins per user before logins are refused; zero uses the
	// flavor's default, negative disables the limit.
	MaxFailedLogins int
	// LockDuration is how long a locked account stays locked; zero uses the
	// flavor's default.
	LockDuration time.Duration
	// RequireValidUser refuses anonymous requests (CouchDB).
	RequireValidUser bool
	// Databases are seeded into a CouchDB fake; the default is "authtest"
	// (server admins only) and a public "db" holding the document
	// "document", as the document's Basic example reads.
	Databases []Database
	// MaxBodyBytes bounds request bodies; zero means 1 MiB.
	MaxBodyBytes int64
	// ControlPlane mounts /_authconform/ (reset, state, clock, healthz).
	ControlPlane bool
}

const defaultMaxBody = 1 << 20

func (o Options) withDefaults() (Options, error) {
	if o.Flavor == "" {
		o.Flavor = Neo4j33
	}
	if o.Profile == "" {
		o.Profile = ProfileDocumented
	}
	known := false
	for _, p := range ProfilesFor(o.Flavor) {
		known = known || p == o.Profile
	}
	if ProfilesFor(o.Flavor) == nil {
		return o, fmt.Errorf("fakeserver: unknown flavor %q (want one of %v)", o.Flavor, Flavors())
	}
	if !known {
		return o, fmt.Errorf("fakeserver: profile %q does not apply to flavor %s (want one of %v)", o.Profile, o.Flavor, ProfilesFor(o.Flavor))
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = defaultMaxBody
	}
	seen := map[string]bool{}
	for _, u := range o.Users {
		if u.Name == "" {
			return o, fmt.Errorf("fakeserver: a user has an empty name")
		}
		if seen[u.Name] {
			return o, fmt.Errorf("fakeserver: user %q is listed twice", u.Name)
		}
		seen[u.Name] = true
	}
	return o, nil
}
