package specs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	g "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/authconform/authconform/fixtures"
	"github.com/authconform/authconform/specs/report"
)

// skip is why a fixture cannot run on this target; any other error of a
// run is an Error outcome.
type skip string

func (s skip) Error() string { return string(s) }

func skipf(format string, args ...any) error { return skip(fmt.Sprintf(format, args...)) }

// runFixture is the body of a fixture's It: it runs the steps, judges the
// result (an expectation applied), tells Ginkgo the verdict, and through
// DeferCleanup restores what the fixture changed and reports the one
// typed result.
func runFixture(ctx context.Context, t Target, fx fixtures.Fixture) {
	run := &fixtureRun{target: t, fx: fx, started: time.Now()}
	run.result = report.Result{Target: t.name(), ID: fx.ID, Flavor: fx.Flavor, Section: fx.Source.Section, Kind: string(fx.Kind)}
	for _, e := range fx.Errata {
		run.result.Errata = append(run.result.Errata, e.ID)
	}
	g.DeferCleanup(run.finish, location(fx, 0))
	run.settle(run.execute(ctx))
	run.judge()
}

// fixtureRun is the state of one fixture's run: variables, captures,
// whether anything needs restoring, and the result so far.
type fixtureRun struct {
	target   Target
	fx       fixtures.Fixture
	vars     fixtures.Vars
	captured map[string]string
	mutated  bool
	// release undoes what the Guard made for the fixture (a scratch user).
	release func(context.Context) error
	client  *http.Client
	// base is where the fixture's requests go: the target's BaseURL, or
	// for a per-node rule its Cluster.NodeURL.
	base    string
	started time.Time
	result  report.Result
	// warnings collects the advisory mismatches of the step being checked.
	warnings *[]string
	// learned are secrets the target gave the run: the cookies it set.
	learned []string
}

// execute prepares the target and runs the steps until one fails.
func (r *fixtureRun) execute(ctx context.Context) error {
	if err := r.prepare(ctx); err != nil {
		return err
	}
	for _, st := range r.fx.Steps {
		if d, _ := st.Advance.Resolve(sessionTTL(r.vars)); d > 0 {
			if err := r.advance(ctx, d, st); err != nil {
				return err
			}
		}
		step, err := r.exchange(ctx, st)
		if st.Settle && r.target.Cluster != nil {
			step, err = r.resend(ctx, st, step, err)
		}
		r.result.Steps = append(r.result.Steps, step)
		r.result.Warnings = append(r.result.Warnings, step.Warnings...)
		if err != nil {
			return err
		}
		if len(step.Mismatches) > 0 {
			return nil // later steps build on this one
		}
	}
	return nil
}

// settleTime is how long a cluster's nodes may take to apply a write that
// one of them confirmed (read-after-write), for steps marked settle;
// settlePause is the pause between two tries.
const settleTime = 5 * time.Second

var settlePause = 250 * time.Millisecond

// resend sends a step marked settle again while its answer does not match,
// up to settleTime: on a cluster, the node that answers may not have
// applied the write an earlier step made through another node. The step
// writes nothing and its credentials are unchanged (the loader and the
// fixture's author see to that), so a repeat is harmless. A step that
// matched only after repeats says so in a warning.
func (r *fixtureRun) resend(ctx context.Context, st fixtures.Step, step report.Step, err error) (report.Step, error) {
	deadline := time.Now().Add(settleTime)
	for tries := 1; err == nil && len(step.Mismatches) > 0 && time.Now().Before(deadline); tries++ {
		select {
		case <-ctx.Done():
			return step, err
		case <-time.After(settlePause):
		}
		step, err = r.exchange(ctx, st)
		if err == nil && len(step.Mismatches) == 0 {
			step.Warnings = append(step.Warnings, fmt.Sprintf("answered as expected after %d repeat(s): the cluster applied an earlier step's write late (read-after-write)", tries))
		}
	}
	return step, err
}

// advance moves the target's clock before step st, saying so when a live
// server makes the run wait in real time.
func (r *fixtureRun) advance(ctx context.Context, d time.Duration, st fixtures.Step) error {
	if l, ok := r.target.States.(realClock); ok && r.target.Progress != nil {
		what := "for the session to expire"
		if st.Advance.Session == 0 {
			what = "before: " + st.Name // a fixed wait, such as for a background job of the server
		}
		r.target.Progress(fmt.Sprintf("%s: waiting %s s %s (AdvanceLimit %s)", r.fx.ID, seconds(d), what, l.AdvanceLimit()), d)
	}
	if err := r.target.States.Advance(ctx, d); err != nil {
		return r.stateError("moving the clock", err)
	}
	return nil
}

// seconds is d in seconds, whole from 10 s on: "630", "2.2".
func seconds(d time.Duration) string {
	if d >= 10*time.Second {
		return strconv.Itoa(int(d.Round(time.Second).Seconds()))
	}
	return strconv.FormatFloat(d.Seconds(), 'f', 1, 64)
}

// settle turns how execute ended into the outcome and its reason.
func (r *fixtureRun) settle(err error) {
	var s skip
	switch {
	case errors.As(err, &s):
		r.result.Outcome, r.result.Reason = report.Skipped, r.secrets().MaskSecrets(s.Error())
	case err != nil:
		r.result.Outcome, r.result.Reason = report.Error, r.secrets().MaskSecrets(err.Error())
	case len(r.result.Mismatches()) > 0:
		r.result.Outcome, r.result.Reason = report.Failed, r.result.Mismatches()[0]
	default:
		r.result.Outcome = report.Passed
	}
}

// judge applies the target's expectations and gives Ginkgo the same
// verdict as the result: a skip is a skip, a failure or error a failure,
// a pass or known deviation a pass.
func (r *fixtureRun) judge() {
	if r.target.Expectations != nil {
		applied := report.Apply(report.Summary{Results: []report.Result{r.result}}, *r.target.Expectations, "")
		r.result = applied.Results[0]
	}
	switch r.result.Outcome {
	case report.Skipped:
		g.Skip(r.result.Reason)
	case report.Failed, report.Error:
		g.Fail(fmt.Sprintf("%s: %s: %s", r.where(), r.result.Outcome, r.result.Reason))
	}
}

// where is the fixture's file and the line of the step it stopped at, for
// a failure message.
func (r *fixtureRun) where() types.CodeLocation { return stoppedAt(r.fx, r.result) }

// stoppedAt is fx's file and the line of the step its result stopped at
// (its last), or of its id when it stopped before any step.
func stoppedAt(fx fixtures.Fixture, r report.Result) types.CodeLocation {
	line := 0
	if i := len(r.Steps) - 1; i >= 0 && i < len(fx.Steps) {
		line = fx.Steps[i].Line
	}
	return location(fx, line)
}

// finish runs after the It, whatever happened in it (a failure, a skip,
// an interrupt): it restores what the fixture changed and reports the
// result.
func (r *fixtureRun) finish(ctx context.Context) {
	defer func() {
		r.result.Duration = time.Since(r.started)
		g.AddReportEntry(entryResult, r.result, g.ReportEntryVisibilityNever)
	}()
	err := r.restore(ctx)
	if r.release != nil {
		err = errors.Join(err, r.release(ctx))
	}
	if err != nil {
		reason := r.secrets().MaskSecrets(err.Error())
		r.result.Outcome, r.result.Reason, r.result.Expectation = report.Error, reason, nil
		g.Fail(fmt.Sprintf("%s: error: %s", location(r.fx, 0), reason))
	}
}

func (r *fixtureRun) prepare(ctx context.Context) error {
	t, fx := r.target, r.fx
	if err := admit(t, fx); err != nil {
		return err
	}
	base, err := baseFor(t, fx)
	if err != nil {
		return err
	}
	r.base = base
	if fx.NeedsClock() {
		if err := t.States.Advance(ctx, 0); err != nil {
			return r.stateError("needs to move the target's clock", err)
		}
	}
	vars, err := r.enter(ctx)
	if err != nil {
		return r.stateError("state "+fx.State, err)
	}
	if fx.NeedsClock() {
		if err := r.checkClockSteps(vars); err != nil {
			return err
		}
	}
	r.vars = baseVars(r.base)
	for k, v := range vars {
		r.vars[k] = v
	}
	// The temporary password is masked in everything the run prints
	// afterwards too (the summary, the reports), not only in this result.
	user, _ := r.vars["User"].(string)
	t.Redactor.Credentials(user, r.vars["NewPassword"].(string))
	r.captured = map[string]string{}
	r.vars["Captured"] = r.captured
	if missing := r.missingVars(); len(missing) > 0 {
		return skipf("needs the vars %s, which state %s did not provide (see StateVars)", strings.Join(missing, ", "), fx.State)
	}
	r.client = safeClient(t.Client) // whatever client is given, it follows no redirect
	return nil
}

// admit skips, before any request, a fixture the target must not run: one
// that changes user state without AllowDestructive, and on a target whose
// accounts are real (not LockoutSafe) without a Guard, one that fails
// logins or changes the target.
func admit(t Target, fx fixtures.Fixture) error {
	switch {
	case t.States == nil:
		return skip("no way to reach states on this target (Target.States is nil)")
	case fx.Destructive && !t.AllowDestructive:
		return skip("changes user state; set Target.AllowDestructive to run it (the change is restored afterwards)")
	case t.States.LockoutSafe() || t.Guard != nil:
		return nil
	case fx.Lockout:
		return skip("locks an account on purpose; runs only against a fake or a CouchDB scratch user (needs a server admin), never against a live server's own accounts")
	case fx.AuthFailures > 0:
		return skipf("fails %d logins on purpose, which a live target allows only with a failed-login ledger: give the Target a Guard (specs/live's Target does)", fx.AuthFailures)
	case fx.Mutates():
		return skip(errNoGuard.Error())
	}
	return nil
}

// baseFor is where fx's requests go: Cluster.NodeURL for a rule each node
// keeps on its own, else BaseURL; a skip when such a rule meets a balancer
// and no node URL.
func baseFor(t Target, fx fixtures.Fixture) (string, error) {
	c := t.Cluster
	switch {
	case !fx.PerNode || c == nil:
	case c.NodeURL != "":
		return c.NodeURL, nil
	case c.Balanced:
		return "", skipf("not judgeable through a balancer: each node keeps this rule on its own, and requests at %s reached %d nodes (%s), so the steps would land on different nodes; set Config.NodeURLs to judge it on one node", RedactText(t.BaseURL), len(c.Distinct()), strings.Join(c.Distinct(), ", "))
	}
	return t.BaseURL, nil
}

// errNoGuard: a live target without a Guard has no restore journal, so a
// change could not be undone after a crash.
var errNoGuard = errors.New("changes the target, which needs a restore journal: give the Target a Guard (live.Target does, journaling in Config.StateDir)")

// enter reaches the fixture's state: through the Guard for a fixture that
// fails logins on a target whose accounts are real, else through States.
func (r *fixtureRun) enter(ctx context.Context) (fixtures.Vars, error) {
	t, fx := r.target, r.fx
	if t.Guard != nil && !t.States.LockoutSafe() && (fx.AuthFailures > 0 || fx.Lockout) {
		vars, release, err := t.Guard.FailedLogins(ctx, fx)
		r.release = release
		return vars, err
	}
	return t.States.Enter(ctx, fx.State)
}

// checkClockSteps skips the fixture when its clock steps need a session
// lifetime the target did not give, or add up to more time than the target
// can pass (a live server is waited for, up to its AdvanceLimit).
func (r *fixtureRun) checkClockSteps(vars fixtures.Vars) error {
	d, ok := ClockTime(r.fx, sessionTTL(vars))
	if !ok {
		return skip("its clock steps are fractions of the session lifetime, which the state did not give (its var SessionTTL): its state must give the var SessionTTL (the server's [chttpd_auth] timeout) and set Credentials.MaxWait")
	}
	if l, ok := r.target.States.(interface{ AdvanceLimit() time.Duration }); ok && d > l.AdvanceLimit() {
		return skipf("needs %s to pass on the target's clock, more than the %s it may wait (AdvanceLimit)", d, l.AdvanceLimit())
	}
	return nil
}

// ClockTime is how long fx's clock steps make the target's clock move,
// given the session lifetime ttl; false when a step is a fraction of an
// unknown lifetime. On a live server that time passes in real time.
func ClockTime(fx fixtures.Fixture, ttl time.Duration) (time.Duration, bool) {
	var total time.Duration
	for _, st := range fx.Steps {
		d, ok := st.Advance.Resolve(ttl)
		if !ok {
			return 0, false
		}
		total += d
	}
	return total, true
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

// stateError is a skip when the target cannot provide what is needed,
// else an error.
func (r *fixtureRun) stateError(what string, err error) error {
	if errors.Is(err, ErrUnreachable) {
		return skip(what + ": " + strings.TrimPrefix(err.Error(), ErrUnreachable.Error()+"\n"))
	}
	return fmt.Errorf("%s: %w", what, err)
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

// secrets masks, in anything this run reports, the target's secrets and
// the fixture's own: its passwords (the temporary one too) with the Basic
// forms of each user's, its token and cookies, what it captured and the
// cookies the target set.
func (r *fixtureRun) secrets() *Redactor {
	red := NewRedactor()
	red.Merge(r.target.Redactor)
	str := func(k string) string { s, _ := r.vars[k].(string); return s }
	red.Credentials(str("User"), str("Password"))
	red.Credentials(str("User"), str("NewPassword"))
	red.Credentials(str("OtherUser"), str("OtherPassword"))
	red.Secret(str("Token"), str("Cookie"))
	for _, v := range r.captured {
		red.Secret(v)
	}
	red.Secret(r.learned...)
	return red
}

// restore undoes what a mutating step changed (or may have: a request
// without an answer counts as applied) and verifies it by logging in with
// the original password. When the restore steps fail, the original
// password may still work (the change never took effect): that login
// decides. A Guard then hears how it went (a live target's removes the
// restore journal only after a verified restore). An error says the target
// may be left changed, with the temporary password.
func (r *fixtureRun) restore(ctx context.Context) error {
	if !r.mutated {
		return nil
	}
	var failed error
	for i, st := range r.fx.Restore {
		step, err := r.exchange(ctx, st)
		if err == nil && len(step.Mismatches) > 0 {
			err = errors.New(strings.Join(step.Mismatches, "; "))
		}
		if err != nil {
			failed = fmt.Errorf("restore step %d: %w", i+1, err)
			break
		}
	}
	var err error
	if verified := r.verifyLogin(ctx); verified != nil {
		// The temporary password, then the account's only working one,
		// goes to no log and no report: the Guard's journal (mode 0600)
		// keeps it.
		err = fmt.Errorf("restore failed, the target may be left changed: the password of %q may be the temporary one: %v", r.vars["User"], errors.Join(failed, verified))
	}
	if r.target.Guard != nil {
		return r.target.Guard.AfterRestore(ctx, r.fx, err)
	}
	return err
}

// stringVars are the run's variables that are strings (not Captured).
func (r *fixtureRun) stringVars() map[string]string {
	out := map[string]string{}
	for k, v := range r.vars {
		if s, ok := v.(string); ok {
			out[k] = s
		}
	}
	return out
}

// RestoreChange runs fx's restore steps against t with the variables
// saved when fx changed it (its new password among them), then lets t's
// Guard judge the result, as if the fixture's own run had just ended:
// `authconform restore` undoes a killed run's change with it.
func RestoreChange(ctx context.Context, t Target, fx fixtures.Fixture, vars map[string]string) error {
	run := &fixtureRun{target: t, fx: fx, vars: fixtures.Vars{}, captured: map[string]string{}, client: safeClient(t.Client), mutated: true}
	for k, v := range vars {
		run.vars[k] = v
	}
	run.vars["Captured"] = run.captured
	return run.restore(ctx)
}

func (r *fixtureRun) timeout() time.Duration {
	if r.target.Timeout > 0 {
		return r.target.Timeout
	}
	return 10 * time.Second
}

// realClock is a state provider whose clock moves only in real time, such
// as live.States: it waits up to AdvanceLimit for a given session lifetime.
type realClock interface {
	AdvanceLimit() time.Duration
	SessionTTL() time.Duration
}

// WaitTime is how long t's fixtures will wait in real time for the
// target's clock (zero for a target whose clock can be moved, such as a
// fake): the estimated least duration of the run.
func WaitTime(t Target) time.Duration {
	clock, ok := t.States.(realClock)
	if !ok {
		return 0
	}
	fxs, err := t.fixtures()
	if err != nil {
		return 0
	}
	var total time.Duration
	for _, fx := range fxs {
		if !fx.NeedsClock() || (fx.Destructive && !t.AllowDestructive) || (fx.Lockout && !t.States.LockoutSafe()) {
			continue
		}
		if d, ok := ClockTime(fx, clock.SessionTTL()); ok && d <= clock.AdvanceLimit() {
			total += d
		}
	}
	return total
}
