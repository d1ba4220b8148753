package live

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/authconform/authconform/fixtures"
	"github.com/authconform/authconform/specs"
)

// Credentials describe a live target: who to log in as and how it is set up.
type Credentials struct {
	User     string
	Password string
	// Token is a bearer token (neo4j-query).
	Token string
	// AuthDisabled says the server runs without authentication.
	AuthDisabled bool
	// OtherUser and OtherPassword are a second, non-admin account (CouchDB);
	// on Neo4j 3.3 OtherUser is another existing user, whose status the
	// caller must not be able to read.
	OtherUser, OtherPassword string
	// Database is a database only server admins may read, and Document a
	// "db/docid" anyone may read (CouchDB).
	Database, Document string
	// RequireValidUser says the server refuses anonymous requests (CouchDB).
	RequireValidUser bool
	// SessionTTL is the server's session lifetime (CouchDB's
	// [chttpd_auth] timeout), for fixtures timed against it.
	SessionTTL time.Duration
	// MaxWait is how long the run may wait, in real time, for a fixture's
	// clock steps; zero skips every fixture that moves the clock.
	MaxWait time.Duration
}

// NewStates reaches states on a real server from what the user told us about it,
// probing it where that is needed (a Neo4j 3.3 user status, a CouchDB
// login). Time passes on it only by waiting, within Credentials.MaxWait, and
// it never allows fixtures that lock an account; client may be nil.
func NewStates(flavor, baseURL string, c Credentials, client *http.Client) *States {
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	return &States{flavor: flavor, base: strings.TrimSuffix(baseURL, "/"), creds: c, client: specs.SafeClient(client)}
}

// States is the specs.StateProvider of a real server (see NewStates).
type States struct {
	flavor string
	base   string
	creds  Credentials
	client *http.Client
	// scratch and stateDir are set by Target: scratch users may be
	// created, journaled in stateDir.
	scratch  bool
	stateDir string
	// server names the server in ledgers and journals (see serverKey).
	server string
	// nodeURL is the one node where per-node rules run (Config.NodeURLs).
	nodeURL string
	// ttlFromCookie: creds.SessionTTL was read from the server.
	ttlFromCookie bool
}

func unreachable(format string, args ...any) error {
	return errors.Join(specs.ErrUnreachable, fmt.Errorf(format, args...))
}

// Advance waits d in real time, a live server's clock being the wall
// clock, up to MaxWait.
func (l *States) Advance(ctx context.Context, d time.Duration) error {
	if l.creds.MaxWait <= 0 && l.creds.SessionTTL > 0 {
		return unreachable("it waits in real time for the server's %s sessions to expire: set Credentials.MaxWait to %s to allow it", l.creds.SessionTTL, l.creds.SessionTTL*11/10+time.Second)
	}
	if l.creds.MaxWait <= 0 {
		return unreachable("a live server's clock cannot be moved: set Credentials.MaxWait to let the run wait for it in real time (and set Credentials.SessionTTL where its steps are timed in sessions)")
	}
	if d > l.creds.MaxWait {
		return unreachable("needs %s to pass, more than Credentials.MaxWait %s", d, l.creds.MaxWait)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// AdvanceLimit is MaxWait: fixtures whose clock steps add up to more are
// skipped before they start.
func (l *States) AdvanceLimit() time.Duration { return l.creds.MaxWait }

// SessionTTL is the server's session lifetime as the credentials give it
// (zero when unknown).
func (l *States) SessionTTL() time.Duration { return l.creds.SessionTTL }

// LockoutSafe is false: accounts on a live server are real.
func (l *States) LockoutSafe() bool { return false }

// Enter returns the variables of state when the server is in it (or, for a
// CouchDB session, after logging in), and ErrUnreachable with the flag that
// would help when it is not.
func (l *States) Enter(ctx context.Context, state string) (fixtures.Vars, error) {
	c := l.creds
	vars := fixtures.Vars{"User": c.User, "Password": c.Password, "Token": c.Token,
		"OtherUser": c.OtherUser, "OtherPassword": c.OtherPassword,
		"Database": c.Database, "Document": c.Document}
	if c.SessionTTL > 0 {
		vars["SessionTTL"] = c.SessionTTL.String()
	}
	if state == "auth-disabled" {
		if !c.AuthDisabled {
			return nil, unreachable("the target has authentication enabled (set Credentials.AuthDisabled if it is off)")
		}
		return vars, nil
	}
	if c.AuthDisabled {
		return nil, unreachable("the target runs with authentication disabled (Credentials.AuthDisabled)")
	}
	if c.User == "" {
		return nil, unreachable("needs credentials: set Credentials.User and Credentials.Password")
	}
	fl, err := flavorOf(l.flavor)
	if err != nil {
		return nil, err
	}
	return fl.enter(l, ctx, state, vars)
}

// enterNeo4jQuery: a live Neo4j 5 server has a working password and no
// pending change, the only state its fixtures need besides auth-disabled.
func (l *States) enterNeo4jQuery(ctx context.Context, state string, vars fixtures.Vars) (fixtures.Vars, error) {
	vars["Database"] = "neo4j"
	if state != "password-changed" {
		return nil, unreachable("state %s cannot be reached on a live Neo4j 5 server", state)
	}
	// A successful login resets Neo4j's failure count before each fixture.
	if err := l.CheckCredentials(ctx); err != nil {
		return nil, err
	}
	return vars, nil
}

func (l *States) enterCouchDB(ctx context.Context, state string, vars fixtures.Vars) (fixtures.Vars, error) {
	switch {
	case state == "require-valid-user" && !l.creds.RequireValidUser:
		return nil, unreachable("needs a server with [chttpd] require_valid_user = true (then set Credentials.RequireValidUser)")
	case state != "require-valid-user" && l.creds.RequireValidUser:
		return nil, unreachable("the server refuses anonymous requests (Credentials.RequireValidUser), which this fixture needs")
	case state == "logged-in":
		cookie, err := l.couchLogin(ctx)
		if err != nil {
			return nil, err
		}
		vars["Cookie"] = cookie
	case state != "user-exists" && state != "require-valid-user":
		return nil, unreachable("state %s does not exist on CouchDB", state)
	}
	return vars, nil
}

// couchLogin opens a session with POST /_session and returns the cookie.
func (l *States) couchLogin(ctx context.Context) (string, error) {
	c, err := l.sessionCookie(ctx)
	if err != nil {
		return "", err
	}
	return strings.Trim(c.Value, `"`), nil
}

// sessionCookie logs in with POST /_session and returns the AuthSession
// cookie the server set.
func (l *States) sessionCookie(ctx context.Context) (*http.Cookie, error) {
	form := url.Values{"name": {l.creds.User}, "password": {l.creds.Password}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, l.base+"/_session", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := l.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("logging in: %w", err)
	}
	defer resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "AuthSession" && c.Value != "" && resp.StatusCode == http.StatusOK {
			return c, nil
		}
	}
	return nil, fmt.Errorf("logging in with POST /_session: status %d and no AuthSession cookie", resp.StatusCode)
}

// enterNeo4j33 decides by behaviour whether a password change is pending:
// the data endpoint answers 403 until the password is changed, and 200
// after. It never asks GET /user/{name}, since fixtures judge that very
// answer: a server whose status lies must fail them, not skip them. The
// request is a successful login, so it also clears Neo4j's failure count.
func (l *States) enterNeo4j33(ctx context.Context, state string, vars fixtures.Vars) (fixtures.Vars, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, l.base+"/db/data/", nil)
	if err != nil {
		return nil, err
	}
	req.SetBasicAuth(l.creds.User, l.creds.Password)
	req.Header.Set("Accept", "application/json")
	resp, err := l.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("probing the target: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	var required bool
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusForbidden:
		required = true
	default:
		return nil, fmt.Errorf("probing GET /db/data/ with Credentials.User and Credentials.Password: status %d, want 200 or 403 (a pending password change); check the credentials", resp.StatusCode)
	}
	switch {
	case state == "default-password" && !required:
		return nil, unreachable("the user has no pending password change (only a fresh install has one)")
	case state == "password-changed" && required:
		return nil, unreachable("the user must change the password first: set Config.AllowDestructive so that the change-password fixture does it (and restores it), or give a changed password")
	case state != "default-password" && state != "password-changed":
		return nil, unreachable("state %s does not exist on Neo4j 3.3", state)
	}
	return vars, nil
}

// ErrBadCredentials means the target refused the credentials given for it.
var ErrBadCredentials = errors.New("the target refused the credentials")

// CheckCredentials logs in once with the given credentials, so that a
// wrong password stops the run after a single failed login instead of
// locking the account. With auth disabled or no user it checks nothing.
func (l *States) CheckCredentials(ctx context.Context) error {
	c := l.creds
	if c.AuthDisabled || (c.User == "" && c.Token == "") {
		return nil
	}
	fl, err := flavorOf(l.flavor)
	if err != nil {
		return err
	}
	req, err := specs.LoginCheck(ctx, l.flavor, l.base, c.User)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	if c.User != "" {
		req.SetBasicAuth(c.User, c.Password)
	} else {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	resp, err := l.client.Do(req)
	if err != nil {
		return fmt.Errorf("checking the credentials: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	switch {
	case resp.StatusCode/100 == 3:
		return fmt.Errorf("checking the credentials: %s %s answered %d (a redirect to %q); the suite follows no redirect, since it would carry the credentials elsewhere: give the Config.BaseURL it points to", req.Method, req.URL.Path, resp.StatusCode, specs.RedactText(resp.Header.Get("Location")))
	case resp.StatusCode == http.StatusUnauthorized:
		return fmt.Errorf("%w (%s %s answered 401); stopped before any fixture ran", ErrBadCredentials, req.Method, req.URL.Path)
	case resp.StatusCode == http.StatusTooManyRequests:
		return fmt.Errorf("the account is locked or rate-limited (%s %s answered %d); wait for the lock to lift", req.Method, req.URL.Path, resp.StatusCode)
	case fl.checkAnswer != nil:
		return fl.checkAnswer(req, resp.StatusCode, body, c.User)
	}
	return nil
}
