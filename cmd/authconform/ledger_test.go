package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/authconform/authconform/fakeserver"
)

// TestWrongPasswordFiveTimesNeverLocks runs five live runs in a row with
// a wrong password against fakes whose lockout is on, spelling the target
// five ways (127.0.0.1, localhost in capitals with a path, the port with a
// leading zero, an IPv4-mapped IPv6 address): the credential checks count
// in one ledger per server, the later runs stop without a login, and the
// account still logs in afterwards.
func TestWrongPasswordFiveTimesNeverLocks(t *testing.T) {
	t.Parallel()
	for flavor, user := range map[string]string{"couchdb": "admin", "neo4j-query": "neo4j"} {
		t.Run(flavor, func(t *testing.T) {
			t.Parallel()
			srv := startFake(t, fakeserver.Options{Flavor: fakeserver.Flavor(flavor)})
			dir := t.TempDir()
			refused := 0
			port := strings.TrimPrefix(srv.URL, "http://127.0.0.1:")
			spellings := []string{srv.URL, "http://LOCALHOST:" + port + "/", "http://127.0.0.1:0" + port,
				"http://[::ffff:127.0.0.1]:" + port, "http://localhost:00" + port + "//"}
			for i, target := range spellings {
				r := cli(t, "run", "--flavor", flavor, "--target", target, "--user", user, "--password", "wrong-on-purpose", "--state-dir", dir)
				if r.code != 1 {
					t.Fatalf("run %d: exit %d, %q", i+1, r.code, r.stderr)
				}
				if strings.Contains(r.stderr, "not even checking") {
					refused++
				}
			}
			if refused == 0 {
				t.Error("every run sent its failing credential check; the ledger never stopped one")
			}
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/_session", nil)
			if flavor == "neo4j-query" {
				req, _ = http.NewRequest(http.MethodPost, srv.URL+"/db/neo4j/query/v2", strings.NewReader(`{"statement":"RETURN 1"}`))
				req.Header.Set("Content-Type", "application/json")
			}
			pass := map[string]string{"couchdb": "secret", "neo4j-query": "verysecret"}[flavor]
			req.SetBasicAuth(user, pass)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode/100 != 2 {
				t.Errorf("after five runs with a wrong password the right one gets %d: the account is locked", resp.StatusCode)
			}
		})
	}
}

// TestNeo4jLogsInBeforeEachFailingFixture: on Neo4j a success resets the
// failure count, and the live run logs in successfully before each
// fixture, so two fixtures that each cause a failed login never add up:
// between any two failed logins there is a successful one.
func TestNeo4jLogsInBeforeEachFailingFixture(t *testing.T) {
	t.Parallel()
	fake := newFake(t, fakeserver.Options{Flavor: fakeserver.Neo4jQuery})
	var mu sync.Mutex
	var logins strings.Builder // S for a successful login, F for a failed one
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		fake.ServeHTTP(rec, r)
		if r.Header.Get("Authorization") != "" {
			mu.Lock()
			switch {
			case rec.Code == http.StatusUnauthorized:
				logins.WriteByte('F')
			case rec.Code/100 == 2:
				logins.WriteByte('S')
			}
			mu.Unlock()
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	defer srv.Close()
	r := cli(t, "run", "--flavor", "neo4j-query", "--target", srv.URL, "--user", "neo4j", "--password", "verysecret",
		"--fixture", "neo4j-query/incorrect-authentication,neo4j-query/www-authenticate", "--state-dir", t.TempDir())
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	mu.Lock()
	defer mu.Unlock()
	seq := logins.String()
	if strings.Count(seq, "F") < 2 {
		t.Fatalf("logins %q: the two fixtures caused fewer than two failed logins", seq)
	}
	if strings.Contains(seq, "FF") {
		t.Errorf("logins %q: two failed logins with no success between them", seq)
	}
}
