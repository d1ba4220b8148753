package couchdb_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/fakeserver/internal/core"
	"github.com/authconform/authconform/fakeserver/internal/couchdb"
	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

func TestCouchBadOptions(t *testing.T) {
	tests := []struct {
		name string
		dbs  []fakeserver.Database
	}{
		{"bad name", []fakeserver.Database{{Name: "Bad"}}},
		{"twice", []fakeserver.Database{{Name: "a"}, {Name: "a"}}},
		{"doc not JSON", []fakeserver.Database{{Name: "a", Docs: map[string]string{"d": "nope"}}}},
		{"doc not an object", []fakeserver.Database{{Name: "a", Docs: map[string]string{"d": "[1]"}}}},
		{"doc _id differs", []fakeserver.Database{{Name: "a", Docs: map[string]string{"d": `{"_id":"e"}`}}}},
		{"doc _rev not a string", []fakeserver.Database{{Name: "a", Docs: map[string]string{"d": `{"_rev":1}`}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := fakeserver.New(fakeserver.Options{Flavor: fakeserver.CouchDB, Databases: tc.dbs}); err == nil {
				t.Fatalf("New accepted %+v", tc.dbs)
			}
		})
	}
	if _, err := fakeserver.New(fakeserver.Options{Flavor: fakeserver.CouchDB, SessionTTL: -time.Second}); err == nil {
		t.Fatalf("New accepted a negative SessionTTL")
	}
}

func TestCouchStates(t *testing.T) {
	for _, profile := range couchProfiles {
		t.Run(string(profile), func(t *testing.T) {
			f := newCouchFake(t, fakeserver.Options{Profile: profile})
			if got := strings.Join(f.States(), ","); got != "user-exists,logged-in,require-valid-user,require-valid-user-except-for-up" {
				t.Fatalf("States() = %s", got)
			}
			base := map[string]string{"User": "admin", "Password": "secret", "OtherUser": "alice", "OtherPassword": "alicepw", "Database": "authtest"}
			for _, state := range f.States() {
				vars, err := f.EnterState(state)
				if err != nil {
					t.Fatalf("%s: %v", state, err)
				}
				for k, v := range base {
					if vars[k] != v {
						t.Errorf("%s: %s = %q, want %q", state, k, vars[k], v)
					}
				}
				anon := couchDo(f, "GET", "/_session", "").Code
				switch state {
				case "logged-in":
					name, handler := sessionName(t, couchDo(f, "GET", "/_session", "", "Cookie", "AuthSession="+vars["Cookie"]))
					if name != "admin" || handler != "cookie" {
						t.Errorf("logged-in Cookie authenticates as %q via %q", name, handler)
					}
					fallthrough
				case "user-exists":
					if anon != 200 {
						t.Errorf("%s: anonymous /_session %d", state, anon)
					}
				case "require-valid-user":
					if anon != 401 {
						t.Errorf("%s: anonymous /_session %d", state, anon)
					}
				}
				if name, _ := sessionName(t, couchDo(f, "GET", "/_session", "", "Authorization", testkit.Basic(vars["OtherUser"], vars["OtherPassword"]))); name != "alice" {
					t.Errorf("%s: OtherUser does not log in", state)
				}
			}
			if _, err := f.EnterState("password-changed"); err == nil || !strings.Contains(err.Error(), "user-exists") {
				t.Errorf("unknown state: %v", err)
			}
			// Reset leaves require-valid-user.
			if err := f.Reset(); err != nil || couchDo(f, "GET", "/_session", "").Code != 200 {
				t.Errorf("Reset: %v", err)
			}
		})
	}
}

// TestCouchBrowserRedirect is chttpd's error_headers: a browser's anonymous
// 401 becomes a 302 to the login page (case 31); API clients keep the 401.
func TestCouchBrowserRedirect(t *testing.T) {
	loc := couchBase + "/_utils/session.html?return=%2Fauthtest&reason=You%20are%20not%20authorized%20to%20access%20this%20db."
	tests := []struct {
		accept   string
		extra    []string
		status   int
		location string
		www      string
	}{
		{"text/html", nil, 302, loc, ""},
		{"text/html,application/xhtml+xml,*/*;q=0.8", nil, 401, "", ""},
		{"text/html,application/json;q=0", nil, 302, loc, ""},
		{"application/json", nil, 401, "", ""},
		{"*/*", nil, 401, "", ""},
		{"", nil, 401, "", ""},
		{"image/png", nil, 401, "", ""},
		{"text/html", []string{"X-CouchDB-WWW-Authenticate", "Cookie"}, 401, "", "Cookie"},
	}
	for _, profile := range couchProfiles {
		f := newCouchFake(t, fakeserver.Options{Profile: profile})
		for _, tc := range tests {
			t.Run(string(profile)+"/"+tc.accept, func(t *testing.T) {
				headers := append([]string{}, tc.extra...)
				if tc.accept != "" {
					headers = append(headers, "Accept", tc.accept)
				}
				w := couchDo(f, "GET", "/authtest", "", headers...)
				if w.Code != tc.status || w.Header().Get("Location") != tc.location || w.Header().Get("WWW-Authenticate") != tc.www {
					t.Fatalf("%d Location %q WWW-Authenticate %q; want %d %q %q", w.Code, w.Header().Get("Location"), w.Header().Get("WWW-Authenticate"), tc.status, tc.location, tc.www)
				}
				if strings.TrimSpace(w.Body.String()) != `{"error":"unauthorized","reason":"You are not authorized to access this db."}` {
					t.Errorf("body %s", w.Body)
				}
			})
		}
	}
}

// TestCouchNeverServerError: bad input always gets a CouchDB-shaped 4xx.
func TestCouchNeverServerError(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{MaxBodyBytes: 1024})
	tests := []struct {
		method, path, body string
		headers            []string
	}{
		{"GET", "/_session", "", []string{"Authorization", "Basic " + strings.Repeat("=", 100)}},
		{"GET", "/_session", "", []string{"Authorization", "Basic \x01\x02"}},
		{"GET", "/_session", "", []string{"Authorization", "Basic " + base64.StdEncoding.EncodeToString([]byte{0xff, ':', 0xfe})}},
		{"GET", "/_session", "", []string{"Cookie", "AuthSession=" + strings.Repeat("A", 5000)}},
		{"GET", "/_session", "", []string{"Cookie", "AuthSession=" + base64.RawURLEncoding.EncodeToString([]byte("admin:7FFFFFFFFFFFFFFF:x"))}},
		{"GET", "/_session", "", []string{"Cookie", "AuthSession=" + base64.RawURLEncoding.EncodeToString([]byte("admin:-7FFFFFFFFFFFFFFF:x"))}},
		{"GET", "/_session", "", []string{"Cookie", "AuthSession=" + base64.RawURLEncoding.EncodeToString([]byte("::"))}},
		{"GET", "/_session", "", []string{"Cookie", "AuthSession=%%%"}},
		{"POST", "/_session", strings.Repeat("a", 5000), []string{"Content-Type", formCT}},
		{"POST", "/_session", strings.Repeat("{", 5000), []string{"Content-Type", "application/json"}},
		{"POST", "/_session", "\xff\xfe", []string{"Content-Type", "application/json"}},
		{"POST", "/_session", "name=%zz&password=%", []string{"Content-Type", formCT}},
		{"POST", "/_session", "name=admin&password=secret", []string{"Content-Type", ";;;"}},
		{"POST", "/_session?next=", "name=admin&password=secret", []string{"Content-Type", formCT}},
		{"GET", "/db/%2F..%2F", "", nil},
		{"GET", "/%5Fsession", "", nil},
		{"GET", "/db/_design/x", "", nil},
		{"BREW", "/", "", nil},
		{"GET", "/" + strings.Repeat("a", 3000), "", nil},
		{"GET", "/_session", "", []string{"X-Big", strings.Repeat("x", core.MaxHeaderBytes+1)}},
		{"GET", "/authtest", "", []string{"Accept", "text/html;q=abc"}},
	}
	for i, tc := range tests {
		t.Run(fmt.Sprint(i, " ", tc.method, " ", tc.path), func(t *testing.T) {
			w := couchDo(f, tc.method, tc.path, tc.body, tc.headers...)
			if w.Code >= 500 {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			if w.Code >= 400 {
				var e testkit.CouchError
				if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error == "" || e.Reason == "" {
					t.Fatalf("status %d body %q is not {error, reason}", w.Code, w.Body)
				}
			}
		})
	}
}

// TestCouchConcurrent is for -race: logins, sessions, failures and logouts
// in parallel.
func TestCouchConcurrent(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{Profile: fakeserver.ProfileDocumented})
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				w := couchDo(f, "POST", "/_session", "name=admin&password=secret", "Content-Type", formCT)
				ck, _ := http.ParseSetCookie(w.Header().Get("Set-Cookie"))
				couchDo(f, "GET", "/authtest", "", "Cookie", "AuthSession="+ck.Value)
				couchDo(f, "GET", "/", "", "Authorization", testkit.Basic("alice", "wrong"), "RemoteAddr", fmt.Sprintf("10.0.0.%d:1", g))
				couchDo(f, "DELETE", "/_session", "", "Cookie", "AuthSession="+ck.Value)
				f.Advance(time.Second)
			}
		}(g)
	}
	wg.Wait()
}

// TestCouchOverLoopback drives a started server with a real client: a
// cookie jar carries the session of both profiles' Set-Cookie shapes, and
// the document's literal Cookie header passes net/http's parser.
func TestCouchOverLoopback(t *testing.T) {
	for _, profile := range couchProfiles {
		t.Run(string(profile), func(t *testing.T) {
			srv, err := fakeserver.Start(fakeserver.Options{Flavor: fakeserver.CouchDB, Profile: profile})
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			jar, _ := cookiejar.New(nil) // fails only for bad Options; nil has none
			client := srv.Client()
			client.Jar = jar
			resp, err := client.PostForm(srv.URL+"/_session", url.Values{"name": {"admin"}, "password": {"secret"}})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 || len(resp.Cookies()) != 1 {
				t.Fatalf("login: %d %q", resp.StatusCode, resp.Header.Values("Set-Cookie"))
			}
			value := resp.Cookies()[0].Value
			resp, err = client.Get(srv.URL + "/authtest")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("GET /authtest with the jar's cookie: %d", resp.StatusCode)
			}
			// The document's GET and DELETE examples, headers verbatim.
			docCookie := `AuthSession="` + value + `"; Expires=Sat, 12 Nov 2016 12:43:15 GMT; Max-Age=86400; Path=/; HttpOnly; Version=1`
			for _, method := range []string{"GET", "DELETE"} {
				req, _ := http.NewRequest(method, srv.URL+"/_session", nil)
				req.Header.Set("Cookie", docCookie)
				req.Header.Set("Accept", "application/json")
				resp, err := http.DefaultTransport.RoundTrip(req)
				if err != nil {
					t.Fatal(err)
				}
				var body struct {
					OK      bool `json:"ok"`
					UserCtx struct {
						Name string `json:"name"`
					} `json:"userCtx"`
				}
				err = json.NewDecoder(resp.Body).Decode(&body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != 200 || !body.OK || (method == "GET" && body.UserCtx.Name != "admin") {
					t.Fatalf("%s with the document's Cookie header: %d %+v %v", method, resp.StatusCode, body, err)
				}
			}
			// HEAD over the wire: no body, the GET's length.
			resp, err = client.Head(srv.URL + "/_session")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 || resp.ContentLength <= 0 {
				t.Fatalf("HEAD: %d, Content-Length %d", resp.StatusCode, resp.ContentLength)
			}
		})
	}
}

// TestCouchLocationEncoding is couch_util:url_encode in a created
// document's Location: letters, digits and "_.-:" kept, every other byte
// %XX in upper case, the edges of each range included.
func TestCouchLocationEncoding(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{})
	want(t, couchDo(f, "PUT", "/scratch1", "", "Authorization", tAdminB), 201, `{"ok":true}`)
	for id, loc := range map[string]string{
		"azAZ09_.-:": "azAZ09_.-:",
		"@[`{/ é":    "%40%5B%60%7B%2F%20%C3%A9",
	} {
		w := couchDo(f, "PUT", "/scratch1/"+urlPathEscape(id), `{"a":1}`, "Authorization", tAdminB, "Content-Type", jsonCT)
		if w.Code != 201 || w.Header().Get("Location") != couchBase+"/scratch1/"+loc {
			t.Errorf("%q: %d, Location %q, want %q", id, w.Code, w.Header().Get("Location"), couchBase+"/scratch1/"+loc)
		}
	}
}

// urlPathEscape escapes every byte outside the unreserved set, so the id
// reaches the fake as one path segment.
func urlPathEscape(s string) string {
	out := ""
	for i := 0; i < len(s); i++ {
		out += fmt.Sprintf("%%%02X", s[i])
	}
	return out
}

// TestCouchSessionLifetime: SessionLifetime reports the configured
// lifetime (the soak tests move the clock past it).
func TestCouchSessionLifetime(t *testing.T) {
	for _, ttl := range []time.Duration{90 * time.Second, 24 * time.Hour} {
		s, err := couchdb.New(couchdb.Config{SessionTTL: ttl, Clock: core.NewClock(nil)})
		if err != nil {
			t.Fatal(err)
		}
		if got := s.SessionLifetime(); got != ttl {
			t.Errorf("SessionLifetime %v, want %v", got, ttl)
		}
	}
}
