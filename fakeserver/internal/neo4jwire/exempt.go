package neo4jwire

import (
	"io"
	"net/http"
	"regexp"
	"strings"
)

// exempt is the paths Neo4j serves without authentication: 3.3's
// DEFAULT_URI_WHITELIST and 5's default dbms.security.http_auth_allowlist.
var exempt = regexp.MustCompile(`^(/|/browser.*)$`)

// Exempt reports whether path skips authentication; the regexp runs only
// on the paths that can match it, not on every authenticated request.
func Exempt(path string) bool {
	return (path == "/" || strings.HasPrefix(path, "/browser")) && exempt.MatchString(path)
}

// WriteBrowserPage answers an exempt /browser path: the fake's stand-in for
// the Neo4j Browser.
func WriteBrowserPage(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	_, _ = io.WriteString(w, "<!doctype html><title>Neo4j Browser (authconform fake)</title>\n")
}
