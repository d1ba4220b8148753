package specs

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/authconform/authconform/fixtures"
)

// LoginCheck is a request that logs in as user on a server of flavor,
// for the caller to send with the user's credentials: a 2xx answer means
// they work. The engine verifies each restore with it (the original
// password must log in again); package specs/live checks a live target's
// credentials with it.
func LoginCheck(ctx context.Context, flavor, baseURL, user string) (*http.Request, error) {
	base := strings.TrimSuffix(baseURL, "/")
	switch flavor {
	case "neo4j-3.3":
		return http.NewRequestWithContext(ctx, http.MethodGet, base+"/user/"+user, nil)
	case "neo4j-query":
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/db/neo4j/query/v2", strings.NewReader(`{"statement":"RETURN 1"}`))
		if req != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		return req, err
	case "couchdb":
		return http.NewRequestWithContext(ctx, http.MethodGet, base+"/_session", nil)
	}
	return nil, fmt.Errorf("unknown flavor %q (want one of %s)", flavor, strings.Join(fixtures.Flavors(), ", "))
}

// verifyLogin logs in as the fixture's user with the original password:
// the proof that the target is as it was.
func (r *fixtureRun) verifyLogin(ctx context.Context) error {
	user, _ := r.vars["User"].(string)
	pass, _ := r.vars["Password"].(string)
	ctx, cancel := context.WithTimeout(ctx, r.timeout())
	defer cancel()
	req, err := LoginCheck(ctx, r.target.Flavor, r.target.BaseURL, user)
	if err != nil {
		return err
	}
	req.SetBasicAuth(user, pass)
	req.Header.Set("Accept", "application/json")
	resp, err := r.client.Do(req)
	if err != nil {
		return fmt.Errorf("logging in with the original password: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("logging in with the original password: %s %s answered %d", req.Method, req.URL.Path, resp.StatusCode)
	}
	return nil
}
