package fakeserver

import (
	"fmt"
	"reflect"
	"slices"
	"time"
)

// User is an account of the fake. Its password is stored hashed.
type User struct {
	Name     string
	Password string
	// Roles are CouchDB roles; "_admin" makes a server admin. New refuses
	// them on the Neo4j flavors.
	Roles []string
	// PasswordChangeRequired is Neo4j's first-login flag; New refuses it on
	// couchdb.
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
	// Security is the database's _security object as JSON, e.g.
	// {"admins":{"names":["bob"]},"members":{"roles":["staff"]}}; it
	// replaces Public, Admins and Members. Without any of them a database
	// is for server admins only, as CouchDB 3 creates one.
	Security string
}

// Options configures a Fake. Flavor is required: New refuses an empty one
// rather than guess. Every other field may be left zero for the flavor's
// default, and New refuses a field that does not apply to the flavor (for
// example Tokens on a CouchDB fake), naming it, rather than ignore it.
//
// Fields that apply to every flavor: Flavor, Profile, Users, Clock,
// MaxFailedLogins, LockDuration, MaxBodyBytes, BodyTimeout, ControlPlane,
// ControlToken. The others say
// which flavors they apply to.
type Options struct {
	Flavor Flavor
	// Profile is the behaviour to follow; empty means ProfileDocumented.
	Profile Profile
	// Users replaces the flavor's default users when non-empty. The
	// defaults are the documents' own: neo4j-3.3 neo4j/neo4j with a
	// password change required (a fresh install); neo4j-query
	// neo4j/verysecret; couchdb the server admin admin/secret and alice/alicepw
	// with role "reader".
	Users []User
	// AuthDisabled answers every request as if authenticated (neo4j-3.3,
	// neo4j-query).
	AuthDisabled bool
	// Tokens are accepted as bearer tokens (neo4j-query); the default is
	// the document's xbhkjnlvianztghqwawxqfe for neo4j.
	Tokens []Token
	// SessionTTL is the cookie session lifetime (couchdb); zero uses the
	// profile's default.
	SessionTTL time.Duration
	// CookieSecret signs session cookies (couchdb); empty means random per
	// Fake.
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
	// RequireValidUser refuses anonymous requests (couchdb).
	RequireValidUser bool
	// RequireValidUserExceptForUp refuses anonymous requests except
	// GET /_up, with no WWW-Authenticate challenge (couchdb; CouchDB's
	// [chttpd] require_valid_user_except_for_up).
	RequireValidUserExceptForUp bool
	// Databases are seeded into a couchdb fake; the default is "authtest"
	// (server admins only) and a public "db" holding the document
	// "document", as the document's Basic example reads.
	Databases []Database
	// MaxBodyBytes bounds request bodies; zero means 1 MiB, and New refuses
	// more than MaxBodyBytesLimit.
	MaxBodyBytes int64
	// BodyTimeout is how long a request may take to send its body once its
	// header has arrived; zero means 10 s. A body that is not complete by
	// then gets the flavor's 408, on a connection that then closes.
	BodyTimeout time.Duration
	// Nodes makes a CouchDB Fake stand for a cluster of that many nodes
	// (at most 16; zero means one): see Fake.Node, and Start, which serves
	// each node on its own port behind a round-robin balancer.
	Nodes int
	// OwnAdminSalts gives each node its own salt for the server admins of
	// Users, as CouchDB nodes have until the cluster set-up copies one
	// hash to all (couchdb; needs Nodes of 2 or more): an admin's cookie
	// then works only on the node that issued it and is anonymous on the
	// others, while Basic works everywhere.
	OwnAdminSalts bool
	// ControlPlane mounts /_authconform/ (its routes: ControlRoutes).
	ControlPlane bool
	// ControlToken, when set, is required of every control-plane request
	// as "Authorization: Bearer <ControlToken>". Reset returns passwords
	// and cookies, so set it whenever anyone but you can reach the port
	// (serve requires it off loopback). It needs ControlPlane.
	ControlToken string
}

const (
	defaultMaxBody     = 1 << 20
	defaultBodyTimeout = 10 * time.Second
)

// MaxBodyBytesLimit is the largest Options.MaxBodyBytes New accepts: every
// request's work and memory is a small multiple of its body (see
// docs/hardening-and-limits.md), so the body bound is what bounds the fake.
const MaxBodyBytesLimit = 16 << 20

// withDefaults checks o against its flavor's builder and fills in the
// flavor-neutral defaults.
func (o Options) withDefaults() (Options, builder, error) {
	if o.Flavor == "" {
		return o, builder{}, fmt.Errorf("fakeserver: Options.Flavor is empty (want one of %v)", Flavors())
	}
	b, ok := builderFor(o.Flavor)
	if !ok {
		return o, b, fmt.Errorf("fakeserver: unknown flavor %q (want one of %v)", o.Flavor, Flavors())
	}
	if o.Profile == "" {
		o.Profile = ProfileDocumented
	}
	known := false
	for _, p := range ProfilesFor(o.Flavor) {
		known = known || p == o.Profile
	}
	if !known {
		return o, b, fmt.Errorf("fakeserver: profile %q does not apply to flavor %s (want one of %v)", o.Profile, o.Flavor, ProfilesFor(o.Flavor))
	}
	if field, set := fieldOutside(reflect.ValueOf(o), commonFields, b.fields); set {
		return o, b, fmt.Errorf("fakeserver: Options.%s does not apply to flavor %s", field, o.Flavor)
	}
	for i, u := range o.Users {
		if field, set := fieldOutside(reflect.ValueOf(u), []string{"Name", "Password"}, b.userFields); set {
			return o, b, fmt.Errorf("fakeserver: Options.Users[%d].%s does not apply to flavor %s", i, field, o.Flavor)
		}
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = defaultMaxBody
	}
	if o.MaxBodyBytes > MaxBodyBytesLimit {
		return o, b, fmt.Errorf("fakeserver: Options.MaxBodyBytes %d is over the limit of %d", o.MaxBodyBytes, int64(MaxBodyBytesLimit))
	}
	if o.BodyTimeout < 0 {
		return o, b, fmt.Errorf("fakeserver: Options.BodyTimeout %v is negative", o.BodyTimeout)
	}
	if o.ControlToken != "" && !o.ControlPlane {
		return o, b, fmt.Errorf("fakeserver: Options.ControlToken is set but ControlPlane is not")
	}
	if o.BodyTimeout == 0 {
		o.BodyTimeout = defaultBodyTimeout
	}
	seen := map[string]bool{}
	for _, u := range o.Users {
		if u.Name == "" {
			return o, b, fmt.Errorf("fakeserver: a user has an empty name")
		}
		if seen[u.Name] {
			return o, b, fmt.Errorf("fakeserver: user %q is listed twice", u.Name)
		}
		seen[u.Name] = true
	}
	return o, b, nil
}

// commonFields apply to every flavor.
var commonFields = []string{"Flavor", "Profile", "Users", "Clock", "MaxFailedLogins", "LockDuration", "MaxBodyBytes", "BodyTimeout", "ControlPlane", "ControlToken"}

// fieldOutside names the first field of the struct v that is set (non-zero,
// or a non-empty slice) but neither common nor among the flavor's own.
func fieldOutside(v reflect.Value, common, own []string) (string, bool) {
	t := v.Type()
	for i := range t.NumField() {
		name := t.Field(i).Name
		if slices.Contains(common, name) || slices.Contains(own, name) {
			continue
		}
		f := v.Field(i)
		if (f.Kind() == reflect.Slice && f.Len() > 0) || (f.Kind() != reflect.Slice && !f.IsZero()) {
			return name, true
		}
	}
	return "", false
}
