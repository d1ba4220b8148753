package neo4jquery

import (
	"net"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/authconform/authconform/fakeserver/internal/core"
	"github.com/authconform/authconform/fakeserver/internal/neo4jwire"
)

// Config is what the Neo4j 5 Query API flavor takes from fakeserver.Options.
type Config struct {
	// Release follows Neo4j 5 where it differs from the document (profile
	// neo4j-5).
	Release bool
	// Tokens replace the default token (DefaultToken for the first user).
	Tokens []Token
	neo4jwire.Accounts
}

// Token is a bearer token and the user it logs in.
type Token struct {
	Token string
	User  string
	// Expires is when the token stops working; zero means never.
	Expires time.Time
}

// Server is the Neo4j 5 Query API v2: the Bearer-era
// AuthorizationEnabledFilter (reference §4) in front of
// POST /db/{database}/query/v2 (reference §5), plus the discovery document
// at GET /.
//
// Profiles differ only where the document and the release disagree
// (reference §7, §8):
//
//	                       documented                       neo4j-5
//	malformed header       401 InvalidFormat (+ challenge)  400 InvalidFormat, no challenge
//	wrong credentials      "Invalid username or password."  "Invalid credential."
//	Bearer credential      base64(token), see bearerToken   the raw token
//	Basic base64           RFC 7617, padded                 java.util.Base64: padding optional
//	filter Content-Type    application/json                 application/json; charset=UTF-8
type Server struct {
	cfg     Config
	users   *core.Users
	limiter *core.Limiter
	tokens  []Token
	authOff bool
	base    core.User // the user states are built around
	// defaultUsers is set when Options.Users was empty.
	defaultUsers bool
	// commits counts the writes (password changes) behind the bookmarks.
	commits atomic.Uint64
	// sameToken compares a presented token with a configured one
	// (core.SameSecret; a test counts its calls).
	sameToken func(a, b string) bool
}

// The fake's defaults: the document's own example user and token.
var (
	DefaultUser  = core.User{Name: "neo4j", Password: "verysecret"}
	DefaultToken = "xbhkjnlvianztghqwawxqfe"
)

// neo4jQueryDatabases are the databases of a fresh Neo4j 5 Community.
var neo4jQueryDatabases = map[string]bool{"neo4j": true, "system": true}

const (
	neo4jQueryVersion = "5.26.0"
	// wwwAuthenticate5 is WWW_AUTH_HEADER of the Bearer-era filter.
	wwwAuthenticate5 = `Basic realm="Neo4j", Bearer realm="Neo4j"`
	// msgBadCredential5 is the Bearer-era wrong-credential message.
	msgBadCredential5 = "Invalid credential."
	// msgCredentialsExpired is the Query API's answer to a user who must
	// change their password (QueryResourceAuthenticationIT).
	msgCredentialsExpired = "Permission denied.\n\nThe credentials you provided were valid, but must be changed before " +
		"you can use this instance. If this is the first time you are using Neo4j, this is to ensure you are not " +
		"using the default credentials in production. If you are not using default credentials, you are getting " +
		"this message because an administrator requires a password change.\nTo change your password, issue an " +
		"`ALTER CURRENT USER SET PASSWORD FROM 'current password' TO 'new password'` statement against the system database."
	// minPasswordLength is dbms.security.auth_minimum_password_length.
	minPasswordLength = 8
)

// New builds a Query API server for cfg.
func New(cfg Config) (*Server, error) {
	users := cfg.Users
	n := &Server{cfg: cfg, authOff: cfg.AuthDisabled, sameToken: core.SameSecretString}
	if len(users) == 0 {
		users = []core.User{DefaultUser}
		n.defaultUsers = true
	}
	n.tokens = cfg.Tokens
	if len(n.tokens) == 0 {
		n.tokens = []Token{{Token: DefaultToken, User: users[0].Name}}
	}
	n.users, n.limiter, n.base = core.NewUsers(users), neo4jwire.NewLimiter(cfg.MaxFailedLogins, cfg.LockDuration), users[0]
	return n, nil
}

// EnterState builds the state around the first user. Every state returns
// User, Password, Token (raw, not base64) and Database.
func (n *Server) EnterState(name string) (map[string]string, error) {
	u, authOff, err := neo4jwire.StateUser(name, n.base, n.States())
	if err != nil {
		return nil, err
	}
	n.authOff = n.authOff || authOff // no state turns Config.AuthDisabled back on
	if name == neo4jwire.DefaultPassword && n.defaultUsers {
		u.Password = "neo4j" // a fresh install's initial password
	}
	n.users = core.NewUsers([]core.User{u})
	vars := map[string]string{"User": u.Name, "Password": u.Password, "Database": "neo4j", "Token": n.tokenFor(u.Name)}
	if name == neo4jwire.PasswordChanged {
		// A token that lapses an hour from now, for fixtures that move the clock.
		expiring := Token{Token: "authconform-expiring-token", User: u.Name, Expires: n.cfg.Clock.Now().Add(time.Hour)}
		n.tokens = append(slices.Clone(n.tokens), expiring)
		vars["ExpiringToken"] = expiring.Token
	}
	return vars, nil
}

// States implements core.Flavor.
func (n *Server) States() []string {
	return []string{neo4jwire.PasswordChanged, neo4jwire.AuthDisabled, neo4jwire.DefaultPassword}
}

// tokenFor is the first token of user, else the first token.
func (n *Server) tokenFor(user string) string {
	for _, t := range n.tokens {
		if t.User == user {
			return t.Token
		}
	}
	return n.tokens[0].Token
}

func (n *Server) release() bool { return n.cfg.Release }

// filterContentType is what the authentication filter's errors carry: the
// release's filter sets "application/json; charset=UTF-8", the document
// shows "application/json".
func (n *Server) filterContentType() string {
	if n.release() {
		return neo4jwire.JSON
	}
	return mimeJSON
}

// WriteProblem implements core.Flavor.
func (n *Server) WriteProblem(w http.ResponseWriter, _ *http.Request, p core.Problem) {
	n.fail(w, mimeJSON, p.Status(), neo4jwire.CodeInvalid, neo4jwire.ProblemMessage(p))
}

// fail writes a compact Neo4j error with the given Content-Type.
func (n *Server) fail(w http.ResponseWriter, contentType string, status int, code, msg string) {
	neo4jwire.WriteJSON(w, status, contentType, false, neo4jwire.ErrorBody(code, msg, nil))
}

func (n *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case r.Method == http.MethodOptions:
		allow := "OPTIONS, GET, HEAD"
		if isQueryPath(p) {
			allow = "OPTIONS, POST"
		}
		w.Header().Set("Allow", allow)
		w.WriteHeader(http.StatusNoContent)
	case p == "/":
		n.serveDiscovery(w, r)
	case neo4jwire.Exempt(p):
		neo4jwire.WriteBrowserPage(w)
	case p == "/db" || strings.HasPrefix(p, "/db/"):
		// Under /db/ the filter answers first, even for unknown paths.
		who, ok := n.authenticate(w, r)
		if !ok {
			return
		}
		db, isQuery := queryDatabase(p)
		if !isQuery {
			n.fail(w, mimeJSON, http.StatusNotFound, neo4jwire.CodeInvalid, "Not Found: the authconform fake implements only POST /db/{database}/query/v2.")
			return
		}
		n.serveQuery(w, r, who, db)
	default:
		// Other top-level paths have no filter in front of them (reference
		// §4 "Unknown paths"): 404 without authentication.
		n.fail(w, mimeJSON, http.StatusNotFound, neo4jwire.CodeInvalid, "Not Found")
	}
}

func isQueryPath(p string) bool { _, ok := queryDatabase(p); return ok }

// queryDatabase reads {database} from /db/{database}/query/v2[/].
func queryDatabase(p string) (string, bool) {
	rest, ok := strings.CutPrefix(p, "/db/")
	if !ok {
		return "", false
	}
	db, tail, ok := strings.Cut(rest, "/")
	if !ok || db == "" || (tail != "query/v2" && tail != "query/v2/") {
		return "", false
	}
	return db, true
}

// serveDiscovery answers GET / without authentication.
func (n *Server) serveDiscovery(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "OPTIONS, GET, HEAD")
		n.fail(w, mimeJSON, http.StatusMethodNotAllowed, neo4jwire.CodeInvalid, "Method Not Allowed")
		return
	}
	base := core.BaseURL(r)
	host := strings.TrimPrefix(strings.TrimPrefix(base, "https://"), "http://")
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	neo4jwire.WriteJSON(w, http.StatusOK, mimeJSON, false, struct {
		BoltRouting  string `json:"bolt_routing"`
		Query        string `json:"query"`
		Transaction  string `json:"transaction"`
		BoltDirect   string `json:"bolt_direct"`
		Neo4jVersion string `json:"neo4j_version"`
		Neo4jEdition string `json:"neo4j_edition"`
	}{
		BoltRouting:  "neo4j://" + host + ":7687",
		Query:        base + "/db/{databaseName}/query/v2",
		Transaction:  base + "/db/{databaseName}/tx",
		BoltDirect:   "bolt://" + host + ":7687",
		Neo4jVersion: neo4jQueryVersion,
		Neo4jEdition: "community",
	})
}
