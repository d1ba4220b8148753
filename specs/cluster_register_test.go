package specs_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/specs"
	"github.com/authconform/authconform/specs/report"
)

// Names of the cluster targets registerCluster adds.
const (
	clusterUnaware  = "cluster behind a balancer, judged as one server"
	clusterBalanced = "cluster behind a balancer, per-node rules not judgeable"
	clusterOnNode   = "cluster behind a balancer, per-node rules on node 1"
)

// registerCluster runs the couchdb fixtures against a 3-node fake cluster
// through a round-robin balancer, as a Cloudant-like deployment is
// reached: once as if it were one server (the lockout, kept per node,
// fails: 5 failures spread over 3 nodes lock nothing), once knowing it is
// balanced (the per-node rules are skipped as not judgeable), and once
// with per-node rules sent to node 1 (they pass). Each node names itself
// in an X-Test-Node header, which the steps must record.
func registerCluster(t *testing.T) func(report.Summary) {
	fake, err := fakeserver.New(fakeserver.Options{Flavor: fakeserver.CouchDB, Nodes: 3})
	if err != nil {
		t.Fatal(err)
	}
	var nodeURLs []string
	for i := 1; i <= 3; i++ {
		name := []string{"n1", "n2", "n3"}[i-1]
		node := fake.Node(i)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Test-Node", name)
			node.ServeHTTP(w, r)
		}))
		t.Cleanup(srv.Close)
		nodeURLs = append(nodeURLs, srv.URL)
	}
	rr, err := fakeserver.RoundRobin(nodeURLs)
	if err != nil {
		t.Fatal(err)
	}
	balancer := httptest.NewServer(rr)
	t.Cleanup(balancer.Close)
	nodes := []string{"couchdb1@127.0.0.1", "couchdb2@127.0.0.1", "couchdb3@127.0.0.1"}
	reached := append(nodes, nodes[0])
	for name, c := range map[string]*report.Cluster{
		clusterUnaware:  nil,
		clusterBalanced: {Nodes: nodes, Reached: reached, Balanced: true, NodeHeader: "X-Test-Node"},
		clusterOnNode:   {Nodes: nodes, Reached: reached, Balanced: true, NodeURL: nodeURLs[0], NodeHeader: "X-Test-Node"},
	} {
		specs.Register(specs.Target{
			Name: name, BaseURL: balancer.URL, Flavor: "couchdb", Cluster: c, AllowDestructive: true,
			States: specs.StateFuncs{EnterFunc: fake.EnterState, AdvanceFunc: fake.Advance},
		})
	}
	checkLag := registerLaggingCluster(t)
	perNode := map[string]bool{"couchdb/lockout": true, "couchdb/lockout-forwarded-for": true}
	return func(s report.Summary) {
		checkLag(s)
		seen := map[string]int{}
		for _, r := range s.Results {
			if !strings.HasPrefix(r.Target, "cluster behind a balancer,") {
				continue
			}
			seen[r.Target]++
			want := report.Passed
			switch {
			case perNode[r.ID] && r.Target == clusterUnaware:
				want = report.Failed
			case perNode[r.ID] && r.Target == clusterBalanced:
				want = report.Skipped
				if !strings.HasPrefix(r.Reason, "not judgeable through a balancer") || !strings.Contains(r.Reason, "set Config.NodeURLs") {
					t.Errorf("%s on %s: reason %q, want not judgeable through a balancer, naming Config.NodeURLs", r.ID, r.Target, r.Reason)
				}
			}
			if r.Outcome != want {
				t.Errorf("%s on %s: %s (%s), want %s", r.ID, r.Target, r.Outcome, r.Reason, want)
			}
			nodesSeen := map[string]bool{}
			for _, st := range r.Steps {
				nodesSeen[st.Node] = true
			}
			switch {
			case r.Target == clusterUnaware && !nodesSeen[""]:
				t.Errorf("%s on %s: steps name nodes %v without a node header", r.ID, r.Target, nodesSeen)
			case r.Target == clusterOnNode && perNode[r.ID] && (len(nodesSeen) != 1 || !nodesSeen["n1"]):
				t.Errorf("%s on %s: steps answered by %v, want n1 alone", r.ID, r.Target, nodesSeen)
			case r.Target != clusterUnaware && len(r.Steps) > 2 && len(nodesSeen) < 2 && !perNode[r.ID]:
				t.Errorf("%s on %s: %d steps all answered by %v through a round-robin balancer", r.ID, r.Target, len(r.Steps), nodesSeen)
			}
		}
		for _, name := range []string{clusterUnaware, clusterBalanced, clusterOnNode} {
			if seen[name] == 0 {
				t.Errorf("%s: no fixture ran", name)
			}
		}
	}
}

// Names of the lagging cluster targets.
const (
	lagKnown   = "cluster behind a balancer that applies a write late, known as a cluster"
	lagUnaware = "cluster behind a balancer that applies a write late, judged as one server"
)

// registerLaggingCluster runs couchdb/user-lifecycle against a fake whose
// first read of the freshly created user's document answers 404, as a node
// that has not applied the write yet: on a target known to be a cluster
// the settle step is sent again and passes with a warning; on one judged
// as a single server it fails.
func registerLaggingCluster(t *testing.T) func(report.Summary) {
	restore := specs.SetSettlePause(0)
	t.Cleanup(restore)
	for _, name := range []string{lagKnown, lagUnaware} {
		fake, err := fakeserver.New(fakeserver.Options{Flavor: fakeserver.CouchDB})
		if err != nil {
			t.Fatal(err)
		}
		var lagged atomic.Bool
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet && r.URL.Path == "/_users/org.couchdb.user:authconform_scratch" && lagged.CompareAndSwap(false, true) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusNotFound)
				_, _ = w.Write([]byte(`{"error":"not_found","reason":"missing"}`))
				return
			}
			fake.ServeHTTP(w, r)
		})
		var c *report.Cluster
		if name == lagKnown {
			c = &report.Cluster{Nodes: []string{"a", "b"}, Reached: []string{"a", "b", "a"}, Balanced: true}
		}
		specs.Register(specs.Target{
			Name: name, BaseURL: "http://fake.test", Client: specs.InProcessClient(h), Flavor: "couchdb", Cluster: c, AllowDestructive: true,
			States:  specs.StateFuncs{EnterFunc: fake.EnterState, AdvanceFunc: fake.Advance},
			Include: func(id string) bool { return id == "couchdb/user-lifecycle" },
		})
	}
	return func(s report.Summary) {
		seen := 0
		for _, r := range s.Results {
			switch {
			case r.Target == lagKnown && r.ID == "couchdb/user-lifecycle":
				seen++
				if r.Outcome != report.Passed || !strings.Contains(strings.Join(r.Warnings, " "), "after 1 repeat(s)") {
					t.Errorf("%s: %s (%s), warnings %q, want passed after one repeat", r.Target, r.Outcome, r.Reason, r.Warnings)
				}
			case r.Target == lagUnaware && r.ID == "couchdb/user-lifecycle":
				seen++
				if r.Outcome != report.Failed {
					t.Errorf("%s: %s, want failed (no repeat without a cluster)", r.Target, r.Outcome)
				}
			}
		}
		if seen != 2 {
			t.Errorf("lagging cluster: %d of 2 targets ran user-lifecycle", seen)
		}
	}
}
