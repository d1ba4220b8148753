package live

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/authconform/authconform/specs"
	"github.com/authconform/authconform/specs/report"
)

// serverKey names the server in failed-login ledgers and restore
// journals. A CouchDB server that tells its uuid (GET /, anonymous) is
// named by it: every node of a cluster has the same uuid, and a failed
// login counts on whichever node it reaches, so one ledger must cover every
// URL of the cluster (a node's own and its balancer's) for a run never to
// spend more than one node's threshold; and a change journaled through one
// URL is pending for all of them. Other servers are named by their
// canonical target.
func serverKey(ctx context.Context, l *States, canonical string) string {
	if l.flavor != "couchdb" {
		return canonical
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, l.base+"/", nil)
	if err != nil {
		return canonical
	}
	resp, err := l.client.Do(req)
	if err != nil {
		return canonical
	}
	defer resp.Body.Close()
	var welcome struct {
		UUID string `json:"uuid"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&welcome) != nil || welcome.UUID == "" {
		return canonical
	}
	return "couchdb-uuid-" + welcome.UUID
}

// clusterOf finds the CouchDB cluster behind the target (detectCluster),
// checks each --node URL is one of its nodes, and runs the cookie
// preflight on a cluster of more than one node: through the target's URL
// as many times as there are nodes, and on each --node URL. It returns
// nil for a single server with no --node or --node-header.
func clusterOf(ctx context.Context, l *States, c Config) (*report.Cluster, error) {
	user, password := l.creds.User, l.creds.Password
	if c.Flavor != "couchdb" || user == "" || l.creds.AuthDisabled {
		if len(c.NodeURLs) > 0 || c.NodeHeader != "" {
			return nil, fmt.Errorf("Config.NodeURLs and Config.NodeHeader judge the nodes of a CouchDB cluster, and need Config.Flavor couchdb with a server admin as Credentials.User")
		}
		return nil, nil
	}
	cl, uuid, err := detectCluster(ctx, l.client, l.base, user, password)
	if err != nil {
		return nil, fmt.Errorf("asking the target about its cluster: %w", err)
	}
	if len(cl.Nodes) <= 1 && len(c.NodeURLs) == 0 && c.NodeHeader == "" {
		return nil, nil
	}
	if len(c.NodeURLs) > 0 && len(cl.Nodes) == 0 {
		return nil, fmt.Errorf("Config.NodeURLs needs the cluster's membership, but GET /_membership as %s answered no nodes (a server admin as Credentials.User can ask)", user)
	}
	for _, u := range c.NodeURLs {
		if err := checkNodeURL(ctx, l, cl, uuid, strings.TrimSuffix(u, "/")); err != nil {
			return nil, err
		}
	}
	if len(c.NodeURLs) > 0 {
		cl.NodeURL = strings.TrimSuffix(c.NodeURLs[0], "/")
	}
	cl.NodeHeader = c.NodeHeader
	if len(cl.Nodes) > 1 {
		// Each --node first, since that names the nodes that disagree.
		if len(c.NodeURLs) > 0 {
			if err := cookiePreflight(ctx, l.client, l.base, c.NodeURLs, 1, user, password); err != nil {
				return nil, err
			}
		}
		if err := cookiePreflight(ctx, l.client, l.base, []string{l.base}, len(cl.Nodes), user, password); err != nil {
			return nil, err
		}
	}
	return &cl, nil
}

// checkNodeURL asks u for its cluster's uuid and twice which node it is:
// the uuid must be the target's, and both answers must name the same node
// of the cluster, or u is no single node of it.
func checkNodeURL(ctx context.Context, l *States, cl report.Cluster, uuid, u string) error {
	if _, nodeUUID, err := detectCluster(ctx, l.client, u, "", ""); err != nil {
		return fmt.Errorf("node URL %s: %w", specs.RedactText(u), err)
	} else if nodeUUID != uuid {
		return fmt.Errorf("node URL %s belongs to another server (uuid %s, the target's is %s)", specs.RedactText(u), nodeUUID, uuid)
	}
	var names []string
	for range 2 {
		name, err := nodeName(ctx, l.client, u, l.creds.User, l.creds.Password)
		if err != nil {
			return fmt.Errorf("node URL %s: %w", specs.RedactText(u), err)
		}
		names = append(names, name)
	}
	switch {
	case names[0] == "":
		return fmt.Errorf("node URL %s does not answer GET /_node/_local as %s with a node name", specs.RedactText(u), l.creds.User)
	case names[0] != names[1]:
		return fmt.Errorf("node URL %s is answered by more than one node (%s, %s): give one node's own URL, not a balancer's", specs.RedactText(u), names[0], names[1])
	case !slices.Contains(cl.Nodes, names[0]):
		return fmt.Errorf("node URL %s is %s, which is not a node of the target's cluster (%s)", specs.RedactText(u), names[0], strings.Join(cl.Nodes, ", "))
	}
	return nil
}
