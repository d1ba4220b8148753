package couchdb

import (
	"crypto/rand"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"

	"github.com/authconform/authconform/fakeserver/internal/core"
)

// MaxNodes bounds Config.Nodes: a cluster fake for tests, not a simulator.
const MaxNodes = 16

// nodeName is node i's name (counted from 1) in a cluster of n, as the
// measured loopback cluster names them; a single node keeps the stock name.
func nodeName(i, n int) string {
	if n <= 1 {
		return couchNodeName
	}
	return fmt.Sprintf("couchdb%d@127.0.0.1", i)
}

// Nodes returns the cluster the Server stands for: itself as node 1 and
// Config.Nodes-1 more that share its users, databases, sessions, uuid and
// cookie secret, as the nodes of a finished CouchDB cluster do, while each
// counts failed logins on its own (couch_auth_lockout keeps its table in
// the node's memory). With Config.OwnAdminSalts each node also hashes the
// seeded server admins with its own salt, as nodes do before
// _cluster_setup's finish_cluster copies node 1's hash to the others: an
// admin's cookie then works only on the node that issued it and is
// silently anonymous elsewhere, while Basic still works everywhere.
//
// Call it once the Server is in its state (EnterState): the nodes copy the
// state's settings.
func (c *Server) Nodes() []*Server {
	n := max(c.cfg.Nodes, 1)
	names := make([]string, n)
	for i := range names {
		names[i] = nodeName(i+1, n)
	}
	nodes := make([]*Server, n)
	for i := range nodes {
		node := c
		if i > 0 {
			copied := *c // shares every map and pointer (mu and the settings too)
			copied.limiter = core.NewLimiter(newCouchLockout(c.lockMax, c.lockLife))
			node = &copied
		}
		node.nodeName, node.clusterNodes = names[i], names
		if c.cfg.OwnAdminSalts && i > 0 {
			node.adminSalt = make([]byte, 16)
			_, _ = rand.Read(node.adminSalt)
		}
		nodes[i] = node
	}
	return nodes
}

// cookieSalt is the salt the node mixes into acct's cookie HMAC: the
// account's own, except for a server admin ([admins]; _users documents
// cannot hold the role _admin) on a node that hashed [admins] with its own
// salt.
func (c *Server) cookieSalt(acct core.Account) []byte {
	if c.adminSalt != nil && slices.Contains(acct.Roles, "_admin") {
		return c.adminSalt
	}
	return acct.Salt()
}

// couchPeer is the client address the lockout counts under. The
// couchdb-3.5 profile takes it as mochiweb's get(peer) does: from a
// 127.0.0.1 or 10.x peer, the last address of X-Forwarded-For, whoever
// wrote it (measured: a forged X-Forwarded-For gets a fresh allowance of
// failures on a locked account). The documented profile counts the peer.
func (c *Server) couchPeer(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !c.cfg.Release {
		return host
	}
	ip := net.ParseIP(host)
	trusted := ip != nil && (ip.Equal(net.IPv4(127, 0, 0, 1)) || (ip.To4() != nil && ip.To4()[0] == 10))
	if forwarded := r.Header.Values("X-Forwarded-For"); trusted && len(forwarded) > 0 {
		hosts := strings.Split(strings.Join(forwarded, ","), ",")
		if last := strings.TrimSpace(hosts[len(hosts)-1]); last != "" {
			return last
		}
	}
	return host
}

// ClusterNodes implements core.Clustered with Nodes.
func (c *Server) ClusterNodes() []core.Flavor {
	nodes := c.Nodes()
	out := make([]core.Flavor, len(nodes))
	for i, n := range nodes {
		out[i] = n
	}
	return out
}
