package fakeserver

import (
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Fake is the fake server's http.Handler. Create it with New; it is safe for
// concurrent use and keeps no state outside itself.
type Fake struct {
	opts  Options
	clock *clock

	mu  sync.RWMutex
	cur flavor
}

// flavor is one API implementation, built fresh by Reset.
type flavor interface {
	http.Handler
	// enterState moves a freshly built flavor into a named state and
	// returns the values a client needs there (User, Password, Token, ...).
	enterState(name string) (map[string]string, error)
	// states lists the state names enterState accepts.
	states() []string
	// writeProblem renders an error in the flavor's own JSON shape.
	writeProblem(w http.ResponseWriter, r *http.Request, p problem)
}

// problem is an error answer, rendered by each flavor in its own shape.
type problem struct {
	status int
	code   string // Neo4j status code, e.g. Neo.ClientError.Request.Invalid
	couch  string // CouchDB error word, e.g. bad_request
	msg    string
}

// env is what every flavor gets from its Fake.
type env struct {
	opts  Options
	clock *clock
}

func (e *env) now() time.Time { return e.clock.now() }

var flavorBuilders = map[Flavor]func(*env) (flavor, error){}

// New returns a Fake for opts, or an error naming the bad option.
func New(opts Options) (*Fake, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	f := &Fake{opts: o, clock: &clock{base: o.Clock}}
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
// neo4j-3.3 default-password, password-changed, auth-disabled; neo4j-query
// password-changed (also Token, ExpiringToken, Database), auth-disabled,
// default-password; couchdb user-exists (also OtherUser, OtherPassword,
// Database, Document, SessionTTL), logged-in (also Cookie),
// require-valid-user.
func (f *Fake) EnterState(name string) (map[string]string, error) {
	return f.resetTo(name)
}

// States lists the state names EnterState accepts.
func (f *Fake) States() []string {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.cur.states()
}

func (f *Fake) resetTo(state string) (map[string]string, error) {
	build, ok := flavorBuilders[f.opts.Flavor]
	if !ok {
		return nil, fmt.Errorf("fakeserver: flavor %s is not implemented", f.opts.Flavor)
	}
	c := &clock{base: f.opts.Clock}
	fl, err := build(&env{opts: f.opts, clock: c})
	if err != nil {
		return nil, err
	}
	vars := map[string]string{}
	if state != "" {
		if vars, err = fl.enterState(state); err != nil {
			return nil, err
		}
	}
	f.mu.Lock()
	f.clock, f.cur = c, fl
	f.mu.Unlock()
	return vars, nil
}

// Now is the Fake's current time: its clock plus every Advance.
func (f *Fake) Now() time.Time {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.clock.now()
}

// Advance moves the Fake's clock forward by d (sessions expire, locks lift).
func (f *Fake) Advance(d time.Duration) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	f.clock.advance(d)
}

// maxHeaderBytes bounds the request's header block. The listener allows
// more, so that an oversized header gets the flavor's JSON error rather than
// net/http's plain-text 431.
const maxHeaderBytes = 64 << 10

// ServeHTTP answers as the flavor's server would, in the flavor's own error
// shape for anything it refuses.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.RLock()
	cur := f.cur
	f.mu.RUnlock()
	if f.opts.ControlPlane && isControlPath(r.URL.Path) {
		f.serveControl(w, r)
		return
	}
	if headerSize(r) > maxHeaderBytes {
		cur.writeProblem(w, r, problem{status: http.StatusRequestHeaderFieldsTooLarge, code: "Neo.ClientError.Request.Invalid", couch: "bad_request", msg: "Request header fields too large."})
		return
	}
	if r.ContentLength > f.opts.MaxBodyBytes {
		// Refused before reading: waiting for a body that will be refused
		// anyway would hang a client that sent "Expect: 100-continue" or
		// declared more than it sends.
		msg := "Request body too large."
		if f.opts.Flavor == CouchDB {
			msg = "the request entity is too large"
		}
		cur.writeProblem(w, r, problem{status: http.StatusRequestEntityTooLarge, code: "Neo.ClientError.Request.Invalid", couch: "too_large", msg: msg})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, f.opts.MaxBodyBytes)
	cur.ServeHTTP(w, r)
}

func headerSize(r *http.Request) int {
	n := len(r.RequestURI)
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	return n
}
