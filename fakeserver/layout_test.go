package fakeserver

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestFlavorPackagesImportOnlyCore keeps the layout: every flavor package
// under internal/ imports no package of this module but internal/core, and
// core imports none at all (tests excepted).
func TestFlavorPackagesImportOnlyCore(t *testing.T) {
	const module = "github.com/authconform/authconform/"
	dirs, err := os.ReadDir("internal")
	if err != nil {
		t.Fatal(err)
	}
	flavors := 0
	for _, d := range dirs {
		if !d.IsDir() || d.Name() == "testseeds" {
			continue
		}
		allowed := map[string]bool{module + "fakeserver/internal/core": d.Name() != "core"}
		files, _ := filepath.Glob(filepath.Join("internal", d.Name(), "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			parsed, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range parsed.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				if strings.HasPrefix(path, module) && !allowed[path] {
					t.Errorf("%s imports %s; a flavor package may import only internal/core, and core nothing of the module", f, path)
				}
			}
		}
		if d.Name() != "core" {
			flavors++
		}
	}
	if flavors != len(Flavors()) {
		t.Errorf("%d flavor packages under internal/, %d flavors in the builders table", flavors, len(Flavors()))
	}
}
