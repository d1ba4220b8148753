package couchdb

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/authconform/authconform/fakeserver/internal/core"
)

// The _users database: each org.couchdb.user:NAME document is an account.
// The fake validates documents as the _auth design document of CouchDB 3.5
// does (reference run 5, cases m248-m255; the rules on names and roles
// from 3.5.0's source, couch_js_functions.hrl), stores the password only as a
// PBKDF2 key (m5) and keeps the accounts that authenticate requests in
// step: a created user logs in at once, checked against the document's own
// hash (passwords.go), and a deletion or a new salt (every password change)
// ends the user's sessions, whose cookies are keyed by the salt as on
// CouchDB.

const userDocPrefix = "org.couchdb.user:"

// userPBKDF2Iterations is the fake's PBKDF2 cost for the passwords it
// hashes. CouchDB 3.5 uses 600000 (m5); a low count keeps user creation
// and logins cheap, and the document says how it was made, so a copy of it
// still logs in on a real node.
const userPBKDF2Iterations = 10

// userHashFields lead a stored user document, in CouchDB's order (m5).
var userHashFields = []string{"password_scheme", "pbkdf2_prf", "salt", "iterations", "derived_key"}

func userForbidden(reason string) *problem {
	return &problem{status: http.StatusForbidden, couch: "forbidden", msg: reason}
}

// userHash returns the stored credential fields for password, with a new
// salt.
func (c *Server) userHash(password string) map[string]json.RawMessage {
	return c.userHashWithSalt(password, "")
}

// userHashWithSalt hashes as the release does: PBKDF2 with its prf
// (3.3: SHA-1, and no pbkdf2_prf field, m-3.3 in the reference), keyed as
// long as the prf's output. An empty salt asks for a new one.
func (c *Server) userHashWithSalt(password, salt string) map[string]json.RawMessage {
	if salt == "" {
		raw := make([]byte, 16)
		_, _ = rand.Read(raw)
		salt = hex.EncodeToString(raw)
	}
	newHash, size := sha256.New, sha256.Size
	if c.rel.prf == "" {
		newHash, size = sha1.New, sha1.Size
	}
	key, _ := pbkdf2.Key(newHash, password, []byte(salt), userPBKDF2Iterations, size) // fails only for FIPS-disallowed parameters
	q := func(s string) json.RawMessage { b, _ := json.Marshal(s); return b }
	fields := map[string]json.RawMessage{
		"password_scheme": q("pbkdf2"),
		"salt":            q(salt),
		"iterations":      json.RawMessage(strconv.Itoa(userPBKDF2Iterations)),
		"derived_key":     q(hex.EncodeToString(key)),
	}
	if c.rel.prf != "" {
		fields["pbkdf2_prf"] = q(c.rel.prf)
	}
	return fields
}

// userDocUpdate validates a user document and turns a "password" into the
// stored hash fields. apply brings the account in line once the document
// is stored. Server admins configured with the fake (role _admin) are not
// _users accounts: their documents are stored but do not change them.
func (c *Server) userDocUpdate(id string, fields map[string]json.RawMessage) (apply func(), p *problem) {
	var typ, name string
	if json.Unmarshal(fields["type"], &typ) != nil || typ != "user" {
		return nil, userForbidden("doc.type must be user")
	}
	if json.Unmarshal(fields["name"], &name) != nil || name == "" {
		return nil, userForbidden("doc.name is required")
	}
	rawRoles, ok := fields["roles"]
	if !ok {
		return nil, userForbidden("doc.roles must exist")
	}
	var roleValues []json.RawMessage
	if json.Unmarshal(rawRoles, &roleValues) != nil || roleValues == nil {
		return nil, userForbidden("doc.roles must be an array")
	}
	roles := make([]string, 0, len(roleValues))
	for _, rv := range roleValues {
		var role string
		if json.Unmarshal(rv, &role) != nil {
			return nil, userForbidden("doc.roles can only contain strings")
		}
		roles = append(roles, role)
	}
	if id != userDocPrefix+name {
		return nil, userForbidden("Doc ID must be of the form org.couchdb.user:name")
	}
	if raw, ok := fields["password"]; ok {
		var password string
		if json.Unmarshal(raw, &password) == nil {
			// couch_users_db:save_doc: the old hash fields give way to
			// the new ones.
			delete(fields, "password_sha")
			for k, v := range c.userHash(password) {
				fields[k] = v
			}
		}
		delete(fields, "password")
	}
	// couch_js_functions.hrl checks the hash fields, then names and roles.
	if p := validateUserHash(fields, c.rel.schemes); p != nil {
		return nil, p
	}
	if p := userNameAndRolesProblem(name, roles); p != nil {
		return nil, p
	}
	if _, admin := c.configAdmins[name]; admin {
		return func() {}, nil
	}
	// Logins are checked against the stored document's own hash, whether
	// the fake made it from "password" or the client sent it ready.
	cred := credentialOf(fields)
	return func() {
		c.users.Put(core.User{Name: name, Roles: roles, Hash: cred, Salt: cred.sessionSalt()})
	}, nil
}

// userNameAndRolesProblem is the end of _users' validate_doc_update in
// CouchDB 3.5.0 (couch_js_functions.hrl): no system role but _metrics
// (which grants /_node/_local/_prometheus), no name starting with an
// underscore, no colon in a name (it would split a Basic credential).
func userNameAndRolesProblem(name string, roles []string) *problem {
	for _, role := range roles {
		if role != "_metrics" && strings.HasPrefix(role, "_") {
			return userForbidden("No system roles (starting with underscore) in users db.")
		}
	}
	if strings.HasPrefix(name, "_") {
		return userForbidden("Username may not start with underscore.")
	}
	if strings.Contains(name, ":") {
		return userForbidden("Character `:` is not allowed in usernames.")
	}
	return nil
}

// userDocDeleted ends the account of a deleted user document.
func (c *Server) userDocDeleted(id string) {
	name, ok := strings.CutPrefix(id, userDocPrefix)
	if _, admin := c.configAdmins[name]; ok && !admin {
		c.users.Delete(name)
	}
}

// seedUsersDB fills _users with the design document and one document per
// seeded user who is not a server admin, as `couchdb-real.sh seed` leaves a
// real node (m21).
func (c *Server) seedUsersDB(users []core.User) {
	db := c.dbs["_users"]
	auth, _ := seedCouchDoc("_design/_auth", `{"language":"javascript","validate_doc_update":"(authconform's fake validates user documents itself)"}`)
	db.docs["_design/_auth"] = auth
	for _, u := range users {
		if slices.Contains(u.Roles, "_admin") {
			continue
		}
		fields := c.userHash(u.Password)
		fields["name"], _ = json.Marshal(u.Name)
		fields["roles"], _ = json.Marshal(nonNil(u.Roles))
		fields["type"] = json.RawMessage(`"user"`)
		enc, _ := encodeFields(fields, userHashFields...)
		db.docs[userDocPrefix+u.Name] = &couchDoc{rev: nextRev("", enc), fields: enc}
		db.seq++
		// The account is the document's, salt and all, as if it had been
		// PUT: a later update that keeps the hash keeps its sessions.
		cred := credentialOf(fields)
		c.users.Put(core.User{Name: u.Name, Roles: u.Roles, ChangeRequired: u.ChangeRequired, Hash: cred, Salt: cred.sessionSalt()})
	}
	db.seq++
}
