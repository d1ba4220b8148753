package main

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/authconform/authconform/fakeserver"
)

// serveHint is the fake serve starts for f and the login hint it prints.
func serveHint(t *testing.T, f serveFlags) (*fakeserver.Fake, string) {
	t.Helper()
	o, err := f.options(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	fake := newFake(t, o)
	return fake, strings.Join(loginHint(fake.Options(), f), "\n")
}

// TestLoginHintLogsIn: the accounts and the token serve prints on start
// log in to the fake it starts, with the Bearer form of its profile.
func TestLoginHintLogsIn(t *testing.T) {
	basic := regexp.MustCompile(`\bas (\w+):(\w+)`)
	bearer := regexp.MustCompile(`Authorization: (Bearer \S+)`)
	for _, c := range []struct {
		flavor  fakeserver.Flavor
		profile fakeserver.Profile
		path    string
		want    int // credentials the hint offers
	}{
		{fakeserver.Neo4j33, "", "/user/neo4j", 1},
		{fakeserver.Neo4jQuery, "", "/db/neo4j/query/v2", 2},
		{fakeserver.Neo4jQuery, fakeserver.ProfileNeo4j5, "/db/neo4j/query/v2", 2},
		{fakeserver.CouchDB, "", "/_session", 2},
		{fakeserver.CouchDB, fakeserver.ProfileCouchDB35, "/_session", 2},
	} {
		fake, hint := serveHint(t, serveFlags{flavor: string(c.flavor), profile: string(c.profile)})
		srv := httptest.NewServer(fake)
		var auths []string
		for _, m := range basic.FindAllStringSubmatch(hint, -1) {
			req, _ := http.NewRequest(http.MethodGet, "/", nil)
			req.SetBasicAuth(m[1], m[2])
			auths = append(auths, req.Header.Get("Authorization"))
		}
		for _, m := range bearer.FindAllStringSubmatch(hint, -1) {
			auths = append(auths, m[1])
		}
		if len(auths) != c.want {
			t.Errorf("%s %s: %d credentials in the hint, want %d:\n%s", c.flavor, c.profile, len(auths), c.want, hint)
		}
		for _, auth := range auths {
			method, body := http.MethodGet, ""
			if strings.Contains(c.path, "/query/") {
				method, body = http.MethodPost, `{"statement":"RETURN 1 AS n"}`
			}
			req, _ := http.NewRequest(method, srv.URL+c.path, strings.NewReader(body))
			req.Header.Set("Authorization", auth)
			req.Header.Set("Content-Type", "application/json")
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			// neo4j-3.3's user may read its own status before the change.
			if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusAccepted {
				t.Errorf("%s %s: %s %s with the hint's %q: %d", c.flavor, c.profile, method, c.path, strings.Fields(auth)[0], resp.StatusCode)
			}
		}
		srv.Close()
	}
}

// TestLoginHintNeverPrintsGivenSecrets: users and tokens given on the
// command line are named, their secrets never printed.
func TestLoginHintNeverPrintsGivenSecrets(t *testing.T) {
	_, hint := serveHint(t, serveFlags{flavor: "neo4j-query", users: []string{"bob:pw-of-bob"}, tokens: []string{"tok-of-bob=bob"}})
	if strings.Contains(hint, "pw-of-bob") || strings.Contains(hint, "tok-of-bob") || !strings.Contains(hint, "bob") {
		t.Errorf("hint names bob without his secrets? %q", hint)
	}
	if strings.Contains(hint, "verysecret") || strings.Contains(hint, documentedToken) {
		t.Errorf("hint offers the defaults that --user and --token replaced: %q", hint)
	}
}
