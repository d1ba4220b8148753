package specs_test

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/fixtures"
	"github.com/authconform/authconform/specs"
	"github.com/authconform/authconform/specs/report"
)

// failingGuard is a Guard whose own steps fail where asked: the release
// after a fixture that failed logins (a scratch user that could not be
// deleted), the end of a restore (a journal that could not be removed),
// the end of the target (a scratch database left).
type failingGuard struct {
	states                           specs.StateProvider
	releaseErr, restoreErr, closeErr error
}

func (g failingGuard) FailedLogins(ctx context.Context, fx fixtures.Fixture) (fixtures.Vars, func(context.Context) error, error) {
	vars, err := g.states.Enter(ctx, fx.State)
	release := func(context.Context) error { return g.releaseErr }
	return vars, release, err
}

func (failingGuard) BeforeChange(context.Context, fixtures.Fixture, map[string]string) (string, error) {
	return "", nil
}

func (g failingGuard) AfterRestore(_ context.Context, _ fixtures.Fixture, restoreErr error) error {
	return errors.Join(restoreErr, g.restoreErr)
}

func (g failingGuard) Close(context.Context) error { return g.closeErr }

// temporaryPassword is how the engine's temporary passwords look.
var temporaryPassword = regexp.MustCompile(`authconform-[0-9a-f]{12}`)

// guardFailure is a target whose run goes wrong after its fixture's
// checks passed; want is the result each named fixture must get.
type guardFailure struct {
	name    string
	target  specs.Target
	want    map[string]report.Outcome
	reason  string // in each Error result's reason
	cleanup bool   // the target must end with a cleanup error result
}

// registerGuardFailures registers live-like targets (not lockout-safe,
// with a Guard) whose restore, scratch-user deletion or end-of-target
// cleanup fails. It returns the check to make on the run's summary: a
// fixture whose change was not undone, or whose scratch user stays, is an
// Error, never Passed; a failed cleanup is the target's own Error result,
// after its fixtures, and leaves the last fixture's verdict as it was.
func registerGuardFailures(t *testing.T) func(report.Summary) {
	newTarget := func(name string, fl fakeserver.Flavor, h func(*fakeserver.Fake) http.Handler, g failingGuard, ids ...string) specs.Target {
		fake, err := fakeserver.New(fakeserver.Options{Flavor: fl})
		if err != nil {
			t.Fatal(err)
		}
		states := notLockoutSafe{specs.StateFuncs{EnterFunc: fake.EnterState, AdvanceFunc: fake.Advance}}
		g.states = states
		return specs.Target{Name: name, BaseURL: "http://fake.test", Flavor: string(fl), Client: specs.InProcessClient(h(fake)),
			States: states, AllowDestructive: true, Guard: g,
			Include: func(id string) bool { return slices.Contains(ids, id) }}
	}
	plain := func(f *fakeserver.Fake) http.Handler { return f }
	// The fake refuses to take the temporary password back: the restore
	// steps fail, and so does the login with the original password.
	noRestore := func(f *fakeserver.Fake) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if _, pass, _ := r.BasicAuth(); r.Method == http.MethodPost && strings.HasPrefix(pass, "authconform-") {
				http.Error(w, `{"errors":[{"code":"Neo.DatabaseError.General.UnknownError","message":"down"}]}`, http.StatusInternalServerError)
				return
			}
			f.ServeHTTP(w, r)
		})
	}
	cases := []guardFailure{
		{name: "guard: the restore fails", reason: "restore failed",
			target: newTarget("guard: the restore fails", fakeserver.Neo4j33, noRestore, failingGuard{}, "neo4j-3.3/change-password"),
			want:   map[string]report.Outcome{"neo4j-3.3/change-password": report.Error}},
		{name: "guard: the journal stays", reason: "the journal stays",
			target: newTarget("guard: the journal stays", fakeserver.Neo4j33, plain, failingGuard{restoreErr: errors.New("restored, but the journal stays")}, "neo4j-3.3/change-password"),
			want:   map[string]report.Outcome{"neo4j-3.3/change-password": report.Error}},
		{name: "guard: the scratch user stays", reason: "deleting scratch user",
			target: newTarget("guard: the scratch user stays", fakeserver.CouchDB, plain, failingGuard{releaseErr: errors.New("deleting scratch user x: DELETE: status 500")}, "couchdb/basic-wrong-password"),
			want:   map[string]report.Outcome{"couchdb/basic-wrong-password": report.Error}},
		{name: "guard: the cleanup fails", reason: "scratch database left", cleanup: true,
			target: newTarget("guard: the cleanup fails", fakeserver.CouchDB, plain, failingGuard{closeErr: errors.New("scratch database left")}, "couchdb/get-session", "couchdb/basic-auth-header"),
			want:   map[string]report.Outcome{"couchdb/get-session": report.Passed, "couchdb/basic-auth-header": report.Passed}},
	}
	for _, c := range cases {
		specs.Register(c.target)
	}
	return func(s report.Summary) {
		for _, c := range cases {
			got := resultsWhere(s, func(r report.Result) bool { return r.Target == c.name })
			if len(got) != len(c.want)+map[bool]int{true: 1}[c.cleanup] {
				t.Errorf("%s: %d results %+v, want %d fixtures and cleanup=%v", c.name, len(got), got, len(c.want), c.cleanup)
				continue
			}
			for _, r := range got {
				want, isFixture := c.want[r.ID]
				if r.ID == report.CleanupID && c.cleanup {
					want, isFixture = report.Error, true
				}
				if !isFixture || r.Outcome != want {
					t.Errorf("%s: %s is %s (%s), want %s", c.name, r.ID, r.Outcome, r.Reason, want)
				}
				if r.Outcome == report.Error && !strings.Contains(r.Reason, c.reason) {
					t.Errorf("%s: %s's reason %q does not say %q", c.name, r.ID, r.Reason, c.reason)
				}
				if temporaryPassword.MatchString(r.Reason) {
					t.Errorf("%s: %s's reason shows the temporary password: %s", c.name, r.ID, r.Reason)
				}
			}
			if c.cleanup && got[len(got)-1].ID != report.CleanupID {
				t.Errorf("%s: the cleanup result is not the target's last: %+v", c.name, got)
			}
		}
	}
}
