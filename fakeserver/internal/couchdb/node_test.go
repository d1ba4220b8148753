package couchdb_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

// newCluster is a CouchDB fake standing for n nodes.
func newCluster(t *testing.T, o fakeserver.Options, n int) *fakeserver.Fake {
	t.Helper()
	o.Nodes = n
	f := newCouchFake(t, o)
	if got := f.NodeCount(); got != n {
		t.Fatalf("NodeCount = %d, want %d", got, n)
	}
	return f
}

// lockFromLoopback fails user's login five times on h from 127.0.0.1.
func lockFromLoopback(t *testing.T, h http.Handler, user string) {
	t.Helper()
	for range 5 {
		w := couchDo(h, "GET", "/_session", "", "Authorization", testkit.Basic(user, "wrong"), "RemoteAddr", "127.0.0.1:4000")
		testkit.WantCouchError(t, w, http.StatusUnauthorized, "unauthorized", wantBadPassword)
	}
}

func TestNodesShareUsersAndCookiesButCountFailuresEach(t *testing.T) {
	f := newCluster(t, fakeserver.Options{}, 3)
	n1, n2, n3 := f.Node(1), f.Node(2), f.Node(3)

	// A user created through node 1 logs in on node 3 at once.
	w := couchDo(n1, "PUT", "/_users/org.couchdb.user:carol", `{"name":"carol","password":"carolpw","roles":[],"type":"user"}`,
		"Authorization", testkit.Basic("admin", "secret"), "Content-Type", "application/json")
	if w.Code != http.StatusCreated {
		t.Fatalf("PUT carol on node 1: %d %s", w.Code, w.Body)
	}
	cookie := couchLogin(t, n3, "carol", "carolpw")
	// Its cookie from node 3 works on node 2.
	if name, handler := sessionName(t, couchDo(n2, "GET", "/_session", "", "Cookie", "AuthSession="+cookie)); name != "carol" || handler != "cookie" {
		t.Fatalf("node 2 with node 3's cookie: %q by %q, want carol by cookie", name, handler)
	}

	// Five failures on node 1 lock carol there and nowhere else.
	lockFromLoopback(t, n1, "carol")
	testkit.WantCouchError(t, couchDo(n1, "GET", "/_session", "", "Authorization", testkit.Basic("carol", "carolpw"), "RemoteAddr", "127.0.0.1:4000"),
		http.StatusForbidden, "forbidden", wantLocked)
	for i, h := range []http.Handler{n2, n3} {
		if name, _ := sessionName(t, couchDo(h, "GET", "/_session", "", "Authorization", testkit.Basic("carol", "carolpw"), "RemoteAddr", "127.0.0.1:4000")); name != "carol" {
			t.Fatalf("node %d after node 1 locked carol: name %q, want carol", i+2, name)
		}
	}
}

func TestNodesNameThemselvesAndTheirCluster(t *testing.T) {
	f := newCluster(t, fakeserver.Options{}, 3)
	want := []string{"couchdb1@127.0.0.1", "couchdb2@127.0.0.1", "couchdb3@127.0.0.1"}
	for i := 1; i <= 3; i++ {
		w := couchDo(f.Node(i), "GET", "/_node/_local", "", "Authorization", testkit.Basic("admin", "secret"))
		var node struct{ Name string }
		if err := json.Unmarshal(w.Body.Bytes(), &node); w.Code != http.StatusOK || err != nil || node.Name != want[i-1] {
			t.Fatalf("node %d GET /_node/_local: %d %s, want name %s", i, w.Code, w.Body, want[i-1])
		}
		w = couchDo(f.Node(i), "GET", "/_membership", "", "Authorization", testkit.Basic("admin", "secret"))
		var m struct {
			AllNodes     []string `json:"all_nodes"`
			ClusterNodes []string `json:"cluster_nodes"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &m); w.Code != http.StatusOK || err != nil || len(m.AllNodes) != 3 || len(m.ClusterNodes) != 3 || m.AllNodes[2] != want[2] {
			t.Fatalf("node %d GET /_membership: %d %s", i, w.Code, w.Body)
		}
		// Anonymous and non-admin clients are refused, as on 3.5.0.
		testkit.WantCouchError(t, couchDo(f.Node(i), "GET", "/_membership", ""), http.StatusUnauthorized, "unauthorized", wantNotAdmin)
		testkit.WantCouchError(t, couchDo(f.Node(i), "GET", "/_node/_local", "", "Authorization", testkit.Basic("alice", "alicepw")), http.StatusUnauthorized, "unauthorized", wantNotAdmin)
	}
	single := newCouchFake(t, fakeserver.Options{})
	w := couchDo(single, "GET", "/_node/_local", "", "Authorization", testkit.Basic("admin", "secret"))
	if w.Code != http.StatusOK || !json.Valid(w.Body.Bytes()) || w.Body.String() != `{"name":"couchdb@127.0.0.1"}`+"\n" {
		t.Fatalf("single node GET /_node/_local: %d %s", w.Code, w.Body)
	}
}

func TestOwnAdminSaltsMakeAnAdminCookieAnonymousOnOtherNodes(t *testing.T) {
	f := newCluster(t, fakeserver.Options{OwnAdminSalts: true}, 3)
	admin := couchLogin(t, f.Node(1), "admin", "secret")
	if name, _ := sessionName(t, couchDo(f.Node(1), "GET", "/_session", "", "Cookie", "AuthSession="+admin)); name != "admin" {
		t.Fatalf("node 1 with its own admin cookie: name %q", name)
	}
	for i := 2; i <= 3; i++ {
		if name, _ := sessionName(t, couchDo(f.Node(i), "GET", "/_session", "", "Cookie", "AuthSession="+admin)); name != "" {
			t.Fatalf("node %d with node 1's admin cookie: name %q, want anonymous", i, name)
		}
		if name, _ := sessionName(t, couchDo(f.Node(i), "GET", "/_session", "", "Authorization", testkit.Basic("admin", "secret"))); name != "admin" {
			t.Fatalf("node %d with Basic admin: name %q, want admin", i, name)
		}
	}
	// A _users account's salt is in its document, which every node shares.
	alice := couchLogin(t, f.Node(1), "alice", "alicepw")
	if name, _ := sessionName(t, couchDo(f.Node(2), "GET", "/_session", "", "Cookie", "AuthSession="+alice)); name != "alice" {
		t.Fatalf("node 2 with node 1's alice cookie: name %q, want alice", name)
	}
	// Without OwnAdminSalts the admin cookie crosses nodes.
	same := newCluster(t, fakeserver.Options{}, 2)
	admin = couchLogin(t, same.Node(1), "admin", "secret")
	if name, _ := sessionName(t, couchDo(same.Node(2), "GET", "/_session", "", "Cookie", "AuthSession="+admin)); name != "admin" {
		t.Fatalf("shared salts: node 2 with node 1's admin cookie: name %q, want admin", name)
	}
}

func TestReleaseBelievesForwardedForFromLoopbackOnly(t *testing.T) {
	cases := []struct {
		profile    fakeserver.Profile
		peer       string
		wantLocked bool
	}{
		{fakeserver.ProfileCouchDB35, "127.0.0.1:4000", false}, // mochiweb: a forged address is a fresh client
		{fakeserver.ProfileCouchDB35, "10.1.2.3:4000", false},
		{fakeserver.ProfileCouchDB35, "198.51.100.7:4000", true}, // other peers are counted as themselves
		{fakeserver.ProfileDocumented, "127.0.0.1:4000", true},
	}
	for _, tc := range cases {
		f := newCouchFake(t, fakeserver.Options{Profile: tc.profile})
		for range 5 {
			couchDo(f, "GET", "/_session", "", "Authorization", testkit.Basic("alice", "wrong"), "RemoteAddr", tc.peer)
		}
		w := couchDo(f, "GET", "/_session", "", "Authorization", testkit.Basic("alice", "alicepw"), "RemoteAddr", tc.peer, "X-Forwarded-For", "203.0.113.9")
		if locked := w.Code == http.StatusForbidden; locked != tc.wantLocked {
			t.Errorf("%s from %s: right password with X-Forwarded-For after 5 failures: %d %s, want locked %v", tc.profile, tc.peer, w.Code, w.Body, tc.wantLocked)
		}
		// Without the header the account stays locked for that peer.
		testkit.WantCouchError(t, couchDo(f, "GET", "/_session", "", "Authorization", testkit.Basic("alice", "alicepw"), "RemoteAddr", tc.peer),
			http.StatusForbidden, "forbidden", wantLocked)
	}
}

func TestClusterOptionsAreChecked(t *testing.T) {
	for _, o := range []fakeserver.Options{
		{Flavor: fakeserver.CouchDB, Nodes: 17},
		{Flavor: fakeserver.CouchDB, Nodes: -1},
		{Flavor: fakeserver.CouchDB, OwnAdminSalts: true},
		{Flavor: fakeserver.Neo4j33, Nodes: 3},
	} {
		if _, err := fakeserver.New(o); err == nil {
			t.Errorf("New(%+v) = nil error, want a refusal", o)
		}
	}
}
