package specs

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	g "github.com/onsi/ginkgo/v2"

	"github.com/authconform/authconform/fixtures"
	"github.com/authconform/authconform/specs/report"
)

// entryResult names the report entry that carries each fixture's
// report.Result from its It to Summarize.
const entryResult = "authconform-result"

// entryCleanup carries the Result of a failed end-of-target cleanup.
const entryCleanup = "authconform-cleanup"

// Register adds one Ordered, ContinueOnFailure container named after the
// target, with one It per fixture of t.Flavor (every flavor when empty)
// that t.Include keeps. The Its run in the order they are registered, which
// is the run order: fixtures that need the default password first, those
// that change it next, then the rest. Call it at package level
// (var _ = Register(t)) or inside a container; it returns true so it can
// initialise a var. Summarize reads the results back.
func Register(t Target) bool {
	if t.Redactor == nil {
		t.Redactor = NewRedactor()
	}
	ordered, err := t.fixtures()
	if added := registry.add(t, ordered); err == nil {
		err = added
	}
	g.Describe(t.name(), g.Ordered, g.ContinueOnFailure, func() {
		if err != nil {
			g.It(report.SetupID, func() {
				res := report.Result{Target: t.name(), ID: report.SetupID, Flavor: t.Flavor, Kind: report.SetupID, Outcome: report.Error, Reason: err.Error()}
				g.AddReportEntry(entryResult, res, g.ReportEntryVisibilityNever)
				g.Fail(err.Error())
			})
			return
		}
		if t.Guard != nil {
			// Also after an interrupt: Ginkgo runs AfterAll then too. A
			// failure is the target's own cleanup result (Summarize lists
			// it after the fixtures); Ginkgo, which can only fail the last
			// spec, is told too, so that `go test` fails.
			g.AfterAll(func(ctx g.SpecContext) {
				if err := t.Guard.Close(ctx); err != nil {
					reason := t.Redactor.MaskSecrets(err.Error())
					res := report.Result{Target: t.name(), ID: report.CleanupID, Flavor: t.Flavor, Kind: report.CleanupID, Outcome: report.Error, Reason: reason}
					g.AddReportEntry(entryCleanup, res, g.ReportEntryVisibilityNever)
					g.Fail("cleanup after the target's last fixture: " + reason)
				}
			})
		}
		for _, fx := range ordered {
			g.It(fx.ID, g.Label(Labels(fx)...), func(ctx g.SpecContext) { runFixture(ctx, t, fx) })
		}
	})
	return true
}

// fixtures are the flavor's fixtures that t selects, in run order.
func (t Target) fixtures() ([]fixtures.Fixture, error) {
	all, err := fixtures.All()
	switch {
	case err != nil:
		return nil, err
	case t.BaseURL == "":
		return nil, errors.New("specs: Target.BaseURL is empty")
	case t.Flavor != "" && !slices.Contains(fixtures.Flavors(), t.Flavor):
		return nil, fmt.Errorf("specs: unknown flavor %q (want one of %v)", t.Flavor, fixtures.Flavors())
	}
	var out []fixtures.Fixture
	for _, fx := range all {
		if (t.Flavor == "" || fx.Flavor == t.Flavor) && (t.Include == nil || t.Include(fx.ID)) {
			out = append(out, fx)
		}
	}
	// A live target leaves the default password for good once it is
	// changed: fixtures needing it run first.
	slices.SortStableFunc(out, func(a, b fixtures.Fixture) int { return phaseOf(a) - phaseOf(b) })
	return out, nil
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

// registry remembers what Register registered, so that Summarize can list
// the fixtures a filter switched off and the targets a run judged.
var registry = &registered{byName: map[string]*registration{}}

type registered struct {
	mu     sync.Mutex
	byName map[string]*registration
}

type registration struct {
	target   report.Target
	fixtures map[string]fixtures.Fixture
}

func (r *registered) add(t Target, fxs []fixtures.Fixture) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.byName[t.name()]; ok {
		return fmt.Errorf("specs: a target named %q is registered twice; give each Target its own Name", t.name())
	}
	reg := &registration{target: t.report(), fixtures: map[string]fixtures.Fixture{}}
	for _, fx := range fxs {
		reg.fixtures[fx.ID] = fx
	}
	r.byName[t.name()] = reg
	return nil
}

func (r *registered) lookup(name string) (*registration, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	reg, ok := r.byName[name]
	return reg, ok
}

var nonLabel = regexp.MustCompile(`[^a-z0-9.]+`)

// sectionLabel is "section:" and the section's number or its title,
// lower-case with dashes, as in section:5.2.1.1 or
// section:example-of-requesting-a-cookie-using-python.
func sectionLabel(section string) string {
	words := strings.Fields(strings.ToLower(section))
	if len(words) > 0 && strings.Trim(words[0], "0123456789.") == "" {
		return "section:" + strings.TrimSuffix(words[0], ".") // a numbered section
	}
	return "section:" + strings.Trim(nonLabel.ReplaceAllString(strings.Join(words, "-"), "-"), "-.")
}

// Labels are the Ginkgo labels of a fixture's spec, for --label-filter:
// its flavor, kind, "state:NAME", "section:..." and, where they apply,
// destructive, lockout, clock and erratum.
func Labels(fx fixtures.Fixture) []string {
	l := []string{fx.Flavor, string(fx.Kind), "state:" + fx.State, sectionLabel(fx.Source.Section)}
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
