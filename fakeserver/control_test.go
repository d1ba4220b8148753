package fakeserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// controlDo sends one control-plane request; headers are name/value pairs.
func controlDo(f *Fake, method, route, body string, headers ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, ControlPrefix+route, strings.NewReader(body))
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	f.ServeHTTP(w, r)
	return w
}

const jsonCT = "application/json"

// TestControlPlaneRefusesBrowsers: the requests a web page can send
// without a CORS preflight (any Origin, text/plain or form bodies, a POST
// without a type) change nothing; a JSON POST without Origin works.
func TestControlPlaneRefusesBrowsers(t *testing.T) {
	f, err := New(Options{Flavor: CouchDB, ControlPlane: true, Clock: func() time.Time { return biT0 }})
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
	if !f.Now().Equal(biT0) {
		t.Fatalf("a refused request moved the clock")
	}
	if w := controlDo(f, "POST", "clock", `{"advance":"1h"}`, "Content-Type", "application/json; charset=utf-8"); w.Code != http.StatusOK || !f.Now().Equal(biT0.Add(time.Hour)) {
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
