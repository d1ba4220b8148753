package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
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
	"github.com/authconform/authconform/specs/live"
	"github.com/authconform/authconform/specs/report"
)

type runFlags struct {
	flavors          []string
	profile          string
	target           string
	control          bool
	controlToken     string
	creds            live.Credentials
	allowDestructive bool
	timeout          time.Duration
	labelFilter      string
	focus            string
	skip             string
	allowEmpty       bool
	reports          reportFiles
	verbose          bool
	expect           string
	fixtureIDs       []string
	caFile           string
	insecure         bool
	secrets          secretFlags
	stateDir         string
	nodes            []string
	nodeHeader       string
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
	fl.StringSliceVar(&f.flavors, "flavor", nil, "flavors to run (repeatable or comma-separated): "+strings.Join(fixtures.Flavors(), ", "))
	fl.StringVar(&f.profile, "profile", string(fakeserver.ProfileDocumented), "profile of the embedded fakes: "+orList(allProfiles()))
	fl.StringVar(&f.target, "target", "", "base URL of the server to check, such as http://127.0.0.1:7474")
	fl.BoolVar(&f.control, "control", false, "the --target is 'authconform serve --control': reach every state through its control plane")
	fl.StringVar(&f.controlToken, "control-token", "", "with --control: the token of 'serve --control-token', sent to the control plane only")
	fl.StringVar(&f.creds.User, "user", "", "user name on the target")
	fl.StringVar(&f.creds.Password, "password", "", "that user's password")
	fl.StringVar(&f.secrets.passwordFile, "password-file", "", "read --password from this file (a trailing newline is dropped), so that it shows in no process list")
	fl.StringVar(&f.creds.Token, "token", "", "a bearer token on the target (neo4j-query)")
	fl.StringVar(&f.secrets.tokenFile, "token-file", "", "read --token from this file")
	fl.StringVar(&f.creds.OtherUser, "other-user", "", "a second user on the target (couchdb: a non-admin; neo4j-3.3: another existing user, only its name is used)")
	fl.StringVar(&f.creds.OtherPassword, "other-password", "", "that second user's password")
	fl.StringVar(&f.secrets.otherPasswordFile, "other-password-file", "", "read --other-password from this file")
	fl.BoolVar(&f.creds.AuthDisabled, "auth-disabled", false, "the target runs with authentication disabled")
	fl.StringVar(&f.creds.Database, "database", "", "a database only server admins may read (couchdb)")
	fl.StringVar(&f.creds.Document, "document", "", "a document anyone may read, as db/docid (couchdb)")
	fl.BoolVar(&f.creds.RequireValidUser, "require-valid-user", false, "the target refuses anonymous requests (couchdb require_valid_user)")
	fl.DurationVar(&f.creds.SessionTTL, "session-timeout", 0, "the target's session lifetime, CouchDB's [chttpd_auth] timeout (fixtures timed against it run only when it is given)")
	fl.DurationVar(&f.creds.MaxWait, "max-wait", 0, "how long a fixture may wait in real time for a live server's clock, such as 11m for a 600 s session (default 0: such fixtures are skipped; the run says how long it will wait before it starts)")
	fl.BoolVar(&f.allowDestructive, "allow-destructive", false, "run fixtures that change a password (restored afterwards)")
	fl.DurationVar(&f.timeout, "timeout", 10*time.Second, "timeout of each request")
	fl.StringArrayVar(&f.nodes, "node", nil, "with a CouchDB cluster --target behind a balancer: one node's own URL, where the per-node rules (lockout) are judged (repeatable: every one is checked by the cluster preflight; see docs/cluster.md)")
	fl.StringVar(&f.nodeHeader, "node-header", "", "a response header naming the node that answered (one the balancer adds), recorded with each step")
	fl.StringVar(&f.stateDir, "state-dir", "", "folder for the failed-login ledger and restore journals of live targets (default: the user cache directory's authconform folder)")
	fl.StringVar(&f.caFile, "ca-file", "", "trust the CA certificate(s) in this PEM file for an https --target")
	fl.BoolVar(&f.insecure, "insecure", false, "accept any TLS certificate of an https --target (test servers only)")
	fl.StringVar(&f.labelFilter, "label-filter", "", "Ginkgo label filter, such as 'documented && !destructive'")
	fl.StringSliceVar(&f.fixtureIDs, "fixture", nil, "run only these fixture ids (repeatable or comma-separated)")
	fl.StringVar(&f.focus, "focus", "", "run only fixtures whose id or document section matches this regular expression")
	fl.StringVar(&f.skip, "skip", "", "leave out fixtures whose id or document section matches this regular expression")
	fl.BoolVar(&f.allowEmpty, "allow-empty", false, "exit 0 even when no fixture passed (all skipped), if nothing failed")
	f.reports.flags(fl)
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "show every spec, step and erratum evidence")
	fl.StringVar(&f.expect, "expect", "", "expectation file (YAML: fixture id -> reason, evidence) of the target's known deviations, or the name of a shipped one (couchdb-3.3, couchdb-3.4, couchdb-3.5, neo4j-3.3.9, neo4j-5); embedded fakes use their profile's file")
	return cmd
}

// run masks every secret it was given, and those the run learns (the
// temporary passwords), in everything it prints and writes, errors
// included.
func run(cmd *cobra.Command, f runFlags) (err error) {
	if err := resolveSecrets(&f); err != nil {
		return err
	}
	red := f.redactor()
	cmd.SetOut(red.Writer(cmd.OutOrStdout()))
	cmd.SetErr(red.Writer(cmd.ErrOrStderr()))
	defer func() { err = maskError(err, red) }()
	if err := checkCredentialsGiven(f); err != nil {
		return err
	}
	if err := checkOutputs(f); err != nil {
		return err
	}
	if (len(f.nodes) > 0 || f.nodeHeader != "") && (f.target == "" || f.control) {
		return usagef("--node and --node-header describe a live --target's cluster (without --control)")
	}
	exp, err := expectations(f)
	if err != nil {
		return err
	}
	include, err := selectFixtures(f)
	if err != nil {
		return err
	}
	if err := checkClockWaits(f, include); err != nil {
		return err
	}
	started := time.Now()
	ts, cleanup, err := targets(f)
	if err != nil {
		var re runError
		if !errors.As(err, &re) {
			return err
		}
		// The target could not be judged: every report says so.
		t := runTarget(f)
		s := report.Summary{SuiteVersion: currentVersion().String(), Targets: []report.Target{t}, Started: started, Finished: time.Now()}
		fmt.Fprintf(cmd.ErrOrStderr(), "authconform: %v\n", re.error)
		return finish(cmd, report.WithRunError(s, t, re.error), f, false, red)
	}
	defer cleanup()
	if ttl, ok := learnedSessionTTL(ts); ok {
		fmt.Fprintf(cmd.ErrOrStderr(), "authconform: %s: session lifetime %s, read from its AuthSession cookie's Max-Age (--session-timeout overrides it)\n", ts[0].Name, ttl)
		learned := f
		learned.creds.SessionTTL = ttl
		if err := checkClockWaits(learned, include); err != nil {
			for _, t := range ts {
				_ = t.Close(context.Background())
			}
			return err
		}
	}
	if f.target != "" && !f.control && len(ts) == 1 { // a control-plane fake is no release
		release, profile := serverRelease(releaseClient(f), f.target, ts[0].Flavor)
		releaseNote(cmd.ErrOrStderr(), release, profile, f.expect)
		if release != "" {
			ts[0].Name += " (" + release + ")"
		}
	}
	for i := range ts {
		red.Merge(ts[i].Redactor)
		ts[i].Redactor = red
		ts[i].Include = include
		if len(exp) > 0 {
			ts[i].Expectations = &exp[0]
		}
		// The process's stderr is asked: cmd's writer masks secrets on the way.
		ts[i].Progress = progress(cmd.ErrOrStderr(), isTerminal(os.Stderr))
	}
	estimate(cmd.ErrOrStderr(), ts)
	summary := runSuite(ts, f)
	summaryInFlagWords(&summary)
	for _, t := range ts {
		if err := t.Close(context.Background()); err != nil {
			fmt.Fprintf(cmd.ErrOrStderr(), "authconform: %v\n", err)
		}
	}
	return finish(cmd, summary, f, true, red)
}

// runTarget names the target a run could not judge.
func runTarget(f runFlags) report.Target {
	flavor := strings.Join(f.flavors, ",")
	if f.target == "" {
		return report.Target{Name: "fakes (" + f.profile + " profile)", Flavor: flavor, Profile: f.profile}
	}
	shown := beforeQuery(withoutUserinfo(f.target))
	return report.Target{Name: fmt.Sprintf("%s at %s", flavor, shown), Flavor: flavor, URL: shown}
}

// runSuite registers the targets and runs Ginkgo once (it runs once per
// process), returning the summary. A SIGINT, SIGTERM, SIGHUP or SIGQUIT
// stops the run through Ginkgo's own interrupt handling (the fixture in
// flight restores what it changed); the summary names the signal.
func runSuite(ts []specs.Target, f runFlags) report.Summary {
	for _, t := range ts {
		specs.Register(t)
	}
	var summary report.Summary
	g.ReportAfterSuite("authconform summary", func(r types.Report) { summary = specs.Summarize(r) })
	gomega.RegisterFailHandler(g.Fail)
	caught := catchSignals()
	defer caught.stop()
	suiteConfig, reporterConfig := g.GinkgoConfiguration()
	suiteConfig.LabelFilter = f.labelFilter
	suiteConfig.RandomizeAllSpecs = false
	// Ginkgo's own reporter is silenced: the summary is the one account of
	// the run (Ginkgo's would add a seed, a second failure block and the
	// build machine's paths).
	formatter.ColorableStdOut = io.Discard
	reporterConfig.Succinct, reporterConfig.SilenceSkips, reporterConfig.NoColor = true, true, true
	g.RunSpecs(ginkgoT{}, "authconform "+currentVersion().Module, suiteConfig, reporterConfig)
	summary.SuiteVersion = currentVersion().String()
	if sig := caught.first(); sig != "" {
		summary.Interrupted = sig
	}
	return summary
}

// ginkgoT is the testing.T stand-in of a plain binary; the summary, not
// Ginkgo's verdict, decides the exit status (they agree: a known deviation
// passes in Ginkgo too).
type ginkgoT struct{}

func (ginkgoT) Fail() {}

// selectFixtures turns --fixture, --focus and --skip into a filter on
// fixture ids; an unknown id, a bad expression or a selection of nothing
// is a usage error, never a silently empty run.
func selectFixtures(f runFlags) (func(string) bool, error) {
	all, err := fixtures.All()
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, fx := range all {
		known[fx.ID] = true
	}
	want := map[string]bool{}
	for _, id := range f.fixtureIDs {
		if !known[id] {
			return nil, usagef("--fixture %q: no such fixture (see 'authconform fixtures')", id)
		}
		want[id] = true
	}
	focus, err := compileFlag("--focus", f.focus)
	if err != nil {
		return nil, err
	}
	skip, err := compileFlag("--skip", f.skip)
	if err != nil {
		return nil, err
	}
	labels, _ := types.ParseLabelFilter(f.labelFilter) // checked by checkOutputs
	keep := map[string]bool{}
	n := 0
	for _, fx := range all {
		matches := func(re *regexp.Regexp) bool { return re.MatchString(fx.ID) || re.MatchString(fx.Source.Section) }
		if (len(want) > 0 && !want[fx.ID]) || (focus != nil && !matches(focus)) || (skip != nil && matches(skip)) {
			continue
		}
		keep[fx.ID] = true
		if (len(f.flavors) == 0 || slices.Contains(f.flavors, fx.Flavor)) && labels(specs.Labels(fx)) {
			n++
		}
	}
	if n == 0 {
		return nil, usagef("no fixture selected: --fixture, --focus, --skip and --label-filter leave none (see 'authconform fixtures')")
	}
	if len(want) == 0 && focus == nil && skip == nil {
		return nil, nil
	}
	return func(id string) bool { return keep[id] }, nil
}

func compileFlag(flag, expr string) (*regexp.Regexp, error) {
	if expr == "" {
		return nil, nil
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, usagef("%s %q: %v", flag, expr, err)
	}
	return re, nil
}

// expectations loads --expect, or for embedded fakes the expectations that
// ship with their profile.
func expectations(f runFlags) ([]fixtures.Expectations, error) {
	if f.expect != "" {
		// An embedded profile's name (--expect couchdb-3.5) needs no checkout.
		if e, ok, err := fixtures.ProfileExpectations(f.expect); ok || err != nil {
			return []fixtures.Expectations{e}, err
		}
		e, err := fixtures.LoadExpectations(f.expect)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, usagef("--expect %s: no such file, nor an embedded profile (%s)", f.expect, strings.Join(releaseProfiles(), ", "))
		}
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
