package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/authconform/authconform/fakeserver"
)

// TestWrongPasswordFiveTimesNeverLocks runs five live runs in a row with
// a wrong password against fakes whose lockout is on, spelling the target
// as 127.0.0.1 and as localhost in turn: the credential checks count in
// one ledger per server, the later runs stop without a login, and the
// account still logs in afterwards.
func TestWrongPasswordFiveTimesNeverLocks(t *testing.T) {
	t.Parallel()
	for flavor, user := range map[string]string{"couchdb": "admin", "neo4j-query": "neo4j"} {
		t.Run(flavor, func(t *testing.T) {
			t.Parallel()
			srv, err := fakeserver.Start(fakeserver.Options{Flavor: fakeserver.Flavor(flavor)})
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			dir := t.TempDir()
			refused := 0
			for i := range 5 {
				target := srv.URL
				if i%2 == 1 {
					target = strings.Replace(target, "127.0.0.1", "localhost", 1)
				}
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
