package main

import (
	"encoding/json"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
)

func TestVersionOf(t *testing.T) {
	info := &debug.BuildInfo{GoVersion: "go1.25.0", Main: debug.Module{Version: "v0.1.0"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "837f43b0000000000000000000000000000000aa"},
		{Key: "vcs.time", Value: "2026-12-02T00:26:00Z"},
		{Key: "vcs.modified", Value: "true"},
	}}
	want := "v0.1.0 (revision 837f43b0000000000000000000000000000000aa, 2026-12-02T00:26:00Z, modified) go1.25.0 " + runtime.GOOS + "/" + runtime.GOARCH
	if got := versionOf(info).String(); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if got := versionOf(&debug.BuildInfo{GoVersion: "go1.25.0"}).String(); got != "(devel) go1.25.0 "+runtime.GOOS+"/"+runtime.GOARCH {
		t.Errorf("unstamped: %q", got)
	}
}

func TestVersionCommandAndFlag(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"version"}, {"--version"}} {
		r := cli(t, args...)
		if r.code != 0 || !strings.HasPrefix(r.stdout, "authconform ") || !strings.Contains(r.stdout, runtime.Version()) {
			t.Errorf("%v: exit %d, %q", args, r.code, r.stdout)
		}
	}
}

// TestVersionInReports: the JSON report names the binary that made it.
func TestVersionInReports(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	r := cli(t, "run", "--flavor", "couchdb", "--fixture", "couchdb/basic-auth-header", "--json-report", dir+"/r.json", "--junit-report", dir+"/r.xml", "--markdown-report", dir+"/r.md", "--html-report", dir+"/r.html")
	if r.code != 0 {
		t.Fatalf("exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	data, err := os.ReadFile(dir + "/r.json")
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		SuiteVersion string `json:"suite_version"`
		Results      []json.RawMessage
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rep.SuiteVersion, runtime.Version()) || !strings.HasPrefix(rep.SuiteVersion, currentVersion().Module+" ") || len(rep.Results) != 1 {
		t.Errorf("JSON report: version %q, %d results", rep.SuiteVersion, len(rep.Results))
	}
	for _, file := range []string{"r.xml", "r.md", "r.html"} {
		data, err := os.ReadFile(dir + "/" + file)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(html.UnescapeString(string(data)), rep.SuiteVersion) {
			t.Errorf("%s does not contain %s", file, rep.SuiteVersion)
		}
	}
}

// TestBuiltBinaryPrintsRevision: `go build` in a git checkout stamps the
// commit, and --version prints it.
func TestBuiltBinaryPrintsRevision(t *testing.T) {
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("not a git checkout with git: %v", err)
	}
	if st, err := os.Stat("../../.git"); err != nil || !st.IsDir() {
		t.Skip("a git worktree (.git is a file): the go command stamps no VCS information there")
	}
	out, err := exec.Command(builtBinary(t), "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if rev := strings.TrimSpace(string(head)); !strings.Contains(string(out), "(revision "+rev) {
		t.Errorf("--version %q does not name revision %s", out, rev)
	}
}

var build struct {
	once sync.Once
	path string
	err  error
	out  []byte
}

// builtBinary builds the command once per test process, as `make build` does.
func builtBinary(t *testing.T) string {
	t.Helper()
	build.once.Do(func() {
		dir, err := os.MkdirTemp("", "authconform-bin")
		if err != nil {
			build.err = err
			return
		}
		build.path = filepath.Join(dir, "authconform")
		cmd := exec.Command("go", "build", "-buildvcs=auto", "-o", build.path, ".")
		cmd.Env = append(hostEnv, "CGO_ENABLED=0")
		build.out, build.err = cmd.CombinedOutput()
	})
	if build.err != nil {
		t.Fatalf("go build: %v\n%s", build.err, build.out)
	}
	return build.path
}
