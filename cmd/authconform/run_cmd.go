package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	g "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/formatter"
	"github.com/onsi/ginkgo/v2/types"
	"github.com/onsi/gomega"
	"github.com/spf13/cobra"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/fixtures"
	"github.com/authconform/authconform/specs"
)

type runFlags struct {
	flavors          []string
	profile          string
	target           string
	control          bool
	creds            specs.Credentials
	allowDestructive bool
	timeout          time.Duration
	labelFilter      string
	junitReport      string
	jsonReport       string
	verbose          bool
	expect           string
	markdownReport   string
	fixtureIDs       []string
	caFile           string
	insecure         bool
}

func newRunCmd() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Run the conformance suite against embedded fakes (default) or a --target server",
		Long: `Run the conformance suite.

Without --target, every selected flavor runs against an embedded fake server
(in the --profile given, "documented" by default). With --target, exactly one
--flavor runs against that server; --user/--password (and, per flavor,
--token, --other-user, --auth-disabled) say how it is set up. Fixtures that
change user state run only with --allow-destructive and restore what they
changed; fixtures that lock an account never run against a live server.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return run(cmd, f) },
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&f.flavors, "flavor", nil, "flavors to run (repeatable or comma-separated): "+strings.Join(fixtures.Flavors, ", "))
	fl.StringVar(&f.profile, "profile", "documented", "profile of the embedded fakes: documented, neo4j-3.3.9, neo4j-5 or couchdb-3.5")
	fl.StringVar(&f.target, "target", "", "base URL of the server to check, such as http://127.0.0.1:7474")
	fl.BoolVar(&f.control, "control", false, "the --target is 'authconform serve --control': reach every state through its control plane")
	fl.StringVar(&f.creds.User, "user", "", "user name on the target")
	fl.StringVar(&f.creds.Password, "password", "", "that user's password")
	fl.StringVar(&f.creds.Token, "token", "", "a bearer token on the target (neo4j-query)")
	fl.StringVar(&f.creds.OtherUser, "other-user", "", "a second, non-admin user on the target (couchdb)")
	fl.StringVar(&f.creds.OtherPassword, "other-password", "", "that second user's password")
	fl.BoolVar(&f.creds.AuthDisabled, "auth-disabled", false, "the target runs with authentication disabled")
	fl.StringVar(&f.creds.Database, "database", "", "a database only server admins may read (couchdb)")
	fl.StringVar(&f.creds.Document, "document", "", "a document anyone may read, as db/docid (couchdb)")
	fl.BoolVar(&f.creds.RequireValidUser, "require-valid-user", false, "the target refuses anonymous requests (couchdb require_valid_user)")
	fl.DurationVar(&f.creds.SessionTTL, "session-timeout", 0, "the target's session lifetime, CouchDB's [chttpd_auth] timeout (fixtures timed against it run only when it is given)")
	fl.DurationVar(&f.creds.MaxWait, "max-wait", 0, "how long a fixture may wait in real time for a live server's clock (default: 1.2 x --session-timeout, or 0, which skips such fixtures)")
	fl.BoolVar(&f.allowDestructive, "allow-destructive", false, "run fixtures that change a password (restored afterwards)")
	fl.DurationVar(&f.timeout, "timeout", 10*time.Second, "timeout of each request")
	fl.StringVar(&f.caFile, "ca-file", "", "trust the CA certificate(s) in this PEM file for an https --target")
	fl.BoolVar(&f.insecure, "insecure", false, "accept any TLS certificate of an https --target (test servers only)")
	fl.StringVar(&f.labelFilter, "label-filter", "", "Ginkgo label filter, such as 'documented && !destructive'")
	fl.StringSliceVar(&f.fixtureIDs, "fixture", nil, "run only these fixture ids (repeatable or comma-separated)")
	fl.StringVar(&f.junitReport, "junit-report", "", "write a JUnit XML report to this file")
	fl.StringVar(&f.jsonReport, "json-report", "", "write a JSON report (one object per fixture, credentials masked) to this file")
	fl.StringVar(&f.markdownReport, "markdown-report", "", "write a Markdown compliance report (one row per fixture) to this file")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "show every spec and exchange")
	fl.StringVar(&f.expect, "expect", "", "expectation file (YAML: fixture id -> reason, evidence) of the target's known deviations; embedded fakes use their profile's file")
	return cmd
}

// targets builds one specs.Target per flavor to run, with a cleanup.
func targets(f runFlags) ([]specs.Target, func(), error) {
	if f.timeout <= 0 {
		return nil, nil, usagef("--timeout must be positive")
	}
	for _, fl := range f.flavors {
		if !slices.Contains(fixtures.Flavors, fl) {
			return nil, nil, usagef("unknown --flavor %q (want one of %s)", fl, strings.Join(fixtures.Flavors, ", "))
		}
	}
	if f.target != "" {
		return liveTarget(f)
	}
	flavors := f.flavors
	if len(flavors) == 0 {
		for _, fl := range fakeserver.Flavors() {
			if slices.Contains(fakeserver.ProfilesFor(fl), fakeserver.Profile(f.profile)) {
				flavors = append(flavors, string(fl))
			}
		}
		if len(flavors) == 0 {
			return nil, nil, usagef("unknown --profile %q", f.profile)
		}
	}
	var out []specs.Target
	var servers []*fakeserver.Server
	cleanup := func() {
		for _, s := range servers {
			s.Close()
		}
	}
	for _, fl := range flavors {
		srv, err := fakeserver.Start(fakeserver.Options{Flavor: fakeserver.Flavor(fl), Profile: fakeserver.Profile(f.profile)})
		if err != nil {
			cleanup()
			return nil, nil, usageError{err}
		}
		servers = append(servers, srv)
		out = append(out, specs.Target{
			Name:             fmt.Sprintf("fake %s (%s profile)", fl, f.profile),
			BaseURL:          srv.URL,
			Flavor:           fl,
			States:           specs.StateFuncs{EnterFunc: srv.EnterState, AdvanceFunc: srv.Advance},
			Timeout:          f.timeout,
			AllowDestructive: true,
		})
	}
	return out, cleanup, nil
}

func liveTarget(f runFlags) ([]specs.Target, func(), error) {
	if len(f.flavors) != 1 {
		return nil, nil, usagef("--target needs exactly one --flavor (%s)", strings.Join(fixtures.Flavors, ", "))
	}
	u, err := url.Parse(f.target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, nil, usagef("--target %q is not an http(s) URL such as http://127.0.0.1:7474", f.target)
	}
	transport, err := tlsTransport(f.caFile, f.insecure)
	if err != nil {
		return nil, nil, err
	}
	client := &http.Client{Timeout: f.timeout, Transport: transport}
	if err := probe(client, f.target, f.flavors[0]); err != nil {
		return nil, nil, usageError{err}
	}
	if f.creds.MaxWait == 0 && f.creds.SessionTTL > 0 {
		// Enough for the longest session fixture (1.1 lifetimes).
		f.creds.MaxWait = f.creds.SessionTTL * 12 / 10
	}
	var states specs.StateProvider = specs.ControlPlane(f.target, client)
	var budget *specs.FailureBudget
	if !f.control {
		live := specs.Live(f.flavors[0], f.target, f.creds, client)
		if err := live.CheckCredentials(context.Background()); err != nil {
			return nil, nil, usageError{err}
		}
		b := specs.DefaultBudget(f.flavors[0])
		b.StateFile = budgetFile(f.target, f.creds.User)
		states, budget = live, &b
	}
	return []specs.Target{{
		Budget:           budget,
		Name:             fmt.Sprintf("%s at %s", f.flavors[0], f.target),
		BaseURL:          f.target,
		Flavor:           f.flavors[0],
		States:           states,
		Timeout:          f.timeout,
		AllowDestructive: f.allowDestructive,
		Client: &http.Client{
			Transport:     transport,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}}, func() {}, nil
}

// tlsTransport trusts the CA in caFile besides the system's, or, with
// insecure, any certificate.
func tlsTransport(caFile string, insecure bool) (*http.Transport, error) {
	t := http.DefaultTransport.(*http.Transport).Clone()
	if caFile == "" && !insecure {
		return t, nil
	}
	cfg := &tls.Config{InsecureSkipVerify: insecure} //nolint:gosec // the user asked for it, for a test server
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, usagef("--ca-file: %v", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, usagef("--ca-file %s: no PEM certificate in it", caFile)
		}
		cfg.RootCAs = pool
	}
	t.TLSClientConfig = cfg
	return t, nil
}

// probe checks that the target answers and looks like the flavor claimed,
// so a wrong URL gives one line instead of a page of failures.
func probe(client *http.Client, base, flavor string) error {
	resp, err := client.Get(strings.TrimSuffix(base, "/") + "/")
	if err != nil {
		return fmt.Errorf("target %s is unreachable: %v", base, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	var root map[string]any
	_ = json.Unmarshal(body, &root)
	looksRight := false
	// A Neo4j that protects / still answers in its own error shape.
	neo4jError := strings.Contains(string(body), `"Neo.ClientError.`)
	switch flavor {
	case "neo4j-3.3":
		looksRight = root["data"] != nil || root["management"] != nil || neo4jError
	case "neo4j-query":
		looksRight = root["query"] != nil || root["neo4j_version"] != nil || root["transaction"] != nil || neo4jError
	case "couchdb":
		looksRight = root["couchdb"] != nil || (resp.StatusCode == http.StatusUnauthorized && root["error"] != nil) ||
			couchSessionAnswers(client, base) // CouchDB-compatible servers greet differently
	}
	if !looksRight {
		return fmt.Errorf("target %s does not look like %s: GET / answered %d %.80q", base, flavor, resp.StatusCode, body)
	}
	return nil
}

// couchSessionAnswers reports whether GET /_session answers with a
// CouchDB user context, as every CouchDB-compatible server does.
func couchSessionAnswers(client *http.Client, base string) bool {
	req, err := http.NewRequest(http.MethodGet, strings.TrimSuffix(base, "/")+"/_session", nil)
	if err != nil {
		return false
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	var s struct {
		UserCtx map[string]any `json:"userCtx"`
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	return json.Unmarshal(body, &s) == nil && s.UserCtx != nil
}

// failRecorder is the Ginkgo testing.T stand-in of a plain binary; the
// summary, not this flag, decides the exit status.
type failRecorder struct{ failed bool }

func (r *failRecorder) Fail() { r.failed = true }

func run(cmd *cobra.Command, f runFlags) error {
	if err := checkOutputs(f); err != nil {
		return err
	}
	exp, err := expectations(f)
	if err != nil {
		return err
	}
	include, err := selectFixtures(f.fixtureIDs)
	if err != nil {
		return err
	}
	ts, cleanup, err := targets(f)
	if err != nil {
		return err
	}
	defer cleanup()
	for i := range ts {
		ts[i].Include = include
	}
	summary := runSuite(ts, f)
	for _, e := range exp {
		summary = summary.Apply(e, "")
	}
	summary.Print(cmd.OutOrStdout())
	return finish(summary, f)
}

// runSuite registers the targets and runs Ginkgo once (it runs once per
// process), returning the per-fixture summary.
func runSuite(ts []specs.Target, f runFlags) specs.Summary {
	for _, t := range ts {
		specs.Register(t)
	}
	var summary specs.Summary
	g.ReportAfterSuite("authconform summary", func(r types.Report) { summary = specs.Summarize(r) })
	gomega.RegisterFailHandler(g.Fail)
	if !f.verbose {
		// Ginkgo's own console report repeats, spec by spec, what the
		// summary says per fixture; keep a one-character progress line.
		defer func(w io.Writer) { formatter.ColorableStdOut = w }(formatter.ColorableStdOut)
		formatter.ColorableStdOut = io.Discard
		progress := os.Stderr
		g.ReportAfterEach(func(r types.SpecReport) {
			mark := "."
			switch {
			case r.State.Is(types.SpecStateSkipped):
				mark = "s"
			case r.State.Is(types.SpecStateFailureStates):
				mark = "F"
			}
			fmt.Fprint(progress, mark)
		})
		defer fmt.Fprintln(progress)
	}
	suiteConfig, reporterConfig := g.GinkgoConfiguration()
	suiteConfig.LabelFilter = f.labelFilter
	suiteConfig.RandomizeAllSpecs = false
	reporterConfig.JUnitReport = f.junitReport
	reporterConfig.Verbose = f.verbose
	reporterConfig.Succinct = !f.verbose
	reporterConfig.NoColor = os.Getenv("NO_COLOR") != "" || os.Getenv("CI") != ""
	g.RunSpecs(&failRecorder{}, "authconform", suiteConfig, reporterConfig)
	return summary
}

// finish writes the report files and turns the outcome into an exit status.
func finish(summary specs.Summary, f runFlags) error {
	if f.jsonReport != "" {
		data, _ := json.MarshalIndent(summary, "", "  ")
		if err := os.WriteFile(f.jsonReport, data, 0o644); err != nil {
			return usagef("writing --json-report: %v", err)
		}
	}
	if f.markdownReport != "" {
		var b strings.Builder
		summary.Markdown(&b)
		if err := os.WriteFile(f.markdownReport, []byte(b.String()), 0o644); err != nil {
			return usagef("writing --markdown-report: %v", err)
		}
	}
	if summary.Ran() == 0 {
		return usagef("no fixture ran: --label-filter or --fixture selected none")
	}
	if summary.Failed() {
		return errFailed
	}
	return nil
}

// checkOutputs rejects a bad label filter or an unwritable report path
// before anything runs, rather than after a whole run.
func checkOutputs(f runFlags) error {
	if f.labelFilter != "" {
		if _, err := types.ParseLabelFilter(f.labelFilter); err != nil {
			return usagef("--label-filter %q: %s", f.labelFilter, oneLine(err.Error()))
		}
	}
	for flag, path := range map[string]string{"--json-report": f.jsonReport, "--junit-report": f.junitReport, "--markdown-report": f.markdownReport} {
		if path == "" {
			continue
		}
		if st, err := os.Stat(filepath.Dir(path)); err != nil || !st.IsDir() {
			return usagef("%s %s: the folder %s does not exist", flag, path, filepath.Dir(path))
		}
	}
	return nil
}

var ansiEscape = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// oneLine makes Ginkgo's coloured, multi-line message one plain line,
// without its "Learn more" link.
func oneLine(s string) string {
	s, _, _ = strings.Cut(ansiEscape.ReplaceAllString(s, ""), "Learn more")
	return strings.Join(strings.Fields(s), " ")
}

// selectFixtures turns --fixture ids into a filter; an unknown id is a
// usage error, never a silently empty run.
func selectFixtures(ids []string) (func(string) bool, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	all, err := fixtures.All()
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, fx := range all {
		known[fx.ID] = true
	}
	want := map[string]bool{}
	for _, id := range ids {
		if !known[id] {
			return nil, usagef("--fixture %q: no such fixture (see 'authconform fixtures')", id)
		}
		want[id] = true
	}
	return func(id string) bool { return want[id] }, nil
}

// expectations loads --expect, or for embedded fakes the expectations that
// ship with their profile.
func expectations(f runFlags) ([]fixtures.Expectations, error) {
	if f.expect != "" {
		e, err := fixtures.LoadExpectations(f.expect)
		if err != nil {
			return nil, usagef("--expect: %v", err)
		}
		return []fixtures.Expectations{e}, nil
	}
	if f.target != "" {
		return nil, nil
	}
	e, ok, err := fixtures.ProfileExpectations(f.profile)
	if err != nil || !ok {
		return nil, err
	}
	return []fixtures.Expectations{e}, nil
}

// budgetFile is where failed logins against one account are remembered
// between runs: the user cache directory, or none if there is no such
// directory.
func budgetFile(target, user string) string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	key := strings.NewReplacer("://", "_", "/", "_", ":", "_").Replace(strings.TrimSuffix(target, "/") + "_" + user)
	return filepath.Join(dir, "authconform", "budget", key+".json")
}
