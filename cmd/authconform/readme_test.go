package main

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// runnableBlock is a code block marked "```sh runnable": a recipe that
// needs only the authconform binary and curl, which make test runs.
// Blocks that need a container runtime or Node are marked
// "```sh runnable-container" and "```js runnable-node"; .ci/run runs those.
var runnableBlock = regexp.MustCompile("(?ms)^```sh runnable\n(.*?)^```$")

// machinePath is a path of one machine, which no user has.
var machinePath = regexp.MustCompile(`(^|[\s("'=` + "`" + `])(/work/|/tmp/|/home/[a-z]|/Users/|\.\./shared/)`)

// docFiles are README.md and every document under docs/.
func docFiles(t *testing.T) []string {
	t.Helper()
	files := []string{filepath.Join("..", "..", "README.md")}
	err := filepath.WalkDir(filepath.Join("..", "..", "docs"), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".md") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestReadmeIsAShortGuide: README stays a guide a newcomer reads in
// minutes; the rest belongs in docs/.
func TestReadmeIsAShortGuide(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(readme), "\n"); n > 300 {
		t.Errorf("README.md has %d lines, want at most 300: move detail to docs/", n)
	}
	for i, line := range strings.Split(string(readme), "\n") {
		if strings.HasPrefix(line, "make run") || strings.HasPrefix(line, "make test") {
			if i > 40 {
				t.Errorf("README line %d: %q, want make run and make test near the top", i+1, line)
			}
		}
	}
}

// TestDocsNameNoMachinePath: no document names a folder of the machine it
// was written on.
func TestDocsNameNoMachinePath(t *testing.T) {
	for _, f := range docFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			if m := machinePath.FindString(line); m != "" {
				t.Errorf("%s:%d names a machine's path (%q): %s", f, i+1, strings.TrimSpace(m), line)
			}
		}
	}
}

// TestRunnableBlocks runs each document's runnable shell blocks, in order,
// as one script (a server one block starts in the background serves the
// next), with the built authconform on PATH, in a temporary folder outside
// the checkout: the recipes work verbatim for someone who has only the
// binary. Documents run one after another, as they use the same ports.
func TestRunnableBlocks(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("the runnable blocks use curl, which is not installed")
	}
	total := 0
	for _, f := range docFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		blocks := runnableBlock.FindAllSubmatch(data, -1)
		total += len(blocks)
		if len(blocks) == 0 {
			continue
		}
		name, _ := filepath.Rel(filepath.Join("..", ".."), f)
		t.Run(name, func(t *testing.T) {
			dir, out := runBlocks(t, blocks)
			if name != "README.md" {
				return
			}
			if n := len(countLine.FindAll(out, -1)); n != 2 {
				t.Errorf("%d count lines from the README's runs, want 2 (CouchDB and Neo4j):\n%s", n, out)
			}
			for _, f := range []string{"report.md", "report.json", "junit.xml", "report.html"} {
				if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
					t.Errorf("the README's run wrote no %s: %v", f, err)
				}
			}
		})
	}
	if total < 3 {
		t.Errorf("%d runnable blocks in README.md and docs/, want the quick start's (3 or more)", total)
	}
}

// runBlocks runs blocks as one bash script in a fresh folder and returns
// the folder and the script's output; it fails t if the script fails.
// The script ends by stopping what it started in the background, so that
// the next document finds its ports free.
func runBlocks(t *testing.T, blocks [][][]byte) (string, []byte) {
	t.Helper()
	for _, port := range []string{"5984", "7474"} {
		if l, err := net.Listen("tcp", "127.0.0.1:"+port); err != nil {
			t.Skipf("the blocks serve on 127.0.0.1:%s, which is in use: %v", port, err)
		} else {
			l.Close()
		}
	}
	var script strings.Builder
	script.WriteString("set -euo pipefail\n")
	for _, b := range blocks {
		script.Write(b[1])
	}
	script.WriteString("for job in $(jobs -p); do kill \"$job\"; done\nwait\n")
	bin := builtBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", script.String())
	cmd.Dir = t.TempDir()
	// A fresh user per document, as on a fresh machine: its own cache
	// folder, where live runs keep their failed-login ledgers.
	home := t.TempDir()
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"), "NO_COLOR=1",
		"HOME="+home, "XDG_CACHE_HOME="+filepath.Join(home, ".cache"))
	// Its own process group, so that a failed script's background
	// servers end with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	// A file, not a pipe: servers left in the background keep their
	// output open after the script ends.
	log, err := os.Create(filepath.Join(t.TempDir(), "output"))
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	cmd.Stdout, cmd.Stderr = log, log
	err = cmd.Run()
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	out, _ := os.ReadFile(log.Name())
	if err != nil {
		t.Fatalf("runnable blocks: %v\n--- script\n%s--- output\n%s", err, script.String(), out)
	}
	return cmd.Dir, out
}

// goBlock is a Go code block marked "```go runnable": a test file of the
// reader's own module.
var goBlock = regexp.MustCompile("(?ms)^```go runnable\n(.*?)^```$")

// TestReadmeGoQuickStart builds a module of its own from README's Go
// quick start, the checkout standing in for the published module, and
// runs its tests: the recipe compiles and passes as printed.
func TestReadmeGoQuickStart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a separate module")
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := goBlock.FindAllSubmatch(readme, -1)
	if len(blocks) != 1 {
		t.Fatalf("README has %d runnable Go blocks, want the quick start's one", len(blocks))
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	mod := "module example.com/yourpkg\n\ngo 1.25.0\n\nrequire github.com/authconform/authconform v0.0.0\n\nreplace github.com/authconform/authconform => " + root + "\n"
	for name, data := range map[string][]byte{"go.mod": []byte(mod), "go.sum": sum, "yourpkg_test.go": blocks[0][1]} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := func(args ...string) string {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(hostEnv, "GOFLAGS=-mod=mod")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run("mod", "tidy")
	out := run("test", "-count=1", "-v", "./...")
	for _, want := range []string{"--- PASS: TestClientLogsIn", "--- PASS: TestConformance", " passed, 0 failed, "} {
		if !strings.Contains(out, want) {
			t.Errorf("the quick start's tests: no %q in\n%s", want, out)
		}
	}
}
