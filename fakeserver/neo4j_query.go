package fakeserver

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"time"
)

func init() { flavorBuilders[Neo4jQuery] = newNeo4jQuery }

// neo4jQuery is the Neo4j 5 Query API v2: the Bearer-era
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
type neo4jQuery struct {
	env     *env
	users   *userStore
	limiter *loginLimiter
	tokens  []Token
	authOff bool
	base    User // the user states are built around
	// defaultUsers is set when Options.Users was empty.
	defaultUsers bool
	// commits counts the writes (password changes) behind the bookmarks.
	commits atomic.Uint64
}

// The fake's defaults: the document's own example user and token.
var (
	neo4jQueryDefaultUser  = User{Name: "neo4j", Password: "verysecret"}
	neo4jQueryDefaultToken = "xbhkjnlvianztghqwawxqfe"
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

func newNeo4jQuery(e *env) (flavor, error) {
	users := e.opts.Users
	n := &neo4jQuery{env: e, authOff: e.opts.AuthDisabled}
	if len(users) == 0 {
		users = []User{neo4jQueryDefaultUser}
		n.defaultUsers = true
	}
	n.tokens = e.opts.Tokens
	if len(n.tokens) == 0 {
		n.tokens = []Token{{Token: neo4jQueryDefaultToken, User: users[0].Name}}
	}
	max, lock := e.opts.MaxFailedLogins, e.opts.LockDuration
	if max == 0 {
		max = 3 // dbms.security.auth_max_failed_attempts
	}
	if lock == 0 {
		lock = 5 * time.Second // dbms.security.auth_lock_time
	}
	n.users, n.limiter, n.base = newUserStore(users), newLoginLimiter(max, lock), users[0]
	return n, nil
}

func (n *neo4jQuery) states() []string {
	return []string{"password-changed", "auth-disabled", "default-password"}
}

// enterState builds the state around the first user. Every state returns
// User, Password, Token (raw, not base64) and Database.
func (n *neo4jQuery) enterState(name string) (map[string]string, error) {
	u := n.base
	switch name {
	case "password-changed":
		u.PasswordChangeRequired = false
	case "auth-disabled":
		n.authOff = true
	case "default-password":
		u.PasswordChangeRequired = true
		if n.defaultUsers {
			u.Password = "neo4j" // a fresh install's initial password
		}
	default:
		return nil, unknownState(name, n.states())
	}
	n.users = newUserStore([]User{u})
	vars := map[string]string{"User": u.Name, "Password": u.Password, "Database": "neo4j", "Token": n.tokenFor(u.Name)}
	if name == "password-changed" {
		// A token that lapses an hour from now, for fixtures that move the clock.
		expiring := Token{Token: "authconform-expiring-token", User: u.Name, Expires: n.env.now().Add(time.Hour)}
		n.tokens = append(slices.Clone(n.tokens), expiring)
		vars["ExpiringToken"] = expiring.Token
	}
	return vars, nil
}

// tokenFor is the first token of user, else the first token.
func (n *neo4jQuery) tokenFor(user string) string {
	for _, t := range n.tokens {
		if t.User == user {
			return t.Token
		}
	}
	return n.tokens[0].Token
}

func (n *neo4jQuery) release() bool { return n.env.opts.Profile == ProfileNeo4j5 }

// filterContentType is what the authentication filter's errors carry: the
// release's filter sets "application/json; charset=UTF-8", the document
// shows "application/json".
func (n *neo4jQuery) filterContentType() string {
	if n.release() {
		return neo4jJSON
	}
	return mimeJSON
}

func (n *neo4jQuery) writeProblem(w http.ResponseWriter, _ *http.Request, p problem) {
	writeNeo4jJSON(w, p.status, mimeJSON, false, neo4jErrorBody(p.code, p.msg, nil))
}

// fail writes a compact Neo4j error with the given Content-Type.
func (n *neo4jQuery) fail(w http.ResponseWriter, contentType string, status int, code, msg string) {
	writeNeo4jJSON(w, status, contentType, false, neo4jErrorBody(code, msg, nil))
}

// neo4jQueryExempt is the default dbms.security.http_auth_allowlist.
var neo4jQueryExempt = regexp.MustCompile(`^(/|/browser.*)$`)

func (n *neo4jQuery) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case r.Method == http.MethodOptions:
		allow := "OPTIONS, GET, HEAD"
		if isQueryPath(p) {
			allow = "OPTIONS, POST"
		}
		w.Header().Set("Allow", allow)
		w.WriteHeader(http.StatusNoContent)
	case neo4jQueryExempt.MatchString(p):
		n.serveUnauthenticated(w, r)
	case p == "/db" || strings.HasPrefix(p, "/db/"):
		// Under /db/ the filter answers first, even for unknown paths.
		who, ok := n.authenticate(w, r)
		if !ok {
			return
		}
		db, isQuery := queryDatabase(p)
		if !isQuery {
			n.fail(w, mimeJSON, http.StatusNotFound, codeInvalid, "Not Found: the authconform fake implements only POST /db/{database}/query/v2.")
			return
		}
		n.serveQuery(w, r, who, db)
	default:
		// Other top-level paths have no filter in front of them (reference
		// §4 "Unknown paths"): 404 without authentication.
		n.fail(w, mimeJSON, http.StatusNotFound, codeInvalid, "Not Found")
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

// principal is who a request runs as.
type principal struct {
	name string
	// native users log in with Basic and can change their password.
	native     bool
	changeReqd bool
}

// authenticate is the filter; on failure it has written the answer.
func (n *neo4jQuery) authenticate(w http.ResponseWriter, r *http.Request) (principal, bool) {
	if n.authOff {
		return principal{name: "neo4j"}, true // AuthorizationDisabledFilter's principal
	}
	values, present := r.Header["Authorization"]
	if !present {
		n.unauthorized(w, r, msgNoHeader)
		return principal{}, false
	}
	cred, ok := n.parseAuthorization(values[0])
	if !ok || len(values) > 1 {
		n.badHeader(w, r)
		return principal{}, false
	}
	now := n.env.now()
	if cred.bearer {
		user, ok := n.checkToken(cred.token, now)
		if !ok {
			n.unauthorized(w, r, n.badCredentialMsg())
			return principal{}, false
		}
		return principal{name: user}, true
	}
	_, exists := n.users.lookup(cred.user)
	defer n.limiter.serialize.lock(cred.user).Unlock()
	if exists && n.limiter.locked(cred.user, now) {
		n.fail(w, n.filterContentType(), http.StatusTooManyRequests, codeRateLimit, msgRateLimited)
		return principal{}, false
	}
	acct, _, good := n.users.check(cred.user, cred.password)
	if !good {
		if exists {
			n.limiter.failed(cred.user, now)
		}
		n.unauthorized(w, r, n.badCredentialMsg())
		return principal{}, false
	}
	n.limiter.succeeded(cred.user)
	return principal{name: acct.name, native: true, changeReqd: acct.changeReqd}, true
}

func (n *neo4jQuery) badCredentialMsg() string {
	if n.release() {
		return msgBadCredential5
	}
	return msgBadCredential
}

// unauthorized is a 401 from the filter, with the Bearer-era challenge in
// both profiles: the document shows no WWW-Authenticate, but a 401 without
// a challenge breaks HTTP (RFC 9110 §15.5.2) and the release sends it.
func (n *neo4jQuery) unauthorized(w http.ResponseWriter, r *http.Request, msg string) {
	w.Header().Set("WWW-Authenticate", authenticateHeader(r, wwwAuthenticate5))
	n.fail(w, n.filterContentType(), http.StatusUnauthorized, codeUnauthorized, msg)
}

// badHeader answers a malformed Authorization header: the document says 401
// (an erratum, reference §8.1), the release 400 without a challenge.
func (n *neo4jQuery) badHeader(w http.ResponseWriter, r *http.Request) {
	if n.release() {
		n.fail(w, n.filterContentType(), http.StatusBadRequest, codeInvalidFormat, msgBadHeader)
		return
	}
	w.Header().Set("WWW-Authenticate", authenticateHeader(r, wwwAuthenticate5))
	n.fail(w, n.filterContentType(), http.StatusUnauthorized, codeInvalidFormat, msgBadHeader)
}

// credential is a parsed Authorization header.
type credential struct {
	bearer         bool
	user, password string
	token          string
}

// parseAuthorization is the Bearer-era AuthorizationHeaders.decode: trim,
// split on single spaces, the scheme (any case) must be Basic or Bearer.
func (n *neo4jQuery) parseAuthorization(header string) (credential, bool) {
	parts := strings.Split(strings.TrimSpace(header), " ")
	switch strings.ToUpper(parts[0]) {
	case "BASIC":
		if !n.release() {
			user, password, ok := parseBasicStrict(header)
			return credential{user: user, password: password}, ok
		}
		// The release decodes the last token with java.util.Base64 (padding
		// optional) as UTF-8 and splits once on the first colon.
		last := parts[len(parts)-1]
		if len(parts) < 2 || strings.TrimSpace(last) == "" {
			return credential{}, false
		}
		raw, ok := decodeJavaBase64(last)
		if !ok || len(raw) == 0 {
			return credential{}, false
		}
		user, password, ok := strings.Cut(string(raw), ":")
		return credential{user: user, password: password}, ok
	case "BEARER":
		if len(parts) != 2 || parts[1] == "" {
			return credential{}, false
		}
		token, ok := n.bearerToken(parts[1])
		return credential{bearer: true, token: token}, ok
	}
	return credential{}, false
}

// bearerToken turns the header's credential into the token to check.
//
// neo4j-5: the release passes the credential on as is, never decoded
// (reference §4 "BEARER", §8.3).
//
// documented: the document's format is `Bearer <base64(token)>`, so the
// credential must be standard padded base64 (as `base64` prints it) and the
// token is what it decodes to. A raw token is NOT also accepted: that is the
// release's behaviour, and the documented profile exists to show where the
// document and the release differ; accepting both would hide exactly that
// difference, and would be ambiguous besides, since many raw tokens are
// themselves valid base64 (the example token's 23 characters are valid
// unpadded base64). A raw token therefore gets the document's answer to a
// header that is not properly base64-encoded (401 InvalidFormat) or, if it
// happens to decode, to an unknown credential (401). One trailing "\n" in
// the decoded value is dropped: the document's own example
// eGJoa2pubHZpYW56dGdocXdhd3hxZmUK is `echo` output and decodes to the token
// plus a newline (an erratum, reported by the fixtures), and the documented
// profile must accept the document's own example as the document says it
// works. A token never contains a newline, so nothing else is admitted.
func (n *neo4jQuery) bearerToken(cred string) (string, bool) {
	if n.release() {
		return cred, true
	}
	raw, err := base64.StdEncoding.Strict().DecodeString(cred)
	if err != nil || strings.ContainsAny(cred, "\r\n") {
		return "", false
	}
	token := strings.TrimSuffix(string(raw), "\n")
	return token, token != ""
}

// decodeJavaBase64 is java.util.Base64.getDecoder(): the standard alphabet,
// padding optional but correct if present.
func decodeJavaBase64(s string) ([]byte, bool) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, false
	}
	if raw, err := base64.StdEncoding.DecodeString(s); err == nil {
		return raw, true
	}
	if strings.Contains(s, "=") {
		return nil, false
	}
	raw, err := base64.RawStdEncoding.DecodeString(s)
	return raw, err == nil
}

// checkToken finds token among the configured tokens, comparing each in
// constant time; an expired token (now at or after Expires) is invalid.
func (n *neo4jQuery) checkToken(token string, now time.Time) (string, bool) {
	user, found := "", false
	for _, t := range n.tokens {
		if subtle.ConstantTimeCompare([]byte(t.Token), []byte(token)) == 1 && !found {
			if t.Expires.IsZero() || now.Before(t.Expires) {
				user, found = t.User, true
			}
		}
	}
	return user, found
}

func (n *neo4jQuery) serveUnauthenticated(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		_, _ = io.WriteString(w, "<!doctype html><title>Neo4j Browser (authconform fake)</title>\n")
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "OPTIONS, GET, HEAD")
		n.fail(w, mimeJSON, http.StatusMethodNotAllowed, codeInvalid, "Method Not Allowed")
		return
	}
	base := neo4jBaseURL(r)
	host := strings.TrimPrefix(strings.TrimPrefix(base, "https://"), "http://")
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	writeNeo4jJSON(w, http.StatusOK, mimeJSON, false, struct {
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

// queryRequest is a bound Query API request body.
type queryRequest struct {
	statement       string
	parameters      map[string]cypherValue
	includeCounters bool
	impersonate     string
}

// errEmptyStatement and errBadRequest are the two 400 answers to a body
// (reference §5 Q4, Q5).
var (
	errEmptyStatement = errors.New("statement cannot be null or empty")
	errBadRequest     = errors.New("Bad Request")
)

// bindQueryRequest reads the body as Jackson binds QueryRequest: exact
// (case-sensitive) keys, unknown keys ignored, wrong types refused.
func bindQueryRequest(body []byte, typedParams bool) (queryRequest, error) {
	var q queryRequest
	if len(bytes.TrimSpace(body)) == 0 || string(bytes.TrimSpace(body)) == "null" {
		return q, errEmptyStatement
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return q, errBadRequest
	}
	isNull := func(raw json.RawMessage) bool { return len(raw) == 0 || string(raw) == "null" }
	if raw := fields["statement"]; !isNull(raw) {
		if json.Unmarshal(raw, &q.statement) != nil {
			return q, errBadRequest
		}
	}
	if raw := fields["includeCounters"]; !isNull(raw) {
		if json.Unmarshal(raw, &q.includeCounters) != nil {
			return q, errBadRequest
		}
	}
	if raw := fields["bookmarks"]; !isNull(raw) {
		var bookmarks []string
		if json.Unmarshal(raw, &bookmarks) != nil {
			return q, errBadRequest
		}
	}
	if raw := fields["accessMode"]; !isNull(raw) {
		var mode string
		if json.Unmarshal(raw, &mode) != nil || (!strings.EqualFold(mode, "READ") && !strings.EqualFold(mode, "WRITE")) {
			return q, errBadRequest
		}
	}
	if raw := fields["impersonatedUser"]; !isNull(raw) {
		if json.Unmarshal(raw, &q.impersonate) != nil {
			return q, errBadRequest
		}
	}
	params, err := decodeParameters(fields["parameters"], typedParams)
	if err != nil {
		return q, err
	}
	q.parameters = params
	if strings.TrimSpace(q.statement) == "" {
		return q, errEmptyStatement
	}
	return q, nil
}

// serveQuery is QueryResource after the filter, in JAX-RS order: method
// (405), Content-Type (415), Accept (406), body (400), then the database
// (404) and the statement.
func (n *neo4jQuery) serveQuery(w http.ResponseWriter, r *http.Request, who principal, db string) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "OPTIONS, POST")
		n.fail(w, mimeJSON, http.StatusMethodNotAllowed, codeInvalid, "Method Not Allowed")
		return
	}
	typedIn, ok := queryContentType(r.Header.Get("Content-Type"))
	if !ok {
		n.fail(w, mimeJSON, http.StatusUnsupportedMediaType, codeInvalid, "Unsupported Media Type")
		return
	}
	ct, typedOut, ok := negotiateAccept(strings.Join(r.Header.Values("Accept"), ","))
	if !ok {
		n.fail(w, mimeJSON, http.StatusNotAcceptable, codeInvalid, "Not Acceptable")
		return
	}
	// From here on errors come in the negotiated media type (reference §5 Q3).
	body, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		n.fail(w, ct, http.StatusRequestEntityTooLarge, codeInvalid, "Request body too large.")
		return
	} else if err != nil {
		n.fail(w, ct, http.StatusBadRequest, codeInvalid, "Bad Request")
		return
	}
	req, err := bindQueryRequest(body, typedIn)
	var unsupportedType errUnsupportedType
	switch {
	case errors.Is(err, errEmptyStatement):
		n.fail(w, ct, http.StatusBadRequest, codeInvalid, errEmptyStatement.Error())
		return
	case errors.As(err, &unsupportedType):
		n.fail(w, ct, http.StatusBadRequest, codeArgumentError, unsupportedType.Error())
		return
	case err != nil:
		n.fail(w, ct, http.StatusBadRequest, codeInvalid, "Bad Request")
		return
	}
	db = strings.ToLower(db) // database names are case-insensitive
	if !neo4jQueryDatabases[db] {
		n.fail(w, ct, http.StatusNotFound, "Neo.ClientError.Database.DatabaseNotFound", "Graph not found: "+db)
		return
	}
	if req.impersonate != "" {
		msg := "Impersonation is not supported in community edition."
		if n.authOff {
			msg = "Impersonation is not supported with auth disabled."
		}
		n.fail(w, ct, http.StatusBadRequest, codeArgumentError, msg)
		return
	}
	st, serr := parseStatement(req.statement)
	if who.changeReqd && (serr != nil || st.kind != stmtAlterPassword || db != "system") {
		n.fail(w, ct, http.StatusBadRequest, codeCredentialsExpired, msgCredentialsExpired)
		return
	}
	if serr == nil {
		if missing := st.missingParams(req.parameters); len(missing) > 0 {
			serr = missingParamsError(missing)
		}
	}
	if serr != nil {
		n.fail(w, ct, http.StatusBadRequest, serr.code, serr.msg)
		return
	}
	res, serr := n.execute(st, req.parameters, who, db)
	if serr != nil {
		n.fail(w, ct, http.StatusBadRequest, serr.code, serr.msg)
		return
	}
	n.writeResult(w, ct, typedOut, req.includeCounters, db, res)
}

// queryResult is what a statement produced.
type queryResult struct {
	fields         []string
	rows           [][]cypherValue
	systemUpdates  int
	containsSystem bool
}

func (n *neo4jQuery) execute(st *statement, params map[string]cypherValue, who principal, db string) (queryResult, *statementError) {
	switch st.kind {
	case stmtPing:
		return queryResult{fields: st.fields, rows: [][]cypherValue{{boolValue(true)}}}, nil
	case stmtAlterPassword:
		return n.alterPassword(st, params, who, db)
	}
	row := make([]cypherValue, len(st.exprs))
	for i, e := range st.exprs {
		row[i] = e.eval(params)
	}
	return queryResult{fields: st.fields, rows: [][]cypherValue{row}}, nil
}

// alterPassword is ALTER CURRENT USER SET PASSWORD FROM old TO new: it
// really changes the password (messages from Neo4j's own tests).
func (n *neo4jQuery) alterPassword(st *statement, params map[string]cypherValue, who principal, db string) (queryResult, *statementError) {
	if db != "system" {
		return queryResult{}, &statementError{code: codeNotSystemDatabase,
			msg: "This is an administration command and it should be executed against the system database: ALTER CURRENT USER SET PASSWORD"}
	}
	from, to := st.exprs[0].eval(params), st.exprs[1].eval(params)
	if from.kind != cypherString || to.kind != cypherString {
		return queryResult{}, &statementError{code: codeArgumentError, msg: "Expected password parameter to be a String."}
	}
	prefix := "User '" + who.name + "' failed to alter their own password: "
	if !who.native {
		return queryResult{}, &statementError{code: codeArgumentError, msg: prefix + "the authconform fake changes passwords only for users who logged in with Basic authentication."}
	}
	if acct, ok := n.users.lookup(who.name); !ok || !acct.passwordIs(from.s) {
		return queryResult{}, &statementError{code: codeInvalidArgs, msg: prefix + "Invalid principal or credentials."}
	}
	if to.s == from.s {
		return queryResult{}, &statementError{code: codeArgumentError, msg: prefix + "Old password and new password cannot be the same."}
	}
	if len([]rune(to.s)) < minPasswordLength {
		return queryResult{}, &statementError{code: codeArgumentError, msg: "A password must be at least 8 characters."}
	}
	n.users.setPassword(who.name, to.s)
	n.commits.Add(1)
	return queryResult{fields: []string{}, rows: [][]cypherValue{}, systemUpdates: 1, containsSystem: true}, nil
}

// queryCounters are SummaryCountersSerializer's keys, in its order.
type queryCounters struct {
	ContainsUpdates       bool `json:"containsUpdates"`
	NodesCreated          int  `json:"nodesCreated"`
	NodesDeleted          int  `json:"nodesDeleted"`
	PropertiesSet         int  `json:"propertiesSet"`
	RelationshipsCreated  int  `json:"relationshipsCreated"`
	RelationshipsDeleted  int  `json:"relationshipsDeleted"`
	LabelsAdded           int  `json:"labelsAdded"`
	LabelsRemoved         int  `json:"labelsRemoved"`
	IndexesAdded          int  `json:"indexesAdded"`
	IndexesRemoved        int  `json:"indexesRemoved"`
	ConstraintsAdded      int  `json:"constraintsAdded"`
	ConstraintsRemoved    int  `json:"constraintsRemoved"`
	ContainsSystemUpdates bool `json:"containsSystemUpdates"`
	SystemUpdates         int  `json:"systemUpdates"`
}

// writeResult writes the 202: data, counters if asked, bookmarks.
func (n *neo4jQuery) writeResult(w http.ResponseWriter, ct string, typed, counters bool, db string, res queryResult) {
	buf := []byte(`{"data":{"fields":[`)
	for i, f := range res.fields {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendJSONString(buf, f)
	}
	buf = append(buf, `],"values":[`...)
	for i, row := range res.rows {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, '[')
		for j, v := range row {
			if j > 0 {
				buf = append(buf, ',')
			}
			buf = v.appendJSON(buf, typed)
		}
		buf = append(buf, ']')
	}
	buf = append(buf, "]}"...)
	if counters {
		c, _ := json.Marshal(queryCounters{ContainsSystemUpdates: res.containsSystem, SystemUpdates: res.systemUpdates})
		buf = append(buf, `,"counters":`...)
		buf = append(buf, c...)
	}
	buf = append(buf, `,"bookmarks":[`...)
	buf = appendJSONString(buf, n.bookmark(db))
	buf = append(buf, "]}"...)
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(http.StatusAccepted)
	_, _ = w.Write(buf)
}

// bookmark is "FB:" and base64 of 21 bytes: the database's id and the
// number of writes so far, so it changes only when something was written.
func (n *neo4jQuery) bookmark(db string) string {
	id := sha256.Sum256([]byte("authconform/" + db))
	raw := make([]byte, 21)
	copy(raw, id[:13])
	binary.BigEndian.PutUint64(raw[13:], n.commits.Load())
	return "FB:" + base64.StdEncoding.EncodeToString(raw)
}
