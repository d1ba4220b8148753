package live

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/authconform/authconform/fixtures"
)

// flavor is everything the suite does differently per flavor, in one row:
// the document, the states its fixtures need, how a probe recognises such
// a server, how the credential check is judged, the failed-login budget that
// stays below the server's lock, and how a live server reaches a state.
type flavor struct {
	name     string
	document string
	states   []string
	// looksLike recognises the flavor from GET / (its JSON root, body and
	// status), asking more of the server if it must.
	looksLike func(p probe) bool
	// checkAnswer, when set, judges the credential check's answer beyond
	// its status (401 and 429 are judged for every flavor).
	checkAnswer func(req *http.Request, status int, body []byte, user string) error
	budget      failureBudget
	// enter reaches state on a live server.
	enter func(l *States, ctx context.Context, state string, vars fixtures.Vars) (fixtures.Vars, error)
}

// flavors is the table. Adding a flavor means adding a row; a name that
// is not here gets an error, never another flavor's behaviour.
var flavors map[string]flavor

// The table refers to States methods that look rows up in it, so it
// is filled at init.
func init() { flavors = flavorTable() }

func flavorTable() map[string]flavor {
	return map[string]flavor{
		"neo4j-3.3": {
			name: "neo4j-3.3", document: fixtures.Docs()["neo4j-3.3"],
			states: []string{"default-password", "password-changed", "auth-disabled"},
			looksLike: func(p probe) bool {
				return p.root["data"] != nil || p.root["management"] != nil || p.neo4jError()
			},
			// Neo4j locks after 3 failures; a success resets the count.
			budget: failureBudget{Max: 2, Window: 5 * time.Second, ResetOnSuccess: true},
			enter:  (*States).enterNeo4j33,
		},
		"neo4j-query": {
			name: "neo4j-query", document: fixtures.Docs()["neo4j-query"],
			states: []string{"default-password", "password-changed", "auth-disabled"},
			looksLike: func(p probe) bool {
				return p.root["query"] != nil || p.root["neo4j_version"] != nil || p.root["transaction"] != nil || p.neo4jError()
			},
			budget: failureBudget{Max: 2, Window: 5 * time.Second, ResetOnSuccess: true},
			enter:  (*States).enterNeo4jQuery,
		},
		"couchdb": {
			name: "couchdb", document: fixtures.Docs()["couchdb"],
			states: []string{"user-exists", "logged-in", "require-valid-user", "require-valid-user-except-for-up", "auth-disabled"},
			looksLike: func(p probe) bool {
				return p.root["couchdb"] != nil || (p.status == http.StatusUnauthorized && p.root["error"] != nil) ||
					couchSessionAnswers(p.client, p.base) // CouchDB-compatible servers greet differently
			},
			checkAnswer: func(req *http.Request, status int, body []byte, user string) error {
				if status == http.StatusForbidden {
					return fmt.Errorf("the account is locked or rate-limited (%s %s answered %d); wait for the lock to lift", req.Method, req.URL.Path, status)
				}
				var s struct {
					UserCtx struct{ Name *string } `json:"userCtx"`
				}
				if json.Unmarshal(body, &s) == nil && (s.UserCtx.Name == nil || *s.UserCtx.Name != user) {
					return fmt.Errorf("%w: GET /_session did not log in as %q", ErrBadCredentials, user)
				}
				return nil
			},
			// CouchDB locks after 5 failures per user within 5 minutes.
			budget: failureBudget{Max: 4, Window: 5 * time.Minute},
			enter:  (*States).enterCouchDB,
		},
	}
}

// flavorOf is the flavor's row, or an error naming the known ones.
func flavorOf(name string) (flavor, error) {
	if f, ok := flavors[name]; ok {
		return f, nil
	}
	return flavor{}, fmt.Errorf("unknown flavor %q (want one of %s)", name, strings.Join(fixtures.Flavors(), ", "))
}

// probe is what GET / answered.
type probe struct {
	client *http.Client
	base   string
	status int
	body   string
	root   map[string]any
}

// neo4jError: a Neo4j that protects / still answers in its own error shape.
func (p probe) neo4jError() bool { return strings.Contains(p.body, `"Neo.ClientError.`) }
