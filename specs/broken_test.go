package specs_test

import (
	"fmt"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/fixtures"
	"github.com/authconform/authconform/specs"
	"github.com/authconform/authconform/specs/report"
)

type fakeOptions = fakeserver.Options

// transports are the two ways each broken fake is reached.
var transports = []string{"in process", "over loopback"}

func brokenName(fl fakeserver.Flavor, b breakage, transport string) string {
	return fmt.Sprintf("%s broken (%s) %s", fl, b.rule, transport)
}

// registerBroken registers, for every breakage of every flavor, the
// flavor's fixtures against a fake with that one rule broken, in process
// and over loopback. It returns the check to make on the run's summary:
// exactly the fixtures the table names fail, every other one passes, and a
// breakage no fixture notices is an error naming the rule.
func registerBroken(t *testing.T) func(report.Summary) {
	tables := breakages()
	for _, fl := range fakeserver.Flavors() {
		for _, b := range tables[fl] {
			for _, tr := range transports {
				registerBrokenFake(t, fl, b, tr)
			}
		}
	}
	all, err := fixtures.All()
	if err != nil {
		t.Fatal(err)
	}
	return func(s report.Summary) {
		// Every fixture must be the one to notice some breakage, or its
		// checks are not known to catch anything.
		for _, fl := range fakeserver.Flavors() {
			noticed := map[string]bool{}
			for _, b := range tables[fl] {
				for _, id := range b.fails {
					noticed[string(fl)+"/"+id] = true
				}
			}
			for _, fx := range all {
				if fx.Flavor == string(fl) && !noticed[fx.ID] {
					t.Errorf("%s: no breakage in the table makes this fixture fail; add one for the rule it checks", fx.ID)
				}
			}
		}
		byTarget := map[string][]report.Result{}
		for _, r := range s.Results {
			byTarget[r.Target] = append(byTarget[r.Target], r)
		}
		for _, fl := range fakeserver.Flavors() {
			for _, b := range tables[fl] {
				for _, tr := range transports {
					if tr == "over loopback" {
						b.fails = append(slices.Clone(b.fails), b.failsOverLoopback...)
					}
					judgeBreakage(t, fl, b, brokenName(fl, b, tr), byTarget[brokenName(fl, b, tr)])
				}
			}
		}
	}
}

func registerBrokenFake(t *testing.T, fl fakeserver.Flavor, b breakage, transport string) {
	opts := fakeserver.Options{Flavor: fl}
	if b.options != nil {
		b.options(&opts)
	}
	fake, err := fakeserver.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	states := specs.StateFuncs{EnterFunc: fake.EnterState, AdvanceFunc: fake.Advance}
	if b.frozenClock {
		states.AdvanceFunc = func(time.Duration) {}
	}
	h := rewriting(fake, b.edit)
	if b.before != nil {
		h = beforeServing(h, b.before)
	}
	target := specs.Target{Name: brokenName(fl, b, transport), Flavor: string(fl), States: states, AllowDestructive: true}
	if transport == "in process" {
		target.BaseURL, target.Client = "http://fake.test", specs.InProcessClient(h)
	} else {
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		target.BaseURL = srv.URL
	}
	specs.Register(target)
}

func judgeBreakage(t *testing.T, fl fakeserver.Flavor, b breakage, name string, results []report.Result) {
	t.Helper()
	if len(results) == 0 {
		t.Errorf("%s: no fixture ran", name)
		return
	}
	var failed, other []string
	for _, r := range results {
		id := strings.TrimPrefix(r.ID, string(fl)+"/")
		switch r.Outcome {
		case report.Failed:
			failed = append(failed, id)
		case report.Passed:
		default:
			other = append(other, fmt.Sprintf("%s: %s %s", id, r.Outcome, r.Reason))
		}
	}
	sort.Strings(failed)
	want := slices.Clone(b.fails)
	sort.Strings(want)
	switch {
	case len(failed) == 0:
		t.Errorf("%s: the rule %q is broken, but no fixture noticed", fl, b.rule)
	case !slices.Equal(failed, want):
		t.Errorf("%s: failing fixtures\n  got  %q\n  want %q", name, failed, want)
	}
	if len(other) > 0 {
		t.Errorf("%s: fixtures neither passed nor failed: %s", name, strings.Join(other, "; "))
	}
}
