package specs_test

import (
	"strings"
	"testing"

	"github.com/authconform/authconform/specs"
)

func TestStateVarsRefusesUnknownFlavor(t *testing.T) {
	if _, err := specs.StateVars("mysql"); err == nil || !strings.Contains(err.Error(), `unknown flavor "mysql"`) {
		t.Errorf("StateVars(mysql): %v, want an unknown flavor error", err)
	}
}

// TestStateVarsLeaveOutWhatTheEngineSets: no state asks Enter for a
// variable the engine provides itself.
func TestStateVarsLeaveOutWhatTheEngineSets(t *testing.T) {
	for _, flavor := range []string{"neo4j-3.3", "neo4j-query", "couchdb"} {
		vars, err := specs.StateVars(flavor)
		if err != nil || len(vars) == 0 {
			t.Fatalf("StateVars(%s): %v, %v", flavor, vars, err)
		}
		for state, names := range vars {
			for _, name := range names {
				if name == "BaseURL" || name == "NewPassword" || name == "Captured" || name == "Host" || name == "Scheme" {
					t.Errorf("%s %s: Enter asked for %s, which the engine sets", flavor, state, name)
				}
			}
		}
	}
}
