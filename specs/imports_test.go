package specs

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const (
	enginePkg = "github.com/authconform/authconform/specs"
	livePkg   = enginePkg + "/live"
)

// deps lists the packages pkg builds on, itself included (go list -deps).
func deps(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", pkg).Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	return strings.Fields(string(out))
}

// TestEngineDoesNotImportLive: the engine builds without the live-target
// safety code; specs/live builds on the engine, never the reverse.
func TestEngineDoesNotImportLive(t *testing.T) {
	if !slices.Contains(deps(t, livePkg), enginePkg) {
		t.Fatalf("%s does not build on %s: the graph below is not what this test thinks", livePkg, enginePkg)
	}
	for _, pkg := range deps(t, enginePkg) {
		if pkg == livePkg || strings.HasPrefix(pkg, livePkg+"/") {
			t.Errorf("%s imports %s (directly or through another package)", enginePkg, pkg)
		}
	}
}
