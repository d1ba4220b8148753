package core

import (
	"testing"

	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

func FuzzParseBasicStrict(f *testing.F) {
	// What was accepted must survive a round trip through the canonical form.
	testkit.FuzzBasicParser(f, ParseBasic, func(t *testing.T, header, user, password string) {
		u2, p2, ok2 := ParseBasic(testkit.Basic(user, password))
		if !ok2 || u2 != user || p2 != password {
			t.Fatalf("round trip of %q: got %q %q %v, want %q %q", header, u2, p2, ok2, user, password)
		}
	})
}

// TestParseBasicRFC7617: the scheme in any case, padded base64, a colon.
func TestParseBasicRFC7617(t *testing.T) {
	for _, tc := range []struct {
		header, user, password string
		ok                     bool
	}{
		{"Basic bmVvNGo6c2VjcmV0", "neo4j", "secret", true},
		{"basic bmVvNGo6c2VjcmV0", "neo4j", "secret", true},
		{"  BASIC  bmVvNGo6c2VjcmV0  ", "neo4j", "secret", true},
		{"Basic YTpiOmM=", "a", "b:c", true}, // the first colon splits
		{"Basic Og==", "", "", true},         // ":" is an empty user and password
		{"Basic bmVvNGo=", "neo4j", "", false},
		{"Bearer bmVvNGo6c2VjcmV0", "", "", false},
		{"Basic", "", "", false},
		{"Basic ", "", "", false},
		{"Basic bmVvNGo6c2VjcmV0!", "", "", false},
		{"Basic bmVvNGo6c2VjcmV", "", "", false}, // unpadded
	} {
		user, password, ok := ParseBasic(tc.header)
		if user != tc.user || password != tc.password || ok != tc.ok {
			t.Errorf("%q: %q %q %v, want %q %q %v", tc.header, user, password, ok, tc.user, tc.password, tc.ok)
		}
	}
}
