package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authconform/authconform/fakeserver"
)

// changeThenHang is a Neo4j 3.3 fake that applies the change-password
// request and then never answers it: the run cannot know the outcome.
// changed hears of each such request.
func changeThenHang(t *testing.T) (*httptest.Server, <-chan struct{}) {
	return hangOnChange(t, true)
}

// hangOnChange is changeThenHang, applying the change only if apply.
func hangOnChange(t *testing.T, apply bool) (*httptest.Server, <-chan struct{}) {
	t.Helper()
	fake := newFake(t, fakeserver.Options{Flavor: fakeserver.Neo4j33})
	changed := make(chan struct{}, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if r.Method == http.MethodPost && r.URL.Path == "/user/neo4j/password" && strings.Contains(string(body), "authconform-") {
			if apply {
				fake.ServeHTTP(httptest.NewRecorder(), r) // applied on the server...
			}
			changed <- struct{}{}
			<-r.Context().Done() // ...but never answered
			return
		}
		fake.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, changed
}

func journals(t *testing.T, dir string) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "restore-*.json"))
	if err != nil {
		t.Fatal(err)
	}
	return paths
}

// killMidChange runs the change-password fixture against target with its
// journals in dir, waits until the change has reached the server and kills
// the run with SIGKILL (no handler, no cleanup). It returns the run's
// arguments and what it printed.
func killMidChange(t *testing.T, target, dir string, changed <-chan struct{}) (args []string, out string) {
	t.Helper()
	args = []string{"run", "--flavor", "neo4j-3.3", "--target", target, "--user", "neo4j", "--password", "neo4j",
		"--allow-destructive", "--fixture", "neo4j-3.3/change-password", "--state-dir", dir, "--timeout", "60s"}
	cmd := command(args...)
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	startUntil(t, cmd, changed, &buf, "the run never sent the change")
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	return args, buf.String()
}

// TestSIGKILLMidChangeThenRestore kills the run with SIGKILL while the
// password change is in flight (applied, unanswered): the journal it wrote
// first (0600) makes the next run refuse the target, and `restore` brings
// the original password back and removes the journal.
func TestSIGKILLMidChangeThenRestore(t *testing.T) {
	t.Parallel()
	srv, changed := changeThenHang(t)
	dir := t.TempDir()
	args, out := killMidChange(t, srv.URL, dir, changed)
	if code := neo4jLogin(t, srv.URL); code != http.StatusUnauthorized {
		t.Fatalf("after SIGKILL neo4j/neo4j gets %d, want 401 (the change took effect)", code)
	}
	js := journals(t, dir)
	if len(js) != 1 {
		t.Fatalf("journals after SIGKILL: %v\n%s", js, out)
	}
	if st, err := os.Stat(js[0]); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("journal %s: %v, mode %v, want 0600", js[0], err, st.Mode())
	}
	if !strings.Contains(out, js[0]) {
		t.Errorf("the run did not print the journal's path %s:\n%s", js[0], out)
	}

	if r := cli(t, args...); r.code != 2 || !strings.Contains(r.stderr, "authconform restore") {
		t.Errorf("run with a pending journal: exit %d, %q; want 2 and a pointer to restore", r.code, r.stderr)
	}
	restoreAndCheck(t, srv.URL, dir)
	if r := cli(t, "restore", "--state-dir", dir); r.code != 0 || !strings.Contains(r.stdout, "nothing to restore") {
		t.Errorf("second restore: exit %d, %q", r.code, r.stdout)
	}
}

// TestUnansweredChangeCountsAsApplied: when the answer to the change
// never comes (the request times out), the run restores the password
// anyway, verifies it and leaves no journal.
func TestUnansweredChangeCountsAsApplied(t *testing.T) {
	t.Parallel()
	srv, _ := changeThenHang(t)
	dir := t.TempDir()
	r := cli(t, "run", "--flavor", "neo4j-3.3", "--target", srv.URL, "--user", "neo4j", "--password", "neo4j",
		"--allow-destructive", "--fixture", "neo4j-3.3/change-password", "--state-dir", dir, "--timeout", "2s")
	if r.code != 1 {
		t.Errorf("exit %d, want 1 (the change step got no answer)\n%s%s", r.code, r.stdout, r.stderr)
	}
	if code := neo4jLogin(t, srv.URL); code != http.StatusOK {
		t.Errorf("after the run neo4j/neo4j gets %d, want 200: the unanswered change was not restored\n%s%s", code, r.stdout, r.stderr)
	}
	if js := journals(t, dir); len(js) != 0 {
		t.Errorf("journals left after a verified restore: %v", js)
	}
}

// TestNoStateDirStopsALiveRun: with no writable state directory a live
// run stops with one line naming --state-dir, before any request.
func TestNoStateDirStopsALiveRun(t *testing.T) {
	t.Parallel()
	fake := startFake(t, fakeserver.Options{Flavor: fakeserver.CouchDB})
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	r := cli(t, "run", "--flavor", "couchdb", "--target", fake.URL, "--user", "admin", "--password", "secret", "--state-dir", filepath.Join(file, "sub"))
	if r.code != 2 || !strings.Contains(r.stderr, "--state-dir") || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
		t.Errorf("unwritable --state-dir: exit %d, %q", r.code, r.stderr)
	}
	cmd := command("run", "--flavor", "couchdb", "--target", fake.URL, "--user", "admin", "--password", "secret")
	var env []string
	for _, e := range cmd.Env {
		if !strings.HasPrefix(e, "HOME=") && !strings.HasPrefix(e, "XDG_CACHE_HOME=") {
			env = append(env, e)
		}
	}
	cmd.Env = env
	out, _ := cmd.CombinedOutput()
	if cmd.ProcessState.ExitCode() != 2 || !strings.Contains(string(out), "--state-dir") {
		t.Errorf("HOME unset: exit %d, %q", cmd.ProcessState.ExitCode(), out)
	}
}

// TestRestoreOfAChangeThatNeverHappened: a run killed while its change
// was in flight, but before the server applied it, leaves a journal whose
// restore steps fail (the temporary password is wrong); restore then tries
// the original password, which works, and removes the journal.
func TestRestoreOfAChangeThatNeverHappened(t *testing.T) {
	t.Parallel()
	srv, changed := hangOnChange(t, false)
	dir := t.TempDir()
	killMidChange(t, srv.URL, dir, changed)
	if js := journals(t, dir); len(js) != 1 {
		t.Fatalf("journals after SIGKILL: %v", js)
	}
	restoreAndCheck(t, srv.URL, dir)
}

// TestFailedRestoreKeepsTheJournal: when neither the temporary nor the
// original password works (someone changed it again), restore exits 1,
// names the journal and keeps it.
func TestFailedRestoreKeepsTheJournal(t *testing.T) {
	t.Parallel()
	srv, changed := changeThenHang(t)
	dir := t.TempDir()
	killMidChange(t, srv.URL, dir, changed)
	js := journals(t, dir)
	if len(js) != 1 {
		t.Fatalf("journals after SIGKILL: %v", js)
	}
	data, err := os.ReadFile(js[0])
	if err != nil {
		t.Fatal(err)
	}
	var j struct{ Vars map[string]string }
	if err := json.Unmarshal(data, &j); err != nil || j.Vars["NewPassword"] == "" {
		t.Fatalf("journal %s: %v %s", js[0], err, data)
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/user/neo4j/password", strings.NewReader(`{"password":"someone-elses"}`))
	req.SetBasicAuth("neo4j", j.Vars["NewPassword"])
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("changing the password again: %v %v", err, resp)
	}
	resp.Body.Close()
	r := cli(t, "restore", "--state-dir", dir)
	if r.code != 1 || !strings.Contains(r.stderr, js[0]) {
		t.Errorf("restore: exit %d, stderr %q; want 1 naming the journal", r.code, r.stderr)
	}
	if left := journals(t, dir); len(left) != 1 {
		t.Errorf("journals after a failed restore: %v, want the one kept", left)
	}
}

// restoreAndCheck runs restore over dir's journals and checks that it says
// so, that neo4j/neo4j logs in at target again and that no journal is left.
func restoreAndCheck(t *testing.T, target, dir string) {
	t.Helper()
	r := cli(t, "restore", "--state-dir", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "restored") {
		t.Fatalf("restore: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if code := neo4jLogin(t, target); code != http.StatusOK {
		t.Errorf("after restore neo4j/neo4j gets %d, want 200", code)
	}
	if js := journals(t, dir); len(js) != 0 {
		t.Errorf("journals left after a verified restore: %v", js)
	}
}
