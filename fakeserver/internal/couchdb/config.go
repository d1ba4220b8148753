package couchdb

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/authconform/authconform/fakeserver/internal/core"
)

// The node endpoints an app's tests use to manage server admins and auth
// settings at run time, as CouchDB 3.5.0 answers them (docs/reference/
// couchdb-3.5.0.md, run 6): GET /_membership, /_node/{node} and
// /_node/{node}/_config/{section}/{key} for [admins] and the settings the
// fake has. Server admins only; every other config section or key is a 404
// that names what the fake leaves out.

// couchNodeName is the single node's name, a default single-node
// release's (c1).
const couchNodeName = "couchdb@127.0.0.1"

// Reasons of the config endpoints (run 6).
const (
	couchMsgUnknownConfig = "unknown_config_value"
	couchMsgJSONString    = "a JSON string expected"
	couchMsgBadJSON       = "invalid UTF-8 JSON"
)

// configSettings are the config keys the fake keeps besides [admins].
var configSettings = []string{
	"chttpd/require_valid_user",
	"chttpd/require_valid_user_except_for_up",
	"chttpd_auth/timeout",
	"chttpd_auth_lockout/mode",
	"chttpd_auth_lockout/threshold",
	"chttpd_auth_lockout/max_lifetime",
}

func configLeftOut(what string) string {
	return what + " (its config keeps [admins], [chttpd] require_valid_user and require_valid_user_except_for_up, " +
		"[chttpd_auth] timeout and [chttpd_auth_lockout] mode, threshold and max_lifetime)"
}

// seedConfig fills [admins] with the seeded server admins, each hashed as
// a plain-text password in the ini file would be, and the settings with
// the options given. It runs in New, before any request.
func (c *Server) seedConfig(o Config, users []core.User) {
	c.configAdmins, c.config = map[string]string{}, map[string]string{}
	for _, u := range users {
		if slices.Contains(u.Roles, "_admin") {
			c.setConfigAdmin(u.Name, u.Password)
		}
	}
	if o.RequireValidUser {
		c.config["chttpd/require_valid_user"] = "true"
	}
	if o.RequireValidUserExceptForUp {
		c.config["chttpd/require_valid_user_except_for_up"] = "true"
	}
	if o.SessionTTL != 0 {
		c.config["chttpd_auth/timeout"] = strconv.FormatInt(c.defaultTTL, 10)
	}
}

// serveMembership is GET /_membership: the one node (u1-u3), or every
// node of a cluster (Nodes).
func (c *Server) serveMembership(w http.ResponseWriter, r *http.Request, parts []string, ctx couchUserCtx) {
	if !ctx.isAdmin() {
		c.fail(w, r, http.StatusUnauthorized, "unauthorized", couchMsgNotAdmin)
		return
	}
	if !c.readOnlyEndpoint(w, r, parts) {
		return
	}
	nodes := c.clusterNodes
	c.writeJSON(w, r, http.StatusOK, struct {
		AllNodes     []string `json:"all_nodes"`
		ClusterNodes []string `json:"cluster_nodes"`
	}{nodes, nodes})
}

// serveNode is /_node/{node}/...: {node} is _local or the node's name
// (c4, c5, c34).
func (c *Server) serveNode(w http.ResponseWriter, r *http.Request, parts []string, ctx couchUserCtx) {
	if !ctx.isAdmin() {
		c.fail(w, r, http.StatusUnauthorized, "unauthorized", couchMsgNotAdmin)
		return
	}
	if len(parts) < 2 {
		c.notImplemented(w, r, "/_node without a node name")
		return
	}
	if parts[1] != "_local" && parts[1] != c.nodeName {
		c.fail(w, r, http.StatusNotFound, "not_found", "no such node: "+parts[1])
		return
	}
	switch {
	case len(parts) == 2 && parts[1] == "_local":
		// Any method: 3.5.0 has no method clause here (run 7).
		c.writeJSON(w, r, http.StatusOK, struct {
			Name string `json:"name"`
		}{c.nodeName})
	case len(parts) == 2 && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		c.writeJSON(w, r, http.StatusOK, struct {
			CouchDB string      `json:"couchdb"`
			UUID    string      `json:"uuid"`
			Version string      `json:"version"`
			Vendor  couchVendor `json:"vendor"`
		}{"Welcome", c.uuid, c.rel.version, couchVendor{Name: "The Apache Software Foundation"}})
	case len(parts) == 2:
		c.methodNotAllowed(w, r, "GET,HEAD")
	case parts[2] == "_config":
		c.serveConfig(w, r, parts[3:])
	default:
		c.notImplemented(w, r, "/_node/{node}/"+parts[2])
	}
}

// serveConfig is /_node/{node}/_config/{section}/{key} (c6-c62).
func (c *Server) serveConfig(w http.ResponseWriter, r *http.Request, path []string) {
	switch {
	case len(path) == 0:
		c.notImplemented(w, r, configLeftOut("the whole config"))
		return
	case len(path) > 2:
		c.notImplemented(w, r, configLeftOut("/_config/"+strings.Join(path, "/")))
		return
	}
	section := path[0]
	if section != "admins" && !slices.ContainsFunc(configSettings, func(k string) bool { return strings.HasPrefix(k, section+"/") }) {
		c.notImplemented(w, r, configLeftOut("["+section+"]"))
		return
	}
	if len(path) == 1 {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			c.methodNotAllowed(w, r, "GET,HEAD")
			return
		}
		c.mu.Lock()
		values := c.configSection(section)
		c.mu.Unlock()
		c.writeJSON(w, r, http.StatusOK, values)
		return
	}
	key := path[1]
	if section != "admins" && !slices.Contains(configSettings, section+"/"+key) {
		c.notImplemented(w, r, configLeftOut("["+section+"] "+key))
		return
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		c.mu.Lock()
		v, ok := c.configValue(section, key)
		c.mu.Unlock()
		if !ok {
			c.fail(w, r, http.StatusNotFound, "not_found", couchMsgUnknownConfig)
			return
		}
		c.writeJSON(w, r, http.StatusOK, v)
	case http.MethodPut:
		body, ok := c.readBody(w, r)
		if !ok {
			return
		}
		var raw any
		if json.Unmarshal(body, &raw) != nil {
			c.fail(w, r, http.StatusBadRequest, "bad_request", couchMsgBadJSON) // c28
			return
		}
		value, isString := raw.(string)
		if !isString {
			c.fail(w, r, http.StatusBadRequest, "bad_request", couchMsgJSONString) // c27, c45
			return
		}
		c.mu.Lock()
		old, _ := c.configValue(section, key)
		err := c.setConfig(section, key, value)
		c.mu.Unlock()
		if err != "" {
			c.fail(w, r, http.StatusBadRequest, "bad_request", err)
			return
		}
		c.writeJSON(w, r, http.StatusOK, old) // the previous value, "" if none (c11, c18)
	case http.MethodDelete:
		c.mu.Lock()
		old, ok := c.configValue(section, key)
		if ok {
			c.deleteConfig(section, key)
		}
		c.mu.Unlock()
		if !ok {
			c.fail(w, r, http.StatusNotFound, "not_found", couchMsgUnknownConfig) // c25
			return
		}
		c.writeJSON(w, r, http.StatusOK, old) // c22
	default:
		c.methodNotAllowed(w, r, "GET,PUT,DELETE") // c33
	}
}

// configSection is a section's keys that are set; c.mu is held.
func (c *Server) configSection(section string) map[string]string {
	values := map[string]string{}
	if section == "admins" {
		for name, hash := range c.configAdmins {
			values[name] = hash
		}
		return values
	}
	for k, v := range c.config {
		if key, ok := strings.CutPrefix(k, section+"/"); ok {
			values[key] = v
		}
	}
	return values
}

// configValue is one key's value, if set; c.mu is held.
func (c *Server) configValue(section, key string) (string, bool) {
	if section == "admins" {
		v, ok := c.configAdmins[key]
		return v, ok
	}
	v, ok := c.config[section+"/"+key]
	return v, ok
}

// setConfig stores a value and applies it; it returns the reason when the
// fake cannot take the value. c.mu is held.
func (c *Server) setConfig(section, key, value string) string {
	if section == "admins" {
		c.setConfigAdmin(key, value)
		return ""
	}
	next := maps.Clone(c.config)
	next[section+"/"+key] = value
	if reason := c.applySettings(next); reason != "" {
		return reason
	}
	c.config = next
	return ""
}

// deleteConfig removes a value, so its default applies again; c.mu is held.
func (c *Server) deleteConfig(section, key string) {
	if section == "admins" {
		delete(c.configAdmins, key)
		c.users.Delete(key)
		c.restoreUserAccount(key) // a _users document of the same name logs in again
		return
	}
	delete(c.config, section+"/"+key)
	_ = c.applySettings(c.config) // the stored values were accepted before
}

// applySettings puts settings in force, or names the first value the fake
// cannot use (CouchDB stores any string and misbehaves later; the fake
// says so at once, a 400).
func (c *Server) applySettings(settings map[string]string) string {
	ttl := c.defaultTTL
	if v, ok := settings["chttpd_auth/timeout"]; ok {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return "[chttpd_auth] timeout must be a whole number of seconds above 0 in authconform's fake"
		}
		ttl = n
	}
	maxFailures, life := c.lockMax, c.lockLife
	if v, ok := settings["chttpd_auth_lockout/threshold"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return "[chttpd_auth_lockout] threshold must be a whole number above 0 in authconform's fake"
		}
		maxFailures = n
	}
	if v, ok := settings["chttpd_auth_lockout/max_lifetime"]; ok {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return "[chttpd_auth_lockout] max_lifetime must be a whole number of milliseconds above 0 in authconform's fake"
		}
		life = time.Duration(n) * time.Millisecond
	}
	switch settings["chttpd_auth_lockout/mode"] {
	case "", "enforce":
	case "off", "warn": // warn only logs
		maxFailures = -1
	default:
		return `[chttpd_auth_lockout] mode must be "enforce", "warn" or "off"`
	}
	if !c.rel.lockout {
		maxFailures = -1 // 3.3 keeps the settings but has no lockout to apply them
	}
	c.ttl.Store(ttl)
	c.limiter.Rule().(*couchLockout).configure(maxFailures, life)
	// config:get_boolean: "true" is true, anything else false.
	c.requireValidUser.Store(settings["chttpd/require_valid_user"] == "true")
	c.exceptForUp.Store(settings["chttpd/require_valid_user_except_for_up"] == "true")
	return ""
}

// setConfigAdmin makes name a server admin with password, which may be a
// ready "-pbkdf2..." or "-hashed-..." value as CouchDB stores them (c31);
// a plain one is hashed at once (3.5.0 hashes it in the background, so a
// login right after the PUT may fail there: c12). c.mu is held.
func (c *Server) setConfigAdmin(name, password string) {
	cred, stored, ok := parseAdminHash(password)
	if !ok {
		salt := make([]byte, 16)
		_, _ = rand.Read(salt)
		cred = userCredential{scheme: "pbkdf2", prf: "sha256", iterations: userPBKDF2Iterations, salt: hex.EncodeToString(salt), hasSalt: true}
		cred.derivedKey, _ = pbkdf2Hex(cred, password)
		stored = "-pbkdf2:sha256-" + cred.derivedKey + "," + cred.salt + "," + strconv.Itoa(cred.iterations)
	}
	c.configAdmins[name] = stored
	c.users.Put(core.User{Name: name, Roles: []string{"_admin"}, Hash: cred, Salt: cred.sessionSalt()})
}

// adminHashPRFs are the "-pbkdf2..." prefixes couch_auth_cache:get_admin
// reads, with their prf.
var adminHashPRFs = []struct{ prefix, prf string }{
	{"-pbkdf2-", "sha"}, {"-pbkdf2:sha-", "sha"}, {"-pbkdf2:sha224-", "sha224"},
	{"-pbkdf2:sha256-", "sha256"}, {"-pbkdf2:sha384-", "sha384"}, {"-pbkdf2:sha512-", "sha512"},
}

// parseAdminHash reads a stored admin value: "-pbkdf2:PRF-KEY,SALT,ITER"
// or "-hashed-SHA,SALT". ok is false for anything else (a plain password).
func parseAdminHash(v string) (cred userCredential, stored string, ok bool) {
	if rest, found := strings.CutPrefix(v, "-hashed-"); found {
		f := strings.Split(rest, ",")
		if len(f) != 2 {
			return cred, "", false
		}
		return userCredential{scheme: "simple", passwordSHA: f[0], salt: f[1], hasSalt: true}, v, true
	}
	for _, p := range adminHashPRFs {
		rest, found := strings.CutPrefix(v, p.prefix)
		if !found {
			continue
		}
		f := strings.Split(rest, ",")
		if len(f) != 3 {
			return cred, "", false
		}
		iterations, err := strconv.Atoi(f[2])
		if err != nil {
			return cred, "", false
		}
		return userCredential{scheme: "pbkdf2", prf: p.prf, derivedKey: f[0], salt: f[1], iterations: iterations, hasSalt: true}, v, true
	}
	return cred, "", false
}

// restoreUserAccount gives name the account of its _users document, if
// there is one; c.mu is held.
func (c *Server) restoreUserAccount(name string) {
	d := c.dbs["_users"].docs[userDocPrefix+name]
	if d == nil || d.deleted {
		return
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal([]byte("{"+strings.TrimPrefix(string(d.fields), ",")+"}"), &fields) != nil {
		return
	}
	var roles []string
	_ = json.Unmarshal(fields["roles"], &roles) // validated when stored
	cred := credentialOf(fields)
	c.users.Put(core.User{Name: name, Roles: roles, Hash: cred, Salt: cred.sessionSalt()})
}
