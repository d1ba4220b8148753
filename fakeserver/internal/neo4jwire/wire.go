// Package neo4jwire is what the two Neo4j flavors (neo4j33, neo4jquery) say
// alike: the status codes and filter messages of their error bodies, the
// {"errors":[...]} body and its writer, the failed-login limit and the
// states both offer. A fix to a Neo4j error body is made here once.
//
// "reference §N" is a section of docs/reference/neo4j-auth.md.
package neo4jwire

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/authconform/authconform/fakeserver/internal/core"
)

// Neo4j status codes used in error bodies.
const (
	CodeUnauthorized  = "Neo.ClientError.Security.Unauthorized"
	CodeForbidden     = "Neo.ClientError.Security.Forbidden"
	CodeRateLimit     = "Neo.ClientError.Security.AuthenticationRateLimit"
	CodeInvalidFormat = "Neo.ClientError.Request.InvalidFormat"
	CodeInvalid       = "Neo.ClientError.Request.Invalid"
	CodeInvalidArgs   = "Neo.ClientError.General.InvalidArguments"
)

// The authentication filter's messages (reference §1, §3).
const (
	MsgNoHeader      = "No authentication header supplied."
	MsgBadCredential = "Invalid username or password."
	MsgBadHeader     = "Invalid authentication header."
	MsgRateLimited   = "Too many failed authentication requests. Please wait 5 seconds and try again."
)

// JSON is the Content-Type Neo4j's code sets on its JSON answers.
const JSON = "application/json; charset=UTF-8"

// Error is one entry of an error body.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// WriteJSON writes v; pretty follows Neo4j 3.x, whose Jackson output is
// indented.
func WriteJSON(w http.ResponseWriter, status int, contentType string, pretty bool, v any) {
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

// ErrorBody is {"errors":[{code,message}]} plus any extra top-level keys.
func ErrorBody(code, msg string, extra map[string]any) map[string]any {
	body := map[string]any{"errors": []Error{{Code: code, Message: msg}}}
	for k, v := range extra {
		body[k] = v
	}
	return body
}

// AuthenticateHeader is the WWW-Authenticate value of a Neo4j 401: "None"
// when the browser asks for no popup (X-Ajax-Browser-Auth: true).
func AuthenticateHeader(r *http.Request, normal string) string {
	if r.Header.Get("X-Ajax-Browser-Auth") == "true" {
		return "None"
	}
	return normal
}

// ProblemMessage words the core's problems as Neo4j does.
func ProblemMessage(p core.Problem) string {
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
