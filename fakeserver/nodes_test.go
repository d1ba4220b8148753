package fakeserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

// nodeName asks url's GET /_node/_local as the default admin.
func nodeName(t *testing.T, c *http.Client, url string, header ...string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", url+"/_node/_local", nil)
	req.Header.Set("Authorization", testkit.Basic("admin", "secret"))
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET %s/_node/_local: %v", url, err)
	}
	defer resp.Body.Close()
	var node struct{ Name string }
	if err := json.NewDecoder(resp.Body).Decode(&node); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s/_node/_local: %d, %v", url, resp.StatusCode, err)
	}
	return node.Name
}

func TestStartServesEachNodeBehindARoundRobinBalancer(t *testing.T) {
	s, err := Start(Options{Flavor: CouchDB, Nodes: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if len(s.NodeURLs) != 3 {
		t.Fatalf("NodeURLs = %v, want 3", s.NodeURLs)
	}
	for i, u := range s.NodeURLs {
		if got, want := nodeName(t, s.Client(), u), []string{"couchdb1@127.0.0.1", "couchdb2@127.0.0.1", "couchdb3@127.0.0.1"}[i]; got != want {
			t.Errorf("node %d at %s names itself %q, want %q", i+1, u, got, want)
		}
	}
	seen := map[string]int{}
	for range 6 {
		seen[nodeName(t, s.Client(), s.URL)]++
	}
	if len(seen) != 3 || seen["couchdb2@127.0.0.1"] != 2 {
		t.Fatalf("6 requests through the balancer reached %v, want each node twice", seen)
	}
}

func TestStartOfOneNodeHasItsURLAsTheOnlyNode(t *testing.T) {
	s, err := Start(Options{Flavor: CouchDB})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if len(s.NodeURLs) != 1 || s.NodeURLs[0] != s.URL {
		t.Fatalf("NodeURLs = %v, want [%s]", s.NodeURLs, s.URL)
	}
}

func TestRoundRobinPassesTheClientsForwardedForOn(t *testing.T) {
	seen := make(chan []string, 1)
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen <- r.Header.Values("X-Forwarded-For")
	}))
	defer backend.Close()
	rr, err := RoundRobin([]string{backend.URL})
	if err != nil {
		t.Fatal(err)
	}
	front := httptest.NewServer(rr)
	defer front.Close()
	req, _ := http.NewRequest("GET", front.URL+"/", nil)
	req.Header.Set("X-Forwarded-For", "203.0.113.9")
	resp, err := front.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := <-seen; len(got) != 1 || got[0] != "203.0.113.9" {
		t.Fatalf("backend saw X-Forwarded-For %q, want the client's 203.0.113.9 alone", got)
	}
	for _, bad := range [][]string{nil, {"ftp://x"}, {"127.0.0.1:5984"}} {
		if _, err := RoundRobin(bad); err == nil {
			t.Errorf("RoundRobin(%q) = nil error", bad)
		}
	}
}

func TestNodeOutOfRangePanics(t *testing.T) {
	f, err := New(Options{Flavor: CouchDB, Nodes: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("Node(3) of 2 did not panic")
		}
	}()
	f.Node(3)
}
