package main

import (
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/authconform/authconform/fakeserver"
)

func TestUnknownProfileListsTheProfiles(t *testing.T) {
	t.Parallel()
	r := cli(t, "run", "--profile", "neo4j-9")
	if r.code != 2 || !strings.Contains(r.stderr, "documented, neo4j-3.3.9, neo4j-5, couchdb-3.3, couchdb-3.4, couchdb-3.5") {
		t.Errorf("exit %d, %q", r.code, r.stderr)
	}
	r = cli(t, "run", "--flavor", "couchdb", "--profile", "neo4j-5")
	if r.code != 2 || !strings.Contains(r.stderr, "[documented couchdb-3.3 couchdb-3.4 couchdb-3.5]") {
		t.Errorf("profile of another flavor: exit %d, %q", r.code, r.stderr)
	}
}

func TestFixturesTakesRunsFlavorLists(t *testing.T) {
	t.Parallel()
	r := cli(t, "fixtures", "--flavor", "couchdb,neo4j-3.3", "--flavor", "neo4j-query")
	for _, want := range []string{"\ncouchdb/", "\nneo4j-3.3/", "\nneo4j-query/"} {
		if r.code != 0 || !strings.Contains(r.stdout, want) {
			t.Errorf("exit %d, no %q in:\n%s", r.code, want, r.stdout)
		}
	}
	r = cli(t, "fixtures", "--flavor", "couchdb,mysql")
	if r.code != 2 || !strings.Contains(r.stderr, `unknown --flavor "mysql" (want one of neo4j-3.3, neo4j-query, couchdb)`) {
		t.Errorf("exit %d, %q", r.code, r.stderr)
	}
}

func TestServeDefaultAddr(t *testing.T) {
	for _, c := range []struct {
		flavor    fakeserver.Flavor
		container bool
		want      string
	}{
		{fakeserver.Neo4j33, false, "127.0.0.1:7474"},
		{fakeserver.Neo4jQuery, false, "127.0.0.1:7474"},
		{fakeserver.CouchDB, false, "127.0.0.1:5984"},
		{fakeserver.CouchDB, true, "0.0.0.0:5984"},
	} {
		if got := defaultAddr(c.flavor, c.container); got != c.want {
			t.Errorf("%s, container %v: %s, want %s", c.flavor, c.container, got, c.want)
		}
	}
	if got := shownAddr(&net.TCPAddr{IP: net.IPv6unspecified, Port: 5984}); got != "0.0.0.0:5984" {
		t.Errorf("every interface shown as %s", got)
	}
	if got := shownAddr(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 7474}); got != "127.0.0.1:7474" {
		t.Errorf("loopback shown as %s", got)
	}
}

// TestSessionTimeoutIsOneNameInServeAndRun: serve's old --session-ttl still
// works, as a deprecated alias of the name run uses.
func TestSessionTimeoutIsOneNameInServeAndRun(t *testing.T) {
	for _, args := range [][]string{{"--session-timeout", "5m"}, {"--session-ttl", "5m"}} {
		cmd := newServeCmd()
		if err := cmd.ParseFlags(args); err != nil {
			t.Fatal(err)
		}
		if got := cmd.Flags().Lookup("session-timeout").Value.String(); got != "5m0s" {
			t.Errorf("%v: session timeout %s", args, got)
		}
	}
	if newRunCmd().Flags().Lookup("session-timeout") == nil {
		t.Error("run has no --session-timeout")
	}
}

// TestControlPlaneListsItsRoutes: GET /_authconform/ lists every route, and
// every listed GET route answers (the list is not stale).
func TestControlPlaneListsItsRoutes(t *testing.T) {
	fake := newFake(t, fakeserver.Options{Flavor: fakeserver.CouchDB, ControlPlane: true})
	srv := httptest.NewServer(fake)
	defer srv.Close()
	get := func(path string) *http.Response {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	resp := get(fakeserver.ControlPrefix)
	var index struct{ Routes []fakeserver.ControlRoute }
	if err := json.NewDecoder(resp.Body).Decode(&index); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d, %v", fakeserver.ControlPrefix, resp.StatusCode, err)
	}
	resp.Body.Close()
	if !reflect.DeepEqual(index.Routes, fakeserver.ControlRoutes()) {
		t.Errorf("routes %+v\nwant %+v", index.Routes, fakeserver.ControlRoutes())
	}
	for _, r := range index.Routes {
		if r.Method == http.MethodGet {
			if resp := get(r.Path); resp.StatusCode != http.StatusOK {
				t.Errorf("listed route GET %s answers %d", r.Path, resp.StatusCode)
			}
		}
	}
	if resp := get(fakeserver.ControlPrefix + "state"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET %sstate: %d, want 404", fakeserver.ControlPrefix, resp.StatusCode)
	}
	help := cli(t, "serve", "--help").stdout
	for _, r := range fakeserver.ControlRoutes() {
		if !strings.Contains(help, r.Path) || !strings.Contains(help, r.Does) {
			t.Errorf("serve --help does not list %s %s", r.Method, r.Path)
		}
	}
}
