package couchdb_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

func TestCouchBasicHeader(t *testing.T) {
	admin := base64.StdEncoding.EncodeToString([]byte("admin:secret"))
	tests := []struct {
		name     string
		header   string
		status   int
		reason   string // for errors
		wantUser string // for 200
	}{
		{"right", testkit.Basic("admin", "secret"), 200, "", "admin"},
		{"two spaces (case 50)", "Basic  " + admin, 200, "", "admin"},
		{"lower-case scheme is anonymous (case 48)", "basic " + admin, 200, "", ""},
		{"upper-case scheme is anonymous (case 49)", "BASIC " + admin, 200, "", ""},
		{"unknown scheme (case 37)", "Bearer abc.def.ghi", 200, "", ""},
		{"bare Basic (case 44)", "Basic", 200, "", ""},
		{"no colon (case 36)", "Basic bm9jb2xvbg==", 200, "", ""},
		{"logout credentials _:_ (case 52)", "Basic Xzpf", 200, "", ""},
		{"empty name and password (case 51)", "Basic Og==", 401, wantBadPassword, ""},
		{"password is after the first colon (case 53)", "Basic YWRtaW46c2VjcmV0OmV4dHJh", 401, wantBadPassword, ""},
		{"wrong password (case 13)", testkit.Basic("admin", "wrong"), 401, wantBadPassword, ""},
		{"unknown user (case 29)", testkit.Basic("nobody", "x"), 401, wantBadPassword, ""},
		{"bad padding (case 46)", "Basic XX=", 400, wantBadBase64, ""},
		{"truncated (case 47)", "Basic x", 400, wantBadBase64, ""},
		{"unpadded (case 54)", "Basic YWxpY2U6YWxpY2Vwdw", 400, wantBadBase64, ""},
		// CouchDB 3.5.0 answers 500 badarg here (cases 35, 38, 41), a bug
		// fixed upstream; the documented profile gives the fixed 400, and
		// TestCouchReleaseCrashes the release's 500.
		{"not base64 at all", "Basic not-base64!!!", 400, wantBadBase64, ""},
	}
	for _, profile := range couchProfiles {
		f := newCouchFake(t, fakeserver.Options{Profile: profile})
		for _, tc := range tests {
			if profile == fakeserver.ProfileCouchDB35 && tc.name == "not base64 at all" {
				continue
			}
			t.Run(string(profile)+"/"+tc.name, func(t *testing.T) {
				for _, path := range []string{"/_session", "/"} {
					w := couchDo(f, "GET", path, "", "Authorization", tc.header)
					if tc.status != 200 {
						code := map[int]string{400: "bad_request", 401: "unauthorized"}[tc.status]
						testkit.WantCouchError(t, w, tc.status, code, tc.reason)
						if got := w.Header().Get("WWW-Authenticate"); got != "" {
							t.Errorf("%s: WWW-Authenticate %q on a default 401", path, got)
						}
						continue
					}
					if w.Code != 200 {
						t.Fatalf("%s: status %d, body %s", path, w.Code, w.Body)
					}
					if path == "/_session" {
						if name, _ := sessionName(t, w); name != tc.wantUser {
							t.Errorf("user %q, want %q", name, tc.wantUser)
						}
					}
				}
			})
		}
	}
}

func TestCouchRequireValidUser(t *testing.T) {
	realm := `Basic realm="server"`
	for _, profile := range couchProfiles {
		for _, viaState := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/state=%v", profile, viaState), func(t *testing.T) {
				var f *fakeserver.Fake
				if viaState {
					f = newCouchFake(t, fakeserver.Options{Profile: profile})
					if _, err := f.EnterState("require-valid-user"); err != nil {
						t.Fatal(err)
					}
				} else {
					f = newCouchFake(t, fakeserver.Options{Profile: profile, RequireValidUser: true})
				}
				cookie := couchLogin(t, f, "admin", "secret") // case 80: login needs no Basic
				tests := []struct {
					method, path string
					headers      []string
					status       int
					reason       string
					wwwAuth      bool
				}{
					{"GET", "/", nil, 401, wantAuthRequired, true},                                                       // case 68
					{"GET", "/", []string{"Accept", "application/json"}, 401, wantAuthRequired, true},                    // case 69
					{"GET", "/", []string{"Accept", "text/html"}, 401, wantAuthRequired, true},                           // no browser redirect
					{"GET", "/_up", nil, 401, wantAuthRequired, true},                                                    // case 70
					{"GET", "/", []string{"Authorization", testkit.Basic("admin", "secret")}, 200, "", false},            // case 71
					{"GET", "/", []string{"Authorization", testkit.Basic("admin", "wrong")}, 401, wantBadPassword, true}, // case 72
					{"GET", "/_session", nil, 401, wantAuthRequired, true},                                               // case 73
					{"GET", "/authtest", nil, 401, wantAuthRequired, true},                                               // case 75
					{"GET", "/authtest", []string{"Authorization", "Bearer abc"}, 401, wantAuthRequired, true},           // case 78
					{"GET", "/authtest", []string{"Authorization", "Basic bm9jb2xvbg=="}, 401, wantAuthRequired, true},   // case 79
					{"GET", "/authtest", []string{"Cookie", "AuthSession=" + cookie}, 200, "", false},                    // case 83
					{"GET", "/_all_dbs", []string{"Authorization", testkit.Basic("alice", "alicepw")}, 401, wantNotAdmin, true},
					{"GET", "/authtest", []string{"Authorization", testkit.Basic("alice", "alicepw")}, 403, wantNotAllowed, false},
					{"DELETE", "/_session", nil, 401, wantAuthRequired, true},                            // case 86
					{"DELETE", "/_session", []string{"Cookie", "AuthSession=" + cookie}, 200, "", false}, // case 84
					{"POST", "/_session", []string{"Content-Type", formCT}, 400, "request body must contain a username", false},
				}
				for _, tc := range tests {
					w := couchDo(f, tc.method, tc.path, "", tc.headers...)
					if w.Code != tc.status {
						t.Errorf("%s %s %v: status %d, want %d (%s)", tc.method, tc.path, tc.headers, w.Code, tc.status, w.Body)
						continue
					}
					if tc.reason != "" {
						var e testkit.CouchError
						_ = json.Unmarshal(w.Body.Bytes(), &e)
						if e.Reason != tc.reason {
							t.Errorf("%s %s: reason %q, want %q", tc.method, tc.path, e.Reason, tc.reason)
						}
					}
					if got := w.Header().Get("WWW-Authenticate"); (got == realm) != tc.wwwAuth || (got != "" && got != realm) {
						t.Errorf("%s %s %v: WWW-Authenticate %q, want present=%v", tc.method, tc.path, tc.headers, got, tc.wwwAuth)
					}
				}
				// A failed form login answers with send_json: no WWW-Authenticate.
				w := couchDo(f, "POST", "/_session", "name=admin&password=wrong", "Content-Type", formCT)
				if w.Code != 401 || w.Header().Get("WWW-Authenticate") != "" {
					t.Errorf("failed login: %d, WWW-Authenticate %q", w.Code, w.Header().Get("WWW-Authenticate"))
				}
			})
		}
	}
}

func TestCouchLockout(t *testing.T) {
	for _, profile := range couchProfiles {
		t.Run(string(profile), func(t *testing.T) {
			f := newCouchFake(t, fakeserver.Options{Profile: profile})
			cookie := couchLogin(t, f, "admin", "secret") // case 90
			wrong := testkit.Basic("admin", "wrong")
			for i := 1; i <= 5; i++ { // cases 91-95
				testkit.WantCouchError(t, couchDo(f, "GET", "/_session", "", "Authorization", wrong), 401, "unauthorized", wantBadPassword)
				if i < 5 {
					f.Advance(10 * time.Second)
				}
			}
			locked := []struct {
				name    string
				method  string
				body    string
				headers []string
			}{
				{"wrong Basic (case 96)", "GET", "", []string{"Authorization", wrong}},
				{"right Basic (case 97)", "GET", "", []string{"Authorization", testkit.Basic("admin", "secret")}},
				{"right form (case 98)", "POST", "name=admin&password=secret", []string{"Content-Type", formCT}},
				{"wrong form (case 99)", "POST", "name=admin&password=wrong", []string{"Content-Type", formCT}},
				{"right Basic on /", "GET", "", []string{"Authorization", testkit.Basic("admin", "secret")}},
			}
			for _, tc := range locked {
				path := "/_session"
				if strings.HasSuffix(tc.name, "on /") {
					path = "/"
				}
				testkit.WantCouchError(t, couchDo(f, tc.method, path, tc.body, tc.headers...), 403, "forbidden", wantLocked)
			}
			// A cookie issued before keeps working (case 100), other users
			// are not affected (case 101), nor the same user from another IP.
			if name, _ := sessionName(t, couchDo(f, "GET", "/_session", "", "Cookie", "AuthSession="+cookie)); name != "admin" {
				t.Errorf("pre-lockout cookie: user %q", name)
			}
			if name, _ := sessionName(t, couchDo(f, "GET", "/_session", "", "Authorization", testkit.Basic("alice", "alicepw"))); name != "alice" {
				t.Errorf("alice: user %q", name)
			}
			if name, _ := sessionName(t, couchDo(f, "GET", "/_session", "", "Authorization", testkit.Basic("admin", "secret"), "RemoteAddr", "198.51.100.7:4000")); name != "admin" {
				t.Errorf("other IP: user %q", name)
			}
			// Unknown users are never locked (cases 102-108).
			for i := 0; i < 7; i++ {
				testkit.WantCouchError(t, couchDo(f, "GET", "/_session", "", "Authorization", testkit.Basic("nobody", "x")), 401, "unauthorized", wantBadPassword)
			}
			// The lock lasts 300 s from the first failure (40 s have passed).
			f.Advance(259 * time.Second)
			testkit.WantCouchError(t, couchDo(f, "GET", "/_session", "", "Authorization", testkit.Basic("admin", "secret")), 403, "forbidden", wantLocked)
			f.Advance(time.Second)
			if name, _ := sessionName(t, couchDo(f, "GET", "/_session", "", "Authorization", testkit.Basic("admin", "secret"))); name != "admin" {
				t.Errorf("after the lock: user %q", name)
			}
		})
	}
}

func TestCouchLockoutOptions(t *testing.T) {
	tests := []struct {
		name     string
		max      int
		lock     time.Duration
		failures int
		locked   bool
	}{
		{"threshold 2", 2, 0, 2, true},
		{"below threshold 2", 2, 0, 1, false},
		{"disabled", -1, 0, 50, false},
		{"short lock", 1, 5 * time.Second, 1, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newCouchFake(t, fakeserver.Options{MaxFailedLogins: tc.max, LockDuration: tc.lock})
			for i := 0; i < tc.failures; i++ {
				if w := couchDo(f, "POST", "/_session", "name=alice&password=x", "Content-Type", formCT); w.Code != 401 {
					t.Fatalf("failure %d: %d", i+1, w.Code)
				}
			}
			w := couchDo(f, "GET", "/_session", "", "Authorization", testkit.Basic("alice", "alicepw"))
			if (w.Code == 403) != tc.locked {
				t.Fatalf("status %d, want locked=%v", w.Code, tc.locked)
			}
			if tc.lock > 0 {
				f.Advance(tc.lock)
				if w := couchDo(f, "GET", "/_session", "", "Authorization", testkit.Basic("alice", "alicepw")); w.Code != 200 {
					t.Fatalf("after LockDuration: %d", w.Code)
				}
			}
		})
	}
}

// Two Authorization headers get a 400 that says so in the documented
// profile, whichever of them is good, on every path, anonymous-readable
// ones included; one header still works.
func TestCouchTwoAuthorizationHeadersInTheDocumentedProfile(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{Profile: fakeserver.ProfileDocumented})
	good, bad := testkit.Basic("admin", "secret"), testkit.Basic("admin", "wrong")
	for _, pair := range [][2]string{{good, bad}, {bad, good}, {good, good}} {
		for _, path := range []string{"/_session", "/db/document", "/authtest"} {
			w := couchDo(f, "GET", path, "", "Authorization", pair[0], "Authorization", pair[1])
			testkit.WantCouchError(t, w, http.StatusBadRequest, "bad_request", "Only one Authorization header is allowed.")
		}
	}
	if w := couchDo(f, "GET", "/authtest", "", "Authorization", good); w.Code != http.StatusOK {
		t.Fatalf("one good header: status %d %s", w.Code, w.Body)
	}
}
