package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/specs"
	"github.com/authconform/authconform/specs/report"
)

// A --target that is not a usable base URL is a usage error that shows
// neither its user info, however malformed the URL (a forgotten scheme, a
// password with a space, a slash or a "?"), nor its query or fragment.
func TestTargetErrorsNeverShowUserinfoOrQuery(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ target, secret string }{
		{"admin:hunter2-pw@127.0.0.1:5984", "hunter2-pw"},
		{"http://admin:pass word@127.0.0.1:5984", "pass word"},
		{"http://admin:pa/ss-wd@127.0.0.1:5984", "ss-wd"},
		{"http://admin:pa?ss-wd@127.0.0.1:5984", "ss-wd"},
		{"ftp://admin:hunter2-pw@127.0.0.1:5984", "hunter2-pw"},
		{"http://127.0.0.1:5984/?token=query-secret", "query-secret"},
		{"http://127.0.0.1:5984/#frag-secret", "frag-secret"},
		{"http://127.0.0.1:5984/db?", ""},
	} {
		r := cli(t, "run", "--flavor", "couchdb", "--target", tc.target)
		if r.code != 2 || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("--target %q: exit %d, stderr %q; want 2 and one line", tc.target, r.code, r.stderr)
		}
		if tc.secret != "" && strings.Contains(r.stdout+r.stderr, tc.secret) {
			t.Errorf("--target %q: the output shows %q: %s", tc.target, tc.secret, r.stderr)
		}
	}
}

func TestWithoutUserinfo(t *testing.T) {
	for in, want := range map[string]string{
		"http://127.0.0.1:5984":         "http://127.0.0.1:5984",
		"http://a:b@host:1/x":           "http://*****@host:1/x",
		"a:b c@host:1":                  "*****@host:1",
		"https://u:p@q@host/":           "https://*****@host/",
		"http://host/db?next=/x":        "http://host/db?next=/x",
		"http://u:p%40x@host:1":         "http://*****@host:1",
		"host:5984":                     "host:5984",
		"http://u:secret@host:1/?q=1#f": "http://*****@host:1/?q=1#f",
	} {
		if got := withoutUserinfo(in); got != want {
			t.Errorf("withoutUserinfo(%q) = %q, want %q", in, got, want)
		}
	}
}

// passwordChanges counts the requests that would change neo4j's password.
type passwordChanges struct {
	h http.Handler
	n atomic.Int64
}

func (p *passwordChanges) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/user/") && strings.HasSuffix(r.URL.Path, "/password") {
		p.n.Add(1)
	}
	p.h.ServeHTTP(w, r)
}

// Without --allow-destructive a --target run changes nothing, whether the
// target is a live server or a fake reached through its control plane:
// the changing fixtures are skipped naming the flag, and the server gets
// no password change. With the flag, the same runs do change (and restore)
// the password, so the count can see one.
func TestTargetRunsChangeNothingWithoutAllowDestructive(t *testing.T) {
	t.Parallel()
	for _, control := range []bool{false, true} {
		for _, allow := range []bool{false, true} {
			t.Run(fmt.Sprintf("control=%v/allow=%v", control, allow), func(t *testing.T) {
				t.Parallel()
				o := fakeserver.Options{Flavor: fakeserver.Neo4j33, ControlPlane: control}
				if !control {
					o.Users = []fakeserver.User{{Name: "neo4j", Password: "neo4j", PasswordChangeRequired: true}}
				}
				fake, err := fakeserver.New(o)
				if err != nil {
					t.Fatal(err)
				}
				counted := &passwordChanges{h: fake}
				srv := httptest.NewServer(counted)
				defer srv.Close()
				report := filepath.Join(t.TempDir(), "r.json")
				args := []string{"run", "--flavor", "neo4j-3.3", "--target", srv.URL, "--fixture", "neo4j-3.3/change-password", "--json-report", report, "--allow-empty"}
				if control {
					args = append(args, "--control")
				} else {
					args = append(args, "--user", "neo4j", "--password", "neo4j", "--state-dir", t.TempDir())
				}
				if allow {
					args = append(args, "--allow-destructive")
				}
				r := cli(t, args...)
				if r.code != 0 {
					t.Fatalf("exit %d:\n%s%s", r.code, r.stdout, r.stderr)
				}
				data, err := os.ReadFile(report)
				if err != nil {
					t.Fatal(err)
				}
				var doc struct {
					Results []struct{ ID, Outcome, Reason string } `json:"results"`
				}
				if err := json.Unmarshal(data, &doc); err != nil || len(doc.Results) != 1 {
					t.Fatalf("report %s: %v", data, err)
				}
				res := doc.Results[0]
				switch {
				case allow && (res.Outcome != "passed" || counted.n.Load() == 0):
					t.Errorf("with --allow-destructive: %s is %s (%s), %d password changes; want passed and some", res.ID, res.Outcome, res.Reason, counted.n.Load())
				case !allow && (res.Outcome != "skipped" || !strings.Contains(res.Reason, "--allow-destructive")):
					t.Errorf("without --allow-destructive: %s is %s (%s), want skipped naming the flag", res.ID, res.Outcome, res.Reason)
				case !allow && counted.n.Load() != 0:
					t.Errorf("without --allow-destructive the target got %d password changes", counted.n.Load())
				}
			})
		}
	}
}

// A report that cannot be written when the run ends (the check before the
// run cannot foresee a full disk or a file made read-only meanwhile) fails
// the run with a usage error naming the flag: it is never dropped silently.
func TestUnwritableReportFailsTheRun(t *testing.T) {
	t.Parallel()
	for _, flag := range []string{"--json-report", "--junit-report", "--markdown-report", "--html-report"} {
		folder := t.TempDir() // a path that cannot be created as a file
		var f runFlags
		switch flag {
		case "--json-report":
			f.reports.json = folder
		case "--junit-report":
			f.reports.junit = folder
		case "--markdown-report":
			f.reports.markdown = folder
		case "--html-report":
			f.reports.html = folder
		}
		cmd := newRunCmd()
		cmd.SetOut(io.Discard)
		s := report.Summary{Results: []report.Result{{Target: "t", ID: "couchdb/get-session", Flavor: "couchdb", Outcome: report.Passed}}}
		err := finish(cmd, s, f, true, specs.NewRedactor())
		var ue usageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), "writing "+flag) {
			t.Errorf("%s %s: finish returned %v, want a usage error naming the flag", flag, folder, err)
		}
	}
}

// A report path that cannot be written (a folder) is refused before
// anything runs, with a usage error naming the flag.
func TestUnwritableReportIsRefusedBeforeTheRun(t *testing.T) {
	t.Parallel()
	for _, flag := range []string{"--json-report", "--junit-report", "--markdown-report", "--html-report"} {
		folder := t.TempDir()
		r := cli(t, "run", "--flavor", "couchdb", "--fixture", "couchdb/get-session", flag, folder)
		if r.code != 2 || !strings.Contains(r.stderr, flag+" "+folder+": a folder, not a file") {
			t.Errorf("%s %s: exit %d, stderr %q; want 2 naming the flag", flag, folder, r.code, r.stderr)
		}
	}
}

func TestOrList(t *testing.T) {
	for _, tc := range []struct {
		items []string
		want  string
	}{
		{nil, ""},
		{[]string{"a"}, "a"},
		{[]string{"a", "b"}, "a or b"},
		{[]string{"a", "b", "c"}, "a, b or c"},
	} {
		if got := orList(tc.items); got != tc.want {
			t.Errorf("orList(%q) = %q, want %q", tc.items, got, tc.want)
		}
	}
}

// TestFlagHelpListsTheTables: the help of --flavor and --profile names
// every flavor and profile of the embedded fakes, as their tables have them.
func TestFlagHelpListsTheTables(t *testing.T) {
	serve, run := newServeCmd().Flags(), newRunCmd().Flags()
	for _, fl := range fakeserver.Flavors() {
		if help := serve.Lookup("flavor").Usage; !strings.Contains(help, string(fl)) {
			t.Errorf("serve --flavor help %q lacks %s", help, fl)
		}
		for _, p := range fakeserver.ProfilesFor(fl) {
			for name, help := range map[string]string{"serve": serve.Lookup("profile").Usage, "run": run.Lookup("profile").Usage} {
				if !strings.Contains(help, string(p)) {
					t.Errorf("%s --profile help %q lacks %s", name, help, p)
				}
			}
		}
	}
}
