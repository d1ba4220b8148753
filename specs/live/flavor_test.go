package live

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authconform/authconform/fixtures"
)

// TestFlavorTableCoversTheFixtures: the table has exactly the fixtures'
// flavors, each row names its flavor's document, and lists every state its
// fixtures need (and only states the fixtures package knows).
func TestFlavorTableCoversTheFixtures(t *testing.T) {
	all, err := fixtures.All()
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(flavors))
	for name, fl := range flavors {
		names = append(names, name)
		if fl.name != name || fl.document == "" || fl.document != fixtures.Docs()[name] {
			t.Errorf("row %s: name %q, document %q", name, fl.name, fl.document)
		}
		for _, st := range fl.states {
			if _, ok := fixtures.States()[st]; !ok {
				t.Errorf("row %s: unknown state %q", name, st)
			}
		}
		if fl.looksLike == nil || fl.enter == nil || fl.budget.Max == 0 {
			t.Errorf("row %s is incomplete", name)
		}
	}
	slices.Sort(names)
	want := slices.Clone(fixtures.Flavors())
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("table rows %v, fixtures' flavors %v", names, want)
	}
	for _, fx := range all {
		if fl, ok := flavors[fx.Flavor]; ok && !slices.Contains(fl.states, fx.State) {
			t.Errorf("%s needs state %s, which the %s row does not list", fx.ID, fx.State, fx.Flavor)
		}
	}
}

// TestUnknownFlavorBorrowsNoBehaviour: a flavor the table does not know is
// refused by the probe, the credential check and the live states (no
// request sent), and gets no failed login.
func TestUnknownFlavorBorrowsNoBehaviour(t *testing.T) {
	requests := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		requests++
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"couchdb":"Welcome","userCtx":{"name":"admin"}}`))
	}))
	defer srv.Close()
	const unknown = "mysql"
	if err := Probe(srv.Client(), srv.URL, unknown); err == nil || !strings.Contains(err.Error(), `unknown flavor "mysql"`) {
		t.Errorf("Probe: %v", err)
	}
	live := NewStates(unknown, srv.URL, Credentials{User: "admin", Password: "secret"}, srv.Client())
	if err := live.CheckCredentials(context.Background()); err == nil || !strings.Contains(err.Error(), "unknown flavor") {
		t.Errorf("CheckCredentials: %v", err)
	}
	if _, err := live.Enter(context.Background(), "user-exists"); err == nil || !strings.Contains(err.Error(), "unknown flavor") {
		t.Errorf("Enter: %v", err)
	}
	if requests != 0 {
		t.Errorf("%d requests sent for an unknown flavor", requests)
	}
	if b := defaultBudget(unknown); b.Max != 0 {
		t.Errorf("defaultBudget(%q) allows %d failed logins", unknown, b.Max)
	}
}

// TestDefaultBudgetStaysBelowEachLock: a run spends at most one failed
// login fewer than the server's own lock takes (Neo4j 3.3 locks after 3
// failures, a success resetting the count; CouchDB after 5 per user within
// 5 minutes).
func TestDefaultBudgetStaysBelowEachLock(t *testing.T) {
	for flavor, want := range map[string]failureBudget{
		"neo4j-3.3":   {Max: 2, Window: 5 * time.Second, ResetOnSuccess: true},
		"neo4j-query": {Max: 2, Window: 5 * time.Second, ResetOnSuccess: true},
		"couchdb":     {Max: 4, Window: 5 * time.Minute},
	} {
		if got := defaultBudget(flavor); got != want {
			t.Errorf("defaultBudget(%q) = %+v, want %+v", flavor, got, want)
		}
	}
}
