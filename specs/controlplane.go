package specs

import (
	"bytes"
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

// ControlPlane reaches states through the control plane of a fake started
// with `authconform serve --control` (POST /_authconform/reset and
// /_authconform/clock). client may be nil.
func ControlPlane(baseURL string, client *http.Client) StateProvider {
	return ControlPlaneWithToken(baseURL, "", client)
}

// ControlPlaneWithToken is ControlPlane for a fake whose control plane
// needs a token (`serve --control-token`, fakeserver.Options.ControlToken):
// every control request carries it as a Bearer credential, and no other
// request of the suite does. An empty token sends none.
func ControlPlaneWithToken(baseURL, token string, client *http.Client) StateProvider {
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	return &controlPlane{base: strings.TrimSuffix(baseURL, "/"), token: token, client: safeClient(client)}
}

type controlPlane struct {
	base   string
	token  string
	client *http.Client
}

func (c *controlPlane) call(ctx context.Context, route string, in any, out any) error {
	body, _ := json.Marshal(in)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/_authconform/"+route, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return fmt.Errorf("control plane: %w", err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		var e struct{ Error string }
		_ = json.Unmarshal(data, &e)
		if resp.StatusCode == http.StatusBadRequest {
			return errors.Join(ErrUnreachable, errors.New(e.Error))
		}
		return fmt.Errorf("control plane %s: status %d %s (does the fake serve its control plane (fakeserver.Options.ControlPlane), and does ControlPlaneWithToken give its ControlToken?)", route, resp.StatusCode, e.Error)
	}
	return json.Unmarshal(data, out)
}

func (c *controlPlane) Enter(ctx context.Context, state string) (fixtures.Vars, error) {
	var out struct{ Vars map[string]string }
	if err := c.call(ctx, "reset", map[string]string{"state": state}, &out); err != nil {
		return nil, err
	}
	vars := fixtures.Vars{}
	for k, v := range out.Vars {
		vars[k] = v
	}
	return vars, nil
}

func (c *controlPlane) Advance(ctx context.Context, d time.Duration) error {
	var out map[string]any
	return c.call(ctx, "clock", map[string]string{"advance": d.String()}, &out)
}

func (c *controlPlane) LockoutSafe() bool { return true }
