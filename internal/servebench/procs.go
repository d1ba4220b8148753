package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// server is a process under load: serve or the bare server.
type server struct {
	name string
	url  string
	cmd  *exec.Cmd
}

var urlInLine = regexp.MustCompile(`http://\S+`)

// startProcess runs bin with args, its stderr to logFile, and waits for
// the first line on stdout, which must name the URL it serves on.
func startProcess(name, bin string, args []string, logFile *os.File) (*server, error) {
	cmd := exec.Command(bin, args...)
	cmd.Stderr = logFile
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	first := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(stdout)
		line := ""
		if lines.Scan() {
			line = lines.Text()
		}
		first <- line
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case line := <-first:
		url := strings.TrimSuffix(urlInLine.FindString(line), "/")
		if url == "" {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			return nil, fmt.Errorf("%s printed %q, no URL", name, line)
		}
		return &server{name: name, url: url, cmd: cmd}, nil
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, fmt.Errorf("%s did not start within 30 s", name)
	}
}

// stop ends the process with SIGINT (serve flushes its log then) and
// waits for it.
func (s *server) stop() {
	if s == nil || s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}

// cpuTime is the user plus system CPU time the process has used, from
// /proc (Linux); ok is false elsewhere.
func (s *server) cpuTime() (time.Duration, bool) {
	if s == nil || s.cmd == nil {
		return 0, false
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		return 0, false
	}
	// Fields after the command name, which is in parentheses and may hold spaces.
	_, rest, found := strings.Cut(string(b), ") ")
	fields := strings.Fields(rest)
	if !found || len(fields) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	const ticksPerSecond = 100 // USER_HZ on Linux
	return time.Duration(utime+stime) * time.Second / ticksPerSecond, true
}

// bareFlags are the bare server's: the reply it writes to every request.
type bareFlags struct {
	status      int
	contentType string
	bodyFile    string
}

// runBare is the yardstick: a plain net/http server that reads the body
// and writes a fixed reply, with nothing else.
func runBare(args []string) error {
	var f bareFlags
	if len(args) != 3 {
		return errors.New("bare STATUS CONTENT-TYPE BODY-FILE")
	}
	var err error
	if f.status, err = strconv.Atoi(args[0]); err != nil {
		return fmt.Errorf("bare: status %q: %w", args[0], err)
	}
	f.contentType, f.bodyFile = args[1], args[2]
	body, err := os.ReadFile(f.bodyFile)
	if err != nil {
		return fmt.Errorf("bare: %w", err)
	}
	contentType := []string{f.contentType}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header()["Content-Type"] = contentType
		w.WriteHeader(f.status)
		_, _ = w.Write(body)
	})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("bare: %w", err)
	}
	fmt.Printf("bare: serving on http://%s\n", l.Addr())
	return http.Serve(l, h)
}
