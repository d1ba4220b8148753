package neo4jquery

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/authconform/authconform/fakeserver/internal/core"
	"github.com/authconform/authconform/fakeserver/internal/neo4jwire"
)

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
	//lint:ignore ST1005 the error text is Neo4j's wire message, capitalised as the release sends it
	errBadRequest = errors.New("Bad Request")
)

// bindQueryRequest reads the body as Jackson binds QueryRequest: exact
// (case-sensitive) keys, unknown keys ignored, wrong types refused.
func bindQueryRequest(body []byte, typedParams bool) (queryRequest, error) {
	if statement, ok := onlyStatement(body); ok {
		// The same as below for this body, without decoding it twice.
		params, err := decodeParameters(nil, typedParams)
		q := queryRequest{statement: statement, parameters: params}
		if err == nil && strings.TrimSpace(statement) == "" {
			err = errEmptyStatement
		}
		return q, err
	}
	return bindQueryBody(body, typedParams)
}

// onlyStatement reads the commonest body, {"statement":"..."} and nothing
// else, whose string holds no escape, no control character and only valid
// UTF-8, so that it is its own value; ok is false for any other body (a
// fuzz target holds it to bindQueryBody).
func onlyStatement(body []byte) (string, bool) {
	const head, tail = `{"statement":"`, `"}`
	body = bytes.TrimRight(body, " \t\r\n")
	if len(body) < len(head)+len(tail) || string(body[:len(head)]) != head || string(body[len(body)-len(tail):]) != tail {
		return "", false
	}
	s := body[len(head) : len(body)-len(tail)]
	for _, c := range s {
		if c < 0x20 || c == '"' || c == '\\' {
			return "", false
		}
	}
	if !utf8.Valid(s) {
		return "", false
	}
	return string(s), true
}

// bindQueryBody is bindQueryRequest for any body.
func bindQueryBody(body []byte, typedParams bool) (queryRequest, error) {
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
func (n *Server) serveQuery(w http.ResponseWriter, r *http.Request, who principal, db string) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "OPTIONS, POST")
		n.fail(w, mimeJSON, http.StatusMethodNotAllowed, neo4jwire.CodeInvalid, "Method Not Allowed")
		return
	}
	typedIn, ok := queryContentType(r.Header.Get("Content-Type"))
	if !ok {
		n.fail(w, mimeJSON, http.StatusUnsupportedMediaType, neo4jwire.CodeInvalid, "Unsupported Media Type")
		return
	}
	ct, typedOut, ok := negotiateAccept(strings.Join(r.Header.Values("Accept"), ","))
	if !ok {
		n.fail(w, mimeJSON, http.StatusNotAcceptable, neo4jwire.CodeInvalid, "Not Acceptable")
		return
	}
	// From here on errors come in the negotiated media type (reference §5 Q3).
	body, p, ok := core.ReadBody(r)
	if !ok {
		n.fail(w, ct, p.Status(), neo4jwire.CodeInvalid, neo4jwire.ProblemMessage(p))
		return
	}
	if core.JSONTooDeep(body) {
		n.fail(w, ct, core.TooDeep.Status(), neo4jwire.CodeInvalid, neo4jwire.ProblemMessage(core.TooDeep))
		return
	}
	req, err := bindQueryRequest(body, typedIn)
	var unsupportedType errUnsupportedType
	switch {
	case errors.Is(err, errEmptyStatement):
		n.fail(w, ct, http.StatusBadRequest, neo4jwire.CodeInvalid, errEmptyStatement.Error())
		return
	case errors.As(err, &unsupportedType):
		n.fail(w, ct, http.StatusBadRequest, codeArgumentError, unsupportedType.Error())
		return
	case err != nil:
		n.fail(w, ct, http.StatusBadRequest, neo4jwire.CodeInvalid, "Bad Request")
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

func (n *Server) execute(st *statement, params map[string]cypherValue, who principal, db string) (queryResult, *statementError) {
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
func (n *Server) alterPassword(st *statement, params map[string]cypherValue, who principal, db string) (queryResult, *statementError) {
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
	if acct, ok := n.users.Lookup(who.name); !ok || !acct.PasswordIs(from.s) {
		return queryResult{}, &statementError{code: neo4jwire.CodeInvalidArgs, msg: prefix + "Invalid principal or credentials."}
	}
	if to.s == from.s {
		return queryResult{}, &statementError{code: codeArgumentError, msg: prefix + "Old password and new password cannot be the same."}
	}
	if len([]rune(to.s)) < minPasswordLength {
		return queryResult{}, &statementError{code: codeArgumentError, msg: "A password must be at least 8 characters."}
	}
	n.users.SetPassword(who.name, to.s)
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
func (n *Server) writeResult(w http.ResponseWriter, ct string, typed, counters bool, db string, res queryResult) {
	buf := make([]byte, 0, 256)
	buf = append(buf, `{"data":{"fields":[`...)
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
	buf = append(buf, `,"bookmarks":["`...)
	buf = n.appendBookmark(buf, db)
	buf = append(buf, `"]}`...)
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(http.StatusAccepted)
	_, _ = w.Write(buf)
}

// appendBookmark appends the bookmark: "FB:" and base64 of 21 bytes, the
// database's id and the number of writes so far, so it changes only when
// something was written. Its characters need no JSON escaping. The ids of
// the fake's databases are computed once.
func (n *Server) appendBookmark(b []byte, db string) []byte {
	var raw [21]byte
	id, known := databaseIDs[db]
	if !known {
		id = databaseID(db)
	}
	copy(raw[:], id[:13])
	binary.BigEndian.PutUint64(raw[13:], n.commits.Load())
	b = append(b, "FB:"...)
	return base64.StdEncoding.AppendEncode(b, raw[:])
}

func databaseID(db string) [sha256.Size]byte { return sha256.Sum256([]byte("authconform/" + db)) }

// databaseIDs are the ids of neo4jQueryDatabases.
var databaseIDs = func() map[string][sha256.Size]byte {
	ids := map[string][sha256.Size]byte{}
	for db := range neo4jQueryDatabases {
		ids[db] = databaseID(db)
	}
	return ids
}()
