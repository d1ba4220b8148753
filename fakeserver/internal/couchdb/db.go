package couchdb

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
)

// couchDatabase is one database: its security object and documents. The
// Server's mu guards every field.
type couchDatabase struct {
	name string
	// security is the _security object as stored (and returned by GET);
	// sec is its parsed form, which the access checks use.
	security json.RawMessage
	sec      couchSecurity
	docs     map[string]*couchDoc
	seq      int
}

// couchGroup is one half of a security object.
type couchGroup struct {
	Names []string `json:"names"`
	Roles []string `json:"roles"`
}

// couchSecurity is a database's _security object.
type couchSecurity struct {
	Admins  couchGroup `json:"admins"`
	Members couchGroup `json:"members"`
}

// couchAdminOnly is the object CouchDB 3.x gives a new database
// ([couchdb] default_security = admin_only; reference run 5, case m82) and
// that _users and _replicator carry (m25, m28).
const couchAdminOnly = `{"members":{"roles":["_admin"]},"admins":{"roles":["_admin"]}}`

// couchDBName is CouchDB's rule for database names.
var couchDBName = regexp.MustCompile(`^[a-z][a-z0-9_$()+/-]*$`)

// Reasons of the database endpoints (reference run 5).
const (
	couchMsgNoDB        = "Database does not exist."
	couchMsgDBExists    = "The database could not be created, the file already exists."
	couchMsgNotDBAdmin  = "You are not a db or server admin."
	couchMsgUsersSecObj = "You can't edit the security object of the user database."
	// couch_doc:validate_docid on an id such as "_design" or "_foo".
	couchMsgUnderscoreID = "Only reserved document ids may start with underscore."
)

func couchIllegalName(name string) string {
	return "Name: '" + name + "'. Only lowercase characters (a-z), digits (0-9), and any of the characters _, $, (, ), +, -, and / are allowed. Must begin with a letter."
}

// isSystemDB names the system databases a real node has.
func isSystemDB(name string) bool { return name == "_users" || name == "_replicator" }

func newCouchDatabase(name string, security string) (*couchDatabase, error) {
	db := &couchDatabase{name: name, docs: map[string]*couchDoc{}}
	if err := db.setSecurity([]byte(security)); err != nil {
		return nil, err
	}
	return db, nil
}

// setSecurity stores a security object after checking its shape: an object
// whose admins and members, where present, are objects with string-list
// names and roles.
func (d *couchDatabase) setSecurity(raw []byte) error {
	var shape map[string]json.RawMessage
	if err := json.Unmarshal(raw, &shape); err != nil || shape == nil {
		return fmt.Errorf("the security object must be a JSON object")
	}
	var sec couchSecurity
	for _, key := range []string{"admins", "members"} {
		v, ok := shape[key]
		if !ok {
			continue
		}
		var group map[string]json.RawMessage
		if err := json.Unmarshal(v, &group); err != nil || group == nil {
			return fmt.Errorf("%s must be an object", key)
		}
		var g couchGroup
		for _, list := range []string{"names", "roles"} {
			lv, ok := group[list]
			if !ok {
				continue
			}
			var entries []string
			if err := json.Unmarshal(lv, &entries); err != nil {
				return fmt.Errorf("%s.%s must be a list of strings", key, list)
			}
			if list == "names" {
				g.Names = entries
			} else {
				g.Roles = entries
			}
		}
		if key == "admins" {
			sec.Admins = g
		} else {
			sec.Members = g
		}
	}
	var buf bytes.Buffer
	_ = json.Compact(&buf, raw) // valid: it unmarshalled above
	d.security, d.sec = buf.Bytes(), sec
	return nil
}

// seedSecurity is the security object of a seeded database: Security when
// given; {} (no members: anyone may read) for a public one; Admins and
// Members, each entry both a name and a role, when listed; otherwise
// CouchDB's admin-only default.
func seedSecurity(d Database) string {
	switch {
	case d.Security != "":
		return d.Security
	case d.Public:
		return `{}`
	case len(d.Admins) == 0 && len(d.Members) == 0:
		return couchAdminOnly
	}
	list := func(s []string) []string { return append([]string{}, s...) }
	b, _ := json.Marshal(couchSecurity{
		Admins:  couchGroup{Names: list(d.Admins), Roles: list(d.Admins)},
		Members: couchGroup{Names: list(d.Members), Roles: list(d.Members)},
	})
	return string(b)
}

func buildCouchDatabases(seed []Database) (map[string]*couchDatabase, error) {
	dbs := map[string]*couchDatabase{}
	for _, d := range seed {
		if !couchDBName.MatchString(d.Name) {
			return nil, fmt.Errorf("fakeserver: database name %q is not a valid CouchDB name", d.Name)
		}
		if dbs[d.Name] != nil {
			return nil, fmt.Errorf("fakeserver: database %q is listed twice", d.Name)
		}
		if d.Security != "" && (d.Public || len(d.Admins) > 0 || len(d.Members) > 0) {
			return nil, fmt.Errorf("fakeserver: database %q: Security replaces Public, Admins and Members; give one or the other", d.Name)
		}
		db, err := newCouchDatabase(d.Name, seedSecurity(d))
		if err != nil {
			return nil, fmt.Errorf("fakeserver: database %q: %w", d.Name, err)
		}
		for id, body := range d.Docs {
			doc, err := seedCouchDoc(id, body)
			if err != nil {
				return nil, fmt.Errorf("fakeserver: database %q, document %q: %w", d.Name, id, err)
			}
			db.docs[id] = doc
			db.seq++
		}
		dbs[d.Name] = db
	}
	for _, name := range []string{"_users", "_replicator"} {
		dbs[name], _ = newCouchDatabase(name, couchAdminOnly)
	}
	return dbs, nil
}

func inGroup(g couchGroup, ctx couchUserCtx) bool {
	if !ctx.anonymous() && slices.Contains(g.Names, ctx.name) {
		return true
	}
	for _, role := range ctx.roles {
		if slices.Contains(g.Roles, role) {
			return true
		}
	}
	return false
}

// isAdmin is couch_db:check_is_admin: a server admin, or a name or role
// listed in admins.
func (d *couchDatabase) isAdmin(ctx couchUserCtx) bool {
	return ctx.isAdmin() || inGroup(d.sec.Admins, ctx)
}

// isMember is couch_db:check_is_member: a database admin, anyone when
// members lists neither names nor roles, or a name or role listed there.
func (d *couchDatabase) isMember(ctx couchUserCtx) bool {
	m := d.sec.Members
	return d.isAdmin(ctx) || (len(m.Names) == 0 && len(m.Roles) == 0) || inGroup(m, ctx)
}

// refuseReader answers a request whose user may not read d: 401 for the
// anonymous user, 403 for anyone else (reference cases 25, 26, 30).
func (c *Server) refuseReader(w http.ResponseWriter, r *http.Request, ctx couchUserCtx) {
	if ctx.anonymous() {
		c.fail(w, r, http.StatusUnauthorized, "unauthorized", couchMsgNotAuthorized)
		return
	}
	c.fail(w, r, http.StatusForbidden, "forbidden", couchMsgNotAllowed)
}

// serveAllDBs is GET /_all_dbs: server admins only. CouchDB's
// verify_is_server_admin throws "unauthorized", so a signed-in non-admin
// gets 401 too (cases 33, 34; m95-m97). The system databases are listed.
func (c *Server) serveAllDBs(w http.ResponseWriter, r *http.Request, parts []string, ctx couchUserCtx) {
	if !c.readOnlyEndpoint(w, r, parts) {
		return
	}
	if !ctx.isAdmin() {
		c.fail(w, r, http.StatusUnauthorized, "unauthorized", couchMsgNotAdmin)
		return
	}
	c.mu.Lock()
	names := slices.Collect(maps.Keys(c.dbs)) // never empty (nor null in JSON): _users cannot be deleted
	c.mu.Unlock()
	slices.Sort(names)
	c.writeJSON(w, r, http.StatusOK, names)
}

type couchSizes struct {
	File     int `json:"file"`
	External int `json:"external"`
	Active   int `json:"active"`
}

type couchCluster struct {
	Q int `json:"q"`
	N int `json:"n"`
	W int `json:"w"`
	R int `json:"r"`
}

type couchDBInfo struct {
	InstanceStartTime string       `json:"instance_start_time"`
	DBName            string       `json:"db_name"`
	PurgeSeq          string       `json:"purge_seq"`
	UpdateSeq         string       `json:"update_seq"`
	Sizes             couchSizes   `json:"sizes"`
	Props             struct{}     `json:"props"`
	DocDelCount       int          `json:"doc_del_count"`
	DocCount          int          `json:"doc_count"`
	DiskFormatVersion int          `json:"disk_format_version"`
	CompactRunning    bool         `json:"compact_running"`
	Cluster           couchCluster `json:"cluster"`
}

type couchOK struct {
	OK bool `json:"ok"`
}

// serveDatabase is everything under /{db}. PUT and DELETE of the database
// are for server admins (401 "You are not a server admin." to anyone else,
// before the name or existence is looked at: m73, m74, m78-m81, m101-m103);
// every other request needs the database (404) and then a member (401
// anonymous, 403 others).
func (c *Server) serveDatabase(w http.ResponseWriter, r *http.Request, parts []string, ctx couchUserCtx) {
	name := parts[0]
	if (r.Method == http.MethodPut || r.Method == http.MethodPost) && !bodyOverLimit(r) {
		// Read before locking, so that a slow client holds up no one.
		body, ok := c.readJSON(w, r)
		if !ok {
			return
		}
		r.Body = c.bodyReadAhead(body)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(parts) == 1 && (r.Method == http.MethodPut || r.Method == http.MethodDelete) {
		c.createOrDeleteDB(w, r, name, ctx)
		return
	}
	db := c.dbs[name]
	if db == nil {
		// CouchDB routes an unknown "_name" through verify_is_server_admin
		// first (m181, m188, m189).
		if name[0] == '_' && !ctx.isAdmin() {
			c.fail(w, r, http.StatusUnauthorized, "unauthorized", couchMsgNotAdmin)
			return
		}
		c.fail(w, r, http.StatusNotFound, "not_found", couchMsgNoDB)
		return
	}
	if len(parts) >= 2 && parts[1] == "_all_docs" && isSystemDB(name) && !ctx.isAdmin() {
		c.fail(w, r, http.StatusUnauthorized, "unauthorized", couchMsgNotAdmin) // m10, m16, m19
		return
	}
	if !db.isMember(ctx) {
		c.refuseReader(w, r, ctx)
		return
	}
	if len(parts) == 1 {
		c.serveDBRoot(w, r, db, ctx)
		return
	}
	switch parts[1] {
	case "_security":
		c.serveSecurity(w, r, db, parts, ctx)
	case "_all_docs":
		c.serveAllDocs(w, r, db, parts)
	case "_bulk_docs":
		c.serveBulkDocs(w, r, db, parts, ctx)
	case "_design":
		c.serveDesign(w, r, db, parts, ctx)
	case "_local":
		c.serveLocal(w, r, db, parts, ctx)
	default:
		if parts[1][0] == '_' {
			c.notImplemented(w, r, "/"+name+"/"+parts[1])
			return
		}
		if len(parts) > 2 {
			c.notImplemented(w, r, "attachments")
			return
		}
		c.serveDoc(w, r, db, parts[1], ctx)
	}
}

// serveDesign is /{db}/_design[/{ddoc}[/...]]. Without a name CouchDB
// takes "_design" as a document id (chttpd_db:db_req): no such document
// can exist, and writing one is refused as an illegal id.
func (c *Server) serveDesign(w http.ResponseWriter, r *http.Request, db *couchDatabase, parts []string, ctx couchUserCtx) {
	switch {
	case len(parts) == 2 && (r.Method == http.MethodPut || r.Method == http.MethodPost):
		c.fail(w, r, http.StatusBadRequest, "illegal_docid", couchMsgUnderscoreID)
	case len(parts) == 2:
		c.serveDoc(w, r, db, parts[1], ctx)
	case len(parts) == 3:
		c.serveDoc(w, r, db, "_design/"+parts[2], ctx)
	default:
		c.notImplemented(w, r, "/"+db.name+"/_design/"+parts[2]+"/... (views, shows, lists, attachments)")
	}
}

// serveLocal is /{db}/_local/{id}: CouchDB refuses the bare prefix and
// anything after the id (chttpd_db:db_req).
func (c *Server) serveLocal(w http.ResponseWriter, r *http.Request, db *couchDatabase, parts []string, ctx couchUserCtx) {
	switch len(parts) {
	case 2:
		c.fail(w, r, http.StatusBadRequest, "bad_request", "Invalid _local document id.")
	case 3:
		c.serveDoc(w, r, db, "_local/"+parts[2], ctx)
	default:
		c.fail(w, r, http.StatusBadRequest, "bad_request", "_local documents do not accept attachments.")
	}
}

// createOrDeleteDB is PUT and DELETE /{db} (m71-m81, m101-m109).
func (c *Server) createOrDeleteDB(w http.ResponseWriter, r *http.Request, name string, ctx couchUserCtx) {
	if !ctx.isAdmin() {
		c.fail(w, r, http.StatusUnauthorized, "unauthorized", couchMsgNotAdmin)
		return
	}
	if r.Method == http.MethodDelete {
		switch {
		case c.dbs[name] == nil:
			c.fail(w, r, http.StatusNotFound, "not_found", couchMsgNoDB)
		case name == "_users":
			c.notImplemented(w, r, "deleting _users (the fake's accounts live there)")
		default:
			delete(c.dbs, name)
			c.writeJSON(w, r, http.StatusOK, couchOK{OK: true})
		}
		return
	}
	switch {
	case !couchDBName.MatchString(name):
		c.fail(w, r, http.StatusBadRequest, "illegal_database_name", couchIllegalName(name))
	case c.dbs[name] != nil:
		c.fail(w, r, http.StatusPreconditionFailed, "file_exists", couchMsgDBExists)
	case len(c.dbs) >= maxDatabases:
		c.fail(w, r, http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("the fake holds at most %d databases", maxDatabases))
	default:
		c.dbs[name], _ = newCouchDatabase(name, couchAdminOnly)
		w.Header().Set("Location", couchAbsoluteURL(r, "/"+couchURLEncode(name)))
		c.writeJSON(w, r, http.StatusCreated, couchOK{OK: true})
	}
}

// serveDBRoot is GET/HEAD /{db} (database info) and POST /{db} (a new
// document, its id generated unless the body has one: m121, m122).
func (c *Server) serveDBRoot(w http.ResponseWriter, r *http.Request, db *couchDatabase, ctx couchUserCtx) {
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		live, deleted := 0, 0
		for _, d := range db.docs {
			if d.deleted {
				deleted++
			} else {
				live++
			}
		}
		c.writeJSON(w, r, http.StatusOK, couchDBInfo{
			InstanceStartTime: strconv.FormatInt(c.started, 10),
			DBName:            db.name,
			PurgeSeq:          "0-fake",
			UpdateSeq:         strconv.Itoa(db.seq) + "-fake",
			Sizes:             couchSizes{File: 16700},
			DocCount:          live,
			DocDelCount:       deleted,
			DiskFormatVersion: 8,
			Cluster:           couchCluster{Q: 2, N: 1, W: 1, R: 1},
		})
	case http.MethodPost:
		c.postDoc(w, r, db, ctx)
	default:
		c.methodNotAllowed(w, r, "DELETE,GET,HEAD,POST,PUT")
	}
}

// serveSecurity is GET and PUT /{db}/_security (m82-m100, m265-m267). The
// caller has checked membership.
func (c *Server) serveSecurity(w http.ResponseWriter, r *http.Request, db *couchDatabase, parts []string, ctx couchUserCtx) {
	if len(parts) > 2 {
		c.notImplemented(w, r, "/"+db.name+"/_security/...")
		return
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		c.writeJSON(w, r, http.StatusOK, db.security)
	case http.MethodPut:
		if db.name == "_users" {
			c.fail(w, r, http.StatusForbidden, "forbidden", couchMsgUsersSecObj) // m27
			return
		}
		if !db.isAdmin(ctx) {
			// 3.5.0 answers a member's attempt with a 500 "no_majority"
			// (m92, m265); the documented profile says what it means.
			c.releaseOr(w, r, http.StatusInternalServerError, "error", "no_majority",
				http.StatusForbidden, "forbidden", couchMsgNotDBAdmin)
			return
		}
		body, ok := c.readJSON(w, r)
		if !ok {
			return
		}
		next := *db
		if err := next.setSecurity(body); err != nil {
			c.releaseOr(w, r, http.StatusInternalServerError, "error", "no_majority", // m94
				http.StatusBadRequest, "bad_request", err.Error())
			return
		}
		if c.storedBytes()-len(db.security)+len(next.security) > c.maxStored {
			c.writeProblem(w, r, *c.storageFull())
			return
		}
		db.security, db.sec = next.security, next.sec
		c.writeJSON(w, r, http.StatusOK, couchOK{OK: true})
	default:
		c.methodNotAllowed(w, r, "GET,HEAD,PUT")
	}
}

// notImplemented is the answer to a CouchDB endpoint the fake leaves out:
// a 404 in CouchDB's shape that says so, never a 5xx.
func (c *Server) notImplemented(w http.ResponseWriter, r *http.Request, what string) {
	c.fail(w, r, http.StatusNotFound, "not_found", "authconform's CouchDB fake does not implement "+what)
}

// releaseOr fails with the release's answer in couchdb-3.5 and with the
// documented profile's otherwise.
func (c *Server) releaseOr(w http.ResponseWriter, r *http.Request, relStatus int, relErr, relReason string, status int, couch, reason string) {
	if c.cfg.Release {
		c.fail(w, r, relStatus, relErr, relReason)
		return
	}
	c.fail(w, r, status, couch, reason)
}
