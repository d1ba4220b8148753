package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	g "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/formatter"
	"github.com/onsi/ginkgo/v2/types"
	"github.com/onsi/gomega"
	"github.com/spf13/cobra"

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

// ginkgoT is the testing.T stand-in of a plain binary; the summary, not
// Ginkgo's verdict, decides the exit status.
type ginkgoT struct{}

func (ginkgoT) Fail() {}

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
	// The suite's name carries the version into the JUnit report.
	g.RunSpecs(ginkgoT{}, "authconform "+currentVersion().Module, suiteConfig, reporterConfig)
	return summary
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
