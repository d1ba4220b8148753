package specs_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// consumerTest is a test file of a separate module that uses authconform as
// a library: a fake started in process, and the suite run against a server
// of its own (here the fake behind its own handler), with Ginkgo wired by
// hand.
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

// runTest calls specs.Run as the user does: against the CouchDB
// fake with its control plane, it passes.
const runTest = `package run

import (
	"testing"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/specs"
)

func TestRunAgainstTheFake(t *testing.T) {
	srv, err := fakeserver.Start(fakeserver.Options{Flavor: fakeserver.CouchDB, ControlPlane: true})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	specs.Run(t, specs.Target{BaseURL: srv.URL, Flavor: "couchdb", States: specs.ControlPlane(srv.URL, srv.Client())})
}
`

// forbiddenTest is runTest against a server that answers 403 where the
// fake answers 401: it must fail, naming the fixture's file and line.
const forbiddenTest = `package forbidden

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/specs"
)

type forbidding struct{ http.ResponseWriter }

func (w forbidding) WriteHeader(code int) {
	if code == http.StatusUnauthorized {
		code = http.StatusForbidden
	}
	w.ResponseWriter.WriteHeader(code)
}

func TestRunAgainstAForbiddingServer(t *testing.T) {
	fake, err := fakeserver.New(fakeserver.Options{Flavor: fakeserver.CouchDB, ControlPlane: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fake.ServeHTTP(forbidding{w}, r) }))
	defer srv.Close()
	specs.Run(t, specs.Target{BaseURL: srv.URL, Flavor: "couchdb", States: specs.ControlPlane(srv.URL, srv.Client())})
}
`

// twiceTest calls specs.Run twice: the second call must fail the test
// with a clear message, not panic.
const twiceTest = `package twice

import (
	"testing"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/specs"
)

func TestRunTwice(t *testing.T) {
	fake, err := fakeserver.New(fakeserver.Options{Flavor: fakeserver.CouchDB})
	if err != nil {
		t.Fatal(err)
	}
	target := specs.Target{BaseURL: "http://fake.test", Flavor: "couchdb", Client: specs.InProcessClient(fake),
		States:  specs.StateFuncs{EnterFunc: fake.EnterState, AdvanceFunc: fake.Advance},
		Include: func(id string) bool { return id == "couchdb/get-session" }}
	specs.Run(t, target)
	if t.Failed() {
		t.Fatal("the first Run failed")
	}
	target.Name = "again"
	specs.Run(t, target)
}
`

// inProcessTest is ExampleRun: the user's own handler judged in process
// (the CouchDB fake stands in for it), with every state's variables.
const inProcessTest = `package inprocess

import (
	"testing"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/specs"
)

func TestRunInProcess(t *testing.T) {
	mine, err := fakeserver.New(fakeserver.Options{Flavor: fakeserver.CouchDB})
	if err != nil {
		t.Fatal(err)
	}
	s := specs.Run(t, specs.Target{
		BaseURL: "http://mine.test", Flavor: "couchdb", Client: specs.InProcessClient(mine),
		States:           specs.StateFuncs{EnterFunc: mine.EnterState, AdvanceFunc: mine.Advance},
		AllowDestructive: true,
	})
	for _, r := range s.Results {
		if r.Outcome.String() != "passed" {
			t.Errorf("%s: %s (%s)", r.ID, r.Outcome, r.Reason)
		}
	}
}
`

// TestPublicAPIFromAnotherModule builds and runs a separate module that
// imports fakeserver and specs, proving the public API works from outside
// (no internal package, no test-only helper): Register with Ginkgo wired
// by hand, and Run, which passes against the fake, fails against a server
// answering 403 for 401 naming the fixture's file and line, and refuses a
// second call.
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
	files := map[string]string{"go.mod": mod, "go.sum": string(sum), "consumer_test.go": consumerTest,
		"run/run_test.go": runTest, "forbidden/forbidden_test.go": forbiddenTest, "twice/twice_test.go": twiceTest, "inprocess/inprocess_test.go": inProcessTest}
	for name, data := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gotest := func(args ...string) ([]byte, error) {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
		return cmd.CombinedOutput()
	}
	if out, err := gotest("mod", "tidy"); err != nil {
		t.Fatalf("go mod tidy: %v\n%s", err, out)
	}
	out, _ := gotest("test", "-count=1", "-json", "./...") // some packages fail on purpose
	tests, output := testEvents(t, out)
	for test, want := range map[string]string{
		"TestMyServerConforms": "pass", "TestRunAgainstTheFake": "pass",
		"TestRunAgainstAForbiddingServer": "fail", "TestRunTwice": "fail", "TestRunInProcess": "pass",
	} {
		if tests[test] != want {
			t.Errorf("%s: %q, want %q\n%s", test, tests[test], want, output[test])
		}
	}
	forbidden := output["TestRunAgainstAForbiddingServer"]
	checkNamesFixtureLine(t, root, forbidden)
	if strings.Contains(forbidden, "[FAILED]") || strings.Contains(forbidden, "Summarizing") || !strings.Contains(forbidden, "authconform summary:") {
		t.Errorf("Run printed Ginkgo's failure blocks besides its summary (each failure must be printed once):\n%s", forbidden)
	}
	twice := output["TestRunTwice"]
	if !strings.Contains(twice, "specs.Run: called a second time") || strings.Contains(twice, "panic") {
		t.Errorf("a second Run: want a clear error and no panic, got\n%s", twice)
	}
}

// testEvents reads go test -json output: each test's action (pass, fail)
// and its output.
func testEvents(t *testing.T, out []byte) (map[string]string, map[string]string) {
	t.Helper()
	actions, outputs := map[string]string{}, map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		var ev struct{ Action, Test, Output string }
		if json.Unmarshal([]byte(line), &ev) != nil || ev.Test == "" {
			continue
		}
		switch ev.Action {
		case "pass", "fail", "skip":
			actions[ev.Test] = ev.Action
		case "output":
			outputs[ev.Test] += ev.Output
		}
	}
	if len(actions) == 0 {
		t.Fatalf("go test -json gave no test results:\n%s", out)
	}
	return actions, outputs
}

// failureLine is one line of Run's verdict: a fixture's file and line, its
// id, its outcome and the target.
var failureLine = regexp.MustCompile(`fixtures/(couchdb/[a-z0-9-]+\.yaml):(\d+): (couchdb/[a-z0-9-]+) (\w+) on `)

// checkNamesFixtureLine: against a server that answers 403 where the fake
// answers 401, Run's verdict names only fixtures that failed, each at the
// line of the step that failed: a step that expects 401, the one status
// the server changed.
func checkNamesFixtureLine(t *testing.T, root, out string) {
	t.Helper()
	all := failureLine.FindAllStringSubmatch(out, -1)
	if len(all) == 0 {
		t.Fatalf("the failing run names no fixture file and line:\n%s", out)
	}
	for _, m := range all {
		data, err := os.ReadFile(filepath.Join(root, "fixtures", m[1]))
		if err != nil {
			t.Fatalf("the failure names %s: %v", m[0], err)
		}
		n, _ := strconv.Atoi(m[2])
		lines := strings.Split(string(data), "\n")
		if n < 1 || n > len(lines) || m[4] != "failed" {
			t.Errorf("the verdict names %q: want a failed fixture at a line of its file", m[0])
			continue
		}
		if step := stepAt(lines, n); !strings.Contains(step, "status: 401") {
			t.Errorf("the verdict names %q, not the start of a step expecting 401:\n%s", m[0], step)
		}
	}
}

// stepAt is the text of the step that starts at line n ("- " at its
// indentation) up to the next line so indented, or "" if none starts there.
func stepAt(lines []string, n int) string {
	start := lines[n-1]
	trimmed := strings.TrimLeft(start, " ")
	if !strings.HasPrefix(trimmed, "- ") {
		return ""
	}
	indent := start[:len(start)-len(trimmed)]
	step := []string{start}
	for _, l := range lines[n:] {
		if strings.HasPrefix(l, indent+"- ") || (l != "" && !strings.HasPrefix(l, indent)) {
			break
		}
		step = append(step, l)
	}
	return strings.Join(step, "\n")
}
