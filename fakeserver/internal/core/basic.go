package core

import (
	"encoding/base64"
	"strings"
)

// ParseBasic reads "Basic <base64(user:password)>" as RFC 7617 has it: the
// scheme in any case, standard padded base64, UTF-8, a colon required.
func ParseBasic(header string) (user, password string, ok bool) {
	scheme, payload, found := strings.Cut(strings.TrimSpace(header), " ")
	if !found || !strings.EqualFold(scheme, "Basic") {
		return "", "", false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(payload))
	if err != nil || len(raw) == 0 {
		return "", "", false
	}
	return strings.Cut(string(raw), ":")
}
