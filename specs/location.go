package specs

import (
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/authconform/authconform/fixtures"
)

// fixturesDir is the fixtures' folder in the source tree this binary was
// built from (the module cache for a user's module), or "fixtures" when
// that tree is not on this machine (a -trimpath build, a copied binary).
var fixturesDir = sync.OnceValue(func() string {
	_, file, _, ok := runtime.Caller(0)
	if ok {
		dir := filepath.Join(filepath.Dir(filepath.Dir(file)), "fixtures")
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			return dir
		}
	}
	return "fixtures"
})

// location is where fx's line is, as Ginkgo, IDEs and go test show it:
// the fixture's file and line (line 0: the line of its id).
func location(fx fixtures.Fixture, line int) types.CodeLocation {
	if line == 0 {
		line = fx.Line
	}
	return types.CodeLocation{FileName: filepath.Join(fixturesDir(), filepath.FromSlash(fx.File)), LineNumber: line}
}
