package couchdb

import (
	"encoding/json"

	"github.com/authconform/authconform/fakeserver/internal/core"
)

// Hash upgrade on login, as couch_password_hasher does in CouchDB 3.5.0
// ([chttpd_auth] upgrade_hash_on_auth, on by default from 3.5.0; 3.4.3 has
// it off, 3.3.3 lacks it): after a successful Basic or POST /_session login
// of a _users account whose stored hash is not the server's current one,
// the document is rewritten with a fresh hash of the password, keeping its
// salt (so its sessions stay valid). 3.5.0 does it in the background, a
// moment after the login's reply (docs/reference/couchdb-releases.md); the
// fake does it before replying.

// upgradeHash rewrites the stored hash of name's _users document when the
// release upgrades hashes on login and the document needs it.
func (c *Server) upgradeHash(name, password string) {
	if _, admin := c.configAdmins[name]; !c.rel.upgradeHash || admin {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	db := c.dbs["_users"]
	if db == nil {
		return
	}
	id := userDocPrefix + name
	doc := db.docs[id]
	if doc == nil || doc.deleted {
		return
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal([]byte("{"+trimComma(doc.fields)+"}"), &fields) != nil || !c.needsUpgrade(fields) {
		return
	}
	var salt string
	_ = json.Unmarshal(fields["salt"], &salt)
	for _, k := range []string{"password_scheme", "pbkdf2_prf", "iterations", "derived_key", "password_sha", "salt"} {
		delete(fields, k)
	}
	for k, v := range c.userHashWithSalt(password, salt) {
		fields[k] = v
	}
	enc, err := encodeFields(fields, userHashFields...)
	if err != nil {
		return
	}
	doc.rev, doc.fields = nextRev(doc.rev, enc), enc
	db.seq++
	var roles []string
	_ = json.Unmarshal(fields["roles"], &roles)
	cred := credentialOf(fields)
	c.users.Put(core.User{Name: name, Roles: roles, Hash: cred, Salt: cred.sessionSalt()})
}

// needsUpgrade is couch_password_hasher:needs_upgrade with the fake's
// target: scheme pbkdf2 with the release's prf, and never fewer iterations
// than the fake writes (a document with more keeps them, so that a hash
// copied from a real node is not weakened).
func (c *Server) needsUpgrade(fields map[string]json.RawMessage) bool {
	var scheme, prf string
	_ = json.Unmarshal(fields["password_scheme"], &scheme)
	_ = json.Unmarshal(fields["pbkdf2_prf"], &prf)
	var iterations int
	if json.Unmarshal(fields["iterations"], &iterations) != nil {
		iterations = 0
	}
	return scheme != "pbkdf2" || prf != c.rel.prf || iterations < userPBKDF2Iterations
}

func trimComma(fields []byte) string {
	if len(fields) > 0 && fields[0] == ',' {
		return string(fields[1:])
	}
	return string(fields)
}
