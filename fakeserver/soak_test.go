package fakeserver

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

// Soak tests: many concurrent sessions and password
// changes over a loopback listener, exact lockout counters under
// concurrency, memory per session, and bounded bookkeeping as time passes.
// Bounded in count and time; -short runs a tenth. Helpers carry a soak
// prefix.

// soakScale is the number of sessions (or users) and goroutines.
func soakScale(full, workers int) (int, int) {
	if testing.Short() {
		return full / 10, max(workers/10, 2)
	}
	return full, workers
}

func soakUsers(n int, prefix string) []User {
	users := make([]User, n)
	for i := range users {
		users[i] = User{Name: fmt.Sprintf("%s%04d", prefix, i), Password: fmt.Sprintf("pw-%04d", i)}
	}
	return users
}

func soakClient(workers int) *http.Client {
	return &http.Client{
		Timeout:   20 * time.Second, // a hang fails the test instead of blocking it
		Transport: &http.Transport{MaxIdleConnsPerHost: workers, MaxConnsPerHost: workers},
	}
}

// soakStart serves flavor with users, and a client for that many workers,
// until the test ends.
func soakStart(t *testing.T, flavor Flavor, users []User, workers int) (*Server, *http.Client) {
	t.Helper()
	srv, err := Start(Options{Flavor: flavor, Users: users, Clock: testkit.ClockAt(testkit.TranscriptDay())})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	client := soakClient(workers)
	t.Cleanup(client.CloseIdleConnections)
	return srv, client
}

// soakDo sends one request and returns the status and body.
func soakDo(c *http.Client, method, u, body string, headers ...string) (int, []byte, http.Header, error) {
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		return 0, nil, nil, err
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header, err
}

// soakParallel runs fn(i) for i in [0, n) on workers goroutines and returns
// the first error.
func soakParallel(n, workers int, fn func(i int) error) error {
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for g := 0; g < workers; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := g; i < n; i += workers {
				if err := fn(i); err != nil {
					errs <- err
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	return <-errs
}

func heapAlloc() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestSoakCouchSessions opens thousands of cookie sessions concurrently,
// each for its own user, and checks that every session is its user's (none
// lost, none crossed), measures the memory a session costs, then logs half
// of them out and checks that the revocations are reclaimed once they have
// expired.
func TestSoakCouchSessions(t *testing.T) {
	start := time.Now()
	n, workers := soakScale(2000, 200)
	users := soakUsers(n, "u")
	srv, client := soakStart(t, CouchDB, users, workers)
	sessionOf := func(cookie string) (string, error) {
		code, body, _, err := soakDo(client, "GET", srv.URL+"/_session", "", "Cookie", "AuthSession="+cookie)
		if err != nil {
			return "", err
		}
		var s struct {
			UserCtx struct {
				Name *string `json:"name"`
			} `json:"userCtx"`
		}
		if code != http.StatusOK || json.Unmarshal(body, &s) != nil {
			return "", fmt.Errorf("GET /_session: status %d %s", code, body)
		}
		if s.UserCtx.Name == nil {
			return "", nil
		}
		return *s.UserCtx.Name, nil
	}
	login := func(u User) (string, error) {
		code, body, h, err := soakDo(client, "POST", srv.URL+"/_session",
			"name="+url.QueryEscape(u.Name)+"&password="+url.QueryEscape(u.Password), "Content-Type", formCT)
		if err != nil {
			return "", err
		}
		ck, perr := http.ParseSetCookie(h.Get("Set-Cookie"))
		if code != http.StatusOK || perr != nil || ck.Value == "" {
			return "", fmt.Errorf("login %s: status %d %s, Set-Cookie %q", u.Name, code, body, h.Get("Set-Cookie"))
		}
		return ck.Value, nil
	}

	// Warm the connections so that their buffers are not counted as
	// session memory.
	if err := soakParallel(workers, workers, func(i int) error {
		_, _, _, err := soakDo(client, "GET", srv.URL+"/_up", "")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	before := heapAlloc()
	cookies := make([]string, n)
	err := soakParallel(n, workers, func(i int) error {
		ck, err := login(users[i])
		if err != nil {
			return err
		}
		cookies[i] = ck
		if name, err := sessionOf(ck); err != nil || name != users[i].Name {
			return fmt.Errorf("session of %s answers as %q (%v)", users[i].Name, name, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	after := heapAlloc()
	perSession := (int64(after) - int64(before)) / int64(n)
	runtime.KeepAlive(cookies)
	t.Logf("%d sessions on %d goroutines: heap %+d bytes, %d bytes/session (the cookie the client keeps included)", n, workers, int64(after)-int64(before), perSession)
	if perSession > 16<<10 {
		t.Errorf("%d bytes per session, want at most 16 KiB", perSession)
	}

	// Every session again, all at once, in another order: none lost or
	// crossed.
	if err := soakParallel(n, workers, func(i int) error {
		j := n - 1 - i
		if name, err := sessionOf(cookies[j]); err != nil || name != users[j].Name {
			return fmt.Errorf("session of %s answers as %q (%v)", users[j].Name, name, err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	// Log out the even sessions: they become anonymous, the odd ones stay.
	if err := soakParallel(n, workers, func(i int) error {
		if i%2 == 1 {
			return nil
		}
		code, body, _, err := soakDo(client, "DELETE", srv.URL+"/_session", "", "Cookie", "AuthSession="+cookies[i])
		if err != nil || code != http.StatusOK {
			return fmt.Errorf("logout %s: status %d %s (%v)", users[i].Name, code, body, err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := soakParallel(n, workers, func(i int) error {
		want := users[i].Name
		if i%2 == 0 {
			want = ""
		}
		if name, err := sessionOf(cookies[i]); err != nil || name != want {
			return fmt.Errorf("after logout, session of %s answers as %q, want %q (%v)", users[i].Name, name, want, err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	c := couchFlavor(t, srv.Fake)
	revoked, _ := c.Revocations()
	if revoked != (n+1)/2 {
		t.Fatalf("%d revocations after %d logouts", revoked, (n+1)/2)
	}

	// A lifetime later the revocations are dead weight: the next logouts
	// sweep them, so the bookkeeping does not grow with time.
	srv.Advance(c.SessionLifetime() + time.Second)
	// The table is swept when it has doubled since the last sweep, so a
	// wave of half the size is sure to reach the next sweep.
	wave := n / 2
	if err := soakParallel(wave, workers, func(i int) error {
		ck, err := login(users[i])
		if err != nil {
			return err
		}
		code, _, _, err := soakDo(client, "DELETE", srv.URL+"/_session", "", "Cookie", "AuthSession="+ck)
		if err != nil || code != http.StatusOK {
			return fmt.Errorf("logout %s: status %d (%v)", users[i].Name, code, err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got, _ := c.Revocations(); got > wave {
		t.Errorf("revocations: %d before the lifetime passed, %d after %d more logouts: expired ones not reclaimed", revoked, got, wave)
	} else {
		t.Logf("revocations: %d, then %d after the lifetime passed and %d more logouts", revoked, got, wave)
	}
	t.Logf("couchdb soak: %d sessions in %v", n, time.Since(start).Round(time.Millisecond))
}

// TestSoakNeo4j33PasswordChanges has many users change their own password
// at once: afterwards every new password works and every old one fails.
func TestSoakNeo4j33PasswordChanges(t *testing.T) {
	start := time.Now()
	n, workers := soakScale(500, 50)
	users := soakUsers(n, "n")
	srv, client := soakStart(t, Neo4j33, users, workers)
	newPassword := func(i int) string { return fmt.Sprintf("new-%04d", i) }
	if err := soakParallel(n, workers, func(i int) error {
		u := users[i]
		code, body, _, err := soakDo(client, "POST", srv.URL+"/user/"+u.Name+"/password", `{"password":"`+newPassword(i)+`"}`,
			"Authorization", testkit.Basic(u.Name, u.Password), "Content-Type", "application/json")
		if err != nil || code != http.StatusOK {
			return fmt.Errorf("%s changes password: status %d %s (%v)", u.Name, code, body, err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := soakParallel(n, workers, func(i int) error {
		u := users[i]
		if code, body, _, err := soakDo(client, "GET", srv.URL+"/db/data/", "", "Authorization", testkit.Basic(u.Name, newPassword(i))); err != nil || code != http.StatusOK {
			return fmt.Errorf("%s with the new password: status %d %s (%v)", u.Name, code, body, err)
		}
		if code, body, _, err := soakDo(client, "GET", srv.URL+"/db/data/", "", "Authorization", testkit.Basic(u.Name, u.Password)); err != nil || code != http.StatusUnauthorized {
			return fmt.Errorf("%s with the old password: status %d %s (%v)", u.Name, code, body, err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	t.Logf("neo4j-3.3 soak: %d concurrent password changes checked in %v", n, time.Since(start).Round(time.Millisecond))
}

// soakBurst sends k wrong-password requests for one user at the same
// moment and counts the answers by status.
func soakBurst(t *testing.T, h http.Handler, k int, req func() *http.Request) map[int]int {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := soakClient(k)
	defer client.CloseIdleConnections()
	var mu sync.Mutex
	counts := map[int]int{}
	gate := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < k; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := req()
			u, _ := url.Parse(srv.URL + r.URL.RequestURI())
			r.URL, r.Host, r.RequestURI = u, u.Host, ""
			<-gate
			resp, err := client.Do(r)
			if err != nil {
				t.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			mu.Lock()
			counts[resp.StatusCode]++
			mu.Unlock()
		}()
	}
	close(gate)
	wg.Wait()
	return counts
}

// TestSoakLockoutExact fires a burst of concurrent wrong passwords at one
// account of each flavor: exactly the threshold of them are counted as
// failures (401), every other one is refused as locked.
func TestSoakLockoutExact(t *testing.T) {
	const burst = 40
	tests := []struct {
		flavor    Flavor
		threshold int
		locked    int
		req       func() *http.Request
	}{
		{Neo4j33, 3, http.StatusTooManyRequests, func() *http.Request {
			r := httptest.NewRequest("GET", "/db/data/", nil)
			r.Header.Set("Authorization", testkit.Basic("neo4j", "wrong"))
			return r
		}},
		{Neo4jQuery, 3, http.StatusTooManyRequests, func() *http.Request {
			r := httptest.NewRequest("POST", "/db/neo4j/query/v2", strings.NewReader(`{"statement":"RETURN 1 AS n"}`))
			r.Header.Set("Authorization", testkit.Basic("neo4j", "wrong"))
			r.Header.Set("Content-Type", "application/json")
			return r
		}},
		{CouchDB, 5, http.StatusForbidden, func() *http.Request {
			r := httptest.NewRequest("GET", "/_session", nil)
			r.Header.Set("Authorization", testkit.Basic("admin", "wrong"))
			return r
		}},
		{CouchDB, 5, http.StatusForbidden, func() *http.Request {
			r := httptest.NewRequest("POST", "/_session", strings.NewReader("name=admin&password=wrong"))
			r.Header.Set("Content-Type", formCT)
			return r
		}},
	}
	for _, tc := range tests {
		for _, p := range ProfilesFor(tc.flavor) {
			t.Run(fmt.Sprintf("%s/%s/%s", tc.flavor, p, tc.req().Method), func(t *testing.T) {
				users := []User{{Name: "neo4j", Password: "secret"}, {Name: "admin", Password: "secret"}}
				if tc.flavor == CouchDB {
					users[1].Roles = []string{"_admin"}
				}
				f, err := New(Options{Flavor: tc.flavor, Profile: p, Clock: testkit.ClockAt(testkit.TranscriptDay()), Users: users})
				if err != nil {
					t.Fatal(err)
				}
				got := soakBurst(t, f, burst, tc.req)
				want := map[int]int{http.StatusUnauthorized: tc.threshold, tc.locked: burst - tc.threshold}
				if p == ProfileCouchDB33 { // CouchDB 3.3 has no lockout
					want = map[int]int{http.StatusUnauthorized: burst, tc.locked: 0}
				}
				if got[http.StatusUnauthorized] != want[http.StatusUnauthorized] || got[tc.locked] != want[tc.locked] {
					t.Errorf("%d concurrent wrong passwords: statuses %v, want %v", burst, got, want)
				}
			})
		}
	}
}

// TestSoakLockoutBounded fills CouchDB's lockout table with one failure
// for each of many accounts and client addresses, lets the entries expire,
// and checks that the next failures reclaim them.
func TestSoakLockoutBounded(t *testing.T) {
	n, workers := soakScale(4000, 50)
	f := newCouchFake(t, Options{Users: soakUsers(50, "u")})
	c := couchFlavor(t, f)
	fail := func(i int) error {
		w := couchDo(f, "GET", "/_session", "", "Authorization", testkit.Basic(fmt.Sprintf("u%04d", i%50), "wrong"),
			"RemoteAddr", fmt.Sprintf("10.%d.%d.%d:1", i>>16&255, i>>8&255, i&255))
		if w.Code != http.StatusUnauthorized {
			return fmt.Errorf("failure %d: status %d %s", i, w.Code, w.Body)
		}
		return nil
	}
	if err := soakParallel(n, workers, fail); err != nil {
		t.Fatal(err)
	}
	full := c.LockoutEntries()
	if full != n {
		t.Fatalf("%d lockout entries after %d distinct failures", full, n)
	}
	f.Advance(c.LockoutLifetime() + time.Second)
	// The table is swept when it has doubled since the last sweep, so a
	// wave of half the size is sure to reach the next sweep.
	wave := n / 2
	if err := soakParallel(wave, workers, func(i int) error { return fail(n + i) }); err != nil {
		t.Fatal(err)
	}
	if got := c.LockoutEntries(); got > wave {
		t.Errorf("lockout entries: %d, then %d after the lifetime passed and %d more failures: expired ones not reclaimed", full, got, wave)
	} else {
		t.Logf("lockout entries: %d, then %d after the lifetime passed and %d more failures", full, got, wave)
	}
}
