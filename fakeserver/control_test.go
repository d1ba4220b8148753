package fakeserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

// controlDo sends one control-plane request; headers are name/value pairs.
func controlDo(f *Fake, method, route, body string, headers ...string) *httptest.ResponseRecorder {
	return testkit.Do(f, "", method, ControlPrefix+route, body, headers...)
}

const jsonCT = "application/json"

// TestControlPlaneRefusesBrowsers: the requests a web page can send
// without a CORS preflight (any Origin, text/plain or form bodies, a POST
// without a type) change nothing; a JSON POST without Origin works.
func TestControlPlaneRefusesBrowsers(t *testing.T) {
	f, err := New(Options{Flavor: CouchDB, ControlPlane: true, Clock: testkit.ClockAt(testkit.TranscriptDay())})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		headers []string
		want    int
	}{
		{"cross-site text/plain", []string{"Content-Type", "text/plain", "Origin", "http://evil.example"}, http.StatusForbidden},
		{"JSON with an Origin", []string{"Content-Type", jsonCT, "Origin", "http://127.0.0.1:5984"}, http.StatusForbidden},
		{"text/plain", []string{"Content-Type", "text/plain"}, http.StatusUnsupportedMediaType},
		{"form", []string{"Content-Type", formCT}, http.StatusUnsupportedMediaType},
		{"multipart", []string{"Content-Type", "multipart/form-data; boundary=x"}, http.StatusUnsupportedMediaType},
		{"no Content-Type", nil, http.StatusUnsupportedMediaType},
		{"JSON-looking suffix", []string{"Content-Type", "text/plain; application/json"}, http.StatusUnsupportedMediaType},
	} {
		w := controlDo(f, "POST", "clock", `{"advance":"1h"}`, c.headers...)
		var e struct{ Error string }
		if w.Code != c.want || json.Unmarshal(w.Body.Bytes(), &e) != nil || e.Error == "" {
			t.Errorf("%s: status %d body %s, want %d with an error", c.name, w.Code, w.Body, c.want)
		}
		if w := controlDo(f, "GET", "healthz", "", c.headers...); c.want == http.StatusForbidden && w.Code != c.want {
			t.Errorf("%s: GET healthz status %d, want %d", c.name, w.Code, c.want)
		}
	}
	if !f.Now().Equal(testkit.TranscriptDay()) {
		t.Fatalf("a refused request moved the clock")
	}
	if w := controlDo(f, "POST", "clock", `{"advance":"1h"}`, "Content-Type", "application/json; charset=utf-8"); w.Code != http.StatusOK || !f.Now().Equal(testkit.TranscriptDay().Add(time.Hour)) {
		t.Fatalf("a JSON POST: status %d %s, clock %v", w.Code, w.Body, f.Now())
	}
	if w := controlDo(f, "GET", "healthz", ""); w.Code != http.StatusOK {
		t.Fatalf("GET healthz without Content-Type: status %d %s", w.Code, w.Body)
	}
	if w := controlDo(f, "POST", "reset", "", "Content-Type", jsonCT); w.Code != http.StatusOK {
		t.Fatalf("POST reset without a body: status %d %s", w.Code, w.Body)
	}
}

// TestControlToken: with ControlToken set, every route but healthz needs
// it as a Bearer credential; reset then returns the state's vars.
func TestControlToken(t *testing.T) {
	const token = "s3cret-control"
	f, err := New(Options{Flavor: CouchDB, ControlPlane: true, ControlToken: token})
	if err != nil {
		t.Fatal(err)
	}
	for _, auth := range []string{"", "Bearer ", "Bearer s3cret", "Bearer " + token + "x", "Basic " + token, "bearer " + token} {
		for _, route := range []string{"", "clock", "reset"} {
			method := "GET"
			if route == "reset" {
				method = "POST"
			}
			w := controlDo(f, method, route, `{"state":"logged-in"}`, "Content-Type", jsonCT, "Authorization", auth)
			if w.Code != http.StatusUnauthorized || w.Header().Get("WWW-Authenticate") == "" || strings.Contains(w.Body.String(), "vars") {
				t.Errorf("%s %q with Authorization %q: status %d %s, want a 401 challenge", method, route, auth, w.Code, w.Body)
			}
		}
	}
	if w := controlDo(f, "GET", "healthz", ""); w.Code != http.StatusOK || strings.Contains(w.Body.String(), "vars") {
		t.Errorf("GET healthz without the token: status %d %s, want 200 without vars (a container health check has no token)", w.Code, w.Body)
	}
	if w := controlDo(f, "POST", "healthz", "", "Content-Type", jsonCT); w.Code != http.StatusUnauthorized {
		t.Errorf("POST healthz without the token: status %d, want 401 (only GET healthz is open)", w.Code)
	}
	w := controlDo(f, "POST", "reset", `{"state":"logged-in"}`, "Content-Type", jsonCT, "Authorization", "Bearer "+token)
	var out struct{ Vars map[string]string }
	if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &out) != nil || out.Vars["Cookie"] == "" {
		t.Fatalf("reset with the token: status %d %s", w.Code, w.Body)
	}
	if _, err := New(Options{Flavor: CouchDB, ControlToken: token}); err == nil {
		t.Errorf("ControlToken without ControlPlane was accepted")
	}
}

func newControlFake(t *testing.T, fl Flavor) *Fake {
	t.Helper()
	f, err := New(Options{Flavor: fl, ControlPlane: true, Clock: testkit.ClockAt(testkit.TranscriptDay())})
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
	if got := testkit.Do(f, testkit.Neo4jBase, "GET", "/db/data/", "", "Authorization", testkit.Basic("neo4j", "secret")); got.Code != 200 {
		t.Errorf("after the reset, neo4j/secret: %d", got.Code)
	}
	// No body: the default state, neo4j/neo4j with the change required.
	w = controlDo(f, "POST", "reset", "", "Content-Type", jsonCT)
	if w.Code != 200 || testkit.Do(f, testkit.Neo4jBase, "GET", "/db/data/", "", "Authorization", testkit.Basic("neo4j", "neo4j")).Code != http.StatusForbidden {
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
	if w.Code != 200 || clock.Now != "2026-11-22T14:50:37Z" || !f.Now().Equal(testkit.TranscriptDay().Add(90*time.Second)) {
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
	if !f.Now().Equal(testkit.TranscriptDay().Add(90 * time.Second)) {
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
	f, err := New(Options{Flavor: CouchDB, Clock: testkit.ClockAt(testkit.TranscriptDay())})
	if err != nil {
		t.Fatal(err)
	}
	w := controlDo(f, "GET", "healthz", "")
	if w.Code == 200 || strings.Contains(w.Body.String(), `"states"`) || !strings.Contains(w.Body.String(), `"error"`) {
		t.Errorf("control plane served without ControlPlane: %d %s", w.Code, w.Body)
	}
}
