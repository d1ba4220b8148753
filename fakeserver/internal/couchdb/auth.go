package couchdb

import (
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/authconform/authconform/fakeserver/internal/core"
)

// Reasons CouchDB gives for authentication failures.
const (
	couchMsgBadPassword   = "Name or password is incorrect."
	couchMsgBadBase64     = "Authorization header has invalid base64 value"
	couchMsgBadCookie     = "Malformed AuthSession cookie. Please clear your cookies."
	couchMsgAuthRequired  = "Authentication required."
	couchMsgLocked        = "Account is temporarily locked due to multiple authentication failures"
	couchMsgNotAdmin      = "You are not a server admin."
	couchMsgPleaseLogin   = "Please login."
	couchMsgNotAuthorized = "You are not authorized to access this db."
	couchMsgNotAllowed    = "You are not allowed to access this db."
	// The documented profile's own wording: no CouchDB release says it.
	couchMsgTwoAuthorizations = "Only one Authorization header is allowed."
)

// couchUserCtx is the #user_ctx a request runs as. An empty name is the
// anonymous user.
type couchUserCtx struct {
	name  string
	roles []string
	// handler is the authentication handler that succeeded: "cookie",
	// "default" (Basic) or "" (anonymous).
	handler string
	acct    core.Account
	// refresh asks for a fresh cookie on the response (cookie handler only).
	refresh bool
	// cookie is the decoded session of a valid cookie, for logout.
	cookie string
	expiry time.Time
}

func (u couchUserCtx) anonymous() bool { return u.name == "" }

func (u couchUserCtx) isAdmin() bool { return slices.Contains(u.roles, "_admin") }

// authenticate runs chttpd's handlers in order: the cookie handler, then
// the default (Basic) handler, then the require_valid_user check. A valid
// cookie wins over any Authorization header (transcript cases 59, 60); a
// malformed one is a 400 even next to good Basic credentials (case 58).
func (c *Server) authenticate(r *http.Request, parts []string) (couchUserCtx, *problem) {
	now := c.cfg.Clock.Now()
	if ck, err := r.Cookie("AuthSession"); err == nil && ck.Value != "" { // case 65: empty is ignored
		ctx, malformed := c.verifyCookie(ck.Value, now)
		if malformed {
			return couchUserCtx{}, &problem{status: http.StatusBadRequest, couch: "bad_request", msg: couchMsgBadCookie}
		}
		if !ctx.anonymous() {
			return ctx, nil
		}
	}
	if p := c.repeatedAuthorization(r); p != nil {
		return couchUserCtx{}, p
	}
	var name, password string
	var present bool
	if c.cfg.Release {
		// 3.5.0's Basic handler crashes on some values (m166-m168; cases
		// 35, 38, 41; erlbase64.go): only function_clause is caught, fixed
		// upstream after 3.5.2. The documented profile answers 400s.
		var p *problem
		if name, password, present, p = releaseBasicCredentials(r); p != nil {
			return couchUserCtx{}, p
		}
	} else {
		var ok bool
		if name, password, present, ok = parseBasicCouch(r.Header.Get("Authorization")); !ok {
			return couchUserCtx{}, &problem{status: http.StatusBadRequest, couch: "bad_request", msg: couchMsgBadBase64}
		}
	}
	if present {
		if p := c.loginRefusal(r, name, now); p != nil {
			return couchUserCtx{}, p
		}
		acct, outcome := c.limiter.Attempt(c.users, c.lockKey(r, name), name, password, now)
		switch outcome {
		case core.LockedOut:
			return couchUserCtx{}, &problem{status: http.StatusForbidden, couch: "forbidden", msg: couchMsgLocked}
		case core.BadLogin:
			return couchUserCtx{}, &problem{status: http.StatusUnauthorized, couch: "unauthorized", msg: couchMsgBadPassword}
		}
		c.upgradeHash(name, password)
		return couchUserCtx{name: name, roles: contextRoles(acct.Roles), handler: "default", acct: acct}, nil
	}
	// party_mode_handler: a login attempt is always allowed (CouchDB #1947).
	loginAttempt := r.Method == http.MethodPost && len(parts) == 1 && parts[0] == "_session"
	requireValidUser, exceptForUp := c.requireValidUser.Load(), c.exceptForUp.Load()
	upOpen := exceptForUp && !requireValidUser && len(parts) >= 1 && parts[0] == "_up"
	if (requireValidUser || exceptForUp) && !loginAttempt && !upOpen {
		return couchUserCtx{}, &problem{status: http.StatusUnauthorized, couch: "unauthorized", msg: couchMsgAuthRequired}
	}
	return couchUserCtx{roles: []string{}}, nil
}

// repeatedAuthorization is the documented profile's answer to a request
// with more than one Authorization header: a 400 that says so, since
// taking either would be a guess at what the client meant (the Neo4j
// flavors answer 400 too). The couchdb-3.5 profile follows the release.
func (c *Server) repeatedAuthorization(r *http.Request) *problem {
	if c.cfg.Release || len(r.Header["Authorization"]) < 2 {
		return nil
	}
	return &problem{status: http.StatusBadRequest, couch: "bad_request", msg: couchMsgTwoAuthorizations}
}

// contextRoles is an account's roles for a request's context, never nil.
// It shares the account's slice without copying: core.Users replaces an
// account's roles and never changes them in place, and a context only
// reads them.
func contextRoles(roles []string) []string {
	if roles == nil {
		return []string{}
	}
	return roles
}

func nonNil(roles []string) []string {
	if roles == nil {
		return []string{}
	}
	return slices.Clone(roles)
}

// parseBasicCouch is couch_httpd_auth:basic_name_pw. The scheme must be
// exactly "Basic " (case 48, 49); the rest is decoded as Erlang's
// base64:decode does (whitespace skipped, so two spaces work, case 50;
// padding required, case 54). Without a colon, and for the logout
// credentials "_:_", there are no credentials (cases 36, 52). The password
// is everything after the first colon (case 53). ok is false when the value
// is not base64 (cases 46, 47).
func parseBasicCouch(header string) (name, password string, present, ok bool) {
	payload, found := strings.CutPrefix(header, "Basic ")
	if !found {
		return "", "", false, true
	}
	payload = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
			return -1
		}
		return r
	}, payload)
	raw, err := base64.StdEncoding.DecodeString(payload)
	if err != nil {
		return "", "", false, false
	}
	name, password, found = strings.Cut(string(raw), ":")
	if !found || (name == "_" && password == "_") {
		return "", "", false, true
	}
	return name, password, true, true
}

// lockKey is the lockout key: client address (couchPeer) and user name.
func (c *Server) lockKey(r *http.Request, name string) string {
	return c.couchPeer(r) + "\x00" + name
}

// couchLockout is couch_auth_lockout: failures are counted per key in an
// entry that lives for a fixed time from the first failure; once the count
// reaches max, every attempt for that key (right password or not) is
// refused until the entry expires. A success does not reset the count.
// Expired entries are reclaimed, so memory stays bounded by the keys that
// failed within the last lifetime.
type couchLockout struct {
	max  int
	life time.Duration

	mu        sync.Mutex
	entries   map[string]couchLockEntry
	nextSweep int
}

type couchLockEntry struct {
	first    time.Time
	failures int
}

const couchSweepMin = 64

func newCouchLockout(maxFailures int, life time.Duration) *couchLockout {
	return &couchLockout{max: maxFailures, life: life, entries: map[string]couchLockEntry{}, nextSweep: couchSweepMin}
}

func (l *couchLockout) live(e couchLockEntry, now time.Time) bool {
	return now.Before(e.first.Add(l.life))
}

// Locked implements core.LockRule.
func (l *couchLockout) Locked(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.max < 0 {
		return false
	}
	e, ok := l.entries[key]
	return ok && l.live(e, now) && e.failures >= l.max
}

// Failed implements core.LockRule.
func (l *couchLockout) Failed(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.max < 0 {
		return
	}
	e, ok := l.entries[key]
	if !ok || !l.live(e, now) {
		e = couchLockEntry{first: now}
	}
	e.failures++
	l.entries[key] = e
	if len(l.entries) >= l.nextSweep {
		for k, e := range l.entries {
			if !l.live(e, now) {
				delete(l.entries, k)
			}
		}
		l.nextSweep = max(couchSweepMin, 2*len(l.entries))
	}
}

// configure changes the threshold (negative: no limit) and lifetime at
// run time; entries already counted are judged by the new ones.
func (l *couchLockout) configure(maxFailures int, life time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.max, l.life = maxFailures, life
}

// Succeeded implements core.LockRule: a success does not reset the count.
func (l *couchLockout) Succeeded(string) {}

func (l *couchLockout) lifetime() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.life
}

func (l *couchLockout) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.entries)
}
