package fakeserver

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

// These tests drive, in this package, what the CLI's and the specs' tests
// otherwise cover (the control plane's routes, the request log, TLS, the
// Fake's clock and states), so that make mutate sees it here.

var mutT0 = time.Date(2026, 11, 22, 14, 49, 7, 0, time.UTC)

func newControlFake(t *testing.T, fl Flavor) *Fake {
	t.Helper()
	f, err := New(Options{Flavor: fl, ControlPlane: true, Clock: func() time.Time { return mutT0 }})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func decodeJSON(t *testing.T, w *httptest.ResponseRecorder, v any) {
	t.Helper()
	if ct := w.Header().Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type %q: %s", ct, w.Body)
	}
	if err := json.Unmarshal(w.Body.Bytes(), v); err != nil {
		t.Fatalf("%v: %s", err, w.Body)
	}
}

func TestControlPlaneRoutes(t *testing.T) {
	f := newControlFake(t, Neo4j33)

	w := controlDo(f, "GET", "", "")
	var list struct{ Routes []ControlRoute }
	decodeJSON(t, w, &list)
	if w.Code != 200 || len(list.Routes) != len(ControlRoutes()) || list.Routes[2].Path != "/_authconform/reset" {
		t.Errorf("GET /_authconform/: %d %s", w.Code, w.Body)
	}

	w = controlDo(f, "GET", "healthz", "")
	var health struct {
		OK      bool
		Flavor  string
		Profile string
		States  []string
	}
	decodeJSON(t, w, &health)
	if w.Code != 200 || !health.OK || health.Flavor != "neo4j-3.3" || health.Profile != "documented" ||
		!slices.Equal(health.States, f.States()) || !slices.Contains(health.States, "password-changed") {
		t.Errorf("healthz: %d %s", w.Code, w.Body)
	}

	w = controlDo(f, "POST", "reset", `{"state":"password-changed"}`, "Content-Type", jsonCT)
	var reset struct{ Vars map[string]string }
	decodeJSON(t, w, &reset)
	if w.Code != 200 || reset.Vars["User"] != "neo4j" || reset.Vars["Password"] != "secret" || reset.Vars["OtherUser"] == "" {
		t.Errorf("reset password-changed: %d %s", w.Code, w.Body)
	}
	if got := do(f, "GET", "/db/data/", basicAuth("neo4j", "secret")); got.Code != 200 {
		t.Errorf("after the reset, neo4j/secret: %d", got.Code)
	}
	// No body: the default state, neo4j/neo4j with the change required.
	w = controlDo(f, "POST", "reset", "", "Content-Type", jsonCT)
	if w.Code != 200 || do(f, "GET", "/db/data/", basicAuth("neo4j", "neo4j")).Code != http.StatusForbidden {
		t.Errorf("reset without a body: %d %s", w.Code, w.Body)
	}

	w = controlDo(f, "POST", "reset", `{"state":"nope"}`, "Content-Type", jsonCT)
	var fail struct{ Error string }
	decodeJSON(t, w, &fail)
	if w.Code != 400 || !strings.Contains(fail.Error, `"nope"`) {
		t.Errorf("reset to an unknown state: %d %s", w.Code, w.Body)
	}
	if w := controlDo(f, "POST", "reset", `{"state":`, "Content-Type", jsonCT); w.Code != 400 || !strings.Contains(w.Body.String(), "must be JSON") {
		t.Errorf("a broken body: %d %s", w.Code, w.Body)
	}

	var clock struct{ Now string }
	w = controlDo(f, "GET", "clock", "")
	decodeJSON(t, w, &clock)
	if w.Code != 200 || clock.Now != "2026-11-22T14:49:07Z" {
		t.Errorf("GET clock: %d %s", w.Code, w.Body)
	}
	w = controlDo(f, "POST", "clock", `{"advance":"90s"}`, "Content-Type", jsonCT)
	decodeJSON(t, w, &clock)
	if w.Code != 200 || clock.Now != "2026-11-22T14:50:37Z" || !f.Now().Equal(mutT0.Add(90*time.Second)) {
		t.Errorf("POST clock 90s: %d %s, Now %v", w.Code, w.Body, f.Now())
	}
	if w := controlDo(f, "POST", "clock", `{"advance":"0s"}`, "Content-Type", jsonCT); w.Code != 200 {
		t.Errorf("advance 0s: %d %s", w.Code, w.Body)
	}
	for _, body := range []string{`{"advance":"-1s"}`, `{"advance":"soon"}`, `{}`} {
		if w := controlDo(f, "POST", "clock", body, "Content-Type", jsonCT); w.Code != 400 {
			t.Errorf("POST clock %s: %d %s", body, w.Code, w.Body)
		}
	}
	if !f.Now().Equal(mutT0.Add(90 * time.Second)) {
		t.Errorf("refused advances moved the clock: %v", f.Now())
	}
	for _, route := range [][2]string{{"GET", "reset"}, {"DELETE", "clock"}, {"GET", "nowhere"}} {
		if w := controlDo(f, route[0], route[1], ""); w.Code != 404 || !strings.Contains(w.Body.String(), "GET /_authconform/ lists them") {
			t.Errorf("%s %s: %d %s", route[0], route[1], w.Code, w.Body)
		}
	}
}

// TestControlPlaneOnlyWhenAsked: without ControlPlane the prefix is the
// flavor's (CouchDB: an unknown database, here refused for anonymous).
func TestControlPlaneOnlyWhenAsked(t *testing.T) {
	f, err := New(Options{Flavor: CouchDB, Clock: func() time.Time { return mutT0 }})
	if err != nil {
		t.Fatal(err)
	}
	w := controlDo(f, "GET", "healthz", "")
	if w.Code == 200 || strings.Contains(w.Body.String(), `"states"`) || !strings.Contains(w.Body.String(), `"error"`) {
		t.Errorf("control plane served without ControlPlane: %d %s", w.Code, w.Body)
	}
}

func do(h http.Handler, method, path, authorization string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, "http://localhost:7474"+path, nil)
	if authorization != "" {
		r.Header.Set("Authorization", authorization)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestFakeStatesResetAndClock(t *testing.T) {
	f := newControlFake(t, CouchDB)
	states := f.States()
	if !slices.Contains(states, "user-exists") || !slices.Contains(states, "logged-in") {
		t.Errorf("States %v", states)
	}
	for _, s := range states {
		if _, err := f.EnterState(s); err != nil {
			t.Errorf("EnterState(%q) of States: %v", s, err)
		}
	}
	f.Advance(time.Hour)
	if !f.Now().Equal(mutT0.Add(time.Hour)) {
		t.Errorf("Now after an hour: %v", f.Now())
	}
	if err := f.Reset(); err != nil || !f.Now().Equal(mutT0) {
		t.Errorf("Reset: %v, Now %v", err, f.Now())
	}
	if _, err := f.EnterState("nope"); err == nil {
		t.Error("EnterState of an unknown state")
	}
	if got := f.Options(); got.Flavor != CouchDB || got.Profile != ProfileDocumented || got.MaxBodyBytes != 1<<20 {
		t.Errorf("Options %+v", got)
	}
}

func TestLogRequests(t *testing.T) {
	var buf bytes.Buffer
	h := LogRequests(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/twice":
			w.WriteHeader(http.StatusTeapot)
			w.WriteHeader(http.StatusOK) // ignored by net/http; the log keeps the first
		case "/body":
			_, _ = w.Write([]byte("hello"))
			_, _ = w.Write([]byte(" world"))
		}
	}), &buf)
	for _, p := range []string{"/twice", "/body?password=hunter2", "/none"} {
		r := httptest.NewRequest("GET", "http://localhost"+p, nil)
		r.Header.Set("Authorization", "Basic c2VjcmV0")
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
	if strings.Contains(buf.String(), "hunter2") || strings.Contains(buf.String(), "c2VjcmV0") {
		t.Fatalf("a credential is logged: %s", buf.String())
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines: %s", len(lines), buf.String())
	}
	want := []struct {
		path          string
		status, bytes float64
	}{{"/twice", 418, 0}, {"/body", 200, 11}, {"/none", 200, 0}}
	for i, line := range lines {
		var e map[string]any
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatal(err)
		}
		if e["path"] != want[i].path || e["status"] != want[i].status || e["bytes"] != want[i].bytes || e["method"] != "GET" || e["remote"] != "192.0.2.1:1234" {
			t.Errorf("line %d: %s", i, line)
		}
		if d, ok := e["duration_ms"].(float64); !ok || d < 0 {
			t.Errorf("line %d duration: %s", i, line)
		}
		if _, err := time.Parse(time.RFC3339Nano, e["time"].(string)); err != nil {
			t.Errorf("line %d time: %v", i, err)
		}
	}
}

func TestStartTLS(t *testing.T) {
	s, err := StartTLS(Options{Flavor: Neo4j33})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !strings.HasPrefix(s.URL, "https://127.0.0.1:") {
		t.Fatalf("URL %s", s.URL)
	}
	resp, err := s.Client().Get(s.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.TLS == nil {
		t.Fatalf("GET / over TLS: %d", resp.StatusCode)
	}
	if _, err := StartTLS(Options{}); err == nil {
		t.Fatal("StartTLS without a flavor")
	}
}

// TestHTTPServerTimeouts: every timeout is set, so that no client can hang
// the fake, and a header read is the shortest.
func TestHTTPServerTimeouts(t *testing.T) {
	s := NewHTTPServer(http.NotFoundHandler())
	for name, d := range map[string]time.Duration{"ReadHeaderTimeout": s.ReadHeaderTimeout, "ReadTimeout": s.ReadTimeout, "WriteTimeout": s.WriteTimeout, "IdleTimeout": s.IdleTimeout} {
		if d < time.Second || d > 10*time.Minute {
			t.Errorf("%s %v", name, d)
		}
	}
	if s.ReadHeaderTimeout > s.ReadTimeout || s.MaxHeaderBytes <= 64<<10 {
		t.Errorf("ReadHeaderTimeout %v, ReadTimeout %v, MaxHeaderBytes %d", s.ReadHeaderTimeout, s.ReadTimeout, s.MaxHeaderBytes)
	}
}

func TestProfilesFor(t *testing.T) {
	for fl, want := range map[Flavor][]Profile{
		Neo4j33:    {ProfileDocumented, ProfileNeo4j339},
		Neo4jQuery: {ProfileDocumented, ProfileNeo4j5},
		CouchDB:    {ProfileDocumented, ProfileCouchDB33, ProfileCouchDB34, ProfileCouchDB35},
		"nope":     nil,
	} {
		if got := ProfilesFor(fl); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", fl, got, want)
		}
	}
}

func TestOptionsLimits(t *testing.T) {
	for name, o := range map[string]Options{
		"unknown flavor":   {Flavor: "nope"},
		"foreign profile":  {Flavor: Neo4j33, Profile: ProfileCouchDB35},
		"body over limit":  {Flavor: Neo4j33, MaxBodyBytes: MaxBodyBytesLimit + 1},
		"negative timeout": {Flavor: Neo4j33, BodyTimeout: -time.Second},
		"token, no plane":  {Flavor: Neo4j33, ControlToken: "t"},
		"empty user name":  {Flavor: Neo4j33, Users: []User{{Name: "", Password: "x"}}},
		"a user twice":     {Flavor: Neo4j33, Users: []User{{Name: "a", Password: "x"}, {Name: "a", Password: "y"}}},
		"couchdb change":   {Flavor: CouchDB, Users: []User{{Name: "a", Password: "x", PasswordChangeRequired: true}}},
	} {
		if _, err := New(o); err == nil {
			t.Errorf("%s: New accepted %+v", name, o)
		}
	}
	for name, o := range map[string]Options{
		"body at limit": {Flavor: Neo4j33, MaxBodyBytes: MaxBodyBytesLimit},
		"a release":     {Flavor: Neo4j33, Profile: ProfileNeo4j339},
	} {
		f, err := New(o)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := f.Options(); got.BodyTimeout <= 0 || got.Clock == nil {
			t.Errorf("%s: defaults not filled: %+v", name, got)
		}
	}
	f, _ := New(Options{Flavor: Neo4j33, MaxBodyBytes: -5})
	if f.Options().MaxBodyBytes != 1<<20 {
		t.Errorf("a negative MaxBodyBytes is not the default: %d", f.Options().MaxBodyBytes)
	}
}
