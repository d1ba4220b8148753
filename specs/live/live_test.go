package live

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/authconform/authconform/specs"
)

func TestLiveAdvanceWaitsOnlyWithinMaxWait(t *testing.T) {
	ctx := context.Background()
	none := NewStates("couchdb", "http://127.0.0.1:1", Credentials{}, nil)
	if err := none.Advance(ctx, 0); !errors.Is(err, specs.ErrUnreachable) {
		t.Errorf("without --max-wait: %v, want specs.ErrUnreachable", err)
	}
	some := NewStates("couchdb", "http://127.0.0.1:1", Credentials{MaxWait: time.Millisecond}, nil)
	if err := some.Advance(ctx, time.Millisecond); err != nil {
		t.Errorf("within --max-wait: %v", err)
	}
	if err := some.Advance(ctx, time.Hour); !errors.Is(err, specs.ErrUnreachable) {
		t.Errorf("beyond --max-wait: %v, want specs.ErrUnreachable", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	long := NewStates("couchdb", "http://127.0.0.1:1", Credentials{MaxWait: time.Hour}, nil)
	if err := long.Advance(cancelled, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("an interrupted wait: %v, want context.Canceled", err)
	}
}

// TestLiveNeo4j33StateByBehaviour: the state comes from what the data
// endpoint does (403 while a change is pending), never from GET /user/{name},
// which the fixtures judge; here that status always lies.
func TestLiveNeo4j33StateByBehaviour(t *testing.T) {
	for _, tc := range []struct {
		data                   int
		defaultPwd, changedPwd string // "" reached, "skip" unreachable, "error"
	}{
		{http.StatusForbidden, "", "skip"},
		{http.StatusOK, "skip", ""},
		{http.StatusUnauthorized, "error", "error"},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/db/data/" {
				w.WriteHeader(tc.data)
				return
			}
			// A status that contradicts the data endpoint either way.
			fmt.Fprintf(w, `{"password_change_required": %v, "username": "neo4j"}`, tc.data == http.StatusOK)
		}))
		l := NewStates("neo4j-3.3", srv.URL, Credentials{User: "neo4j", Password: "neo4j"}, nil)
		for state, want := range map[string]string{"default-password": tc.defaultPwd, "password-changed": tc.changedPwd} {
			_, err := l.Enter(context.Background(), state)
			got := ""
			switch {
			case errors.Is(err, specs.ErrUnreachable):
				got = "skip"
			case err != nil:
				got = "error"
			}
			if got != want {
				t.Errorf("data endpoint %d, state %s: %q (%v), want %q", tc.data, state, got, err, want)
			}
		}
		srv.Close()
	}
}
