package live

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/authconform/authconform/specs"
	"github.com/authconform/authconform/specs/report"
)

// detectCluster asks a CouchDB server at base which nodes it has
// (GET /_membership) and which of them answer at base (GET /_node/_local,
// once per node and once more, so that a round-robin balancer shows
// itself), as the server admin user; and GET / for the uuid, which is one
// per cluster (the cluster set-up copies it to every node). Every request
// is a successful login or none (a 401 ends the detection with what is
// known), so it spends no failed login. A server that does not say leaves
// Nodes empty.
func detectCluster(ctx context.Context, client *http.Client, base, user, password string) (report.Cluster, string, error) {
	var c report.Cluster
	uuid := ""
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/", nil)
	if err != nil {
		return c, "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return c, "", fmt.Errorf("asking GET / for the cluster's uuid: %w", err)
	}
	var welcome struct {
		UUID string `json:"uuid"`
	}
	if resp.StatusCode == http.StatusOK && json.NewDecoder(resp.Body).Decode(&welcome) == nil {
		uuid = welcome.UUID
	}
	resp.Body.Close()
	if user == "" {
		return c, uuid, nil
	}
	status, body, err := basicRequest(ctx, client, http.MethodGet, base+"/_membership", user, password, nil)
	if err != nil {
		return c, uuid, fmt.Errorf("asking GET /_membership: %w", err)
	}
	var m struct {
		ClusterNodes []string `json:"cluster_nodes"`
	}
	if status != http.StatusOK || json.Unmarshal(body, &m) != nil || len(m.ClusterNodes) == 0 {
		return c, uuid, nil
	}
	c.Nodes = m.ClusterNodes
	for range len(c.Nodes) + 1 {
		name, err := nodeName(ctx, client, base, user, password)
		if err != nil || name == "" {
			return c, uuid, err
		}
		c.Reached = append(c.Reached, name)
	}
	c.Balanced = len(c.Distinct()) > 1
	return c, uuid, nil
}

// nodeName is GET /_node/_local's name, or "" when the server does not
// answer it.
func nodeName(ctx context.Context, client *http.Client, base, user, password string) (string, error) {
	status, body, err := basicRequest(ctx, client, http.MethodGet, base+"/_node/_local", user, password, nil)
	if err != nil {
		return "", fmt.Errorf("asking GET /_node/_local: %w", err)
	}
	var n struct {
		Name string `json:"name"`
	}
	if status != http.StatusOK || json.Unmarshal(body, &n) != nil {
		return "", nil
	}
	return n.Name, nil
}

// ErrInconsistentNodes means the nodes behind a target answer the same
// question differently, so fixtures would fail by where a balancer sent
// them rather than by what the server does.
var ErrInconsistentNodes = fmt.Errorf("the cluster's nodes disagree")

// cookiePreflight logs user in once at base and sends the cookie on n
// requests (GET /_session) at each of urls (base, or one URL per node),
// which a balancer spreads over its nodes. When the cookie names the user
// on some answers and is anonymous on others, it returns one line naming
// the inconsistency: the nodes hold different password hashes for the
// user (the salt is part of the cookie's key; the same [chttpd_auth]
// secret is not enough). A server whose login gives no cookie, or whose
// every answer is anonymous, is left to the fixtures.
func cookiePreflight(ctx context.Context, client *http.Client, base string, urls []string, n int, user, password string) error {
	cookie, err := formLogin(ctx, client, base, user, password)
	if err != nil || cookie == "" {
		return err
	}
	var good, anonymous []string
	for _, u := range urls {
		for range n {
			name, err := sessionUser(ctx, client, u, cookie)
			if err != nil {
				return err
			}
			if name == user {
				good = append(good, specs.RedactText(u))
			} else {
				anonymous = append(anonymous, specs.RedactText(u))
			}
		}
	}
	if len(good) == 0 || len(anonymous) == 0 {
		return nil
	}
	where := fmt.Sprintf("%s and anonymous on %s", strings.Join(good, ", "), strings.Join(anonymous, ", "))
	if len(urls) == 1 {
		where = fmt.Sprintf("%d of %d requests through %s and anonymous on %d", len(good), n, good[0], len(anonymous))
	}
	return fmt.Errorf("%w: %s's cookie from one login is accepted on %s: the nodes hold different password hashes for %s (the same [chttpd_auth] secret is not enough: give every node one [admins] hash, as _cluster_setup's finish_cluster copies node 1's); stopping before scattered cookie failures",
		ErrInconsistentNodes, user, where, user)
}

// formLogin is POST /_session with a form; it returns the AuthSession
// cookie, or "" when the answer has none.
func formLogin(ctx context.Context, client *http.Client, base, user, password string) (string, error) {
	form := url.Values{"name": {user}, "password": {password}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/_session", strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("cluster preflight login: %w", err)
	}
	defer resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "AuthSession" && c.Value != "" && resp.StatusCode == http.StatusOK {
			return strings.Trim(c.Value, `"`), nil
		}
	}
	return "", nil
}

// sessionUser is the user GET /_session names for cookie, "" when
// anonymous.
func sessionUser(ctx context.Context, client *http.Client, base, cookie string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/_session", nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Cookie", "AuthSession="+cookie)
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("cluster preflight GET /_session: %w", err)
	}
	defer resp.Body.Close()
	var s struct {
		UserCtx struct {
			Name *string `json:"name"`
		} `json:"userCtx"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil || s.UserCtx.Name == nil {
		return "", nil
	}
	return *s.UserCtx.Name, nil
}
