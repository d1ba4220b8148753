package specs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/authconform/authconform/fixtures"
)

// Credentials describe a live target: who to log in as and how it is set up.
type Credentials struct {
	User     string
	Password string
	// Token is a bearer token (neo4j-query).
	Token string
	// AuthDisabled says the server runs without authentication.
	AuthDisabled bool
	// OtherUser and OtherPassword are a second, non-admin account (CouchDB).
	OtherUser, OtherPassword string
}

// Live reaches states on a real server from what the user told us about it,
// probing it where that is needed. It never moves the clock and never locks
// accounts; client may be nil.
func Live(flavor, baseURL string, c Credentials, client *http.Client) StateProvider {
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	return &live{flavor: flavor, base: strings.TrimSuffix(baseURL, "/"), creds: c, client: client}
}

type live struct {
	flavor string
	base   string
	creds  Credentials
	client *http.Client
}

func unreachable(format string, args ...any) error {
	return errors.Join(ErrUnreachable, fmt.Errorf(format, args...))
}

func (l *live) Advance(context.Context, time.Duration) error {
	return unreachable("a live server's clock cannot be moved")
}

func (l *live) LockoutSafe() bool { return false }

func (l *live) Enter(ctx context.Context, state string) (fixtures.Vars, error) {
	c := l.creds
	vars := fixtures.Vars{"User": c.User, "Password": c.Password, "Token": c.Token,
		"OtherUser": c.OtherUser, "OtherPassword": c.OtherPassword}
	if state == "auth-disabled" {
		if !c.AuthDisabled {
			return nil, unreachable("the target has authentication enabled (pass --auth-disabled if it is off)")
		}
		return vars, nil
	}
	if c.AuthDisabled {
		return nil, unreachable("the target runs with authentication disabled (--auth-disabled)")
	}
	if c.User == "" {
		return nil, unreachable("needs credentials: pass --user and --password")
	}
	switch l.flavor {
	case "neo4j-3.3":
		return l.enterNeo4j33(ctx, state, vars)
	case "couchdb":
		switch state {
		case "user-exists":
			if c.OtherUser == "" {
				return nil, unreachable("needs a second, non-admin account: pass --other-user and --other-password")
			}
			return vars, nil
		case "require-valid-user":
			return nil, unreachable("needs a server with require_valid_user = true; run it against such a server with --require-valid-user")
		}
	}
	if state == "password-changed" || state == "user-exists" {
		return vars, nil
	}
	return nil, unreachable("state %s cannot be reached on a live %s server", state, l.flavor)
}

// enterNeo4j33 asks GET /user/{name} whether a password change is pending.
// That is a successful login, so it also clears Neo4j's failure count.
func (l *live) enterNeo4j33(ctx context.Context, state string, vars fixtures.Vars) (fixtures.Vars, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, l.base+"/user/"+l.creds.User, nil)
	if err != nil {
		return nil, err
	}
	req.SetBasicAuth(l.creds.User, l.creds.Password)
	req.Header.Set("Accept", "application/json")
	resp, err := l.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("probing the target: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("probing GET /user/%s with --user/--password: status %d; check the credentials", l.creds.User, resp.StatusCode)
	}
	var status struct {
		Required *bool `json:"password_change_required"`
	}
	if json.Unmarshal(body, &status) != nil || status.Required == nil {
		return nil, fmt.Errorf("probing GET /user/%s: the answer is not a Neo4j 3.3 user status", l.creds.User)
	}
	switch {
	case state == "default-password" && !*status.Required:
		return nil, unreachable("the user has no pending password change (only a fresh install has one)")
	case state == "password-changed" && *status.Required:
		return nil, unreachable("the user must change the password first: run with --allow-destructive so the change-password fixture does it (and restores it), or pass a changed password")
	case state != "default-password" && state != "password-changed":
		return nil, unreachable("state %s does not exist on Neo4j 3.3", state)
	}
	return vars, nil
}
