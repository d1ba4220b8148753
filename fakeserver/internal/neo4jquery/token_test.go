package neo4jquery

import (
	"strings"
	"testing"
	"time"

	"github.com/authconform/authconform/fakeserver/internal/core"
)

// TestCheckTokenComparesEveryTokenByDigest: a known, an unknown, a shorter,
// a longer and an empty token all cost one digest comparison per
// configured token, each through core.SameSecret, so a caller can tell
// neither which tokens exist nor their length.
func TestCheckTokenComparesEveryTokenByDigest(t *testing.T) {
	n, err := New(Config{Clock: core.NewClock(func() time.Time { return fuzzT0 }), Tokens: []Token{
		{Token: "first-token", User: "neo4j"}, {Token: "second", User: "neo4j"}, {Token: "a-much-longer-third-token", User: "neo4j"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	n.sameToken = func(a, b string) bool { calls++; return core.SameSecretString(a, b) }
	for token, want := range map[string]bool{"first-token": true, "second": true, "first-tokeX": false, "f": false,
		"first-token-and-more": false, "": false} {
		calls = 0
		if _, ok := n.checkToken(token, fuzzT0); ok != want {
			t.Errorf("checkToken(%q) = %v, want %v", token, ok, want)
		}
		if calls != len(n.tokens) {
			t.Errorf("checkToken(%q): %d comparisons, want %d (one per token)", token, calls, len(n.tokens))
		}
	}
}

func TestUpperSchemeIsToUpper(t *testing.T) {
	for _, s := range []string{"Basic", "basic", "BASIC", "bAsIc", "Bearer", "bearer", "BEARER", "baſic", "basıc", "bearers", "Basi", "", "Digest", "béarer"} {
		if got, want := upperScheme(s), strings.ToUpper(s); got != want {
			t.Errorf("upperScheme(%q) = %q, want %q", s, got, want)
		}
	}
}
