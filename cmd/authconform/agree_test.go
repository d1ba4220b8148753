package main

import (
	"encoding/xml"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/xeipuuv/gojsonschema"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/specs/report"
)

// reportArgs asks for every report in dir.
func reportArgs(dir string) []string {
	return []string{"--json-report", dir + "/r.json", "--junit-report", dir + "/r.xml", "--markdown-report", dir + "/r.md", "--html-report", dir + "/r.html"}
}

// junitTotals are the counts of a JUnit file's testsuites element, and
// its testsuites' skipped counts added up.
type junitTotals struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Errors   int `xml:"errors,attr"`
	Suites   []struct {
		Skipped int `xml:"skipped,attr"`
	} `xml:"testsuite"`
	Skipped int `xml:"-"`
}

var htmlFooter = regexp.MustCompile(`<footer id="totals">([^<]*)</footer>`)

// checkReportsAgree checks that the JSON report is valid against its
// schema, that the exit status is what the JSON report's
// summary gives, that the JUnit file has failures or errors exactly when a
// fixture failed, errored or was interrupted (and never in a run that
// exits 0), and that the terminal, Markdown and HTML count lines equal the
// JSON counts. It returns the JSON summary.
func checkReportsAgree(t *testing.T, mode string, r result, dir string, allowEmpty bool) report.Summary {
	t.Helper()
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%s: %v (exit %d)\n%s%s", mode, err, r.code, r.stdout, r.stderr)
		}
		return string(data)
	}
	doc := read("r.json")
	valid, err := gojsonschema.Validate(gojsonschema.NewStringLoader(report.JSONSchema), gojsonschema.NewStringLoader(doc))
	if err != nil {
		t.Fatalf("%s: %v", mode, err)
	}
	for _, e := range valid.Errors() {
		t.Errorf("%s: the JSON report is not valid against report.schema.json: %s", mode, e)
	}
	s, err := report.ReadJSON(strings.NewReader(doc))
	if err != nil {
		t.Fatalf("%s: %v", mode, err)
	}
	if err := report.Validate(s); err != nil {
		t.Errorf("%s: the JSON report breaks the contract: %v", mode, err)
	}
	tot := report.Count(s)
	if code := report.ExitCode(s, allowEmpty); code != r.code {
		t.Errorf("%s: exit %d, but the JSON report says %d (%s)\n%s%s", mode, r.code, code, tot.Line(), r.stdout, r.stderr)
	}

	var j junitTotals
	if err := xml.Unmarshal([]byte(read("r.xml")), &j); err != nil {
		t.Fatalf("%s: JUnit: %v", mode, err)
	}
	for _, suite := range j.Suites {
		j.Skipped += suite.Skipped
	}
	j.Suites = nil
	broken := tot.Of(report.Failed) + tot.Of(report.Error) + tot.Of(report.Interrupted)
	if j.Tests != tot.All() || j.Failures+j.Errors != broken || j.Skipped != tot.Of(report.Skipped)+tot.Of(report.NotRun)+tot.Of(report.Disabled) {
		t.Errorf("%s: JUnit says %+v, the JSON report %s", mode, j, tot.Line())
	}
	if r.code == 0 && j.Failures+j.Errors > 0 || r.code != 0 && broken == 0 && tot.Tested() > 0 && s.Interrupted == "" {
		t.Errorf("%s: exit %d, JUnit %+v", mode, r.code, j)
	}

	line := tot.Line()
	md := strings.TrimRight(read("r.md"), "\n")
	if last := md[strings.LastIndex(md, "\n")+1:]; last != line {
		t.Errorf("%s: Markdown ends %q, want %q", mode, last, line)
	}
	if m := htmlFooter.FindStringSubmatch(read("r.html")); m == nil || html.UnescapeString(m[1]) != line {
		t.Errorf("%s: HTML counts %v, want %q", mode, m, line)
	}
	if s.Results[0].ID != report.SetupID { // a run that never started prints no summary
		out := strings.TrimRight(r.stdout, "\n")
		if last := out[strings.LastIndex(out, "\n")+1:]; last != line {
			t.Errorf("%s: the summary ends %q, want %q", mode, last, line)
		}
	}
	return s
}

// TestEveryRunModeAgreesWithItsReports runs the CLI in each way a run can
// end and checks that the exit status, the terminal summary and all four
// report files say the same.
func TestEveryRunModeAgreesWithItsReports(t *testing.T) {
	t.Parallel()
	_, control := startServe(t, nil, "couchdb", "--control")
	_, live := startServe(t, nil, "couchdb")
	// Each live run has its own state directory: the first run's failed
	// logins would otherwise fill the ledger the others share.
	liveCreds := func() []string {
		return []string{"--user", "admin", "--password", "secret", "--other-user", "alice", "--other-password", "alicepw",
			"--database", "authtest", "--document", "db/document", "--state-dir", t.TempDir()}
	}
	expect := filepath.Join("..", "..", "fixtures", "expectations", "neo4j-5.yaml")
	cases := []struct {
		mode       string
		args       []string
		allowEmpty bool
		code       int
		check      func(t *testing.T, s report.Summary, r result)
	}{
		{mode: "embedded", args: []string{"run", "--flavor", "neo4j-3.3"}, code: 0},
		{mode: "serve", args: []string{"run", "--flavor", "couchdb", "--target", control, "--control", "--allow-destructive"}, code: 0},
		{mode: "live-like", args: append([]string{"run", "--flavor", "couchdb", "--target", live}, liveCreds()...), code: 0,
			check: func(t *testing.T, s report.Summary, _ result) {
				if report.Count(s).Of(report.Skipped) == 0 {
					t.Error("live-like: nothing skipped, yet a live server cannot lock an account")
				}
			}},
		{mode: "with expectations", args: []string{"run", "--profile", "neo4j-5"}, code: 0,
			check: func(t *testing.T, s report.Summary, _ result) {
				if report.Count(s).Of(report.KnownDeviation) == 0 {
					t.Error("with expectations: no known deviation")
				}
			}},
		{mode: "stale", args: []string{"run", "--flavor", "neo4j-query", "--expect", expect}, code: 1,
			check: func(t *testing.T, s report.Summary, _ result) {
				for _, r := range s.Results {
					if r.Outcome == report.Failed && (r.Expectation == nil || !r.Expectation.Stale) {
						t.Errorf("stale: %s failed without a stale expectation: %s", r.ID, r.Reason)
					}
				}
			}},
		{mode: "unreachable", args: []string{"run", "--flavor", "neo4j-3.3", "--target", "http://" + closedPort(t), "--user", "neo4j", "--password", "neo4j"}, code: 1,
			check: func(t *testing.T, s report.Summary, r result) {
				if len(s.Results) != 1 || s.Results[0].Outcome != report.Error || !strings.Contains(s.Results[0].Reason, "unreachable") {
					t.Errorf("unreachable: results %+v", s.Results)
				}
				if strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || !strings.HasPrefix(r.stderr, "authconform: ") {
					t.Errorf("unreachable: want one line on stderr, got %q", r.stderr)
				}
			}},
		// A state this live-like target cannot enter without
		// --require-valid-user (lockout runs live now, on a scratch user).
		{mode: "all skipped", args: append([]string{"run", "--flavor", "couchdb", "--target", live, "--label-filter", "state:require-valid-user"}, liveCreds()...), code: 1,
			check: func(t *testing.T, s report.Summary, r result) {
				if !strings.Contains(r.stderr, "no fixture passed: 1 skipped, 46 switched off (") || !strings.Contains(r.stderr, "--require-valid-user") {
					t.Errorf("all skipped: stderr %q", r.stderr)
				}
			}},
		{mode: "matrix", args: []string{"matrix"}, code: 0,
			check: func(t *testing.T, s report.Summary, _ result) {
				if len(s.Targets) < 6 || report.Count(s).Of(report.KnownDeviation) == 0 {
					t.Errorf("matrix: %d targets, %s", len(s.Targets), report.Count(s).Line())
				}
			}},
		{mode: "all skipped, allowed", args: append([]string{"run", "--flavor", "couchdb", "--target", live, "--label-filter", "state:require-valid-user", "--allow-empty"}, liveCreds()...), allowEmpty: true, code: 0},
	}
	for _, c := range cases {
		t.Run(c.mode, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			r := cli(t, append(c.args, reportArgs(dir)...)...)
			if r.code != c.code {
				t.Errorf("%s: exit %d, want %d\n%s%s", c.mode, r.code, c.code, r.stdout, r.stderr)
			}
			s := checkReportsAgree(t, c.mode, r, dir, c.allowEmpty)
			if c.check != nil {
				c.check(t, s, r)
			}
		})
	}
}

// TestInterruptedRunsWriteEveryReport stops a live run with SIGINT and
// with SIGTERM while a fixture waits for an answer: the exit status is
// 130 or 143, the fixture in flight is interrupted, the rest not run, and
// every report says so; a fixture the label filter left out stays
// switched off.
func TestInterruptedRunsWriteEveryReport(t *testing.T) {
	t.Parallel()
	for sig, code := range map[syscall.Signal]int{syscall.SIGINT: 130, syscall.SIGTERM: 143} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			fake := newFake(t, fakeserver.Options{Flavor: fakeserver.Neo4j33})
			blocked := make(chan struct{})
			var requests atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if requests.Add(1) == 8 { // hold one request of a fixture midway through the run
					close(blocked)
					<-r.Context().Done()
					return
				}
				fake.ServeHTTP(w, r)
			}))
			defer srv.Close()
			dir := t.TempDir()
			// The label filter switches off the lockout fixture, which must
			// stay "switched off", not become "not run".
			cmd := command(append([]string{"run", "--flavor", "neo4j-3.3", "--target", srv.URL, "--user", "neo4j", "--password", "neo4j", "--timeout", "60s", "--label-filter", "!lockout"}, reportArgs(dir)...)...)
			var out, errb strings.Builder // read only after Wait
			cmd.Stdout, cmd.Stderr = &out, &errb
			startUntil(t, cmd, blocked, &out, "no fixture reached the held request")
			stopWith(t, cmd, sig, &out)
			r := result{cmd.ProcessState.ExitCode(), out.String(), errb.String()}
			if r.code != code {
				t.Errorf("exit %d, want %d\n%s%s", r.code, code, r.stdout, r.stderr)
			}
			s := checkReportsAgree(t, sig.String(), r, dir, false)
			tot := report.Count(s)
			if tot.Of(report.Interrupted) != 1 || tot.Of(report.NotRun) == 0 || tot.Of(report.Disabled) != 1 {
				t.Errorf("%s: %s, want 1 interrupted, some not run, 1 switched off", sig, tot.Line())
			}
		})
	}
}
