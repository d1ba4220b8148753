package specs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	g "github.com/onsi/ginkgo/v2"

	"github.com/authconform/authconform/fixtures"
)

// Report entry names that Summarize reads.
const (
	entryWarning  = "authconform-warning"
	entryError    = "authconform-error"
	entryExchange = "authconform-exchange"
	entryFixture  = "authconform-fixture"
	entryTarget   = "authconform-target"
	entryStatus   = "authconform-status"
)

// Register adds the specs of every fixture of t.Flavor (every flavor when
// empty) to the Ginkgo tree. Call it at package level (var _ = Register(t))
// or inside a container. It returns true so it can initialise a var.
func Register(t Target) bool {
	all, err := fixtures.All()
	if err == nil && t.BaseURL == "" {
		err = errors.New("specs: Target.BaseURL is empty")
	}
	if err == nil && t.Flavor != "" && !slices.Contains(fixtures.Flavors, t.Flavor) {
		err = fmt.Errorf("specs: unknown flavor %q (want one of %v)", t.Flavor, fixtures.Flavors)
	}
	g.Describe(t.name(), func() {
		if err != nil {
			g.It("loads its fixtures", func() { g.Fail(err.Error()) })
			return
		}
		var budget *budgetTracker
		if t.Budget != nil {
			budget = &budgetTracker{b: *t.Budget, now: time.Now}
		}
		registerPhases(t, runOrder(all, t), budget)
	})
	return true
}

// phases group fixtures into containers whose names sort in run order:
// Ginkgo orders specs registered from one code location by their text.
var phases = []string{
	"phase 1: while the password is the default",
	"phase 2: changing the default password",
	"phase 3: the documented behaviour",
}

func registerPhases(t Target, ordered []fixtures.Fixture, budget *budgetTracker) {
	for p, title := range phases {
		var in []fixtures.Fixture
		for _, fx := range ordered {
			if phaseOf(fx) == p {
				in = append(in, fx)
			}
		}
		if len(in) == 0 {
			continue
		}
		g.Describe(title, func() {
			for _, fx := range in {
				registerFixture(t, fx, budget)
			}
		})
	}
}

func phaseOf(fx fixtures.Fixture) int {
	switch {
	case fx.State == "default-password" && !fx.Destructive:
		return 0
	case fx.State == "default-password":
		return 1
	}
	return 2
}

// runOrder keeps the flavor's fixtures that t selects. Those needing the
// default password run first (see phases): a live target leaves that state
// for good once its password is changed.
func runOrder(all []fixtures.Fixture, t Target) []fixtures.Fixture {
	var out []fixtures.Fixture
	for _, fx := range all {
		if (t.Flavor == "" || fx.Flavor == t.Flavor) && (t.Include == nil || t.Include(fx.ID)) {
			out = append(out, fx)
		}
	}
	return out
}

var nonLabel = regexp.MustCompile(`[^a-z0-9.]+`)

// sectionLabel is "section:" and the section's number or first words,
// lower-case with dashes, as in section:5.2.1.1 or section:requesting-a-cookie.
func sectionLabel(section string) string {
	words := strings.Fields(strings.ToLower(section))
	if len(words) > 0 && strings.Trim(words[0], "0123456789.") == "" {
		return "section:" + strings.TrimSuffix(words[0], ".") // a numbered section
	}
	if len(words) > 6 {
		words = words[:6]
	}
	return "section:" + strings.Trim(nonLabel.ReplaceAllString(strings.Join(words, "-"), "-"), "-.")
}

func labelsOf(fx fixtures.Fixture) g.Labels {
	l := g.Label(fx.Flavor, string(fx.Kind), "state:"+fx.State, sectionLabel(fx.Source.Section))
	if fx.Destructive {
		l = append(l, "destructive")
	}
	if fx.Lockout {
		l = append(l, "lockout")
	}
	if fx.NeedsClock() {
		l = append(l, "clock")
	}
	if len(fx.Errata) > 0 {
		l = append(l, "erratum")
	}
	return l
}

func registerFixture(t Target, fx fixtures.Fixture, budget *budgetTracker) {
	g.Describe(fx.ID, labelsOf(fx), g.Ordered, func() {
		run := &fixtureRun{target: t, fx: fx, budget: budget}
		tag := func() {
			g.AddReportEntry(entryFixture, fx.ID, g.ReportEntryVisibilityNever)
			g.AddReportEntry(entryTarget, t.name(), g.ReportEntryVisibilityNever)
		}
		g.BeforeAll(func(ctx context.Context) {
			tag()
			run.prepare(ctx)
		})
		for i, st := range fx.Steps {
			g.It(stepTitle(i, st, fx.Source.Section), func(ctx context.Context) {
				tag()
				run.step(ctx, i, st)
			})
		}
		g.AfterAll(func(ctx context.Context) { run.restore(ctx) })
	})
}

func stepTitle(i int, st fixtures.Step, section string) string {
	want := fmt.Sprint(st.Response.Status)
	if len(st.Response.StatusIn) > 0 {
		want = fmt.Sprint(st.Response.StatusIn)
	}
	title := fmt.Sprintf("step %02d: %s %s -> %s", i+1, st.Request.Method, st.Request.Path, want)
	if st.Name != "" {
		title += " (" + st.Name + ")"
	}
	return title + " [" + section + "]"
}

// fixtureRun is the state of one fixture's run: variables, captures and
// whether anything needs restoring.
type fixtureRun struct {
	target   Target
	fx       fixtures.Fixture
	vars     fixtures.Vars
	captured map[string]string
	mutated  bool
	client   *http.Client
	budget   *budgetTracker
	// warnings, when set, collects advisory mismatches instead of the
	// Ginkgo report (unit tests of the checks run outside a spec).
	warnings *[]string
}

func (r *fixtureRun) prepare(ctx context.Context) {
	t, fx := r.target, r.fx
	if t.States == nil {
		g.Skip("no way to reach states on this target (Target.States is nil)")
	}
	if fx.Destructive && !t.AllowDestructive {
		g.Skip("changes user state; enable with --allow-destructive (the change is restored afterwards)")
	}
	if fx.Lockout && !t.States.LockoutSafe() {
		g.Skip("locks an account on purpose; runs only against a fake, never against a live server")
	}
	if fx.NeedsClock() {
		if err := t.States.Advance(ctx, 0); err != nil {
			r.skipOrError("needs to move the target's clock", err)
		}
	}
	vars, err := t.States.Enter(ctx, fx.State)
	if err != nil {
		r.skipOrError("state "+fx.State, err)
	}
	if fx.NeedsClock() {
		r.checkClockSteps(vars)
	}
	if r.budget != nil {
		if err := r.budget.spend(fx.AuthFailures); err != nil {
			g.Skip("failed-login budget: " + err.Error())
		}
	}
	r.vars = baseVars(t.BaseURL)
	for k, v := range vars {
		r.vars[k] = v
	}
	r.captured = map[string]string{}
	r.vars["Captured"] = r.captured
	if missing := r.missingVars(); len(missing) > 0 {
		g.Skip(fmt.Sprintf("needs %s, which this target does not provide (see the run flags: --database, --document, --token, --other-user)", strings.Join(missing, ", ")))
	}
	r.client = t.Client
	if r.client == nil {
		r.client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
}

// checkClockSteps skips the fixture when its clock steps need a session
// lifetime the target did not give, or add up to more time than the target
// can pass (a live server is waited for, up to its AdvanceLimit).
func (r *fixtureRun) checkClockSteps(vars fixtures.Vars) {
	ttl := sessionTTL(vars)
	var total time.Duration
	for _, st := range r.fx.Steps {
		d, ok := st.Advance.Resolve(ttl)
		if !ok {
			g.Skip("its clock steps are fractions of the session lifetime: pass --session-timeout with the server's [chttpd_auth] timeout")
		}
		total += d
	}
	if l, ok := r.target.States.(interface{ AdvanceLimit() time.Duration }); ok && total > l.AdvanceLimit() {
		g.Skip(fmt.Sprintf("needs %s to pass on the target's clock, more than the %s it may wait (--max-wait)", total, l.AdvanceLimit()))
	}
}

// sessionTTL reads the SessionTTL variable a state may provide.
func sessionTTL(vars fixtures.Vars) time.Duration {
	s, _ := vars["SessionTTL"].(string)
	d, _ := time.ParseDuration(s)
	return d
}

// missingVars lists the template variables the fixture uses that this
// target's state did not provide (or provided empty).
func (r *fixtureRun) missingVars() []string {
	var missing []string
	for _, text := range r.fx.Templates() {
		names, _ := fixtures.UsedVars(text) // the loader has parsed every template already
		for _, name := range names {
			if v, ok := r.vars[name].(string); name != "Captured" && (!ok || v == "") && !slices.Contains(missing, name) {
				missing = append(missing, name)
			}
		}
	}
	return missing
}

func (r *fixtureRun) skipOrError(what string, err error) {
	if errors.Is(err, ErrUnreachable) {
		g.Skip(what + ": " + strings.TrimPrefix(err.Error(), ErrUnreachable.Error()+"\n"))
	}
	g.AddReportEntry(entryError, err.Error(), g.ReportEntryVisibilityNever)
	g.Fail("error: " + what + ": " + err.Error())
}

func baseVars(baseURL string) fixtures.Vars {
	host, scheme := baseURL, "http"
	if u, err := url.Parse(baseURL); err == nil {
		host, scheme = u.Host, u.Scheme
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return fixtures.Vars{
		"BaseURL":     strings.TrimSuffix(baseURL, "/"),
		"Host":        host,
		"Scheme":      scheme,
		"NewPassword": "authconform-" + hex.EncodeToString(b),
	}
}

// secrets lists the values to mask in anything this run reports.
func (r *fixtureRun) secrets() []string {
	var out []string
	for _, k := range []string{"Password", "NewPassword", "Token", "Cookie", "OtherPassword"} {
		if v, ok := r.vars[k].(string); ok {
			out = append(out, v)
		}
	}
	for _, v := range r.captured {
		out = append(out, v)
	}
	return out
}

func (r *fixtureRun) restore(ctx context.Context) {
	if !r.mutated {
		return
	}
	for i, st := range r.fx.Restore {
		if failures := r.exchange(ctx, st, true); len(failures) > 0 {
			g.AddReportEntry(entryError, "restore failed", g.ReportEntryVisibilityNever)
			g.Fail(fmt.Sprintf("error: restore step %d failed, the target may be left changed (the temporary password was %q): %s",
				i+1, r.vars["NewPassword"], strings.Join(failures, "; ")))
		}
	}
}

func (r *fixtureRun) timeout() time.Duration {
	if r.target.Timeout > 0 {
		return r.target.Timeout
	}
	return 10 * time.Second
}
