package neo4j33

import (
	"strings"
	"testing"

	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

func FuzzParseBasicNeo4j3(f *testing.F) {
	testkit.AddAuthHeaders(f)
	f.Fuzz(func(t *testing.T, header string) {
		user, _, ok := parseBasic339(header)
		if ok && strings.Contains(user, ":") {
			t.Fatalf("user %q contains the separator", user)
		}
	})
}
