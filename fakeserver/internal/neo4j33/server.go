package neo4j33

import (
	"encoding/json"
	"mime"
	"net/http"
	"strings"
	"sync"

	"github.com/authconform/authconform/fakeserver/internal/core"
	"github.com/authconform/authconform/fakeserver/internal/neo4jwire"
)

// Config is what the Neo4j 3.3 flavor takes from fakeserver.Options.
type Config struct {
	// Release follows Neo4j 3.3.9 where it differs from the document
	// (profile neo4j-3.3.9).
	Release bool
	neo4jwire.Accounts
}

// Server is the Neo4j 3.3 HTTP API: the AuthorizationEnabledFilter in front
// of the service root and the /user resource.
type Server struct {
	cfg     Config
	users   *core.Users
	limiter *core.Limiter
	authOff bool
	base    core.User // the user states are built around
	other   core.User // the second account states seed
	roots   bodyCache
}

// DefaultUser is a fresh install's account: neo4j/neo4j, change required.
var DefaultUser = core.User{Name: "neo4j", Password: "neo4j", ChangeRequired: true}

// DefaultOtherUser is the second account the default-password and
// password-changed states seed when Config.Users names only one: fred, the
// other user of UserServiceTest (reference §2 U3).
var DefaultOtherUser = core.User{Name: "fred", Password: "fredpw"}

// New builds a Neo4j 3.3 server for cfg.
func New(cfg Config) (*Server, error) {
	users := cfg.Users
	if len(users) == 0 {
		users = []core.User{DefaultUser}
	}
	other := DefaultOtherUser
	if len(users) > 1 {
		other = users[1]
	} else if users[0].Name == other.Name {
		other.Name = "barney"
	}
	return &Server{
		cfg: cfg, users: core.NewUsers(users), limiter: neo4jwire.NewLimiter(cfg.MaxFailedLogins, cfg.LockDuration),
		authOff: cfg.AuthDisabled, base: users[0], other: other,
	}, nil
}

// States implements core.Flavor.
func (n *Server) States() []string {
	return []string{neo4jwire.DefaultPassword, neo4jwire.PasswordChanged, neo4jwire.AuthDisabled}
}

// EnterState implements core.Flavor. The password states also seed a
// second account (OtherUser, OtherPassword), so that fixtures can ask for
// the status of another user that exists.
func (n *Server) EnterState(name string) (map[string]string, error) {
	u, authOff, err := neo4jwire.StateUser(name, n.base, n.States())
	if err != nil {
		return nil, err
	}
	if authOff {
		n.authOff = true
		n.users = core.NewUsers([]core.User{u})
		return map[string]string{"User": u.Name, "Password": u.Password}, nil
	}
	if name == neo4jwire.PasswordChanged && u.Password == DefaultUser.Password {
		u.Password = "secret" // the document's changed password
	}
	n.users = core.NewUsers([]core.User{u, n.other})
	return map[string]string{"User": u.Name, "Password": u.Password, "OtherUser": n.other.Name, "OtherPassword": n.other.Password}, nil
}

func (n *Server) pretty() bool { return true }

// contentType is what the profile puts on the wire: the code sets
// "application/json; charset=UTF-8", which 3.3.9's Jetty rewrites
// (reference §1 "Content-Type of every filter error").
func (n *Server) contentType() string {
	if n.cfg.Release {
		return "application/json;charset=utf-8"
	}
	return neo4jwire.JSON
}

// WriteProblem implements core.Flavor.
func (n *Server) WriteProblem(w http.ResponseWriter, _ *http.Request, p core.Problem) {
	n.fail(w, p.Status(), neo4jwire.CodeInvalid, neo4jwire.ProblemMessage(p))
}

func (n *Server) fail(w http.ResponseWriter, status int, code, msg string) {
	neo4jwire.WriteJSON(w, status, n.contentType(), n.pretty(), neo4jwire.ErrorBody(code, msg, nil))
}

func (n *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodOptions {
		w.Header().Set("Allow", "OPTIONS, GET, HEAD, POST, PUT, DELETE")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if neo4jwire.Exempt(r.URL.Path) {
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
func (n *Server) authenticate(w http.ResponseWriter, r *http.Request) (string, bool) {
	if n.authOff {
		return "neo4j", true // AuthorizationDisabledFilter's principal
	}
	values, present := r.Header["Authorization"]
	if !present {
		w.Header().Set("WWW-Authenticate", neo4jwire.AuthenticateHeader(r, `Basic realm="Neo4j"`))
		n.fail(w, http.StatusUnauthorized, neo4jwire.CodeUnauthorized, neo4jwire.MsgNoHeader)
		return "", false
	}
	parse := core.ParseBasic
	if n.cfg.Release {
		parse = parseBasic339
	}
	name, password, ok := parse(values[0])
	if !ok || len(values) > 1 {
		n.fail(w, http.StatusBadRequest, neo4jwire.CodeInvalidFormat, neo4jwire.MsgBadHeader)
		return "", false
	}
	acct, outcome := n.limiter.Attempt(n.users, name, name, password, n.cfg.Clock.Now())
	switch outcome {
	case core.LockedOut:
		n.fail(w, http.StatusTooManyRequests, neo4jwire.CodeRateLimit, neo4jwire.MsgRateLimited)
		return "", false
	case core.BadLogin:
		w.Header().Set("WWW-Authenticate", neo4jwire.AuthenticateHeader(r, `Basic realm="Neo4j"`))
		n.fail(w, http.StatusUnauthorized, neo4jwire.CodeUnauthorized, neo4jwire.MsgBadCredential)
		return "", false
	}
	if acct.ChangeRequired && !strings.HasPrefix(r.URL.Path, "/user/") {
		neo4jwire.WriteJSON(w, http.StatusForbidden, n.contentType(), n.pretty(), neo4jwire.ErrorBody(neo4jwire.CodeForbidden,
			"User is required to change their password.",
			map[string]any{"password_change": core.BaseURL(r) + "/user/" + name + "/password"}))
		return "", false
	}
	return name, true
}

func (n *Server) serveUnauthenticated(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		neo4jwire.WriteBrowserPage(w)
		return
	}
	base := core.BaseURL(r)
	host := r.Host
	if i := strings.LastIndex(host, ":"); i > 0 && !strings.HasSuffix(host, "]") {
		host = host[:i]
	}
	neo4jwire.WriteJSON(w, http.StatusOK, n.contentType(), n.pretty(), map[string]string{
		"management": base + "/db/manage/",
		"data":       base + "/db/data/",
		"bolt":       "bolt://" + host + ":7687",
	})
}

func (n *Server) route(w http.ResponseWriter, r *http.Request, user string) {
	p := r.URL.Path
	switch {
	case p == "/db/data/" || p == "/db/data":
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			n.fail(w, http.StatusMethodNotAllowed, neo4jwire.CodeInvalid, "Method Not Allowed")
			return
		}
		n.serviceRoot(w, r)
	case strings.HasPrefix(p, "/user/"):
		n.serveUser(w, r, user, strings.TrimPrefix(p, "/user/"))
	default:
		n.fail(w, http.StatusNotFound, neo4jwire.CodeInvalid, "Not Found: the authconform fake implements only /, /db/data/ and /user/{name}.")
	}
}

func (n *Server) serviceRoot(w http.ResponseWriter, r *http.Request) {
	body := n.roots.get(core.BaseURL(r), func(base string) []byte {
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
func (n *Server) serveUser(w http.ResponseWriter, r *http.Request, principal, rest string) {
	name, sub, _ := strings.Cut(rest, "/")
	if name != principal { // another user: 404 with an empty body, no lookup
		w.WriteHeader(http.StatusNotFound)
		return
	}
	switch {
	case sub == "" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		acct, ok := n.users.Lookup(name)
		if !ok && !n.authOff {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		neo4jwire.WriteJSON(w, http.StatusOK, n.contentType(), n.pretty(), map[string]any{
			"password_change_required": acct.ChangeRequired,
			"password_change":          core.BaseURL(r) + "/user/" + name + "/password",
			"username":                 name,
		})
	case sub == "password" && r.Method == http.MethodPost:
		n.changePassword(w, r, name)
	case sub == "" || sub == "password":
		n.fail(w, http.StatusMethodNotAllowed, neo4jwire.CodeInvalid, "Method Not Allowed")
	default:
		n.fail(w, http.StatusNotFound, neo4jwire.CodeInvalid, "Not Found")
	}
}

// changePassword follows UserService's validation order (reference §2).
func (n *Server) changePassword(w http.ResponseWriter, r *http.Request, name string) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || (mt != "application/json" && mt != "application/x-www-form-urlencoded") {
			n.fail(w, http.StatusUnsupportedMediaType, neo4jwire.CodeInvalid, "Unsupported Media Type: send the new password as application/json.")
			return
		}
	}
	body, p, ok := core.ReadBody(r)
	if !ok {
		n.WriteProblem(w, r, p)
		return
	}
	if core.JSONTooDeep(body) {
		n.fail(w, core.TooDeep.Status(), neo4jwire.CodeInvalidFormat, neo4jwire.ProblemMessage(core.TooDeep))
		return
	}
	fields := map[string]any{}
	if len(strings.TrimSpace(string(body))) > 0 { // an empty body reads as an empty map
		if err := json.Unmarshal(body, &fields); err != nil {
			n.fail(w, http.StatusBadRequest, neo4jwire.CodeInvalidFormat, "Unable to deserialize request: "+err.Error())
			return
		}
	}
	raw, present := fields["password"]
	if !present || raw == nil {
		n.fail(w, http.StatusUnprocessableEntity, neo4jwire.CodeInvalidFormat, "Required parameter 'password' is missing.")
		return
	}
	password, isString := raw.(string)
	if !isString {
		n.fail(w, http.StatusUnprocessableEntity, neo4jwire.CodeInvalidFormat, "Expected 'password' to be a string.")
		return
	}
	acct, exists := n.users.Lookup(name)
	if !exists {
		n.fail(w, http.StatusUnprocessableEntity, neo4jwire.CodeInvalidArgs, "User '"+name+"' does not exist.")
		return
	}
	if password == "" {
		n.fail(w, http.StatusUnprocessableEntity, neo4jwire.CodeInvalidArgs, "A password cannot be empty.")
		return
	}
	if acct.PasswordIs(password) {
		n.fail(w, http.StatusUnprocessableEntity, neo4jwire.CodeInvalidArgs, "Old password and new password cannot be the same.")
		return
	}
	n.users.SetPassword(name, password)
	w.WriteHeader(http.StatusOK)
}
