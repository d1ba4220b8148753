package fakeserver

import (
	"encoding/json"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/authconform/authconform/fakeserver/internal/core"
)

// ControlPrefix is the reserved path prefix of the control plane, mounted
// only when Options.ControlPlane is set. It lets users who run the binary
// reset state and move time without a restart; ControlRoutes lists its
// routes, and so does GET /_authconform/:
//
//	GET  /_authconform/                                       -> {"routes": [...]}
//	GET  /_authconform/healthz                                -> {"ok": true, "flavor": ..., "states": [...]}
//	POST /_authconform/reset   {"state": "password-changed"}  -> {"vars": {...}}
//	GET  /_authconform/clock                                  -> {"now": "..."}
//	POST /_authconform/clock   {"advance": "5s"}              -> {"now": "..."}
//
// Reset's vars hold the state's credentials (passwords, tokens, cookies),
// so the control plane admits no browser: a request with an Origin header
// is refused (403), and so is a POST whose Content-Type is not
// application/json (415), which no page can send cross-site without a CORS
// preflight that the fake never answers. With Options.ControlToken set,
// every request needs "Authorization: Bearer <token>" (401 without).
const ControlPrefix = "/_authconform/"

// ControlRoute is one route of the control plane.
type ControlRoute struct {
	Method string `json:"method"`
	Path   string `json:"path"`
	Body   string `json:"body,omitempty"`
	Does   string `json:"does"`
}

// ControlRoutes lists the routes of the control plane.
func ControlRoutes() []ControlRoute {
	return []ControlRoute{
		{"GET", ControlPrefix, "", "this list"},
		{"GET", ControlPrefix + "healthz", "", "flavor, profile and the states reset accepts"},
		{"POST", ControlPrefix + "reset", `{"state": "password-changed"}`, "fresh users, sessions and clock in that state (no body: the default); returns its vars"},
		{"GET", ControlPrefix + "clock", "", "the fake's current time"},
		{"POST", ControlPrefix + "clock", `{"advance": "5s"}`, "move the clock: sessions and tokens expire, locks lift"},
	}
}

func isControlPath(p string) bool { return strings.HasPrefix(p, ControlPrefix) }

func (f *Fake) serveControl(w http.ResponseWriter, r *http.Request) {
	reply := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	fail := func(status int, msg string) { reply(status, map[string]string{"error": msg}) }
	if status, msg := f.refuseControl(r); status != 0 {
		if status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Bearer realm="authconform control plane"`)
		}
		fail(status, msg)
		return
	}
	var in struct {
		State   string `json:"state"`
		Advance string `json:"advance"`
	}
	if r.Method == http.MethodPost && r.ContentLength != 0 {
		_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(f.opts.BodyTimeout))
		r.Body = http.MaxBytesReader(w, r.Body, 4096)
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			fail(http.StatusBadRequest, "control body must be JSON: "+err.Error())
			return
		}
	}
	switch route := r.Method + " " + strings.TrimPrefix(r.URL.Path, ControlPrefix); route {
	case "GET ":
		reply(http.StatusOK, map[string]any{"routes": ControlRoutes()})
	case "GET healthz":
		reply(http.StatusOK, map[string]any{"ok": true, "flavor": f.opts.Flavor, "profile": f.opts.Profile, "states": f.States()})
	case "POST reset":
		vars, err := f.resetTo(in.State)
		if err != nil {
			fail(http.StatusBadRequest, err.Error())
			return
		}
		reply(http.StatusOK, map[string]any{"vars": vars})
	case "GET clock":
		reply(http.StatusOK, map[string]any{"now": f.Now().UTC().Format(time.RFC3339Nano)})
	case "POST clock":
		d, err := time.ParseDuration(in.Advance)
		if err != nil || d < 0 {
			fail(http.StatusBadRequest, `"advance" must be a non-negative Go duration such as "5s"`)
			return
		}
		f.Advance(d)
		reply(http.StatusOK, map[string]any{"now": f.Now().UTC().Format(time.RFC3339Nano)})
	default:
		fail(http.StatusNotFound, "unknown control route "+r.Method+" "+r.URL.Path+"; GET "+ControlPrefix+" lists them")
	}
}

// refuseControl is the control plane's guard: the status and message of a
// refusal, or 0 to serve r.
func (f *Fake) refuseControl(r *http.Request) (int, string) {
	if r.Header.Get("Origin") != "" {
		return http.StatusForbidden, "the control plane refuses requests from browsers (an Origin header)"
	}
	// healthz tells no secret (flavor, profile, state names), and a
	// container's health check or a wait strategy has no token to send.
	healthz := r.Method == http.MethodGet && r.URL.Path == ControlPrefix+"healthz"
	if f.opts.ControlToken != "" && !healthz {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || !core.SameSecret([]byte(token), []byte(f.opts.ControlToken)) {
			return http.StatusUnauthorized, "the control plane needs Authorization: Bearer <control token>"
		}
	}
	if ct := r.Header.Get("Content-Type"); ct != "" || r.Method == http.MethodPost {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			return http.StatusUnsupportedMediaType, "control requests must be Content-Type: application/json"
		}
	}
	return 0, ""
}
