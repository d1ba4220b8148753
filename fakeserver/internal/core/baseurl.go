package core

import (
	"net"
	"net/http"
	"strings"
)

// BaseURL is the server's external base URL as Neo4j and CouchDB both build
// it: the request's scheme and Host, overridden by a valid X-Forwarded-Host
// (first entry) and X-Forwarded-Proto (http or https). No trailing slash.
func BaseURL(r *http.Request) string {
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
