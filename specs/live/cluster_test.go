package live_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/specs/live"
)

func startCluster(t *testing.T, o fakeserver.Options) *fakeserver.Server {
	t.Helper()
	o.Flavor = fakeserver.CouchDB
	s, err := fakeserver.Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func TestDetectClusterCountsNodesAndSeesTheBalancer(t *testing.T) {
	s := startCluster(t, fakeserver.Options{Nodes: 3})
	ctx := context.Background()
	through, uuid, err := live.DetectCluster(ctx, s.Client(), s.URL, "admin", "secret")
	if err != nil {
		t.Fatal(err)
	}
	if len(through.Nodes) != 3 || !through.Balanced || len(through.Reached) != 4 || len(through.Distinct()) != 3 || uuid == "" {
		t.Fatalf("through the balancer: %+v, uuid %q, want 3 nodes, balanced, 4 answers from 3 nodes and a uuid", through, uuid)
	}
	direct, uuid2, err := live.DetectCluster(ctx, s.Client(), s.NodeURLs[1], "admin", "secret")
	if err != nil {
		t.Fatal(err)
	}
	if len(direct.Nodes) != 3 || direct.Balanced || direct.Reached[0] != "couchdb2@127.0.0.1" || uuid2 != uuid {
		t.Fatalf("node 2 directly: %+v, want 3 nodes, not balanced, answered by couchdb2, the same uuid", direct)
	}
	// A non-admin cannot ask; nothing is known but the uuid.
	if anon, uuid3, err := live.DetectCluster(ctx, s.Client(), s.URL, "alice", "alicepw"); err != nil || len(anon.Nodes) != 0 || anon.Balanced || uuid3 != uuid {
		t.Fatalf("as alice: %+v, %v", anon, err)
	}
	single := startCluster(t, fakeserver.Options{})
	if one, _, err := live.DetectCluster(ctx, single.Client(), single.URL, "admin", "secret"); err != nil || len(one.Nodes) != 1 || one.Balanced {
		t.Fatalf("single node: %+v, %v", one, err)
	}
}

func TestCookiePreflightNamesNodesWithOtherAdminSalts(t *testing.T) {
	ctx := context.Background()
	bad := startCluster(t, fakeserver.Options{Nodes: 3, OwnAdminSalts: true})
	err := live.CookiePreflight(ctx, bad.Client(), bad.URL, []string{bad.URL}, 3, "admin", "secret")
	if !errors.Is(err, live.ErrInconsistentNodes) || !strings.Contains(err.Error(), "accepted on 1 of 3 requests through "+bad.URL+" and anonymous on 2:") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("through the balancer: %v, want one line counting 1 of 3 requests accepted", err)
	}
	err = live.CookiePreflight(ctx, bad.Client(), bad.NodeURLs[0], bad.NodeURLs, 1, "admin", "secret")
	if !errors.Is(err, live.ErrInconsistentNodes) || !strings.Contains(err.Error(), "accepted on "+bad.NodeURLs[0]+" and anonymous on "+bad.NodeURLs[1]+", "+bad.NodeURLs[2]) {
		t.Fatalf("per node: %v, want node 1 accepted and nodes 2, 3 anonymous", err)
	}
	// alice's salt is in her _users document, which every node shares.
	if err := live.CookiePreflight(ctx, bad.Client(), bad.URL, []string{bad.URL}, 3, "alice", "alicepw"); err != nil {
		t.Fatalf("alice on the same cluster: %v", err)
	}
	good := startCluster(t, fakeserver.Options{Nodes: 3})
	if err := live.CookiePreflight(ctx, good.Client(), good.URL, []string{good.URL}, 3, "admin", "secret"); err != nil {
		t.Fatalf("a consistent cluster: %v", err)
	}
}
