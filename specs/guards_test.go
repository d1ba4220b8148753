package specs_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/fixtures"
	"github.com/authconform/authconform/specs"
	"github.com/authconform/authconform/specs/report"
)

// notLockoutSafe is a fake's state provider that says, as a live server's
// does, that accounts must never be locked.
type notLockoutSafe struct{ specs.StateFuncs }

func (notLockoutSafe) LockoutSafe() bool { return false }

// guard is one safety guard of the runner: the fixtures it must hold back,
// and the reason the skip must give.
type guard struct {
	name   string
	holds  func(fixtures.Fixture) bool
	reason string
	target func(fake *fakeserver.Fake) specs.Target
}

var guards = []guard{
	{
		name:   "destructive fixtures without AllowDestructive",
		holds:  func(fx fixtures.Fixture) bool { return fx.Destructive },
		reason: "--allow-destructive",
		target: func(fake *fakeserver.Fake) specs.Target {
			return specs.Target{States: specs.StateFuncs{EnterFunc: fake.EnterState, AdvanceFunc: fake.Advance}}
		},
	},
	{
		// A library Target of a live server without a Guard has no restore
		// journal: nothing it changes could be undone after a crash.
		name:   "changing fixtures on a live target without a Guard",
		holds:  func(fx fixtures.Fixture) bool { return fx.Mutates() && !fx.Lockout && fx.AuthFailures == 0 },
		reason: "needs a restore journal",
		target: func(fake *fakeserver.Fake) specs.Target {
			return specs.Target{AllowDestructive: true, States: notLockoutSafe{specs.StateFuncs{EnterFunc: fake.EnterState, AdvanceFunc: fake.Advance}}}
		},
	},
	{
		name:   "lockout fixtures on a target that is not lockout-safe",
		holds:  func(fx fixtures.Fixture) bool { return fx.Lockout },
		reason: "never against a live server",
		target: func(fake *fakeserver.Fake) specs.Target {
			return specs.Target{AllowDestructive: true, States: notLockoutSafe{specs.StateFuncs{EnterFunc: fake.EnterState, AdvanceFunc: fake.Advance}}}
		},
	},
}

// registerGuards runs, per flavor and guard, only the fixtures the guard
// must hold back, against a fake that counts the requests it gets. It
// returns the check to make on the run's summary: every such fixture
// skipped with the guard's reason, and not one request sent.
func registerGuards(t *testing.T) func(report.Summary) {
	all, err := fixtures.All()
	if err != nil {
		t.Fatal(err)
	}
	type run struct {
		name     string
		g        guard
		ids      map[string]bool
		requests *atomic.Int64
	}
	var runs []run
	for _, fl := range fakeserver.Flavors() {
		for _, g := range guards {
			ids := map[string]bool{}
			for _, fx := range all {
				if fx.Flavor == string(fl) && g.holds(fx) {
					ids[fx.ID] = true
				}
			}
			if len(ids) == 0 {
				continue
			}
			fake, err := fakeserver.New(fakeserver.Options{Flavor: fl})
			if err != nil {
				t.Fatal(err)
			}
			var n atomic.Int64
			counting := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { n.Add(1); fake.ServeHTTP(w, r) })
			target := g.target(fake)
			target.Name = fmt.Sprintf("%s guarded (%s)", fl, g.name)
			target.BaseURL, target.Client = "http://fake.test", specs.InProcessClient(counting)
			target.Flavor = string(fl)
			target.Include = func(id string) bool { return ids[id] }
			specs.Register(target)
			runs = append(runs, run{target.Name, g, ids, &n})
		}
	}
	if len(runs) < len(guards) {
		t.Fatalf("only %d guarded runs: some guard has no fixture to hold back", len(runs))
	}
	return func(s report.Summary) {
		for _, r := range runs {
			seen := 0
			for _, res := range s.Results {
				if res.Target != r.name {
					continue
				}
				seen++
				if res.Outcome != report.Skipped || !strings.Contains(res.Reason, r.g.reason) {
					t.Errorf("%s: %s is %s (%s), want skipped naming %q", r.name, res.ID, res.Outcome, res.Reason, r.g.reason)
				}
			}
			if seen != len(r.ids) {
				t.Errorf("%s: %d results, want %d", r.name, seen, len(r.ids))
			}
			if n := r.requests.Load(); n > 0 {
				t.Errorf("%s: the target got %d requests, want none", r.name, n)
			}
		}
	}
}
