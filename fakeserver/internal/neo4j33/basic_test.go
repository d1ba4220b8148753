package neo4j33

import (
	"testing"

	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

func FuzzParseBasicNeo4j3(f *testing.F) {
	testkit.FuzzBasicParser(f, parseBasic339, nil)
}
