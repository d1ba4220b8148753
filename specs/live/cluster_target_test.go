package live_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/fixtures"
	"github.com/authconform/authconform/specs/live"
)

func clusterConfig(base string, dir string) live.Config {
	return live.Config{BaseURL: base, Flavor: "couchdb", StateDir: dir,
		Credentials: live.Credentials{User: "admin", Password: "secret"}}
}

func TestTargetKnowsTheClusterBehindABalancer(t *testing.T) {
	s := startCluster(t, fakeserver.Options{Nodes: 3})
	ctx := context.Background()
	tg, err := live.Target(ctx, clusterConfig(s.URL, t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	if c := tg.Cluster; c == nil || len(c.Nodes) != 3 || !c.Balanced || c.NodeURL != "" {
		t.Fatalf("through the balancer: cluster %+v, want 3 nodes, balanced, no node URL", c)
	}
	cfg := clusterConfig(s.URL, t.TempDir())
	cfg.NodeURLs, cfg.NodeHeader = []string{s.NodeURLs[2] + "/"}, "X-Served-By"
	tg, err = live.Target(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if c := tg.Cluster; c == nil || c.NodeURL != s.NodeURLs[2] || c.NodeHeader != "X-Served-By" {
		t.Fatalf("with --node: cluster %+v, want node URL %s", c, s.NodeURLs[2])
	}
	single := startCluster(t, fakeserver.Options{})
	if tg, err := live.Target(ctx, clusterConfig(single.URL, t.TempDir())); err != nil || tg.Cluster != nil {
		t.Fatalf("a single server: cluster %+v, %v, want none", tg.Cluster, err)
	}
}

func TestTargetRefusesNodeURLsThatAreNoSingleNodeOfIt(t *testing.T) {
	s := startCluster(t, fakeserver.Options{Nodes: 2})
	other := startCluster(t, fakeserver.Options{Nodes: 2})
	ctx := context.Background()
	for node, want := range map[string]string{
		s.URL:             "answered by more than one node",
		other.NodeURLs[0]: "belongs to another server",
		s.NodeURLs[1]:     "",
	} {
		cfg := clusterConfig(s.URL, t.TempDir())
		cfg.NodeURLs = []string{node}
		_, err := live.Target(ctx, cfg)
		switch {
		case want == "" && err != nil:
			t.Errorf("--node %s: %v", node, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n")):
			t.Errorf("--node %s: %v, want one line saying %q", node, err, want)
		}
	}
	cfg := clusterConfig(s.URL, t.TempDir())
	cfg.Credentials = live.Credentials{User: "alice", Password: "alicepw"}
	cfg.NodeURLs = []string{s.NodeURLs[0]}
	if _, err := live.Target(ctx, cfg); err == nil || !strings.Contains(err.Error(), "Config.NodeURLs needs the cluster's membership") {
		t.Errorf("--node as a non-admin: %v", err)
	}
}

// TestAChangeJournaledThroughOneURLIsPendingAtEvery: a run killed after
// journaling a change through the balancer leaves it pending for every URL
// of the cluster, so a run at a node's own URL refuses to start.
func TestAChangeJournaledThroughOneURLIsPendingAtEvery(t *testing.T) {
	s := startCluster(t, fakeserver.Options{Nodes: 2})
	ctx := context.Background()
	dir := t.TempDir()
	tg, err := live.Target(ctx, clusterConfig(s.URL, dir))
	if err != nil {
		t.Fatal(err)
	}
	fx := destructiveFixture(t, "couchdb")
	if _, err := tg.Guard.BeforeChange(ctx, fx, map[string]string{"User": "admin", "Password": "secret", "NewPassword": "changed"}); err != nil {
		t.Fatal(err)
	}
	for _, u := range append([]string{s.URL}, s.NodeURLs...) {
		if _, err := live.Target(ctx, clusterConfig(u, dir)); !errors.Is(err, live.ErrPendingRestore) {
			t.Errorf("a run at %s with %s's change journaled through the balancer: %v, want ErrPendingRestore", u, fx.ID, err)
		}
	}
}

func TestTargetStopsOnNodesWithDifferentAdminSalts(t *testing.T) {
	s := startCluster(t, fakeserver.Options{Nodes: 3, OwnAdminSalts: true})
	_, err := live.Target(context.Background(), clusterConfig(s.URL, t.TempDir()))
	if !errors.Is(err, live.ErrInconsistentNodes) || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "different password hashes for admin") {
		t.Fatalf("live.Target: %v, want one line naming the nodes' different hashes", err)
	}
}

// Through a node's own URL and through the balancer, the failed logins of
// one account are counted in one ledger: the server's counter is the
// node's, whichever URL reached it.
func TestOneLedgerPerClusterWhateverTheURL(t *testing.T) {
	s := startCluster(t, fakeserver.Options{Nodes: 3})
	dir := t.TempDir()
	for _, u := range []string{s.NodeURLs[0], s.URL, s.NodeURLs[1]} {
		cfg := clusterConfig(u, dir)
		cfg.Credentials.Password = "wrong-on-purpose"
		if _, err := live.Target(context.Background(), cfg); !errors.Is(err, live.ErrBadCredentials) {
			t.Fatalf("%s with a wrong password: %v", u, err)
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "budget", "*.json"))
	if len(files) != 1 {
		t.Fatalf("ledgers %v, want one for the cluster's admin", files)
	}
	data, err := os.ReadFile(files[0])
	var spent []string
	if err != nil || json.Unmarshal(data, &spent) != nil || len(spent) != 3 {
		t.Fatalf("the ledger %s holds %q, want the 3 failed checks", files[0], data)
	}
}

// destructiveFixture is the first fixture of flavor that changes the target.
func destructiveFixture(t *testing.T, flavor string) fixtures.Fixture {
	t.Helper()
	all, err := fixtures.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, fx := range all {
		if fx.Flavor == flavor && fx.Destructive {
			return fx
		}
	}
	t.Fatalf("no destructive %s fixture", flavor)
	return fixtures.Fixture{}
}
