package testkit

import (
	"encoding/base64"
	"strings"
	"testing"
)

// The fuzz seeds that the fake's packages share: Authorization values and
// AuthSession cookies from the documents and the reference transcript.

// AuthHeaders are the Authorization values of the documents (their base64
// literals) and of the CouchDB 3.5.0 transcript (key fact 10).
func AuthHeaders() []string {
	return []string{
		"Basic bmVvNGo6c2VjcmV0",                  // neo4j:secret
		"Basic bmVvNGo6aW5jb3JyZWN0",              // neo4j:incorrect
		"Basic bmVvNGo6bmVvNGo=",                  // neo4j:neo4j
		"Basic bmVvNGo6dmVyeXNlY3JldA==",          // neo4j:verysecret
		"Bearer eGJoa2pubHZpYW56dGdocXdhd3hxZmUK", // the token plus "\n"
		"Bearer eGJoa2pubHZpYW56dGdocXdhd3hxZmU=",
		"Bearer xbhkjnlvianztghqwawxqfe",
		"Basic dXNlcm5hbWU6cGFzc3dvcmQ=", // username:password
		"Basic YWRtaW46c2VjcmV0",         // admin:secret
		"Basic not-base64!!!",
		"Basic XX=",
		"Basic x",
		"Basic YWxpY2U6YWxpY2Vwdw",
		"Basic bm9jb2xvbg==",
		"Bearer abc.def.ghi",
		"basic YWRtaW46c2VjcmV0",
		"BASIC YWRtaW46c2VjcmV0",
		"Basic",
		"Basic ",
		"Basic  YWRtaW46c2VjcmV0",
		"Basic Og==",
		"Basic Xzpf",
		"Basic YWRtaW46c2VjcmV0OmV4dHJh",
		"Basic bmVvNGo6c2VjcmV0 bmVvNGo6c2VjcmV0",
		"Basic bmVvNGo6c2VjcmV0==",
		"Basic bmVv-Go6c2_jcmV0",
		"Basic \x00bmVvNGo6c2VjcmV0",
		"Basic " + base64.StdEncoding.EncodeToString([]byte("n\xe9o:\xff\x00")),
		"",
		" ",
		"Digest username=\"neo4j\"",
	}
}

// Cookies are AuthSession values: the Cloudant document's example,
// the transcript's malformed ones and hand-made edges.
func Cookies() []string {
	return []string{
		"d2FybWFuYTo1ODI1QkM2NzpZelovo2epvx9cfaDdxJGNLuzBzw",
		"YWRtaW46NkIwMzAwRTQ6nGSuzfighsClECNRwxLrY6GjawILEiibY97jWcTtij0",
		"garbage",
		"",
		"=",
		"%%%",
		base64.RawURLEncoding.EncodeToString([]byte("admin:7FFFFFFFFFFFFFFF:x")),
		base64.RawURLEncoding.EncodeToString([]byte("admin:-7FFFFFFFFFFFFFFF:x")),
		base64.RawURLEncoding.EncodeToString([]byte("::")),
		base64.RawURLEncoding.EncodeToString([]byte("admin:5825BC67:")),
		base64.URLEncoding.EncodeToString([]byte("admin:5825BC67:x")),
	}
}

// AddAuthHeaders seeds f with AuthHeaders.
func AddAuthHeaders(f *testing.F) {
	for _, s := range AuthHeaders() {
		f.Add(s)
	}
}

// FlipLastBit changes the last base64url character of v in its lowest bit.
func FlipLastBit(v string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	i := strings.IndexByte(alphabet, v[len(v)-1])
	return v[:len(v)-1] + string(alphabet[i^1])
}

// Tamper changes the character 10 from the end (inside the HMAC).
func Tamper(v string) string {
	i := len(v) - 10
	c := byte('A')
	if v[i] == 'A' {
		c = 'B'
	}
	return v[:i] + string(c) + v[i+1:]
}

// FuzzBasicParser fuzzes a parser of Basic Authorization values, seeded
// with AuthHeaders: a user it accepts never contains the separator, and
// more, when not nil, checks an accepted pair further.
func FuzzBasicParser(f *testing.F, parse func(header string) (user, password string, ok bool), more func(t *testing.T, header, user, password string)) {
	AddAuthHeaders(f)
	f.Fuzz(func(t *testing.T, header string) {
		user, password, ok := parse(header)
		if !ok {
			return
		}
		if strings.Contains(user, ":") {
			t.Fatalf("user %q of %q contains the separator", user, header)
		}
		if more != nil {
			more(t, header, user, password)
		}
	})
}
