package live

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/authconform/authconform/specs"
)

// Probe checks that the server at base answers and looks like the flavor
// claimed, so a wrong URL gives one line instead of a page of failures.
func Probe(client *http.Client, base, flavor string) error {
	fl, err := flavorOf(flavor)
	if err != nil {
		return err
	}
	client = specs.SafeClient(client)
	resp, err := client.Get(strings.TrimSuffix(base, "/") + "/")
	if err != nil {
		return fmt.Errorf("target %s is unreachable: %w", base, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	p := probe{client: client, base: base, status: resp.StatusCode, body: string(body)}
	_ = json.Unmarshal(body, &p.root)
	if !fl.looksLike(p) {
		return fmt.Errorf("target %s does not look like %s: GET / answered %d %.80q", base, flavor, resp.StatusCode, body)
	}
	return nil
}

// couchSessionAnswers reports whether GET /_session answers with a
// CouchDB user context, as every CouchDB-compatible server does.
func couchSessionAnswers(client *http.Client, base string) bool {
	req, err := http.NewRequest(http.MethodGet, strings.TrimSuffix(base, "/")+"/_session", nil)
	if err != nil {
		return false
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	var s struct {
		UserCtx map[string]any `json:"userCtx"`
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	return json.Unmarshal(body, &s) == nil && s.UserCtx != nil
}
