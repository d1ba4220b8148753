package specs_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// consumerTest is a test file of a separate module that uses authconform as
// a library: a fake started in process, and the suite run against a server
// of its own (here the fake behind its own handler).
const consumerTest = `package consumer

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	"github.com/onsi/gomega"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/specs"
	"github.com/authconform/authconform/specs/report"
)

func TestMyServerConforms(t *testing.T) {
	fake, err := fakeserver.New(fakeserver.Options{Flavor: fakeserver.Neo4j33})
	if err != nil {
		t.Fatal(err)
	}
	mine := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-My-Server", "yes")
		fake.ServeHTTP(w, r)
	}))
	defer mine.Close()
	specs.Register(specs.Target{
		BaseURL: mine.URL, Flavor: "neo4j-3.3", AllowDestructive: true,
		States: specs.StateFuncs{EnterFunc: fake.EnterState, AdvanceFunc: fake.Advance},
	})
	var summary report.Summary
	ginkgo.ReportAfterSuite("summary", func(r types.Report) { summary = specs.Summarize(r) })
	gomega.RegisterFailHandler(ginkgo.Fail)
	ginkgo.RunSpecs(t, "consumer")
	if code, why := report.Verdict(summary, false); code != report.ExitOK {
		t.Fatalf("consumer run: %s", why)
	}
	t.Logf("consumer run: %d passed", report.Count(summary).Of(report.Passed))
}
`

// TestPublicAPIFromAnotherModule builds and runs a separate module that
// imports fakeserver and specs, proving the public API works from outside
// (no internal package, no test-only helper).
func TestPublicAPIFromAnotherModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a separate module")
	}
	_, here, _, _ := runtime.Caller(0)
	root := filepath.Dir(filepath.Dir(here))
	dir := t.TempDir()
	goMod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	goVersion := "1.26"
	for _, line := range strings.Split(string(goMod), "\n") {
		if v, ok := strings.CutPrefix(line, "go "); ok {
			goVersion = v
		}
	}
	mod := "module example.com/consumer\n\ngo " + goVersion + "\n\nrequire github.com/authconform/authconform v0.0.0\n\nreplace github.com/authconform/authconform => " + root + "\n"
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"go.mod": []byte(mod), "go.sum": sum, "consumer_test.go": []byte(consumerTest)} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := func(args ...string) string {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run("mod", "tidy")
	out := run("test", "-count=1", "-v", "./...")
	if !strings.Contains(out, "consumer run:") || !strings.Contains(out, "--- PASS: TestMyServerConforms") {
		t.Fatalf("the consumer module did not run the suite:\n%s", out)
	}
}
