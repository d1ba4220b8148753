package neo4j33

import (
	"encoding/base64"
	"strings"
)

// parseBasic339 is Neo4j 3.3.9's AuthorizationHeaders.decode: the scheme
// is ignored, the last space-separated token is decoded by a lenient decoder
// that skips characters outside the alphabet, and bytes become Latin-1
// characters (reference §1 "Header parsing").
func parseBasic339(header string) (user, password string, ok bool) {
	parts := strings.Split(strings.TrimSpace(header), " ")
	token := parts[len(parts)-1]
	if strings.TrimSpace(token) == "" {
		return "", "", false
	}
	var clean strings.Builder
	for _, c := range token {
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' {
			clean.WriteRune(c)
		}
	}
	s := clean.String()
	if len(s)%4 == 1 { // a lone trailing sextet carries no whole byte
		s = s[:len(s)-1]
	}
	raw, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil || len(raw) == 0 {
		return "", "", false
	}
	latin1 := make([]rune, len(raw))
	for i, b := range raw {
		latin1[i] = rune(b)
	}
	return strings.Cut(string(latin1), ":")
}
