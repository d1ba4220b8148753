package specs

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/authconform/authconform/fixtures"
	"github.com/authconform/authconform/specs/report"
)

// Target is a server to check.
type Target struct {
	// Name labels the target in reports; default is the BaseURL.
	Name string
	// BaseURL is the server's root, such as http://127.0.0.1:7474.
	BaseURL string
	// Flavor is the API the server claims to implement (fixtures.Flavors()).
	Flavor string
	// States reaches the fixtures' preconditions; nil reaches none, so
	// every fixture is skipped with that reason.
	States StateProvider
	// Client sends the requests; nil means a client that never keeps
	// cookies. Whatever the client, the suite never follows a redirect
	// (it would carry credentials elsewhere) and reads at most MaxBody of
	// a response. Timeout still applies.
	Client *http.Client
	// Timeout bounds each request; default 10 s.
	Timeout time.Duration
	// AllowDestructive runs fixtures that change user state (they restore
	// it afterwards).
	AllowDestructive bool
	// Include, when set, selects fixtures by id.
	Include func(id string) bool
	// Expectations, when set, are the target's known deviations: a
	// fixture failing as the file says is a known deviation (and passes in
	// Ginkgo's report), one that passes although the file expects a
	// failure fails as stale (see report.Apply).
	Expectations *fixtures.Expectations
	// Progress, when set, hears of each real-time wait before it starts,
	// such as "couchdb/cookie-expired: waiting 630 s for the session to
	// expire (AdvanceLimit 12m0s)", and how long it will be, and of the
	// Guard's notes (where a change is journaled), with no wait.
	Progress func(line string, wait time.Duration)
	// Guard, when set, keeps a live target safe (see Guard and package
	// specs/live, whose Target sets it).
	Guard Guard
	// Profile is the release profile of a fake target (reports show it
	// instead of the fake's URL).
	Profile string
	// Cluster, when set, describes the nodes behind BaseURL (live.Target
	// asks CouchDB). Fixtures of a rule each node keeps on its own
	// (fixtures.Fixture.PerNode) then run at Cluster.NodeURL when it is
	// set, and are skipped as not judgeable when Cluster.Balanced says
	// a balancer would spread their steps over nodes; every step records
	// the node that Cluster.NodeHeader names.
	Cluster *report.Cluster
	// Redactor masks the target's secrets in every result, and learns the
	// run's own (each temporary password), so that whoever prints the
	// summary or writes a report afterwards can mask them too: the CLI
	// passes every line and report through it. specs/live's Target sets one
	// that knows the credentials; Register gives a target without one its
	// own.
	Redactor *Redactor
}

// Close closes the target's Guard, which deletes what it created for the
// run (a scratch database). Register's container calls it after the
// target's last fixture; call it too when no fixture may have run (a
// filter that selects none): a second call deletes nothing and returns the
// first call's error.
func (t Target) Close(ctx context.Context) error {
	if t.Guard == nil {
		return nil
	}
	return t.Guard.Close(ctx)
}

func (t Target) name() string {
	if t.Name != "" {
		return t.Name
	}
	return RedactText(t.BaseURL)
}

// report is the target as reports name it.
func (t Target) report() report.Target {
	rt := report.Target{Name: t.name(), Flavor: t.Flavor, Profile: t.Profile, Cluster: t.Cluster}
	if t.Profile == "" {
		rt.URL = RedactText(t.BaseURL)
	}
	return rt
}

// StateProvider puts a target into the state a fixture needs.
type StateProvider interface {
	// Enter reaches state and returns the template variables for it
	// (User, Password, ...). An error wrapping ErrUnreachable skips the
	// fixture with the error's text as the reason.
	Enter(ctx context.Context, state string) (fixtures.Vars, error)
	// Advance moves the target's clock; an error wrapping ErrUnreachable
	// skips fixtures that need time to pass.
	Advance(ctx context.Context, d time.Duration) error
	// LockoutSafe reports whether fixtures may lock an account on purpose
	// (true only where state is thrown away, as on a fake).
	LockoutSafe() bool
}

// ErrUnreachable marks a state or capability this target cannot provide.
var ErrUnreachable = errors.New("unreachable on this target")

// StateFuncs adapts plain functions, such as a fakeserver.Fake's
// EnterState and Advance, to a StateProvider that may lock accounts.
type StateFuncs struct {
	EnterFunc   func(state string) (map[string]string, error)
	AdvanceFunc func(d time.Duration)
}

// Enter calls EnterFunc.
func (s StateFuncs) Enter(_ context.Context, state string) (fixtures.Vars, error) {
	vars, err := s.EnterFunc(state)
	if err != nil {
		return nil, errors.Join(ErrUnreachable, err)
	}
	out := fixtures.Vars{}
	for k, v := range vars {
		out[k] = v
	}
	return out, nil
}

// Advance calls AdvanceFunc.
func (s StateFuncs) Advance(_ context.Context, d time.Duration) error {
	if s.AdvanceFunc == nil {
		return errors.Join(ErrUnreachable, errors.New("this target's clock cannot be moved"))
	}
	s.AdvanceFunc(d)
	return nil
}

// LockoutSafe is true: a fake's state is thrown away after each fixture.
func (StateFuncs) LockoutSafe() bool { return true }
