package live

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/authconform/authconform/specs"
)

// Config describes a real server to judge and how far a run may go on it
// (the CLI's run flags set it).
type Config struct {
	// BaseURL is the server's root, without user info.
	BaseURL string
	// Flavor is one of fixtures.Flavors().
	Flavor string
	// Credentials say how the server is set up.
	Credentials Credentials
	// Client carries the transport (TLS settings); nil uses the default.
	// Target never lets it follow a redirect.
	Client *http.Client
	// Timeout bounds each request; default 10 s.
	Timeout time.Duration
	// StateDir is where restore journals and failed-login ledgers live,
	// kept between runs; it must be writable. Empty means
	// DefaultStateDir().
	StateDir string
	// AllowDestructive runs fixtures that change the account (restored).
	AllowDestructive bool
	// NodeURLs are the URLs of single nodes of the cluster behind BaseURL
	// (CouchDB): the rules each node keeps on its own (the lockout) are
	// judged at the first, and the cluster preflight names the nodes.
	NodeURLs []string
	// NodeHeader is a response header that names the node that answered
	// (a balancer can add one), recorded with every step.
	NodeHeader string
}

// ErrNoStateDir means a live run has nowhere to keep its failed-login
// ledger and restore journals, so it does not start.
var ErrNoStateDir = errors.New("no writable state directory for the failed-login ledger and restore journals")

// ErrPendingRestore means an earlier run left a change on the target that
// was never verified as undone.
var ErrPendingRestore = errors.New("a restore journal is pending for this target")

// DefaultStateDir is the user cache directory's authconform folder, or an
// error when there is none (HOME and XDG_CACHE_HOME unset).
func DefaultStateDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("%w (%w): set Config.StateDir", ErrNoStateDir, err)
	}
	return filepath.Join(dir, "authconform"), nil
}

// Target prepares a real server for specs.Run or specs.Register, as
// `authconform run --target` does: it checks the state directory, deletes the scratch
// users and databases earlier runs' journals name, refuses a target with
// another pending restore journal, probes the server, checks the
// credentials with one login counted against the failed-login ledger (so
// that runs with a wrong password stop before a lockout), checks that what
// the credentials name exists (CouchDB: Database, Document, OtherUser; an
// error wrapping ErrPrecondition says how to create it, or with
// AllowDestructive a scratch database is made for the run), and returns a
// specs.Target whose Guard spends the same ledger and journals every
// change. On CouchDB with a server admin, fixtures that fail logins run as
// scratch users. Register's container deletes what the run created after
// its last fixture. Every error is one line.
func Target(ctx context.Context, c Config) (t specs.Target, err error) {
	red := specs.NewRedactor()
	red.Credentials(c.Credentials.User, c.Credentials.Password)
	red.Credentials(c.Credentials.OtherUser, c.Credentials.OtherPassword)
	red.Secret(c.Credentials.Token)
	defer func() { err = maskError(err, red) }()
	if c.StateDir == "" {
		dir, err := DefaultStateDir()
		if err != nil {
			return specs.Target{}, err
		}
		c.StateDir = dir
	}
	if err := writableDir(c.StateDir); err != nil {
		return specs.Target{}, err
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	client := specs.SafeClient(c.Client)
	client.Timeout = timeout
	canonical, err := CanonicalTarget(ctx, c.BaseURL)
	if err != nil {
		return specs.Target{}, err
	}
	live := NewStates(c.Flavor, c.BaseURL, c.Credentials, client)
	live.server = serverKey(ctx, live, canonical)
	// Journals of this server, by any of its URLs, and any older ones
	// written under this URL's canonical name.
	pending, err := PendingRestores(c.StateDir, live.server, canonical)
	if err != nil {
		return specs.Target{}, err
	}
	pending, err = cleanScratch(ctx, pending, client, timeout)
	if err != nil {
		return specs.Target{}, err
	}
	if len(pending) > 0 {
		return specs.Target{}, fmt.Errorf("%w (%s, left by fixture %s at %s): run authconform restore --state-dir %s first",
			ErrPendingRestore, pending[0].Path, pending[0].Fixture, pending[0].Written.Format(time.RFC3339), c.StateDir)
	}
	if err := Probe(client, c.BaseURL, c.Flavor); err != nil {
		return specs.Target{}, err
	}
	budget := defaultBudget(c.Flavor)
	budget.StateFile = filepath.Join(c.StateDir, "budget", fileKey(live.server, c.Credentials.User)+".json")
	if err := checkCountingFailures(ctx, live, budget); err != nil {
		return specs.Target{}, err
	}
	live.stateDir = c.StateDir
	cluster, err := clusterOf(ctx, live, c)
	if err != nil {
		return specs.Target{}, err
	}
	if cluster != nil {
		live.nodeURL = cluster.NodeURL
	}
	if err := live.detectScratch(ctx); err != nil {
		return specs.Target{}, err
	}
	live.learnSessionTTL(ctx)
	var cleanup func(context.Context) error
	if c.Flavor == "couchdb" {
		if cleanup, err = couchPreconditions(ctx, live, budget, c.AllowDestructive); err != nil {
			return specs.Target{}, err
		}
	}
	g := &guard{states: live, ledger: &budgetTracker{b: budget, now: time.Now}, base: c.BaseURL, server: live.server,
		stateDir: c.StateDir, close: once(cleanup), journals: map[string]string{}}
	return specs.Target{
		Name:             fmt.Sprintf("%s at %s", c.Flavor, specs.RedactText(c.BaseURL)),
		BaseURL:          c.BaseURL,
		Flavor:           c.Flavor,
		States:           live,
		Client:           client,
		Timeout:          timeout,
		AllowDestructive: c.AllowDestructive,
		Guard:            g,
		Cluster:          cluster,
		Redactor:         red,
	}, nil
}

// maskedError is an error whose text has the run's secrets masked (a
// server may echo them into a body the error quotes); errors.Is still
// sees what it wraps.
type maskedError struct {
	err error
	red *specs.Redactor
}

func (e maskedError) Error() string { return e.red.MaskSecrets(e.err.Error()) }
func (e maskedError) Unwrap() error { return e.err }

func maskError(err error, red *specs.Redactor) error {
	if err == nil {
		return nil
	}
	return maskedError{err, red}
}

// checkCountingFailures runs the credential check as one failed login
// reserved in the ledger beforehand (refused when the ledger has no room)
// and given back when the login succeeds.
func checkCountingFailures(ctx context.Context, live *States, b failureBudget) error {
	c := live.creds
	if c.AuthDisabled || (c.User == "" && c.Token == "") {
		return nil
	}
	ledger := &budgetTracker{b: b, now: time.Now}
	if err := ledger.reserve(); err != nil {
		return fmt.Errorf("not even checking the credentials: %w", err)
	}
	err := live.CheckCredentials(ctx)
	if err == nil || !errors.Is(err, ErrBadCredentials) {
		if rerr := ledger.giveBack(err == nil && b.ResetOnSuccess); rerr != nil && err == nil {
			err = rerr
		}
		return err
	}
	return fmt.Errorf("%w: %s", err, ledger.spentNote())
}

// writableDir makes dir (0700) and proves it writable.
func writableDir(dir string) error {
	if dir == "" {
		return fmt.Errorf("%w: set Config.StateDir", ErrNoStateDir)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("%w (%w): set Config.StateDir", ErrNoStateDir, err)
	}
	f, err := os.CreateTemp(dir, ".probe-*")
	if err != nil {
		return fmt.Errorf("%w (%v): set Config.StateDir", ErrNoStateDir, strings.TrimPrefix(err.Error(), "open "))
	}
	f.Close()
	return os.Remove(f.Name())
}

// cleanScratch deletes the scratch users that earlier runs' journals name
// and returns the other journals (changed passwords, for restore).
func cleanScratch(ctx context.Context, pending []PendingRestore, client *http.Client, timeout time.Duration) ([]PendingRestore, error) {
	var rest []PendingRestore
	for _, p := range pending {
		if !p.Scratch() {
			rest = append(rest, p)
			continue
		}
		if err := p.Restore(ctx, client, timeout); err != nil {
			return nil, fmt.Errorf("an earlier run's scratch user is left (%s): %w", p.Path, err)
		}
	}
	return rest, nil
}

// once makes a cleanup safe to call from the container and the caller:
// it runs once, and every call returns its error.
func once(f func(context.Context) error) func(context.Context) error {
	if f == nil {
		return nil
	}
	var mu sync.Mutex
	done := false
	var err error
	return func(ctx context.Context) error {
		mu.Lock()
		defer mu.Unlock()
		if !done {
			done, err = true, f(ctx)
		}
		return err // again on a later call, so the caller hears of it too
	}
}
