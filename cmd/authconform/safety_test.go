package main

import (
	"encoding/base64"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/authconform/authconform/fakeserver"
)

// TestWrongPasswordStopsBeforeAnyLockout: a live run with a wrong password
// stops after one failed login, with one line and exit status 1, and the
// account still works afterwards.
func TestWrongPasswordStopsBeforeAnyLockout(t *testing.T) {
	t.Parallel()
	for _, flavor := range []string{"neo4j-3.3", "neo4j-query", "couchdb"} {
		t.Run(flavor, func(t *testing.T) {
			t.Parallel()
			srv := startFake(t, fakeserver.Options{Flavor: fakeserver.Flavor(flavor)})
			var failures atomic.Int32
			counting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, r)
				if rec.Code == http.StatusUnauthorized && r.Header.Get("Authorization") != "" {
					failures.Add(1)
				}
				for k, v := range rec.Header() {
					w.Header()[k] = v
				}
				w.WriteHeader(rec.Code)
				_, _ = w.Write(rec.Body.Bytes())
			}))
			defer counting.Close()
			user := map[string]string{"neo4j-3.3": "neo4j", "neo4j-query": "neo4j", "couchdb": "admin"}[flavor]
			r := cli(t, "run", "--flavor", flavor, "--target", counting.URL, "--user", user, "--password", "wrong-on-purpose")
			if r.code != 1 || !strings.Contains(r.stderr, "refused the credentials") || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			if n := failures.Load(); n != 1 {
				t.Errorf("the run caused %d failed logins, want exactly 1", n)
			}
			if strings.Contains(r.stderr, "wrong-on-purpose") {
				t.Error("the password appears in the error")
			}
			// What was spent and what the server does after how many, and
			// never a claim that the account is safe.
			lock := map[string]string{"neo4j-3.3": "after 3 failed logins with no successful one between", "neo4j-query": "after 3 failed logins with no successful one between", "couchdb": "after 5 failed logins within 5m0s"}[flavor]
			for _, want := range []string{"spent 1 failed login", "counts 1 on this account", lock, "--state-dir"} {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("the message does not say %q: %s", want, r.stderr)
				}
			}
			if strings.Contains(r.stderr, "not locked") {
				t.Errorf("the message claims the account is not locked: %s", r.stderr)
			}
		})
	}
}

// TestInterruptRestoresThePassword sends each stop signal (Ctrl-C, kill, a
// closed terminal, Ctrl-\\) to a live run while the change-password flow
// holds a changed password, and checks that the run put the original
// password back before exiting with 128 plus the signal's number.
func TestInterruptRestoresThePassword(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		sig  syscall.Signal
		name string
	}{{syscall.SIGINT, "SIGINT"}, {syscall.SIGTERM, "SIGTERM"}, {syscall.SIGHUP, "SIGHUP"}, {syscall.SIGQUIT, "SIGQUIT"}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			interruptMidChange(t, tc.sig, tc.name)
		})
	}
}

func interruptMidChange(t *testing.T, sig syscall.Signal, name string) {
	t.Helper()
	fake := newFake(t, fakeserver.Options{Flavor: fakeserver.Neo4j33})
	blocked := make(chan struct{}, 1)
	// Hold the first request made with the temporary password until the
	// client gives up, so the interrupt lands mid-flow.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, _ := r.BasicAuth()
		if user == "neo4j" && strings.HasPrefix(pass, "authconform-") && r.Method == http.MethodGet {
			select {
			case blocked <- struct{}{}:
				<-r.Context().Done()
				return
			default:
			}
		}
		fake.ServeHTTP(w, r)
	}))
	defer srv.Close()

	cmd := command("run", "--flavor", "neo4j-3.3", "--target", srv.URL, "--user", "neo4j", "--password", "neo4j", "--allow-destructive", "--label-filter", "destructive && state:default-password", "--timeout", "60s", "--state-dir", t.TempDir())
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	startUntil(t, cmd, blocked, &out, "the flow never reached the changed password")
	stopWith(t, cmd, sig, &out)
	if code := neo4jLogin(t, srv.URL); code != http.StatusOK {
		t.Fatalf("after %s neo4j/neo4j gets %d: the password was not restored\n%s", name, code, out.String())
	}
	if got, want := cmd.ProcessState.ExitCode(), 128+int(sig); got != want {
		t.Errorf("exit status %d after %s, want %d\n%s", got, name, want, out.String())
	}
	if !strings.Contains(out.String(), "interrupted by "+name) {
		t.Errorf("the summary does not name %s:\n%s", name, out.String())
	}
}

// TestReportsNeverShowCredentials runs a live CouchDB suite (sessions,
// Basic, form and JSON logins) with distinctive credentials and every report
// switched on, then searches all output for the secrets.
func TestReportsNeverShowCredentials(t *testing.T) {
	t.Parallel()
	const user, password = "reportadmin", "Unique-Pa55word-9f3c"
	srv := startFake(t, fakeserver.Options{Flavor: fakeserver.CouchDB, Users: []fakeserver.User{
		{Name: user, Password: password, Roles: []string{"_admin"}},
		{Name: "alice", Password: "Alice-Pa55word-77aa", Roles: []string{"reader"}},
	}, Databases: liveDatabases()})
	dir := t.TempDir()
	r := cli(t, "run", "--flavor", "couchdb", "--target", srv.URL, "--user", user, "--password", password,
		"--other-user", "alice", "--other-password", "Alice-Pa55word-77aa", "--database", "private", "--document", "db/document",
		"--json-report", dir+"/r.json", "--junit-report", dir+"/r.xml", "--markdown-report", dir+"/r.md", "-v")
	everything := outputAndReports(t, r, dir)
	if !strings.Contains(everything, "*****") {
		t.Fatal("no masked value anywhere: the reports carry no exchanges to check")
	}
	secrets := []string{password, "Alice-Pa55word-77aa", base64.StdEncoding.EncodeToString([]byte(user + ":" + password))}
	for _, s := range secrets {
		if strings.Contains(everything, s) {
			t.Errorf("a secret (%.4s...) appears in the output or reports", s)
		}
	}
	if m := regexp.MustCompile(`AuthSession="?[A-Za-z0-9_-]{20,}`).FindString(everything); m != "" {
		t.Errorf("a session cookie appears unmasked: %.20s...", m)
	}
}

// TestHTTPSTargets: a target with a certificate the system does not trust
// cannot be judged (exit 1, one line), and accepted with --ca-file or --insecure.
func TestHTTPSTargets(t *testing.T) {
	t.Parallel()
	fake := newFake(t, fakeserver.Options{Flavor: fakeserver.Neo4jQuery})
	srv := httptest.NewTLSServer(fake)
	defer srv.Close()
	ca := t.TempDir() + "/ca.pem"
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	base := []string{"run", "--flavor", "neo4j-query", "--target", srv.URL, "--user", "neo4j", "--password", "verysecret", "--fixture", "neo4j-query/basic-authentication"}
	if r := cli(t, base...); r.code != 1 || !strings.Contains(r.stderr, "certificate") {
		t.Errorf("untrusted certificate: exit %d, %q", r.code, r.stderr)
	}
	for _, extra := range [][]string{{"--ca-file", ca}, {"--insecure"}} {
		if r := cli(t, append(base, extra...)...); r.code != 0 {
			t.Errorf("%v: exit %d\n%s%s", extra, r.code, r.stdout, r.stderr)
		}
	}
}
