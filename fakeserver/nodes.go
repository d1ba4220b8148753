package fakeserver

import (
	"net/http"

	"github.com/authconform/authconform/fakeserver/internal/core"
)

// NodeCount is how many nodes the Fake stands for: Options.Nodes, or 1.
func (f *Fake) NodeCount() int {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return len(f.nodes)
}

// Node returns the handler of node i, counted from 1 (the Fake itself
// serves node 1). The nodes of a CouchDB Fake with Options.Nodes share its
// users, databases, sessions and cookie secret and each count failed
// logins on their own, as the nodes of a CouchDB cluster do; each answers
// GET /_node/_local with its own name and GET /_membership with all of
// them. Reset, EnterState and Advance act on every node at once. Node
// panics when i is out of range, like an index.
func (f *Fake) Node(i int) http.Handler {
	if i < 1 || i > f.NodeCount() {
		panic("fakeserver: Node index out of range")
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.RLock()
		node := f.nodes[i-1]
		f.mu.RUnlock()
		f.serve(node, w, r)
	})
}

// serve answers r as node does, the control plane first.
func (f *Fake) serve(node core.Flavor, w http.ResponseWriter, r *http.Request) {
	if f.opts.ControlPlane && isControlPath(r.URL.Path) {
		f.serveControl(w, r)
		return
	}
	core.ServeLimited(node, f.opts.MaxBodyBytes, f.opts.BodyTimeout, w, r)
}
