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

// runnableBlock is a README code block marked "```sh runnable".
var runnableBlock = regexp.MustCompile("(?ms)^```sh runnable\n(.*?)^```$")

// TestReadmeRunnableBlocks runs README's runnable shell blocks, in order, as
// one script (a server one block starts in the background serves the next),
// with the built authconform on PATH, in a temporary folder: README's
// commands work together verbatim.
func TestReadmeRunnableBlocks(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := runnableBlock.FindAllSubmatch(readme, -1)
	if len(blocks) < 3 {
		t.Fatalf("README has %d runnable blocks, want the serve-and-run examples (3 or more)", len(blocks))
	}
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("the README blocks use curl, which is not installed")
	}
	for _, port := range []string{"5984", "7474"} {
		if l, err := net.Listen("tcp", "127.0.0.1:"+port); err != nil {
			t.Skipf("the README blocks serve on 127.0.0.1:%s, which is in use: %v", port, err)
		} else {
			l.Close()
		}
	}
	var script strings.Builder
	script.WriteString("set -euo pipefail\n")
	for _, b := range blocks {
		script.Write(b[1])
	}
	bin := builtBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", script.String())
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"), "NO_COLOR=1")
	// Its own process group, so that the servers it leaves in the
	// background end with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	// A file, not a pipe: the servers left in the background keep their
	// output open after the script ends.
	log, err := os.Create(filepath.Join(t.TempDir(), "output"))
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	cmd.Stdout, cmd.Stderr = log, log
	err = cmd.Run()
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
	}
	out, _ := os.ReadFile(log.Name())
	if err != nil {
		t.Fatalf("README's runnable blocks: %v\n--- script\n%s--- output\n%s", err, script.String(), out)
	}
	if n := len(countLine.FindAll(out, -1)); n != 2 {
		t.Errorf("%d count lines from the README's runs, want 2:\n%s", n, out)
	}
	for _, f := range []string{"report.md", "report.json", "junit.xml"} {
		if _, err := os.Stat(filepath.Join(cmd.Dir, f)); err != nil {
			t.Errorf("the README's run wrote no %s: %v", f, err)
		}
	}
}
