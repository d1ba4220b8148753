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
// under internal/ imports no package of this module but internal/core and,
// for the two Neo4j flavors, internal/neo4jwire, which imports only core;
// core imports nothing of the module (tests excepted); testkit, the tests'
// kit, is imported by tests alone and imports nothing of the module.
func TestFlavorPackagesImportOnlyCore(t *testing.T) {
	const internal = "github.com/authconform/authconform/fakeserver/internal/"
	const module = "github.com/authconform/authconform/"
	shared := map[string]bool{"core": true, "neo4jwire": true, "testkit": true}
	allowedFor := func(pkg string) map[string]bool {
		switch pkg {
		case "core", "testkit":
			return nil
		case "neo4jwire":
			return map[string]bool{internal + "core": true}
		case "neo4j33", "neo4jquery":
			return map[string]bool{internal + "core": true, internal + "neo4jwire": true}
		}
		return map[string]bool{internal + "core": true}
	}
	dirs, err := os.ReadDir("internal")
	if err != nil {
		t.Fatal(err)
	}
	flavors := 0
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		allowed := allowedFor(d.Name())
		files, _ := filepath.Glob(filepath.Join("internal", d.Name(), "*.go"))
		if len(files) == 0 {
			continue // a directory git left behind empty
		}
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
					t.Errorf("%s imports %s; a flavor package may import only internal/core (the Neo4j flavors also internal/neo4jwire), neo4jwire only core, and core nothing of the module", f, path)
				}
			}
		}
		if !shared[d.Name()] {
			flavors++
		}
	}
	if flavors != len(Flavors()) {
		t.Errorf("%d flavor packages under internal/, %d flavors in the builders table", flavors, len(Flavors()))
	}
}
