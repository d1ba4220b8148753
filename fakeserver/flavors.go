package fakeserver

import (
	"github.com/authconform/authconform/fakeserver/internal/core"
	"github.com/authconform/authconform/fakeserver/internal/couchdb"
	"github.com/authconform/authconform/fakeserver/internal/neo4j33"
	"github.com/authconform/authconform/fakeserver/internal/neo4jquery"
	"github.com/authconform/authconform/fakeserver/internal/neo4jwire"
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
func Flavors() []Flavor {
	out := make([]Flavor, len(builders))
	for i, b := range builders {
		out[i] = b.flavor
	}
	return out
}

// Profile selects whose behaviour the fake follows where a real release
// differs from its document.
type Profile string

// The profiles. ProfileDocumented does exactly what the documents say; the
// others emulate the release behaviour recorded in docs/reference.
const (
	ProfileDocumented Profile = "documented"
	ProfileNeo4j339   Profile = "neo4j-3.3.9"
	ProfileNeo4j5     Profile = "neo4j-5"
	ProfileCouchDB33  Profile = "couchdb-3.3"
	ProfileCouchDB34  Profile = "couchdb-3.4"
	ProfileCouchDB35  Profile = "couchdb-3.5"
)

// couchReleases maps the CouchDB release profiles to the release each
// follows; the documented profile is none of them.
var couchReleases = map[Profile]string{
	ProfileCouchDB33: couchdb.Version333,
	ProfileCouchDB34: couchdb.Version343,
	ProfileCouchDB35: couchdb.Version350,
}

// ProfilesFor lists the profiles that apply to a flavor, documented first;
// nil for an unknown flavor.
func ProfilesFor(f Flavor) []Profile {
	if b, ok := builderFor(f); ok {
		return append([]Profile{ProfileDocumented}, b.releases...)
	}
	return nil
}

// builder is one flavor: its release profiles (ProfileDocumented applies to
// every flavor), the Options and User fields it takes beyond the common
// ones, and how Options become a fresh server on a clock.
type builder struct {
	flavor     Flavor
	releases   []Profile
	fields     []string
	userFields []string
	build      func(Options, *core.Clock) (core.Flavor, error)
}

// builders is every flavor, in the order Flavors lists them.
var builders = []builder{
	{Neo4j33, []Profile{ProfileNeo4j339}, []string{"AuthDisabled"}, []string{"PasswordChangeRequired"}, func(o Options, c *core.Clock) (core.Flavor, error) {
		return neo4j33.New(neo4j33.Config{Release: o.Profile == ProfileNeo4j339, Accounts: neo4jAccounts(o, c)})
	}},
	{Neo4jQuery, []Profile{ProfileNeo4j5}, []string{"AuthDisabled", "Tokens"}, []string{"PasswordChangeRequired"}, func(o Options, c *core.Clock) (core.Flavor, error) {
		tokens := make([]neo4jquery.Token, len(o.Tokens))
		for i, t := range o.Tokens {
			tokens[i] = neo4jquery.Token(t)
		}
		return neo4jquery.New(neo4jquery.Config{Release: o.Profile == ProfileNeo4j5, Tokens: tokens, Accounts: neo4jAccounts(o, c)})
	}},
	{CouchDB, []Profile{ProfileCouchDB33, ProfileCouchDB34, ProfileCouchDB35}, []string{"SessionTTL", "CookieSecret", "RequireValidUser", "RequireValidUserExceptForUp", "Databases", "Nodes", "OwnAdminSalts"}, []string{"Roles"}, func(o Options, c *core.Clock) (core.Flavor, error) {
		dbs := make([]couchdb.Database, len(o.Databases))
		for i, d := range o.Databases {
			dbs[i] = couchdb.Database(d)
		}
		version, release := couchReleases[o.Profile]
		return couchdb.New(couchdb.Config{
			Release: release, Version: version, Users: coreUsers(o.Users), Databases: dbs,
			SessionTTL: o.SessionTTL, CookieSecret: o.CookieSecret, RequireValidUser: o.RequireValidUser,
			RequireValidUserExceptForUp: o.RequireValidUserExceptForUp,
			MaxFailedLogins:             o.MaxFailedLogins, LockDuration: o.LockDuration, MaxBodyBytes: o.MaxBodyBytes, Clock: c,
			Nodes: o.Nodes, OwnAdminSalts: o.OwnAdminSalts,
		})
	}},
}

func builderFor(f Flavor) (builder, bool) {
	for _, b := range builders {
		if b.flavor == f {
			return b, true
		}
	}
	return builder{}, false
}

// neo4jAccounts is the part of o both Neo4j flavors take.
func neo4jAccounts(o Options, c *core.Clock) neo4jwire.Accounts {
	return neo4jwire.Accounts{
		Users: coreUsers(o.Users), AuthDisabled: o.AuthDisabled,
		MaxFailedLogins: o.MaxFailedLogins, LockDuration: o.LockDuration, Clock: c,
	}
}

func coreUsers(users []User) []core.User {
	out := make([]core.User, len(users))
	for i, u := range users {
		out[i] = core.User{Name: u.Name, Password: u.Password, Roles: u.Roles, ChangeRequired: u.PasswordChangeRequired}
	}
	return out
}
