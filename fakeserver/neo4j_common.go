package fakeserver

import (
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"time"
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
	msgRateLimited   = "Too many failed authentication requests. Please wait 5 seconds and try again."
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

// neo4jBaseURL is the server's external base URL as Neo4j builds it: the
// request's scheme and Host, overridden by a valid X-Forwarded-Host (first
// entry) and X-Forwarded-Proto (http or https). No trailing slash.
func neo4jBaseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := strings.ToLower(r.Header.Get("X-Forwarded-Proto")); p == "http" || p == "https" {
		scheme = p
	}
	host := r.Host
	if fh := strings.TrimSpace(strings.Split(r.Header.Get("X-Forwarded-Host"), ",")[0]); validHostPort(fh) {
		host = fh
	}
	return scheme + "://" + host
}

func validHostPort(s string) bool {
	if s == "" || strings.ContainsAny(s, "/ @?#") {
		return false
	}
	if h, _, err := net.SplitHostPort(s); err == nil {
		return h != ""
	}
	return true
}

// authenticateHeader is the WWW-Authenticate value of a Neo4j 401: "None"
// when the browser asks for no popup (X-Ajax-Browser-Auth: true).
func authenticateHeader(r *http.Request, normal string) string {
	if r.Header.Get("X-Ajax-Browser-Auth") == "true" {
		return "None"
	}
	return normal
}

// newNeo4jLimiter is Neo4j's failed-login limit, the same in 3.3 and 5.x
// unless Options say otherwise: 3 failures per user, then a 5 s lock
// (3.3: unsupported.dbms.security.auth_max_failed_attempts and the fixed
// FAILED_AUTH_COOLDOWN_PERIOD; 5.x: dbms.security.auth_max_failed_attempts
// and dbms.security.auth_lock_time; reference §3).
func newNeo4jLimiter(o Options) *loginLimiter {
	max, lock := o.MaxFailedLogins, o.LockDuration
	if max == 0 {
		max = 3
	}
	if lock == 0 {
		lock = 5 * time.Second
	}
	return newLoginLimiter(max, lock)
}
