package couchdb

import (
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"hash"
	"net/http"
	"slices"
	"strings"
	"time"
)

// userCredential is the password hash a _users document carries. Logins
// are checked against it as couch_httpd_auth:authenticate_int does in
// CouchDB 3.5.0, so a document stored with a ready hash (copied, renamed or
// imported, no "password") logs in with the password it was made from.
// Schemes are added in verifyPassword.
type userCredential struct {
	// scheme is password_scheme; CouchDB reads a missing one as "simple".
	scheme string
	// prf and iterations are pbkdf2_prf and iterations, with CouchDB's
	// defaults for missing ones ("sha", 10000); iterations is 0 when the
	// field is not a whole number, which nothing matches.
	prf        string
	iterations int
	// salt is used as its bytes, not hex-decoded.
	salt string
	// derivedKey (pbkdf2) and passwordSHA (simple) are lower-case hex.
	derivedKey, passwordSHA string
	hasSalt                 bool
}

// maxUserIterations bounds the PBKDF2 cost a document may ask for. 3.5.0
// allows up to [chttpd_auth] max_iterations (10^9); the fake stops above
// ten times its default 600000, so that no stored document can make a
// login take minutes. A document beyond it matches no password.
const maxUserIterations = 6_000_000

// credentialOf reads the credential fields of a stored user document.
func credentialOf(fields map[string]json.RawMessage) userCredential {
	str := func(k, fallback string) string {
		s := fallback
		if raw, ok := fields[k]; ok {
			s = ""
			_ = json.Unmarshal(raw, &s) // not a string: matches nothing
		}
		return s
	}
	cred := userCredential{
		scheme:      str("password_scheme", "simple"),
		prf:         str("pbkdf2_prf", "sha"),
		iterations:  10000,
		salt:        str("salt", ""),
		derivedKey:  str("derived_key", ""),
		passwordSHA: str("password_sha", ""),
	}
	_, cred.hasSalt = fields["salt"]
	if raw, ok := fields["iterations"]; ok {
		cred.iterations = 0
		_ = json.Unmarshal(raw, &cred.iterations) // 1.5 or "10": not an integer in Erlang either
	}
	return cred
}

// validateUserHash is the part of 3.5.0's _users validate_doc_update
// (couch_js_functions.hrl) on the hash fields of the document as stored,
// after a "password" was hashed (run 6, hash cases). schemes are the
// password_scheme values the release's design document lists (release).
func validateUserHash(fields map[string]json.RawMessage, schemes []string) *problem {
	kind := func(k string) string {
		raw, ok := fields[k]
		if !ok {
			return "undefined"
		}
		var v any
		if json.Unmarshal(raw, &v) != nil {
			return "undefined"
		}
		switch v.(type) {
		case string:
			return "string"
		case float64:
			return "number"
		case nil:
			return "null"
		}
		return "object"
	}
	truthy := func(k string) bool {
		var v any
		if json.Unmarshal(fields[k], &v) != nil {
			return false
		}
		switch x := v.(type) {
		case string:
			return x != ""
		case float64:
			return x != 0
		case bool:
			return x
		}
		return v != nil
	}
	if truthy("password_sha") && !truthy("salt") {
		return userForbidden("Users with password_sha must have a salt.See /_utils/script/couch.js for example code.")
	}
	if truthy("password_scheme") {
		var scheme string
		_ = json.Unmarshal(fields["password_scheme"], &scheme)
		if kind("password_scheme") != "string" || !slices.Contains(schemes, scheme) {
			return userForbidden("Password scheme `" + strings.Trim(string(fields["password_scheme"]), `"`) + "` not supported.")
		}
		if scheme == "pbkdf2" {
			if kind("iterations") != "number" {
				return userForbidden("iterations must be a number.")
			}
			if kind("derived_key") != "string" {
				return userForbidden("derived_key must be a string.")
			}
		}
	}
	return nil
}

// refusal is the 403 reason 3.5.0 throws when it checks a login against
// the credential (verify_prf, verify_iterations: run 6), if any. Above the
// fake's own bound it gives CouchDB's reason for its max_iterations.
func (u userCredential) refusal() string {
	if u.scheme != "pbkdf2" {
		return ""
	}
	if newHash, _ := pbkdf2PRF(u.prf); newHash == nil {
		return "PRF is invalid"
	}
	if u.iterations < 1 {
		return "Iteration count is too low for this server"
	}
	if u.iterations > maxUserIterations {
		return "Iteration count is too high for this server"
	}
	return ""
}

// loginRefusal is the 403 a login of name gets before its password is
// checked: locked out, or a stored hash CouchDB refuses to check. The
// lockout is not counted, as on CouchDB, which throws before it counts.
func (c *Server) loginRefusal(r *http.Request, name string, now time.Time) *problem {
	acct, ok := c.users.Lookup(name)
	if !ok {
		return nil
	}
	cred, ok := acct.Hash().(userCredential)
	if !ok || cred.refusal() == "" {
		return nil
	}
	if c.limiter.Rule().Locked(c.lockKey(r, name), now) {
		return &problem{status: http.StatusForbidden, couch: "forbidden", msg: couchMsgLocked}
	}
	return &problem{status: http.StatusForbidden, couch: "forbidden", msg: cred.refusal()}
}

// Matches implements core.PasswordHash.
func (u userCredential) Matches(password string) bool {
	return verifyPassword(u, password)
}

// sessionSalt is what keys the user's session cookies: the document's salt,
// as in CouchDB, so that an update keeping the salt keeps the sessions and
// one changing it ends them. nil (no salt field) asks for a random one.
func (u userCredential) sessionSalt() []byte {
	if !u.hasSalt {
		return nil
	}
	return []byte(u.salt)
}

// verifyPassword checks password against the credential by its scheme:
// "simple" is hex(SHA-1(password + salt)) in password_sha, "pbkdf2" is
// hex(PBKDF2(prf, password, salt, iterations)) in derived_key, the key as
// long as the prf's output. An unknown scheme or prf matches nothing (3.5.0
// answers those with a 500 or a 403: see the reference).
func verifyPassword(u userCredential, password string) bool {
	switch u.scheme {
	case "simple":
		sum := sha1.Sum([]byte(password + u.salt))
		return sameHex(hex.EncodeToString(sum[:]), u.passwordSHA)
	case "pbkdf2":
		key, ok := pbkdf2Hex(u, password)
		return ok && sameHex(key, u.derivedKey)
	case "simple+pbkdf2":
		// 3.5.0: PBKDF2 over the simple scheme's hex SHA-1, so that a node
		// can rehash legacy documents without their passwords.
		sum := sha1.Sum([]byte(password + u.salt))
		key, ok := pbkdf2Hex(u, hex.EncodeToString(sum[:]))
		return ok && sameHex(key, u.derivedKey)
	}
	return false
}

// pbkdf2Hex is couch_passwords:pbkdf2 with the credential's prf and
// iterations; ok is false when either is not one CouchDB (or the fake's
// bound) accepts.
func pbkdf2Hex(u userCredential, password string) (string, bool) {
	newHash, size := pbkdf2PRF(u.prf)
	if newHash == nil || u.iterations < 1 || u.iterations > maxUserIterations {
		return "", false
	}
	key, err := pbkdf2.Key(newHash, password, []byte(u.salt), u.iterations, size)
	if err != nil {
		return "", false
	}
	return hex.EncodeToString(key), true
}

// pbkdf2PRF is the hash of a pbkdf2_prf name CouchDB accepts, and its
// output size.
func pbkdf2PRF(name string) (func() hash.Hash, int) {
	switch name {
	case "sha":
		return sha1.New, sha1.Size
	case "sha224":
		return sha256.New224, sha256.Size224
	case "sha256":
		return sha256.New, sha256.Size
	case "sha384":
		return sha512.New384, sha512.Size384
	case "sha512":
		return sha512.New, sha512.Size
	}
	return nil, 0
}

// sameHex is couch_passwords:verify: equal bytes, compared in constant
// time (so an upper-case stored key matches nothing, as on CouchDB).
func sameHex(computed, stored string) bool {
	return stored != "" && subtle.ConstantTimeCompare([]byte(computed), []byte(stored)) == 1
}
