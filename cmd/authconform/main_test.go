package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/specs/report"
)

// The CLI runs Ginkgo, which runs once per process, so each test runs the
// CLI in a child process: this test binary, told by AUTHCONFORM_CLI_ARGS to
// act as the command.
func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv("AUTHCONFORM_CLI_ARGS"); ok {
		os.Exit(execute(strings.Split(args, "\x1f")))
	}
	os.Exit(runTests(m))
}

// hostEnv is the environment before runTests changed it, for commands
// such as go build that need the real caches.
var hostEnv []string

// runTests runs the tests with the user cache directory (where live runs
// keep failed-login budgets) in a temporary folder, so that tests write
// nothing outside one.
func runTests(m *testing.M) int {
	cache, err := os.MkdirTemp("", "authconform-test-cache")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(cache)
	hostEnv = os.Environ()
	for _, kv := range hostEnv {
		// The caller's AUTHCONFORM_* settings would set the CLI's flags.
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "AUTHCONFORM_") {
			os.Unsetenv(name)
		}
	}
	os.Setenv("XDG_CACHE_HOME", cache)
	os.Setenv("HOME", cache) // os.UserCacheDir on macOS
	code := m.Run()
	if build.path != "" {
		os.RemoveAll(filepath.Dir(build.path))
	}
	return code
}

type result struct {
	code           int
	stdout, stderr string
}

func cli(t *testing.T, args ...string) result {
	t.Helper()
	cmd := command(args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, out.String(), errb.String()}
}

func command(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "AUTHCONFORM_CLI_ARGS="+strings.Join(args, "\x1f"), "NO_COLOR=1")
	return cmd
}

// countLine is the summary's last line, which counts every outcome.
var countLine = regexp.MustCompile(`(?m)^(\d+) passed, (\d+) failed, \d+ known deviations?, \d+ errors?, (\d+) skipped, \d+ interrupted, \d+ not run, \d+ switched off$`)

func counts(t *testing.T, out string) (passed, failed, skipped string) {
	t.Helper()
	m := countLine.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no count line in output:\n%s", out)
	}
	return m[1], m[2], m[3]
}

func closedPort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestUsageErrorsExitTwoWithOneLine(t *testing.T) {
	t.Parallel()
	cases := map[string][]string{
		"unknown flag":          {"run", "--no-such-flag"},
		"unknown flavor":        {"run", "--flavor", "mysql"},
		"target without flavor": {"run", "--target", "http://127.0.0.1:1"},
		"not a URL":             {"run", "--flavor", "couchdb", "--target", "localhost:5984"},
		"unknown profile":       {"run", "--profile", "neo4j-9"},
		"bad serve user":        {"serve", "--flavor", "couchdb", "--user", "nocolon"},
		"serve without flavor":  {"serve", "--addr", "127.0.0.1:0"},
		"misspelled flag":       {"run", "--flavr", "couchdb"},
		"bad serve flavor":      {"serve", "--flavor", "mysql", "--addr", "127.0.0.1:0"},
		"unknown command":       {"frobnicate"},
		"bad expectation file":  {"run", "--flavor", "neo4j-3.3", "--expect", "/nonexistent.yaml"},
		"unknown fixture id":    {"run", "--fixture", "neo4j-3.3/no-such-fixture"},
		"bad label filter":      {"run", "--label-filter", "((("},
		"unwritable report":     {"run", "--json-report", "/nonexistent/dir/report.json"},
		"bad focus":             {"run", "--focus", "(("},
		"focus selects none":    {"run", "--focus", "no-such-fixture"},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := cli(t, args...)
			if r.code != 2 {
				t.Errorf("exit %d, want 2; stderr %q", r.code, r.stderr)
			}
			if lines := strings.Count(strings.TrimSpace(r.stderr), "\n"); lines != 0 || !strings.HasPrefix(r.stderr, "authconform: ") {
				t.Errorf("want one line starting with 'authconform: ', got %q", r.stderr)
			}
		})
	}
}

func TestFixturesListsEveryFlavorsFixtures(t *testing.T) {
	t.Parallel()
	r := cli(t, "fixtures", "--flavor", "neo4j-3.3")
	if r.code != 0 || !strings.Contains(r.stdout, "neo4j-3.3/change-password") || !strings.Contains(r.stdout, "5.2.2.3. Changing the user password") {
		t.Fatalf("exit %d, output:\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestRunAgainstEmbeddedFake(t *testing.T) {
	t.Parallel()
	r := cli(t, "run", "--flavor", "neo4j-3.3")
	passed, failed, skipped := counts(t, r.stdout)
	if r.code != 0 || failed != "0" || skipped != "0" || passed == "0" {
		t.Fatalf("exit %d, %s passed %s failed %s skipped:\n%s", r.code, passed, failed, skipped, r.stdout)
	}
}

// TestBrokenTargetFailsOnExactlyTheBrokenRule runs the suite against fakes
// that each break one documented rule, and checks that exactly the fixtures
// that test that rule fail, and nothing else.
func TestBrokenTargetFailsOnExactlyTheBrokenRule(t *testing.T) {
	t.Parallel()
	cases := []struct {
		flavor  string
		rule    string
		breakIt func(w http.ResponseWriter, r *http.Request, fake http.Handler)
		want    []string
	}{
		{
			flavor: "neo4j-3.3", rule: "401 answers carry WWW-Authenticate",
			breakIt: func(w http.ResponseWriter, r *http.Request, fake http.Handler) {
				fake.ServeHTTP(dropHeader{ResponseWriter: w, name: "WWW-Authenticate"}, r)
			},
			want: []string{"neo4j-3.3/browser-auth-header", "neo4j-3.3/incorrect-authentication", "neo4j-3.3/missing-authorization", "neo4j-3.3/unknown-user"},
		},
		{
			flavor: "neo4j-query", rule: "discovery at / needs no credentials",
			breakIt: func(w http.ResponseWriter, r *http.Request, fake http.Handler) {
				if r.URL.Path == "/" && r.Header.Get("Authorization") == "" {
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(http.StatusUnauthorized)
					_, _ = w.Write([]byte(`{"errors":[{"code":"Neo.ClientError.Security.Unauthorized","message":"No authentication header supplied."}]}`))
					return
				}
				fake.ServeHTTP(w, r)
			},
			want: []string{"neo4j-query/discovery"},
		},
		{
			flavor: "couchdb", rule: "session cookies are HttpOnly",
			breakIt: func(w http.ResponseWriter, r *http.Request, fake http.Handler) {
				fake.ServeHTTP(editSetCookie{ResponseWriter: w, drop: "; HttpOnly"}, r)
			},
			want: []string{"couchdb/cookie-refresh", "couchdb/delete-session", "couchdb/delete-session-curl", "couchdb/login-json", "couchdb/login-next-redirect", "couchdb/request-cookie", "couchdb/request-cookie-curl"},
		},
	}
	for _, c := range cases {
		t.Run(c.flavor, func(t *testing.T) {
			t.Parallel()
			fake := newFake(t, fakeserver.Options{Flavor: fakeserver.Flavor(c.flavor), ControlPlane: true})
			broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { c.breakIt(w, r, fake) }))
			defer broken.Close()
			report := t.TempDir() + "/report.json"
			r := cli(t, "run", "--flavor", c.flavor, "--target", broken.URL, "--control", "--allow-destructive", "--json-report", report)
			if r.code != 1 {
				t.Fatalf("breaking %q: exit %d, want 1:\n%s%s", c.rule, r.code, r.stdout, r.stderr)
			}
			var failed []string
			for _, res := range reportedResults(t, report) {
				switch res.Outcome {
				case "passed":
				case "failed":
					failed = append(failed, res.ID)
				default:
					t.Errorf("%s: %s (want passed or failed)", res.ID, res.Outcome)
				}
			}
			slices.Sort(failed)
			if !slices.Equal(failed, c.want) {
				t.Errorf("breaking %q failed %v\nwant exactly %v", c.rule, failed, c.want)
			}
		})
	}
}

// editSetCookie removes a piece of text from every Set-Cookie header.
type editSetCookie struct {
	http.ResponseWriter
	drop string
}

func (e editSetCookie) WriteHeader(code int) {
	h := e.Header()
	for i, v := range h.Values("Set-Cookie") {
		h["Set-Cookie"][i] = strings.ReplaceAll(v, e.drop, "")
	}
	e.ResponseWriter.WriteHeader(code)
}

// dropHeader removes one header from every answer.
type dropHeader struct {
	http.ResponseWriter
	name string
}

func (d dropHeader) WriteHeader(code int) {
	d.Header().Del(d.name)
	d.ResponseWriter.WriteHeader(code)
}

func (d dropHeader) Write(b []byte) (int, error) {
	d.Header().Del(d.name)
	return d.ResponseWriter.Write(b)
}

// TestServeThenRunOverTheWire starts `serve` as its own process, runs the
// suite against it as against a live server (states reached through the API
// only, destructive fixtures allowed), checks the password was restored,
// and stops the server with SIGINT.
func TestServeThenRunOverTheWire(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	serve, url := startServe(t, &logs, "neo4j-3.3")

	r := cli(t, "run", "--flavor", "neo4j-3.3", "--target", url, "--user", "neo4j", "--password", "neo4j", "--allow-destructive", "--timeout", "5s")
	passed, failed, _ := counts(t, r.stdout)
	if r.code != 0 || failed != "0" {
		t.Fatalf("exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, id := range []string{"required-password-change", "change-password", "authenticate", "incorrect-authentication"} {
		if !regexp.MustCompile(`passed\s+neo4j-3.3/` + id + `\s`).MatchString(r.stdout) {
			t.Errorf("%s did not pass over the wire:\n%s", id, r.stdout)
		}
	}
	if !regexp.MustCompile(`skipped\s+neo4j-3.3/rate-limit\s`).MatchString(r.stdout) {
		t.Errorf("the lockout fixture was not skipped against a live target:\n%s", r.stdout)
	}
	t.Logf("over the wire: %s passed", passed)

	if code := neo4jLogin(t, url); code != http.StatusOK {
		t.Errorf("after the run neo4j/neo4j gets %d: the password was not restored", code)
	}

	if err := stopWith(t, serve, syscall.SIGINT, &logs); err != nil {
		t.Errorf("serve exited with %v after SIGINT", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var entry map[string]any
		if err := json.Unmarshal([]byte(line), &entry); err != nil || entry["status"] == nil {
			t.Errorf("log line is not a JSON request record: %q", line)
			break
		}
	}
	if strings.Contains(logs.String(), "Basic ") || regexp.MustCompile(`authconform-[0-9a-f]{12}`).MatchString(logs.String()) {
		t.Error("the request log contains credentials")
	}
}

// TestServeThenRunOverTheWireEveryFlavor runs the suite against `serve` of
// the other flavors as live servers: nothing may fail, and what is skipped
// must be only what a live server cannot do.
func TestServeThenRunOverTheWireEveryFlavor(t *testing.T) {
	t.Parallel()
	cases := map[string][]string{
		"neo4j-query": {"--user", "neo4j", "--password", "verysecret", "--token", "xbhkjnlvianztghqwawxqfe"},
		// serve is a fake, so its users and databases may be created and
		// deleted (couchdb/user-lifecycle, database-lifecycle).
		"couchdb": {"--user", "admin", "--password", "secret", "--other-user", "alice", "--other-password", "alicepw", "--database", "authtest", "--document", "db/document", "--allow-destructive"},
	}
	for flavor, creds := range cases {
		t.Run(flavor, func(t *testing.T) {
			t.Parallel()
			_, url := startServe(t, io.Discard, flavor)
			jsonReport := filepath.Join(t.TempDir(), "report.json")
			r := cli(t, append([]string{"run", "--flavor", flavor, "--target", url, "--timeout", "5s", "--json-report", jsonReport}, creds...)...)
			passed, failed, _ := counts(t, r.stdout)
			if r.code != 0 || failed != "0" || passed == "0" {
				t.Fatalf("exit %d:\n%s%s", r.code, r.stdout, r.stderr)
			}
			if m := goWords.FindString(r.stdout + r.stderr); m != "" {
				t.Errorf("the CLI's output names the library's %s instead of a flag", m)
			}
			data, err := os.ReadFile(jsonReport)
			if err != nil {
				t.Fatal(err)
			}
			var s report.Summary
			if err := json.Unmarshal(data, &s); err != nil || len(s.Results) == 0 {
				t.Fatalf("%s: %v, %d results", jsonReport, err, len(s.Results))
			}
			for _, res := range s.Results {
				if res.Outcome == report.Skipped && !regexp.MustCompile(`clock|locks an account|failed-login budget|auth-disabled|authentication enabled|require_valid_user|require-valid-user-except-for-up|default-password|Neo4j 5 server`).MatchString(res.Reason) {
					t.Errorf("%s skipped for a reason a live server should not need: %s", res.ID, res.Reason)
				}
			}
		})
	}
}

// neo4jLogin asks GET /user/neo4j as neo4j/neo4j and returns the status.
func neo4jLogin(t *testing.T, base string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/user/neo4j", nil)
	req.SetBasicAuth("neo4j", "neo4j")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// startServe runs `serve --flavor F` on a free loopback port, its log going
// to logs, and returns the process and its URL. The process is killed when
// the test ends, unless the test stopped it already.
func startServe(t testing.TB, logs io.Writer, flavor string, extra ...string) (*exec.Cmd, string) {
	t.Helper()
	serve := command(append([]string{"serve", "--flavor", flavor, "--addr", "127.0.0.1:0"}, extra...)...)
	stdout, err := serve.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	serve.Stderr = logs
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = serve.Process.Kill(); _ = serve.Wait() })
	lines := bufio.NewScanner(stdout)
	if !lines.Scan() {
		t.Fatal("serve printed nothing")
	}
	url := regexp.MustCompile(`http://\S+`).FindString(lines.Text())
	if url == "" {
		t.Fatalf("no URL in %q", lines.Text())
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	return serve, url
}
