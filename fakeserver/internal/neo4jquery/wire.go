package neo4jquery

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/authconform/authconform/fakeserver/internal/core"
)

// Neo4j status codes used in error bodies.
const (
	codeUnauthorized  = "Neo.ClientError.Security.Unauthorized"
	codeForbidden     = "Neo.ClientError.Security.Forbidden"
	codeRateLimit     = "Neo.ClientError.Security.AuthenticationRateLimit"
	codeInvalidFormat = "Neo.ClientError.Request.InvalidFormat"
	codeInvalid       = "Neo.ClientError.Request.Invalid"
	codeInvalidArgs   = "Neo.ClientError.General.InvalidArguments"
)

// Neo4j filter messages (reference §1, §3).
const (
	msgNoHeader      = "No authentication header supplied."
	msgBadCredential = "Invalid username or password."
	msgBadHeader     = "Invalid authentication header."
	// msgRawBearer answers, in the documented profile only, a Bearer
	// credential that is not base64: the document's message, then what
	// to send instead (not in the document: authconform's own hint).
	msgRawBearer   = msgBadHeader + " This server follows the document: send Authorization: Bearer <base64 of the token> (echo -n TOKEN | base64); the neo4j-5 profile (serve --profile neo4j-5) takes the raw token, as Neo4j 5 does."
	msgRateLimited = "Too many failed authentication requests. Please wait 5 seconds and try again."
)

const neo4jJSON = "application/json; charset=UTF-8"

type neo4jError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// writeNeo4jJSON writes v; pretty follows Neo4j 3.x, whose Jackson output is
// indented.
func writeNeo4jJSON(w http.ResponseWriter, status int, contentType string, pretty bool, v any) {
	var body []byte
	if pretty {
		body, _ = json.MarshalIndent(v, "", "  ")
	} else {
		body, _ = json.Marshal(v)
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// neo4jErrorBody is {"errors":[{code,message}]} plus any extra top-level keys.
func neo4jErrorBody(code, msg string, extra map[string]any) map[string]any {
	body := map[string]any{"errors": []neo4jError{{Code: code, Message: msg}}}
	for k, v := range extra {
		body[k] = v
	}
	return body
}

// authenticateHeader is the WWW-Authenticate value of a Neo4j 401: "None"
// when the browser asks for no popup (X-Ajax-Browser-Auth: true).
func authenticateHeader(r *http.Request, normal string) string {
	if r.Header.Get("X-Ajax-Browser-Auth") == "true" {
		return "None"
	}
	return normal
}

// newLimiter is Neo4j 5's failed-login limit unless Options say otherwise:
// 3 failures per user, then a 5 s lock (dbms.security.auth_max_failed_attempts
// and dbms.security.auth_lock_time; reference §3).
func newLimiter(maxFailures int, lock time.Duration) *core.Limiter {
	if maxFailures == 0 {
		maxFailures = 3
	}
	if lock == 0 {
		lock = 5 * time.Second
	}
	return core.NewLimiter(core.NewCountUntilSuccess(maxFailures, lock))
}

// problemMessage words the core's problems as Neo4j does.
func problemMessage(p core.Problem) string {
	switch p {
	case core.HeaderTooLarge:
		return "Request header fields too large."
	case core.BodyTooLarge:
		return "Request body too large."
	case core.BodyTimeout:
		return "Request body not received in time."
	case core.BodyIncomplete:
		return "Request body incomplete."
	case core.TooDeep:
		return fmt.Sprintf("Request body nests deeper than %d levels.", core.MaxJSONDepth)
	}
	return "Bad request."
}
