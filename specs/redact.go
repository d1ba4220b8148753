package specs

import (
	"net/http"
	"regexp"
	"strings"
)

// Mask replaces every secret in reports and logs.
const Mask = "*****"

var (
	secretHeaders = map[string]bool{"Authorization": true, "Cookie": true, "Set-Cookie": true, "Proxy-Authorization": true}
	cookieValue   = regexp.MustCompile(`(?i)(AuthSession=)("?)[^";,\s]+`)
	passwordField = regexp.MustCompile(`(?i)("?password"?\s*[:=]\s*"?)[^"&,}\s]*`)
	userinfo      = regexp.MustCompile(`(://[^/@\s:]+:)[^/@\s]+@`)
)

// RedactHeader masks the value of a credential-bearing header, keeping the
// scheme word and cookie names so a reader still sees what was sent.
func RedactHeader(name, value string) string {
	if !secretHeaders[http.CanonicalHeaderKey(name)] {
		return value
	}
	if http.CanonicalHeaderKey(name) == "Authorization" || http.CanonicalHeaderKey(name) == "Proxy-Authorization" {
		if scheme, _, ok := strings.Cut(value, " "); ok {
			return scheme + " " + Mask
		}
		return Mask
	}
	return cookieValue.ReplaceAllString(value, "${1}${2}"+Mask)
}

// RedactText masks passwords, session cookies and URL credentials in free
// text such as a request body or a URL.
func RedactText(s string) string {
	s = cookieValue.ReplaceAllString(s, "${1}${2}"+Mask)
	s = passwordField.ReplaceAllString(s, "${1}"+Mask)
	return userinfo.ReplaceAllString(s, "${1}"+Mask+"@")
}

// redactSecrets masks every known secret value verbatim (for values such as
// tokens that have no recognisable shape).
func redactSecrets(s string, secrets []string) string {
	for _, v := range secrets {
		if len(v) >= 3 {
			s = strings.ReplaceAll(s, v, Mask)
		}
	}
	return s
}
