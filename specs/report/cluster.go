package report

import (
	"fmt"
	"slices"
	"strings"
)

// Cluster is what a CouchDB target said about the nodes behind its URL.
type Cluster struct {
	// Nodes are the cluster's nodes (GET /_membership).
	Nodes []string `json:"nodes"`
	// Reached are the nodes that answered requests at the target's URL
	// in turn (GET /_node/_local).
	Reached []string `json:"reached,omitempty"`
	// Balanced is true when requests at the URL reached more than one
	// node: a load balancer is in front.
	Balanced bool `json:"balanced"`
	// NodeURL is the one node where rules kept per node (the failed-login
	// lockout) were judged; empty when they ran at the target's URL or
	// could not be judged.
	NodeURL string `json:"node_url,omitempty"`
	// NodeHeader is the response header that names the node that
	// answered each step (Step.Node), when the target sends one.
	NodeHeader string `json:"node_header,omitempty"`
}

// Distinct are the nodes that answered at the URL, each once, sorted.
func (c Cluster) Distinct() []string {
	return slices.Compact(slices.Sorted(slices.Values(c.Reached)))
}

// Line describes the cluster in one line for the text and Markdown
// reports.
func (c Cluster) Line() string {
	var b strings.Builder
	fmt.Fprintf(&b, "cluster of %d node(s) (%s)", len(c.Nodes), strings.Join(c.Nodes, ", "))
	if len(c.Reached) > 0 {
		fmt.Fprintf(&b, "; %d requests at this URL reached %s", len(c.Reached), strings.Join(c.Distinct(), ", "))
	}
	switch {
	case c.NodeURL != "":
		fmt.Fprintf(&b, "; per-node rules (lockout) judged at %s", c.NodeURL)
	case c.Balanced:
		b.WriteString("; per-node rules (lockout) not judgeable through this balancer (judge it at a node's own URL)")
	}
	if c.NodeHeader != "" {
		fmt.Fprintf(&b, "; the node of each step from its %s header", c.NodeHeader)
	}
	return b.String()
}
