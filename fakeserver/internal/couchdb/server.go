package couchdb

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/authconform/authconform/fakeserver/internal/core"
)

// Config is what the CouchDB flavor takes from fakeserver.Options.
type Config struct {
	// Release follows a real CouchDB release where it differs from the
	// document (profiles couchdb-3.3, couchdb-3.4, couchdb-3.5).
	Release bool
	// Version is the release followed (Version333, Version343 or
	// Version350; empty: 3.5.0): its identity, and where releases differ
	// (lockout, stored hash, password schemes, hash upgrade on login).
	Version string
	// Users and Databases replace the defaults when non-empty.
	Users     []core.User
	Databases []Database
	// SessionTTL is the cookie lifetime; zero is the profile's default.
	SessionTTL time.Duration
	// CookieSecret signs cookies; empty means random per Server.
	CookieSecret     []byte
	RequireValidUser bool
	// RequireValidUserExceptForUp is [chttpd]
	// require_valid_user_except_for_up: like RequireValidUser, but /_up
	// stays open and the 401s carry no WWW-Authenticate.
	RequireValidUserExceptForUp bool
	// MaxFailedLogins (zero: 5; negative: no limit) and LockDuration
	// (zero: 300 s) are the lockout per client IP and user name.
	MaxFailedLogins int
	LockDuration    time.Duration
	// MaxBodyBytes is the request body limit (zero: 1 MiB); a gzip body
	// may unpack to no more than it.
	MaxBodyBytes int64
	Clock        *core.Clock
	// Nodes is how many nodes Server.Nodes returns (zero: one); at most
	// MaxNodes.
	Nodes int
	// OwnAdminSalts gives each node its own salt for the server admins'
	// cookies (see Server.Nodes).
	OwnAdminSalts bool
}

// Database is a database seeded into the server.
type Database struct {
	Name string
	// Public databases are readable by anyone; otherwise only server
	// admins, Admins and Members (each entry a user name or a role) may
	// read.
	Public  bool
	Admins  []string
	Members []string
	// Docs maps document id to its JSON body.
	Docs map[string]string
	// Security is the database's _security object as JSON; it replaces
	// Public, Admins and Members.
	Security string
}

// Server is the CouchDB / Cloudant flavor: the cookie and default (Basic)
// authentication handlers of chttpd in front of /, /_up, /_session,
// /_all_dbs, the _users database (accounts), databases with _security
// objects, and documents with revisions. Views, _find, replication and
// attachments are left out: they answer 404 not_found saying so.
//
// Defaults, used when Options leave them empty:
//
//   - Users: server admin admin/secret (roles ["_admin"]) and alice/alicepw
//     (roles ["reader"]), as in the measured CouchDB 3.5.0 transcript.
//   - Databases: "authtest", admin-only (CouchDB's default_security =
//     admin_only: no members, so only server admins may read it), and "db",
//     public, holding the document "document" ({"hello":"world"}) so that
//     the Cloudant document's example GET /db/document works for any valid
//     user (and for anonymous clients).
//   - Session lifetime: 24 h in the documented profile (the document's
//     Max-Age=86400), 600 s in couchdb-3.5 ([chttpd_auth] timeout).
//   - Lockout: 5 failures per client IP and user name, for 300 s from the
//     first failure ([chttpd_auth_lockout] threshold and max_lifetime).
type Server struct {
	cfg Config
	rel release
	// server is the Server header of every reply.
	server []string
	users  *core.Users
	// secret signs AuthSession cookies, together with the user's salt.
	secret []byte
	// ttl is the session lifetime in whole seconds ([chttpd_auth]
	// timeout); it, requireValidUser ([chttpd] require_valid_user) and
	// exceptForUp ([chttpd] require_valid_user_except_for_up) change at
	// run time through /_node/{node}/_config (config.go).
	// They are pointers so that the nodes of a cluster (Nodes) share them.
	ttl              *atomic.Int64
	requireValidUser *atomic.Bool
	exceptForUp      *atomic.Bool
	limiter          *core.Limiter
	// lockMax and lockLife are the lockout's threshold and lifetime when
	// [chttpd_auth_lockout] does not set them.
	lockMax  int
	lockLife time.Duration
	// maxBody bounds a request body after gunzip.
	maxBody int64
	// maxStored bounds the bytes of documents and security objects
	// (maxStoredBytes; tests lower it).
	maxStored int
	// revoked holds logged-out cookies (documented profile only; nil in
	// couchdb-3.5, whose logout does not revoke).
	revoked *couchRevocations
	// onMAC, when set, is called for every cookie HMAC computed (a test
	// counts them).
	onMAC func()
	// dates is the Date header of the current second.
	dates *httpDates
	// mu guards dbs and everything in them; a pointer, so that the nodes
	// of a cluster (Nodes) share it with the databases.
	mu  *sync.Mutex
	dbs map[string]*couchDatabase
	// configAdmins are the server admins, [admins] in a real node's
	// config (not _users documents): name to the stored hash that
	// /_node/{node}/_config/admins shows. config holds the other settings
	// set through it (config.go). Both are guarded by mu.
	configAdmins map[string]string
	config       map[string]string
	// defaultTTL is the lifetime when [chttpd_auth] timeout is not set.
	defaultTTL int64
	uuid       string
	started    int64
	// nodeName is this node's name and clusterNodes every node's, for
	// /_node/_local and /_membership; adminSalt, when set, replaces the
	// server admins' salt in cookies (see Nodes).
	nodeName     string
	clusterNodes []string
	adminSalt    []byte

	// The accounts and database the states are built around.
	admin, other core.User
	database     string
	document     string // "db/doc", a document anyone may read
}

// DefaultUsers are the server admin and a reader of the measured CouchDB
// 3.5.0 transcript.
var DefaultUsers = []core.User{
	{Name: "admin", Password: "secret", Roles: []string{"_admin"}},
	{Name: "alice", Password: "alicepw", Roles: []string{"reader"}},
}

// DefaultDatabases are "authtest" (admins only) and a public "db" with the
// document "document".
func DefaultDatabases() []Database {
	return []Database{
		{Name: "authtest"},
		{Name: "db", Public: true, Docs: map[string]string{"document": `{"hello":"world"}`}},
	}
}

// New builds a CouchDB server for o.
func New(o Config) (*Server, error) {
	rel, err := releaseOf(o.Version)
	if err != nil {
		return nil, err
	}
	users := o.Users
	if len(users) == 0 {
		users = DefaultUsers
	}
	dbs := o.Databases
	if len(dbs) == 0 {
		dbs = DefaultDatabases()
	}
	ttl := o.SessionTTL
	if ttl == 0 {
		ttl = 24 * time.Hour // the document: "remains active for twenty-four hours"
		if o.Release {
			ttl = 600 * time.Second // [chttpd_auth] timeout
		}
	}
	if ttl < 0 {
		return nil, fmt.Errorf("fakeserver: SessionTTL must not be negative, got %v", ttl)
	}
	if o.Nodes < 0 || o.Nodes > MaxNodes {
		return nil, fmt.Errorf("fakeserver: Nodes must be between 1 and %d, got %d", MaxNodes, o.Nodes)
	}
	if o.OwnAdminSalts && o.Nodes < 2 {
		return nil, fmt.Errorf("fakeserver: OwnAdminSalts needs Nodes of 2 or more, got %d", o.Nodes)
	}
	secret := o.CookieSecret
	if len(secret) == 0 {
		secret = make([]byte, 32)
		_, _ = rand.Read(secret)
	}
	maxFailures, lock := o.MaxFailedLogins, o.LockDuration
	switch {
	case maxFailures == 0 && !rel.lockout:
		maxFailures = -1 // 3.3 has no lockout
	case maxFailures == 0:
		maxFailures = 5 // [chttpd_auth_lockout] threshold
	}
	if lock <= 0 {
		lock = 300 * time.Second // [chttpd_auth_lockout] max_lifetime
	}
	maxBody := o.MaxBodyBytes
	if maxBody <= 0 {
		maxBody = 1 << 20
	}
	uuid := make([]byte, 16)
	_, _ = rand.Read(uuid)
	c := &Server{
		maxBody:    maxBody,
		maxStored:  maxStoredBytes,
		cfg:        o,
		rel:        rel,
		server:     rel.serverHeader(),
		users:      core.NewUsers(users),
		secret:     secret,
		defaultTTL: max(int64(ttl/time.Second), 1),
		limiter:    core.NewLimiter(newCouchLockout(maxFailures, lock)),
		lockMax:    maxFailures,
		lockLife:   lock,
		uuid:       hex.EncodeToString(uuid),
		started:    o.Clock.Now().Unix(),
		ttl:        new(atomic.Int64), requireValidUser: new(atomic.Bool), exceptForUp: new(atomic.Bool),
		mu:           &sync.Mutex{},
		dates:        &httpDates{},
		nodeName:     couchNodeName,
		clusterNodes: []string{couchNodeName},
	}
	c.ttl.Store(c.defaultTTL)
	c.requireValidUser.Store(o.RequireValidUser)
	c.exceptForUp.Store(o.RequireValidUserExceptForUp)
	if !o.Release {
		c.revoked = newCouchRevocations()
	}
	if c.dbs, err = buildCouchDatabases(dbs); err != nil {
		return nil, err
	}
	c.seedConfig(o, users)
	c.seedUsersDB(users)
	c.admin, c.other = users[0], core.User{}
	for _, u := range users {
		if slices.Contains(u.Roles, "_admin") {
			c.admin = u
			break
		}
	}
	for _, u := range users {
		if !slices.Contains(u.Roles, "_admin") {
			c.other = u
			break
		}
	}
	c.database = dbs[0].Name
	for _, d := range dbs {
		if !d.Public {
			c.database = d.Name
			break
		}
	}
	for _, d := range dbs { // the document the Basic example reads
		if d.Public && c.document == "" {
			for id := range d.Docs {
				if c.document == "" || d.Name+"/"+id < c.document {
					c.document = d.Name + "/" + id
				}
			}
		}
	}
	return c, nil
}

// States implements core.Flavor.
func (c *Server) States() []string {
	return []string{"user-exists", "logged-in", "require-valid-user", "require-valid-user-except-for-up"}
}

// EnterState implements core.Flavor; it runs on a freshly built server,
// before it serves requests.
func (c *Server) EnterState(name string) (map[string]string, error) {
	vars := map[string]string{
		"User":     c.admin.Name,
		"Password": c.admin.Password,
		"Database": c.database,
		// The session lifetime, for fixtures whose clock steps are
		// fractions of it.
		"SessionTTL": c.SessionLifetime().String(),
	}
	if c.document != "" {
		vars["Document"] = c.document
	}
	if c.other.Name != "" {
		vars["OtherUser"], vars["OtherPassword"] = c.other.Name, c.other.Password
	}
	switch name {
	case "user-exists":
	case "logged-in":
		acct, ok := c.users.Lookup(c.admin.Name)
		if !ok {
			return nil, fmt.Errorf("fakeserver: state logged-in: user %q is missing", c.admin.Name)
		}
		vars["Cookie"] = c.mintCookie(acct, c.cfg.Clock.Now())
	case "require-valid-user":
		c.requireValidUser.Store(true)
	case "require-valid-user-except-for-up":
		c.exceptForUp.Store(true)
	default:
		return nil, core.UnknownState(name, c.States())
	}
	return vars, nil
}

// problem is an error answer before routing.
type problem struct {
	status int
	couch  string // CouchDB's error word, e.g. bad_request
	msg    string
	// crash, when set, is the release's 500 instead.
	crash *couchCrash
}

// couchError is CouchDB's error body, in its key order.
type couchError struct {
	Error  string `json:"error"`
	Reason string `json:"reason"`
}

var (
	mustRevalidate = []string{"must-revalidate"}
	jsonType       = []string{"application/json"}
)

// writeJSON is send_json: compact JSON and a newline, the headers every
// CouchDB reply carries, and no body for HEAD.
func (c *Server) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // only our own types and already-valid JSON are encoded
	c.writeBody(w, r, status, buf.Bytes())
}

// writeBody is writeJSON's reply for a body already encoded.
func (c *Server) writeBody(w http.ResponseWriter, r *http.Request, status int, body []byte) {
	h := w.Header()
	// The fixed values are shared slices (an Add copies them, since their
	// capacity is their length), which saves an allocation each; the keys
	// are in canonical form, as Set would write them.
	h["Cache-Control"], h["Content-Type"], h["Server"] = mustRevalidate, jsonType, c.server
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	// Date comes from the fake's clock, so it agrees with the session
	// cookie's issue time and Expires even when a test moves time.
	h["Date"] = c.dates.header(c.cfg.Clock.Now())
	// The document shows x-couch-request-id even on /_session replies;
	// 3.5.0 leaves it off those (sessionWriter).
	if _, bare := w.(sessionWriter); !c.cfg.Release || !bare {
		couchRequestHeaders(h)
	}
	if b, ok := requestBody(r).(*unreadBody); ok && !b.read {
		h.Set("Connection", "close")
	}
	w.WriteHeader(status)
	if r == nil || r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// writeProblem is send_error with chttpd's error_headers: a 401
// "unauthorized" gets WWW-Authenticate when the client asks for it
// (X-CouchDB-WWW-Authenticate) or require_valid_user is on, and otherwise a
// browser (Accept without application/json but with text/html) is
// redirected to the login page, keeping the JSON body (transcript case 31).
func (c *Server) writeProblem(w http.ResponseWriter, r *http.Request, p problem) {
	if p.crash != nil {
		c.writeCrash(w, r, *p.crash)
		return
	}
	// An error thrown inside the /_session handler goes through chttpd's
	// error path, with its headers.
	w = unwrapSession(w)
	status := p.status
	couch := p.couch
	if couch == "" {
		couch = "bad_request"
	}
	if r != nil && status == http.StatusUnauthorized && couch == "unauthorized" {
		switch {
		case r.Header.Get("X-CouchDB-WWW-Authenticate") != "":
			w.Header().Set("WWW-Authenticate", r.Header.Get("X-CouchDB-WWW-Authenticate"))
		case c.requireValidUser.Load():
			w.Header().Set("WWW-Authenticate", `Basic realm="server"`)
		case !acceptsMediaType(r.Header.Get("Accept"), "application/json") && acceptsMediaType(r.Header.Get("Accept"), "text/html"):
			status = http.StatusFound
			w.Header().Set("Location", couchAbsoluteURL(r, "/_utils/session.html?return="+couchURLEncode(r.URL.Path)+"&reason="+couchURLEncode(p.msg)))
		}
	}
	c.writeJSON(w, r, status, couchError{Error: couch, Reason: p.msg})
}

func (c *Server) fail(w http.ResponseWriter, r *http.Request, status int, couch, reason string) {
	c.writeProblem(w, r, problem{status: status, couch: couch, msg: reason})
}

func requestBody(r *http.Request) io.ReadCloser {
	if r == nil {
		return nil
	}
	return r.Body
}

// WriteProblem implements core.Flavor.
func (c *Server) WriteProblem(w http.ResponseWriter, r *http.Request, p core.Problem) {
	switch p {
	case core.HeaderTooLarge:
		if c.cfg.Release {
			c.mochiBadRequest(w) // MochiWeb refuses long lines before CouchDB sees them
			return
		}
		c.fail(w, r, p.Status(), "bad_request", "Request header fields too large.")
	case core.BodyTooLarge:
		if c.cfg.Release {
			// 3.5.0 reads a body only in its handler, after the
			// credentials and access checks, so those answer first (run
			// 6: 401, 403) and a handler that reads no body answers as
			// usual. The request is routed with a body that fails as the
			// limit does; the connection closes, the body unread.
			w.Header().Set("Connection", "close")
			if _, routed := r.Body.(*unreadBody); !routed {
				// An unknown length, so that no reader sizes a buffer by
				// the declared one.
				r.Body, r.ContentLength = tooLargeBody{}, -1
				c.ServeHTTP(w, r)
				return
			}
		}
		c.fail(w, r, p.Status(), "too_large", "the request entity is too large")
	case core.BodyTimeout:
		c.fail(w, r, p.Status(), "request_timeout", "the request body was not received in time")
	case core.BodyIncomplete:
		c.fail(w, r, p.Status(), "bad_request", "could not read the request body")
	case core.TooDeep:
		c.fail(w, r, p.Status(), "bad_request", fmt.Sprintf("invalid JSON: nested deeper than %d levels", core.MaxJSONDepth))
	default:
		c.fail(w, r, p.Status(), "bad_request", "bad request")
	}
}

// methodNotAllowed is send_method_not_allowed.
// Written directly, so that the /_session handler's 405 lacks chttpd's
// request headers as on 3.5.0 (m184).
func (c *Server) methodNotAllowed(w http.ResponseWriter, r *http.Request, allowed string) {
	w.Header().Set("Allow", allowed)
	c.writeJSON(w, r, http.StatusMethodNotAllowed, couchError{Error: "method_not_allowed", Reason: "Only " + allowed + " allowed"})
}

func (c *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if c.cfg.Release {
		if lineTooLong(r) {
			c.mochiBadRequest(w)
			return
		}
		if r.ContentLength != 0 {
			r.Body = &unreadBody{ReadCloser: r.Body}
		}
	}
	parts, ok := couchPathParts(r)
	if !ok {
		c.fail(w, r, http.StatusBadRequest, "bad_request", "invalid_url_encoding")
		return
	}
	ctx, p := c.authenticate(r, parts)
	if p != nil {
		c.writeProblem(w, r, *p)
		return
	}
	if ctx.refresh {
		// cookie_auth_header: a fresh cookie once 10% of the lifetime has
		// passed. Handlers that set their own AuthSession cookie (login,
		// logout) replace this one with Header().Set.
		w.Header().Add("Set-Cookie", c.sessionSetCookie(r, c.mintCookie(ctx.acct, c.cfg.Clock.Now()), c.cfg.Clock.Now()))
	}
	c.route(w, r, parts, ctx)
}

// couchPathParts splits the path as chttpd does: empty segments dropped,
// each segment percent-decoded.
func couchPathParts(r *http.Request) ([]string, bool) {
	var parts []string
	for path := r.URL.EscapedPath(); path != ""; {
		var seg string
		seg, path, _ = strings.Cut(path, "/")
		if seg == "" {
			continue
		}
		s, err := url.PathUnescape(seg)
		if err != nil {
			return nil, false
		}
		parts = append(parts, s)
	}
	return parts, true
}

func (c *Server) route(w http.ResponseWriter, r *http.Request, parts []string, ctx couchUserCtx) {
	if len(parts) == 0 {
		c.serveWelcome(w, r)
		return
	}
	switch parts[0] {
	case "_up":
		c.serveUp(w, r, parts)
	case "_session":
		c.serveSession(w, r, parts, ctx)
	case "_all_dbs":
		c.serveAllDBs(w, r, parts, ctx)
	case "_membership":
		c.serveMembership(w, r, parts, ctx)
	case "_node":
		c.serveNode(w, r, parts, ctx)
	default:
		if unimplementedEndpoints[parts[0]] {
			c.notImplemented(w, r, "/"+parts[0])
			return
		}
		c.serveDatabase(w, r, parts, ctx)
	}
}

// unimplementedEndpoints are a real node's top-level endpoints that the
// fake leaves out (replication, configuration, cluster and node admin).
var unimplementedEndpoints = map[string]bool{
	"_replicate": true, "_config": true, "_uuids": true,
	"_active_tasks": true, "_scheduler": true, "_utils": true,
	"_cluster_setup": true, "_db_updates": true, "_dbs_info": true, "_stats": true,
	"_reshard": true, "_search_analyze": true, "_prometheus": true, "_system": true,
	"_restart": true, "_explain": true,
}

type couchVendor struct {
	Name string `json:"name"`
}

type couchWelcome struct {
	CouchDB  string      `json:"couchdb"`
	Version  string      `json:"version"`
	GitSHA   string      `json:"git_sha"`
	UUID     string      `json:"uuid"`
	Features []string    `json:"features"`
	Vendor   couchVendor `json:"vendor"`
}

// serveWelcome is GET / (transcript case 1).
func (c *Server) serveWelcome(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		c.methodNotAllowed(w, r, "GET,HEAD")
		return
	}
	c.writeJSON(w, r, http.StatusOK, couchWelcome{
		CouchDB: "Welcome", Version: c.rel.version, GitSHA: c.rel.gitSHA, UUID: c.uuid,
		Features: c.rel.features,
		Vendor:   couchVendor{Name: "The Apache Software Foundation"},
	})
}

type couchUp struct {
	Status string   `json:"status"`
	Seeds  struct{} `json:"seeds"`
}

// readOnlyEndpoint answers, and returns false, when a one-segment GET/HEAD
// endpoint such as /_up gets a longer path (404) or another method (405).
func (c *Server) readOnlyEndpoint(w http.ResponseWriter, r *http.Request, parts []string) bool {
	if len(parts) > 1 {
		c.fail(w, r, http.StatusNotFound, "not_found", "missing")
		return false
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		c.methodNotAllowed(w, r, "GET,HEAD")
		return false
	}
	return true
}

// serveUp is GET /_up (transcript case 2).
func (c *Server) serveUp(w http.ResponseWriter, r *http.Request, parts []string) {
	if !c.readOnlyEndpoint(w, r, parts) {
		return
	}
	c.writeJSON(w, r, http.StatusOK, couchUp{Status: "ok"})
}

// couchAbsoluteURL is couch_httpd:absolute_uri: the request's scheme and
// host (X-Forwarded-Host and X-Forwarded-Proto honoured) plus path.
func couchAbsoluteURL(r *http.Request, path string) string {
	return core.BaseURL(r) + path
}

// couchURLEncode is couch_util:url_encode: letters, digits and "_.-:" kept,
// everything else %XX in upper case.
func couchURLEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch >= 'a' && ch <= 'z', ch >= 'A' && ch <= 'Z', ch >= '0' && ch <= '9',
			ch == '_', ch == '.', ch == '-', ch == ':':
			b.WriteByte(ch)
		default:
			fmt.Fprintf(&b, "%%%02X", ch)
		}
	}
	return b.String()
}

// acceptsMediaType is mochiweb's accepts_content_type: an absent Accept
// header accepts everything; otherwise the type, its "main/*" or "*/*" must
// be listed with q > 0 and neither the type nor "main/*" refused with q=0.
func acceptsMediaType(accept, mediaType string) bool {
	if strings.TrimSpace(accept) == "" {
		return true
	}
	mainType, _, _ := strings.Cut(mediaType, "/")
	super := mainType + "/*"
	accepted := false
	for _, item := range strings.Split(accept, ",") {
		fields := strings.Split(item, ";")
		t := strings.ToLower(strings.TrimSpace(fields[0]))
		q := 1.0
		for _, param := range fields[1:] {
			k, v, _ := strings.Cut(param, "=")
			if strings.TrimSpace(k) == "q" {
				f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil {
					return false // mochiweb: invalid_qvalue_string
				}
				q = f
			}
		}
		if q <= 0 {
			if t == mediaType || t == super {
				return false
			}
			continue
		}
		if t == "*/*" || t == mediaType || t == super {
			accepted = true
		}
	}
	return accepted
}

// Revocations is how many logged-out cookies are remembered; kept is false
// in the release profile, which remembers none. For tests of memory bounds.
func (c *Server) Revocations() (n int, kept bool) {
	if c.revoked == nil {
		return 0, false
	}
	return c.revoked.size(), true
}

// LockoutEntries is the size of the failed-login table, for tests of
// memory bounds.
func (c *Server) LockoutEntries() int { return c.limiter.Rule().(*couchLockout).size() }

// LockoutLifetime is how long a lockout entry lives.
func (c *Server) LockoutLifetime() time.Duration { return c.limiter.Rule().(*couchLockout).lifetime() }

// SessionLifetime is the cookie lifetime in force.
func (c *Server) SessionLifetime() time.Duration { return time.Duration(c.ttl.Load()) * time.Second }
