package fakeserver

import (
	"net/http"
	"sync"
	"time"

	"github.com/authconform/authconform/fakeserver/internal/core"
)

// Fake is the fake server's http.Handler. Create it with New; it is safe for
// concurrent use and keeps no state outside itself.
type Fake struct {
	opts  Options
	build func(Options, *core.Clock) (core.Flavor, error)

	mu    sync.RWMutex
	clock *core.Clock
	cur   core.Flavor
	// nodes are the cluster's nodes (Options.Nodes), cur first.
	nodes []core.Flavor
}

// New returns a Fake for opts, or an error naming the bad option.
func New(opts Options) (*Fake, error) {
	o, b, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	f := &Fake{opts: o, build: b.build}
	if err := f.Reset(); err != nil {
		return nil, err
	}
	return f, nil
}

// Options returns the options the Fake runs with, defaults filled in.
func (f *Fake) Options() Options { return f.opts }

// Reset drops every change made since New (users, sessions, failed-login
// counters, clock offset).
func (f *Fake) Reset() error {
	_, err := f.resetTo("")
	return err
}

// EnterState resets the Fake and moves it into a named state; it returns
// the values a client needs there, such as User and Password. The states:
// neo4j-3.3 default-password, password-changed (both also OtherUser,
// OtherPassword: the second of Options.Users, else a seeded fred/fredpw),
// auth-disabled; neo4j-query password-changed (also Token, ExpiringToken,
// Database), auth-disabled, default-password; couchdb user-exists (also OtherUser, OtherPassword,
// Database, Document, SessionTTL), logged-in (also Cookie),
// require-valid-user.
func (f *Fake) EnterState(name string) (map[string]string, error) {
	return f.resetTo(name)
}

// States lists the state names EnterState accepts.
func (f *Fake) States() []string {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.cur.States()
}

func (f *Fake) resetTo(state string) (map[string]string, error) {
	c := core.NewClock(f.opts.Clock)
	fl, err := f.build(f.opts, c)
	if err != nil {
		return nil, err
	}
	vars := map[string]string{}
	if state != "" {
		if vars, err = fl.EnterState(state); err != nil {
			return nil, err
		}
	}
	nodes := []core.Flavor{fl}
	if cl, ok := fl.(core.Clustered); ok {
		nodes = cl.ClusterNodes()
	}
	f.mu.Lock()
	f.clock, f.cur, f.nodes = c, fl, nodes
	f.mu.Unlock()
	return vars, nil
}

// Now is the Fake's current time: its clock plus every Advance.
func (f *Fake) Now() time.Time {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.clock.Now()
}

// Advance moves the Fake's clock forward by d (sessions expire, locks lift).
func (f *Fake) Advance(d time.Duration) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	f.clock.Advance(d)
}

// ServeHTTP answers as the flavor's server would, in the flavor's own error
// shape for anything it refuses.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.RLock()
	cur := f.cur
	f.mu.RUnlock()
	f.serve(cur, w, r)
}
