package live

import (
	"context"
	"time"
)

// learnSessionTTL reads a CouchDB server's session lifetime from the
// Max-Age of the AuthSession cookie a login gets, when Credentials do not
// give it, so that the fixtures timed in fractions of a session can run
// without the user looking up [chttpd_auth] timeout. The credentials have
// been checked, so this is a successful login; a server that sets no
// Max-Age (allow_persistent_cookies = false) leaves it unknown.
func (l *States) learnSessionTTL(ctx context.Context) {
	if l.flavor != "couchdb" || l.creds.SessionTTL > 0 || l.creds.User == "" || l.creds.AuthDisabled {
		return
	}
	c, err := l.sessionCookie(ctx)
	if err != nil || c.MaxAge <= 0 {
		return
	}
	l.creds.SessionTTL = time.Duration(c.MaxAge) * time.Second
	l.ttlFromCookie = true
}

// SessionTTLFromServer reports whether SessionTTL was read from the
// server's cookie rather than given.
func (l *States) SessionTTLFromServer() bool { return l.ttlFromCookie }
