package live_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/specs"
	"github.com/authconform/authconform/specs/live"
)

// liveAgainst is live.NewStates reaching a fake of flavor in process.
func liveAgainst(t *testing.T, flavor fakeserver.Flavor, c live.Credentials) (*live.States, *fakeserver.Fake) {
	t.Helper()
	fake, err := fakeserver.New(fakeserver.Options{Flavor: flavor})
	if err != nil {
		t.Fatal(err)
	}
	return live.NewStates(string(flavor), "http://fake.test", c, specs.InProcessClient(fake)), fake
}

// outcome names what Enter or CheckCredentials gave: "ok", "skip"
// (ErrUnreachable), "bad credentials" or "error".
func outcome(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, specs.ErrUnreachable):
		return "skip"
	case errors.Is(err, live.ErrBadCredentials):
		return "bad credentials"
	}
	return "error"
}

// TestLiveStatesAgainstFakes: which states a live server reaches, from
// the credentials the user gives, on each flavor's fake as if it were live.
func TestLiveStatesAgainstFakes(t *testing.T) {
	neo4j := live.Credentials{User: "neo4j", Password: "neo4j"}
	query := live.Credentials{User: "neo4j", Password: "verysecret"}
	couch := live.Credentials{User: "admin", Password: "secret", OtherUser: "alice", OtherPassword: "alicepw", Database: "authtest", Document: "db/document", SessionTTL: 10 * time.Minute}
	with := func(c live.Credentials, edit func(*live.Credentials)) live.Credentials { edit(&c); return c }
	cases := []struct {
		flavor fakeserver.Flavor
		creds  live.Credentials
		state  string
		want   string
	}{
		{fakeserver.Neo4j33, neo4j, "default-password", "ok"},
		{fakeserver.Neo4j33, neo4j, "password-changed", "skip"},
		{fakeserver.Neo4j33, neo4j, "user-exists", "skip"},
		{fakeserver.Neo4j33, neo4j, "auth-disabled", "skip"},
		{fakeserver.Neo4j33, with(neo4j, func(c *live.Credentials) { c.Password = "wrong" }), "default-password", "error"},
		{fakeserver.Neo4j33, with(neo4j, func(c *live.Credentials) { c.User = "" }), "default-password", "skip"},
		{fakeserver.Neo4j33, with(neo4j, func(c *live.Credentials) { c.AuthDisabled = true }), "auth-disabled", "ok"},
		{fakeserver.Neo4j33, with(neo4j, func(c *live.Credentials) { c.AuthDisabled = true }), "default-password", "skip"},
		{fakeserver.Neo4jQuery, query, "password-changed", "ok"},
		{fakeserver.Neo4jQuery, query, "default-password", "skip"},
		{fakeserver.Neo4jQuery, with(query, func(c *live.Credentials) { c.Password = "wrong" }), "password-changed", "bad credentials"},
		{fakeserver.CouchDB, couch, "user-exists", "ok"},
		{fakeserver.CouchDB, couch, "logged-in", "ok"},
		{fakeserver.CouchDB, couch, "require-valid-user", "skip"},
		{fakeserver.CouchDB, couch, "default-password", "skip"},
		{fakeserver.CouchDB, with(couch, func(c *live.Credentials) { c.RequireValidUser = true }), "user-exists", "skip"},
		{fakeserver.CouchDB, with(couch, func(c *live.Credentials) { c.Password = "wrong" }), "logged-in", "error"},
	}
	for _, tc := range cases {
		l, _ := liveAgainst(t, tc.flavor, tc.creds)
		vars, err := l.Enter(context.Background(), tc.state)
		if got := outcome(err); got != tc.want {
			t.Errorf("%s %s (user %q, password %q): %s (%v), want %s", tc.flavor, tc.state, tc.creds.User, tc.creds.Password, got, err, tc.want)
			continue
		}
		if err != nil {
			continue
		}
		if vars["User"] != tc.creds.User || vars["Password"] != tc.creds.Password {
			t.Errorf("%s %s: vars %v do not carry the credentials", tc.flavor, tc.state, vars)
		}
		switch {
		case tc.flavor == fakeserver.Neo4jQuery && vars["Database"] != "neo4j":
			t.Errorf("%s: Database = %v, want neo4j", tc.flavor, vars["Database"])
		case tc.flavor == fakeserver.CouchDB && vars["SessionTTL"] != "10m0s":
			t.Errorf("%s: SessionTTL = %v, want 10m0s", tc.flavor, vars["SessionTTL"])
		case tc.state == "logged-in" && vars["Cookie"] == "":
			t.Errorf("%s logged-in: no Cookie", tc.flavor)
		}
	}
}

// TestLiveCheckCredentials: a wrong password stops a live run after one
// failed login; a locked account is named as such.
func TestLiveCheckCredentials(t *testing.T) {
	cases := []struct {
		flavor fakeserver.Flavor
		creds  live.Credentials
		want   string
	}{
		{fakeserver.Neo4j33, live.Credentials{User: "neo4j", Password: "neo4j"}, "ok"},
		{fakeserver.Neo4j33, live.Credentials{User: "neo4j", Password: "wrong"}, "bad credentials"},
		{fakeserver.Neo4jQuery, live.Credentials{User: "neo4j", Password: "verysecret"}, "ok"},
		{fakeserver.Neo4jQuery, live.Credentials{User: "neo4j", Password: "wrong"}, "bad credentials"},
		{fakeserver.CouchDB, live.Credentials{User: "admin", Password: "secret"}, "ok"},
		{fakeserver.CouchDB, live.Credentials{User: "admin", Password: "wrong"}, "bad credentials"},
		{fakeserver.CouchDB, live.Credentials{AuthDisabled: true, User: "admin", Password: "wrong"}, "ok"},
		{fakeserver.CouchDB, live.Credentials{}, "ok"},
	}
	for _, tc := range cases {
		l, _ := liveAgainst(t, tc.flavor, tc.creds)
		if got := outcome(l.CheckCredentials(context.Background())); got != tc.want {
			t.Errorf("%s %+v: %s, want %s", tc.flavor, tc.creds, got, tc.want)
		}
	}

	// A locked CouchDB account: the run stops and says so.
	l, fake := liveAgainst(t, fakeserver.CouchDB, live.Credentials{User: "admin", Password: "secret"})
	bad := live.NewStates("couchdb", "http://fake.test", live.Credentials{User: "admin", Password: "wrong"}, specs.InProcessClient(fake))
	for range 10 {
		_ = bad.CheckCredentials(context.Background())
	}
	err := l.CheckCredentials(context.Background())
	if err == nil || errors.Is(err, live.ErrBadCredentials) || !strings.Contains(err.Error(), "locked") {
		t.Errorf("a locked account: %v, want an error naming the lock", err)
	}
}

// TestProbeAgainstFakes: each fake looks like its own flavor and no other;
// an unreachable target says so.
func TestProbeAgainstFakes(t *testing.T) {
	for _, fl := range fakeserver.Flavors() {
		fake, err := fakeserver.New(fakeserver.Options{Flavor: fl})
		if err != nil {
			t.Fatal(err)
		}
		client := specs.InProcessClient(fake)
		for _, claimed := range fakeserver.Flavors() {
			err := live.Probe(client, "http://fake.test", string(claimed))
			if (err == nil) != (claimed == fl) {
				t.Errorf("the %s fake probed as %s: %v", fl, claimed, err)
			}
		}
	}
	if err := live.Probe(&http.Client{Timeout: time.Second}, "http://127.0.0.1:1", "couchdb"); err == nil || !strings.Contains(err.Error(), "unreachable") {
		t.Errorf("a closed port: %v, want unreachable", err)
	}
}
