// Package clientchecks runs unmodified Go client libraries against the
// authconform fake. Here: kivik v4 and its CouchDB driver against the couchdb
// flavor.
//
// The server is the URL in AUTHCONFORM_COUCHDB_URL (what .ci/clients/run.sh
// passes: an `authconform serve --flavor couchdb` process); without it the
// fake is started in-process with fakeserver.Start, so `go test ./...` here
// works on its own too. Either way the fake has its default users admin/secret
// (_admin) and alice/alicepw, the public db `db` with doc `document`, and the
// admin-only db `authtest`.
package clientchecks

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	kivik "github.com/go-kivik/kivik/v4"
	"github.com/go-kivik/kivik/v4/couchdb" // registers the "couch" driver

	"github.com/authconform/authconform/fakeserver"
)

func couchURL(t *testing.T) string {
	t.Helper()
	if u := os.Getenv("AUTHCONFORM_COUCHDB_URL"); u != "" {
		return strings.TrimSuffix(u, "/")
	}
	srv, err := fakeserver.Start(fakeserver.Options{Flavor: fakeserver.CouchDB})
	if err != nil {
		t.Fatalf("start the couchdb fake in-process: %v", err)
	}
	t.Cleanup(srv.Close)
	return srv.URL
}

func withUserinfo(t *testing.T, base, name, password string) string {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(name, password)
	return u.String()
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

func client(t *testing.T, dsn string, opts ...kivik.Option) *kivik.Client {
	t.Helper()
	c, err := kivik.New("couch", dsn, opts...)
	if err != nil {
		t.Fatalf("kivik.New: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func wantStatus(t *testing.T, what string, err error, status int, reason string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: no error, want HTTP %d", what, status)
	}
	if got := kivik.HTTPStatus(err); got != status {
		t.Fatalf("%s: HTTP %d (%v), want %d", what, got, err, status)
	}
	if reason != "" && !strings.Contains(err.Error(), reason) {
		t.Fatalf("%s: error %q does not carry %q", what, err.Error(), reason)
	}
}

func wantSession(t *testing.T, c *kivik.Client, name, method string) {
	t.Helper()
	s, err := c.Session(ctx(t))
	if err != nil {
		t.Fatalf("Session: %v", err)
	}
	if s.Name != name || s.AuthenticationMethod != method {
		t.Fatalf("Session: name %q via %q, want %q via %q (raw %s)", s.Name, s.AuthenticationMethod, name, method, s.RawResponse)
	}
}

func readDocument(t *testing.T, c *kivik.Client) {
	t.Helper()
	var doc map[string]any
	if err := c.DB("db").Get(ctx(t), "document").ScanDoc(&doc); err != nil {
		t.Fatalf("GET /db/document: %v", err)
	}
	if doc["_id"] != "document" {
		t.Fatalf("GET /db/document: _id %v", doc["_id"])
	}
}

// wantAdmin: c, logged in as the server admin by method, reads the
// admin-only database.
func wantAdmin(t *testing.T, c *kivik.Client, method string) {
	t.Helper()
	wantSession(t, c, "admin", method)
	stats, err := c.DB("authtest").Stats(ctx(t))
	if err != nil {
		t.Fatalf("admin GET /authtest: %v", err)
	}
	if stats.Name != "authtest" {
		t.Fatalf("admin GET /authtest: db_name %q", stats.Name)
	}
}

// wantAlice: c, logged in as the non-admin alice by method, reads the public
// document and is refused the admin-only database.
func wantAlice(t *testing.T, c *kivik.Client, method string) {
	t.Helper()
	wantSession(t, c, "alice", method)
	readDocument(t, c)
	_, err := c.DB("authtest").Stats(ctx(t))
	wantStatus(t, "alice GET /authtest", err, http.StatusForbidden, "You are not allowed to access this db.")
}

func TestKivikAnonymous(t *testing.T) {
	c := client(t, couchURL(t))
	wantSession(t, c, "", "")
	readDocument(t, c)
	_, err := c.DB("authtest").Stats(ctx(t))
	wantStatus(t, "anonymous GET /authtest", err, http.StatusUnauthorized, "")
}

// TestKivikAuthOptions: logged in with either of kivik's auth options, the
// admin reads the admin-only database and alice only the public document.
func TestKivikAuthOptions(t *testing.T) {
	base := couchURL(t)
	for _, o := range []struct {
		name   string
		auth   func(name, password string) kivik.Option
		method string // the session's authentication method
	}{
		{"CookieAuth", couchdb.CookieAuth, "cookie"},
		{"BasicAuth", couchdb.BasicAuth, "default"},
	} {
		t.Run(o.name+" admin", func(t *testing.T) {
			wantAdmin(t, client(t, base, o.auth("admin", "secret")), o.method)
		})
		t.Run(o.name+" alice", func(t *testing.T) {
			wantAlice(t, client(t, base, o.auth("alice", "alicepw")), o.method)
		})
	}
}

// TestKivikWrongPassword: a wrong password fails the CookieAuth login
// itself, and with BasicAuth the request it is sent with.
func TestKivikWrongPassword(t *testing.T) {
	base := couchURL(t)

	t.Run("CookieAuth", func(t *testing.T) {
		c := client(t, base, couchdb.CookieAuth("admin", "wrong"))
		_, err := c.Session(ctx(t))
		wantStatus(t, "cookie login with a wrong password", err, http.StatusUnauthorized, "Name or password is incorrect.")
	})

	t.Run("BasicAuth", func(t *testing.T) {
		c := client(t, base, couchdb.BasicAuth("alice", "wrong"))
		err := c.DB("db").Get(ctx(t), "document").Err()
		wantStatus(t, "GET /db/document with a wrong password", err, http.StatusUnauthorized, "Name or password is incorrect.")
	})
}

// TestKivikURLUserinfo: kivik turns credentials in the DSN into cookie auth
// (chttp.New: "If credentials are included in the URL, requests will be
// authenticated using Cookie Auth"), so http://admin:secret@host logs in with
// POST /_session rather than sending Basic.
func TestKivikURLUserinfo(t *testing.T) {
	base := couchURL(t)

	t.Run("admin:secret", func(t *testing.T) {
		wantAdmin(t, client(t, withUserinfo(t, base, "admin", "secret")), "cookie")
	})

	t.Run("wrong password", func(t *testing.T) {
		c := client(t, withUserinfo(t, base, "alice", "wrong"))
		err := c.DB("db").Get(ctx(t), "document").Err()
		wantStatus(t, "GET /db/document with a wrong password", err, http.StatusUnauthorized, "Name or password is incorrect.")
	})
}

// TestKivikTestCreatesItsOwnUser is what an app's test suite does against
// the fake instead of a real CouchDB: an admin creates a database, a user
// and its security object, and the new user logs in and writes a document.
func TestKivikTestCreatesItsOwnUser(t *testing.T) {
	base := couchURL(t)
	admin := client(t, base, couchdb.BasicAuth("admin", "secret"))
	if err := admin.CreateDB(ctx(t), "kivik_shop"); err != nil {
		t.Fatalf("CreateDB: %v", err)
	}
	wantStatus(t, "CreateDB again", admin.CreateDB(ctx(t), "kivik_shop"), http.StatusPreconditionFailed, "")
	userRev, err := admin.DB("_users").Put(ctx(t), "org.couchdb.user:kivikbob",
		map[string]any{"name": "kivikbob", "password": "kivikpw", "roles": []string{"staff"}, "type": "user"})
	if err != nil {
		t.Fatalf("create user: %v", err)
	}
	if err := admin.DB("kivik_shop").SetSecurity(ctx(t), &kivik.Security{Members: kivik.Members{Roles: []string{"staff"}}}); err != nil {
		t.Fatalf("SetSecurity: %v", err)
	}

	bob := client(t, base, couchdb.CookieAuth("kivikbob", "kivikpw"))
	wantSession(t, bob, "kivikbob", "cookie")
	shop := bob.DB("kivik_shop")
	rev, err := shop.Put(ctx(t), "order1", map[string]any{"total": 3})
	if err != nil || !strings.HasPrefix(rev, "1-") {
		t.Fatalf("Put order1: rev %q, %v", rev, err)
	}
	_, err = shop.Put(ctx(t), "order1", map[string]any{"total": 4})
	wantStatus(t, "Put without _rev", err, http.StatusConflict, "Document update conflict.")
	if _, err := shop.Put(ctx(t), "order1", map[string]any{"_rev": rev, "total": 4}); err != nil {
		t.Fatalf("Put with _rev: %v", err)
	}
	wantStatus(t, "bob CreateDB", bob.CreateDB(ctx(t), "kivik_other"), http.StatusUnauthorized, "You are not a server admin.")

	alice := client(t, base, couchdb.BasicAuth("alice", "alicepw"))
	wantStatus(t, "alice reads order1", alice.DB("kivik_shop").Get(ctx(t), "order1").Err(), http.StatusForbidden, "You are not allowed to access this db.")

	if _, err := admin.DB("_users").Delete(ctx(t), "org.couchdb.user:kivikbob", userRev); err != nil {
		t.Fatalf("delete user: %v", err)
	}
	_, err = client(t, base, couchdb.CookieAuth("kivikbob", "kivikpw")).Session(ctx(t))
	wantStatus(t, "deleted user logs in", err, http.StatusUnauthorized, "Name or password is incorrect.")
	if err := admin.DestroyDB(ctx(t), "kivik_shop"); err != nil {
		t.Fatalf("DestroyDB: %v", err)
	}
}
