package fakeserver

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strings"
	"sync"
)

func init() { flavorBuilders[Neo4j33] = newNeo4j33 }

// neo4j33 is the Neo4j 3.3 HTTP API: the AuthorizationEnabledFilter in
// front of the service root and the /user resource.
type neo4j33 struct {
	env     *env
	users   *userStore
	limiter *loginLimiter
	authOff bool
	base    User // the user states are built around
	roots   bodyCache
}

var neo4jDefaultUser = User{Name: "neo4j", Password: "neo4j", PasswordChangeRequired: true}

func newNeo4j33(e *env) (flavor, error) {
	users := e.opts.Users
	if len(users) == 0 {
		users = []User{neo4jDefaultUser}
	}
	return &neo4j33{
		env: e, users: newUserStore(users), limiter: newNeo4jLimiter(e.opts),
		authOff: e.opts.AuthDisabled, base: users[0],
	}, nil
}

func (n *neo4j33) states() []string {
	return []string{"default-password", "password-changed", "auth-disabled"}
}

func (n *neo4j33) enterState(name string) (map[string]string, error) {
	u := n.base
	switch name {
	case "default-password":
		u.PasswordChangeRequired = true
	case "password-changed":
		u.PasswordChangeRequired = false
		if u.Password == neo4jDefaultUser.Password {
			u.Password = "secret" // the document's changed password
		}
	case "auth-disabled":
		n.authOff = true
	default:
		return nil, unknownState(name, n.states())
	}
	n.users = newUserStore([]User{u})
	return map[string]string{"User": u.Name, "Password": u.Password}, nil
}

func (n *neo4j33) pretty() bool { return true }

// contentType is what the profile puts on the wire: the code sets
// "application/json; charset=UTF-8", which 3.3.9's Jetty rewrites
// (reference §1 "Content-Type of every filter error").
func (n *neo4j33) contentType() string {
	if n.env.opts.Profile == ProfileNeo4j339 {
		return "application/json;charset=utf-8"
	}
	return neo4jJSON
}

func (n *neo4j33) writeProblem(w http.ResponseWriter, _ *http.Request, p problem) {
	writeNeo4jJSON(w, p.status, n.contentType(), n.pretty(), neo4jErrorBody(p.code, p.msg, nil))
}

func (n *neo4j33) fail(w http.ResponseWriter, status int, code, msg string) {
	n.writeProblem(w, nil, problem{status: status, code: code, msg: msg})
}

// exempt paths skip authentication (DEFAULT_URI_WHITELIST).
var neo4j33Exempt = regexp.MustCompile(`^(/|/browser.*)$`)

func (n *neo4j33) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodOptions {
		w.Header().Set("Allow", "OPTIONS, GET, HEAD, POST, PUT, DELETE")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if neo4j33Exempt.MatchString(r.URL.Path) {
		n.serveUnauthenticated(w, r)
		return
	}
	user, ok := n.authenticate(w, r)
	if !ok {
		return
	}
	n.route(w, r, user)
}

// authenticate is the filter; on failure it has written the answer.
func (n *neo4j33) authenticate(w http.ResponseWriter, r *http.Request) (string, bool) {
	if n.authOff {
		return "neo4j", true // AuthorizationDisabledFilter's principal
	}
	values, present := r.Header["Authorization"]
	if !present {
		w.Header().Set("WWW-Authenticate", authenticateHeader(r, `Basic realm="Neo4j"`))
		n.fail(w, http.StatusUnauthorized, codeUnauthorized, msgNoHeader)
		return "", false
	}
	parse := parseBasicStrict
	if n.env.opts.Profile == ProfileNeo4j339 {
		parse = parseBasicNeo4j3
	}
	name, password, ok := parse(values[0])
	if !ok || len(values) > 1 {
		n.fail(w, http.StatusBadRequest, codeInvalidFormat, msgBadHeader)
		return "", false
	}
	now := n.env.now()
	acct, exists := n.users.lookup(name)
	defer n.limiter.serialize.lock(name).Unlock()
	if exists && n.limiter.locked(name, now) {
		n.fail(w, http.StatusTooManyRequests, codeRateLimit, msgRateLimited)
		return "", false
	}
	if _, _, good := n.users.check(name, password); !good {
		if exists {
			n.limiter.failed(name, now)
		}
		w.Header().Set("WWW-Authenticate", authenticateHeader(r, `Basic realm="Neo4j"`))
		n.fail(w, http.StatusUnauthorized, codeUnauthorized, msgBadCredential)
		return "", false
	}
	n.limiter.succeeded(name)
	if acct.changeReqd && !strings.HasPrefix(r.URL.Path, "/user/") {
		writeNeo4jJSON(w, http.StatusForbidden, n.contentType(), n.pretty(), neo4jErrorBody(codeForbidden,
			"User is required to change their password.",
			map[string]any{"password_change": neo4jBaseURL(r) + "/user/" + name + "/password"}))
		return "", false
	}
	return name, true
}

func (n *neo4j33) serveUnauthenticated(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		_, _ = io.WriteString(w, "<!doctype html><title>Neo4j Browser (authconform fake)</title>\n")
		return
	}
	base := neo4jBaseURL(r)
	host := r.Host
	if i := strings.LastIndex(host, ":"); i > 0 && !strings.HasSuffix(host, "]") {
		host = host[:i]
	}
	writeNeo4jJSON(w, http.StatusOK, n.contentType(), n.pretty(), map[string]string{
		"management": base + "/db/manage/",
		"data":       base + "/db/data/",
		"bolt":       "bolt://" + host + ":7687",
	})
}

func (n *neo4j33) route(w http.ResponseWriter, r *http.Request, user string) {
	p := r.URL.Path
	switch {
	case p == "/db/data/" || p == "/db/data":
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			n.fail(w, http.StatusMethodNotAllowed, codeInvalid, "Method Not Allowed")
			return
		}
		n.serviceRoot(w, r)
	case strings.HasPrefix(p, "/user/"):
		n.serveUser(w, r, user, strings.TrimPrefix(p, "/user/"))
	default:
		n.fail(w, http.StatusNotFound, codeInvalid, "Not Found: the authconform fake implements only /, /db/data/ and /user/{name}.")
	}
}

func (n *neo4j33) serviceRoot(w http.ResponseWriter, r *http.Request) {
	body := n.roots.get(neo4jBaseURL(r), func(base string) []byte {
		d := base + "/db/data/"
		b, _ := json.MarshalIndent(map[string]any{
			"extensions":         map[string]any{},
			"node":               d + "node",
			"relationship":       d + "relationship",
			"node_index":         d + "index/node",
			"relationship_index": d + "index/relationship",
			"extensions_info":    d + "ext",
			"relationship_types": d + "relationship/types",
			"batch":              d + "batch",
			"cypher":             d + "cypher",
			"indexes":            d + "schema/index",
			"constraints":        d + "schema/constraint",
			"transaction":        d + "transaction",
			"node_labels":        d + "labels",
			"neo4j_version":      "3.3.9",
		}, "", "  ")
		return b
	})
	w.Header().Set("Content-Type", n.contentType())
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// bodyCache keeps a few rendered bodies by the base URL they name: the
// service root is the fake's most requested answer and costs most to render.
type bodyCache struct {
	mu     sync.Mutex
	bodies map[string][]byte
}

// get returns the cached body for key, rendering it once; at most 16 are
// kept, so a client varying its Host header cannot grow memory.
func (c *bodyCache) get(key string, render func(string) []byte) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	if b, ok := c.bodies[key]; ok {
		return b
	}
	if c.bodies == nil || len(c.bodies) >= 16 {
		c.bodies = map[string][]byte{}
	}
	b := render(key)
	c.bodies[key] = b
	return b
}

// serveUser is UserService: GET /user/{name}, POST /user/{name}/password.
func (n *neo4j33) serveUser(w http.ResponseWriter, r *http.Request, principal, rest string) {
	name, sub, _ := strings.Cut(rest, "/")
	if name != principal { // another user: 404 with an empty body, no lookup
		w.WriteHeader(http.StatusNotFound)
		return
	}
	switch {
	case sub == "" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		acct, ok := n.users.lookup(name)
		if !ok && !n.authOff {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		writeNeo4jJSON(w, http.StatusOK, n.contentType(), n.pretty(), map[string]any{
			"password_change_required": acct.changeReqd,
			"password_change":          neo4jBaseURL(r) + "/user/" + name + "/password",
			"username":                 name,
		})
	case sub == "password" && r.Method == http.MethodPost:
		n.changePassword(w, r, name)
	case sub == "" || sub == "password":
		n.fail(w, http.StatusMethodNotAllowed, codeInvalid, "Method Not Allowed")
	default:
		n.fail(w, http.StatusNotFound, codeInvalid, "Not Found")
	}
}

// changePassword follows UserService's validation order (reference §2).
func (n *neo4j33) changePassword(w http.ResponseWriter, r *http.Request, name string) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || (mt != "application/json" && mt != "application/x-www-form-urlencoded") {
			n.fail(w, http.StatusUnsupportedMediaType, codeInvalid, "Unsupported Media Type: send the new password as application/json.")
			return
		}
	}
	body, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		n.fail(w, http.StatusRequestEntityTooLarge, codeInvalid, "Request body too large.")
		return
	} else if err != nil {
		n.fail(w, http.StatusBadRequest, codeInvalidFormat, "Could not read the request body.")
		return
	}
	fields := map[string]any{}
	if len(strings.TrimSpace(string(body))) > 0 { // an empty body reads as an empty map
		if err := json.Unmarshal(body, &fields); err != nil {
			n.fail(w, http.StatusBadRequest, codeInvalidFormat, "Unable to deserialize request: "+err.Error())
			return
		}
	}
	raw, present := fields["password"]
	if !present || raw == nil {
		n.fail(w, http.StatusUnprocessableEntity, codeInvalidFormat, "Required parameter 'password' is missing.")
		return
	}
	password, isString := raw.(string)
	if !isString {
		n.fail(w, http.StatusUnprocessableEntity, codeInvalidFormat, "Expected 'password' to be a string.")
		return
	}
	acct, exists := n.users.lookup(name)
	if !exists {
		n.fail(w, http.StatusUnprocessableEntity, codeInvalidArgs, "User '"+name+"' does not exist.")
		return
	}
	if password == "" {
		n.fail(w, http.StatusUnprocessableEntity, codeInvalidArgs, "A password cannot be empty.")
		return
	}
	if acct.passwordIs(password) {
		n.fail(w, http.StatusUnprocessableEntity, codeInvalidArgs, "Old password and new password cannot be the same.")
		return
	}
	n.users.setPassword(name, password)
	w.WriteHeader(http.StatusOK)
}
