package report

import (
	"bytes"
	"strings"
	"testing"
)

func clusterSummary(c *Cluster) Summary {
	return Summary{
		Targets: []Target{{Name: "couchdb at http://lb", Flavor: "couchdb", URL: "http://lb", Cluster: c}},
		Results: []Result{{Target: "couchdb at http://lb", ID: "couchdb/lockout", Flavor: "couchdb", Outcome: Skipped, Reason: "not judgeable",
			Steps: []Step{{Method: "GET", Path: "/_session", Want: []int{401}, Got: 401, Node: "n2"}}}},
	}
}

func TestReportsDescribeTheCluster(t *testing.T) {
	balanced := &Cluster{Nodes: []string{"c1", "c2", "c3"}, Reached: []string{"c1", "c2", "c3", "c1"}, Balanced: true, NodeHeader: "X-Served-By"}
	var text, md bytes.Buffer
	if err := Text(&text, clusterSummary(balanced), true); err != nil {
		t.Fatal(err)
	}
	if err := Markdown(&md, clusterSummary(balanced)); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"text": text.String(), "markdown": md.String()} {
		checkHas(t, name+" report", out, "cluster of 3 node(s) (c1, c2, c3)", "4 requests at this URL reached c1, c2, c3", "not judgeable through this balancer (judge it at a node's own URL)", "X-Served-By header", "(node n2)")
	}
	judged := &Cluster{Nodes: []string{"c1", "c2"}, Reached: []string{"c1", "c2", "c1"}, Balanced: true, NodeURL: "http://node1"}
	if line := judged.Line(); !strings.Contains(line, "judged at http://node1") || strings.Contains(line, "not judgeable") {
		t.Errorf("with a node URL: %q", line)
	}
	var plain bytes.Buffer
	if err := Text(&plain, clusterSummary(nil), false); err != nil || strings.Contains(plain.String(), "cluster of") {
		t.Errorf("no cluster, yet the text says one: %q %v", plain.String(), err)
	}
}
