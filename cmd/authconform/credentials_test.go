package main

import (
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/authconform/authconform/fakeserver"
)

// sink records every request that reaches it.
type sink struct {
	mu   sync.Mutex
	seen []string
}

func (s *sink) ServeHTTP(_ http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seen = append(s.seen, r.Method+" "+r.URL.String()+" "+r.Header.Get("Authorization")+" "+r.Header.Get("Cookie")+" "+string(body))
}

func (s *sink) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.seen...)
}

// TestRedirectingTargetSendsNothingElsewhere: a target that answers with a
// redirect to another port, from the probe on, after the probe, or after
// the credential check, never makes the suite send anything (credentials
// least of all) to where it points.
func TestRedirectingTargetSendsNothingElsewhere(t *testing.T) {
	t.Parallel()
	rec := &sink{}
	elsewhere := httptest.NewServer(rec)
	t.Cleanup(elsewhere.Close) // a defer would close it before the parallel subtests run
	fake := newFake(t, fakeserver.Options{Flavor: fakeserver.CouchDB})
	t.Cleanup(func() { // after the parallel subtests
		if got := rec.requests(); len(got) != 0 {
			t.Errorf("the redirect target received %d requests, want none; first: %.120q", len(got), got[0])
		}
	})
	for name, passes := range map[string]func(r *http.Request) bool{
		"every request":   func(*http.Request) bool { return false },
		"after the probe": func(r *http.Request) bool { return r.URL.Path == "/" },
		"after the credential check": func(r *http.Request) bool {
			return r.URL.Path == "/" || (r.URL.Path == "/_session" && r.Method == http.MethodGet)
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if passes(r) {
					fake.ServeHTTP(w, r)
					return
				}
				http.Redirect(w, r, elsewhere.URL+r.URL.RequestURI(), http.StatusTemporaryRedirect)
			}))
			defer target.Close()
			cli(t, "run", "--flavor", "couchdb", "--target", target.URL, "--user", "admin", "--password", "secret",
				"--other-user", "alice", "--other-password", "alicepw", "--database", "private", "--document", "db/document")
		})
	}
}

// TestTargetUserinfoIsTheCredentials: http://user:pw@host runs as
// --user/--password would, the password appears in no output or report,
// and no request carries the credentials twice (URL and header).
func TestTargetUserinfoIsTheCredentials(t *testing.T) {
	t.Parallel()
	const password = "Url-Pa55word-41d2"
	fake := newFake(t, fakeserver.Options{Flavor: fakeserver.CouchDB, Users: []fakeserver.User{
		{Name: "urladmin", Password: password, Roles: []string{"_admin"}},
		{Name: "alice", Password: "alicepw", Roles: []string{"reader"}},
	}, Databases: liveDatabases()})
	var mu sync.Mutex
	var twice []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n := len(r.Header.Values("Authorization")); n > 1 {
			mu.Lock()
			twice = append(twice, r.URL.Path)
			mu.Unlock()
		}
		fake.ServeHTTP(w, r)
	}))
	defer srv.Close()
	dir := t.TempDir()
	withInfo := strings.Replace(srv.URL, "://", "://urladmin:"+password+"@", 1)
	r := cli(t, "run", "--flavor", "couchdb", "--target", withInfo, "--other-user", "alice", "--other-password", "alicepw",
		"--database", "private", "--document", "db/document", "-v",
		"--json-report", dir+"/r.json", "--junit-report", dir+"/r.xml", "--markdown-report", dir+"/r.md")
	everything := outputAndReports(t, r, dir)
	for _, s := range []string{password, base64.StdEncoding.EncodeToString([]byte("urladmin:" + password))} {
		if strings.Contains(everything, s) {
			t.Errorf("the URL's password (%.4s...) appears in the output or a report", s)
		}
	}
	if len(twice) > 0 {
		t.Errorf("requests with two Authorization headers: %v", twice)
	}

	// Unreachable: the error names the target without its password.
	r = cli(t, "run", "--flavor", "couchdb", "--target", "http://urladmin:"+password+"@"+closedPort(t))
	if r.code == 0 || strings.Contains(r.stdout+r.stderr, password) {
		t.Errorf("unreachable target with user info: exit %d, output %q", r.code, r.stdout+r.stderr)
	}
	// Conflicting: refused with one line.
	r = cli(t, "run", "--flavor", "couchdb", "--target", withInfo, "--user", "someoneelse", "--password", "x")
	if r.code != 2 || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || strings.Contains(r.stderr, password) {
		t.Errorf("conflicting user info: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestSecretsFromFilesAndEnvironment: --password-file and
// AUTHCONFORM_PASSWORD give the password as --password does (a wrong one
// fails the credential check), and neither shows in the output.
func TestSecretsFromFilesAndEnvironment(t *testing.T) {
	t.Parallel()
	srv := startFake(t, fakeserver.Options{Flavor: fakeserver.Neo4jQuery})
	file := t.TempDir() + "/pw"
	if err := os.WriteFile(file, []byte("verysecret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	wrong := t.TempDir() + "/wrong"
	if err := os.WriteFile(wrong, []byte("not-the-password\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	base := []string{"run", "--flavor", "neo4j-query", "--target", srv.URL, "--user", "neo4j", "--fixture", "neo4j-query/basic-authentication"}
	if r := cli(t, append(base, "--password-file", file)...); r.code != 0 {
		t.Errorf("--password-file: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := cli(t, append(base, "--password-file", wrong)...); r.code != 1 || !strings.Contains(r.stderr, "refused the credentials") {
		t.Errorf("--password-file with a wrong password: exit %d, %q", r.code, r.stderr)
	}
	cmd := command(base...)
	cmd.Env = append(cmd.Env, "AUTHCONFORM_PASSWORD=verysecret")
	out, err := cmd.CombinedOutput()
	if err != nil || strings.Contains(string(out), "verysecret") {
		t.Errorf("AUTHCONFORM_PASSWORD: %v\n%s", err, out)
	}
	if r := cli(t, append(base, "--password", "x", "--password-file", file)...); r.code != 2 {
		t.Errorf("--password and --password-file: exit %d, want 2", r.code)
	}
}

// TestHugeBodyIsAStepError: a response body over 1 MiB is an error of
// that step, named as such, and the run neither hangs nor holds the body.
func TestHugeBodyIsAStepError(t *testing.T) {
	t.Parallel()
	fake := newFake(t, fakeserver.Options{Flavor: fakeserver.CouchDB})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/_all_dbs" {
			w.Header().Set("Content-Type", "application/json")
			chunk := []byte(strings.Repeat(" ", 1<<16))
			for range 400 << 20 / len(chunk) { // 400 MiB, as the issue measured
				if _, err := w.Write(chunk); err != nil {
					return // the client stopped reading
				}
			}
			return
		}
		fake.ServeHTTP(w, r)
	}))
	defer srv.Close()
	dir := t.TempDir()
	r := cli(t, "run", "--flavor", "couchdb", "--target", srv.URL, "--user", "admin", "--password", "secret",
		"--fixture", "couchdb/all-dbs-admin-only", "--state-dir", t.TempDir(), "--json-report", dir+"/r.json")
	data, _ := os.ReadFile(dir + "/r.json")
	if r.code != 1 || !strings.Contains(string(data), "larger than 1048576 bytes") || !strings.Contains(string(data), `"outcome": "error"`) {
		t.Errorf("exit %d, report %.600s", r.code, data)
	}
}
