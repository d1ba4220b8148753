package main

import (
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/authconform/authconform/fakeserver"
)

// secretClasses are the kinds of printable character a secret is drawn
// from, each at least once: letters, digits, space, the characters that
// end a pattern or need escaping in JSON, URLs, HTML and XML, and
// non-ASCII letters and symbols. Neo4j's Cypher quotes passwords in '...'
// and Basic splits at the first ':', so those two stay out of passwords.
var secretClasses = []string{
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
	"0123456789",
	" ",
	`",{}[];=&?#%+/@<>!$()*^|~\` + "`",
	"éßøжд中文ü€✓🔑",
}

func randomPassword(rng *rand.Rand) string {
	var b []rune
	for _, c := range secretClasses {
		rs := []rune(c)
		b = append(b, rs[rng.IntN(len(rs))])
	}
	all := []rune(strings.Join(secretClasses, ""))
	for len(b) < 14+rng.IntN(10) {
		b = append(b, all[rng.IntN(len(all))])
	}
	rng.Shuffle(len(b), func(i, j int) { b[i], b[j] = b[j], b[i] })
	return string(b)
}

// spy stands between the CLI and a fake: it records every secret the run
// sends or receives (Basic passwords, bearer tokens, passwords in bodies,
// session cookies), so the test knows the temporary and scratch passwords
// too; with echo it also sends each request's credentials back in a header
// of every answer and in the body of every error, as a careless server
// might, which makes fixtures fail with those values in their mismatches.
type spy struct {
	fake http.Handler
	echo bool

	mu      sync.Mutex
	secrets map[string]string // secret -> the user it belongs to ("" for none)
}

var (
	passwordInJSON   = regexp.MustCompile(`"password"\s*:\s*("(?:[^"\\]|\\.)*")`)
	passwordInCypher = regexp.MustCompile(`(?:FROM|TO) '((?:[^'\\]|\\.)*)'`)
)

// generated are the passwords the run makes up: a temporary password, a
// scratch user's.
var generated = regexp.MustCompile(`^(authconform-[0-9a-f]{12}|[0-9a-f]{18})$`)

// learn keeps a secret the run uses: one it was given, one it generated.
// The fixtures' own wrong passwords and unknown tokens are public text.
func (s *spy) learn(user, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, given := s.secrets[secret]; given || generated.MatchString(secret) {
		if s.secrets[secret] == "" {
			s.secrets[secret] = user
		}
	}
}

// learnCookie keeps a session the server opened.
func (s *spy) learnCookie(value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(value) >= 8 {
		s.secrets[value] = ""
	}
}

func (s *spy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(strings.NewReader(string(body)))
	user, pass, basic := r.BasicAuth()
	if basic {
		s.learn(user, pass)
	}
	if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		s.learn("", tok)
	}
	for _, m := range passwordInJSON.FindAllStringSubmatch(string(body), -1) {
		var p string
		if json.Unmarshal([]byte(m[1]), &p) == nil {
			s.learn("", p)
		}
	}
	if form, err := url.ParseQuery(string(body)); err == nil {
		s.learn(form.Get("name"), form.Get("password"))
	}
	for _, m := range passwordInCypher.FindAllStringSubmatch(string(body), -1) {
		s.learn("", strings.ReplaceAll(m[1], `\'`, `'`))
	}
	rec := httptest.NewRecorder()
	s.fake.ServeHTTP(rec, r)
	for _, c := range rec.Result().Cookies() {
		s.learnCookie(c.Value)
	}
	echo := fmt.Sprintf("auth=%s user=%s pass=%s cookie=%s body=%s", r.Header.Get("Authorization"), user, pass, r.Header.Get("Cookie"), body)
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	out := rec.Body.Bytes()
	if s.echo {
		w.Header().Set("X-Echo", strings.NewReplacer("\r", " ", "\n", " ").Replace(echo))
		if rec.Code >= 400 {
			e, _ := json.Marshal(echo)
			out = []byte(`{"error":"echo","reason":` + string(e) + `,"errors":[{"code":"Neo.ClientError.Echo","message":` + string(e) + `}]}`)
			w.Header().Del("Content-Length")
		}
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(out)
}

// leakForms are the spellings of a secret that would reveal it, in every
// encoding a report or a log line applies.
func leakForms(user, secret string) map[string]string {
	j, _ := json.Marshal(secret)
	var x strings.Builder
	_ = xml.EscapeText(&x, []byte(secret))
	forms := map[string]string{
		"plain": secret, "JSON": string(j[1 : len(j)-1]), "query-escaped": url.QueryEscape(secret),
		"path-escaped": url.PathEscape(secret), "HTML": html.EscapeString(secret), "XML": x.String(),
	}
	if user != "" {
		pair := []byte(user + ":" + secret)
		forms["base64 user:password"] = base64.StdEncoding.EncodeToString(pair)
		forms["base64url user:password"] = base64.RawURLEncoding.EncodeToString(pair)
	}
	return forms
}

// TestNoSecretLeavesTheProcess is the property: for random secrets of
// every printable class, on a passing run and on a failing run against a
// server that echoes credentials back, no secret the run used (given,
// temporary, scratch, token or cookie) shows in any encoding on stdout,
// on stderr or in any report.
func TestNoSecretLeavesTheProcess(t *testing.T) {
	t.Parallel()
	// Each run draws its own secrets (a seed per run); the three flavors
	// pass and fail, but neo4j-query's passing run adds nothing the others
	// do not cover, and each run is a whole live suite.
	for seed, c := range []struct {
		flavor string
		echo   bool
	}{{"couchdb", false}, {"couchdb", true}, {"neo4j-3.3", false}, {"neo4j-3.3", true}, {"neo4j-query", true}} {
		t.Run(fmt.Sprintf("%s/echo=%v", c.flavor, c.echo), func(t *testing.T) {
			t.Parallel()
			checkNoSecretLeaves(t, c.flavor, c.echo, uint64(seed))
		})
	}
}

// The control token of `serve --control-token` never shows either, though
// the fake behind the control plane echoes it into every error.
func TestControlTokenNeverLeavesTheProcess(t *testing.T) {
	t.Parallel()
	token := "ctl-" + strings.ReplaceAll(randomPassword(rand.New(rand.NewPCG(7, 7))), " ", "_")
	fake, err := fakeserver.New(fakeserver.Options{Flavor: fakeserver.CouchDB, ControlPlane: true, ControlToken: token})
	if err != nil {
		t.Fatal(err)
	}
	s := &spy{fake: fake, echo: true, secrets: map[string]string{token: ""}}
	// Every other control-plane request fails, echoing its credentials.
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/_authconform/") && n.Add(1)%2 == 0 {
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprintf(w, `{"error":%q,"reason":%q}`, "you sent "+r.Header.Get("Authorization"), "you sent "+r.Header.Get("Authorization"))
			return
		}
		s.ServeHTTP(w, r)
	}))
	defer srv.Close()
	dir := t.TempDir()
	r := cli(t, "run", "--flavor", "couchdb", "--target", srv.URL, "--control", "--control-token", token, "--allow-destructive",
		"--fixture", "couchdb/get-session,couchdb/basic-auth-header,couchdb/cookie-wins-over-basic,couchdb/user-lifecycle",
		"--json-report", filepath.Join(dir, "r.json"), "--html-report", filepath.Join(dir, "r.html"), "-v")
	if r.code != 1 {
		t.Fatalf("the echoing target should fail the run (exit 1), got %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	outputs := map[string]string{"stdout": r.stdout, "stderr": r.stderr}
	for _, name := range []string{"r.json", "r.html"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		outputs[name] = string(data)
	}
	if !strings.Contains(r.stdout+outputs["r.json"], "Bearer *****") {
		t.Error("no echoed control token was masked: the test checks nothing")
	}
	for form, text := range leakForms("", token) {
		for where, out := range outputs {
			if strings.Contains(out, text) {
				t.Errorf("%s shows the control token (%s form)", where, form)
			}
		}
	}
}

func checkNoSecretLeaves(t *testing.T, flavor string, echo bool, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, uint64(len(flavor))))
	password, other := randomPassword(rng), randomPassword(rng)
	token := strings.ReplaceAll(randomPassword(rng), " ", "_") // a header value keeps no edge spaces
	o := fakeserver.Options{Flavor: fakeserver.Flavor(flavor)}
	args := []string{"run", "--flavor", flavor, "--password", password, "--allow-destructive", "--state-dir", t.TempDir()}
	switch flavor {
	case "couchdb":
		o.Users = []fakeserver.User{{Name: "admin", Password: password, Roles: []string{"_admin"}}, {Name: "alice", Password: other, Roles: []string{"reader"}}}
		o.Databases = liveDatabases()
		args = append(args, "--user", "admin", "--other-user", "alice", "--other-password", other, "--database", "private", "--document", "db/document")
	case "neo4j-3.3":
		// A pending password change lets change-password run, with a
		// temporary password.
		o.Users = []fakeserver.User{{Name: "neo4j", Password: password, PasswordChangeRequired: true}}
		args = append(args, "--user", "neo4j")
	case "neo4j-query":
		o.Users = []fakeserver.User{{Name: "neo4j", Password: password}}
		o.Tokens = []fakeserver.Token{{Token: token, User: "neo4j"}}
		args = append(args, "--user", "neo4j", "--token", token)
	}
	fake := newFake(t, o)
	s := &spy{fake: fake, echo: echo, secrets: map[string]string{password: "", other: "", token: ""}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	dir := t.TempDir()
	reports := map[string]string{"--json-report": "r.json", "--junit-report": "r.xml", "--markdown-report": "r.md", "--html-report": "r.html"}
	for flag, name := range reports {
		args = append(args, flag, filepath.Join(dir, name))
	}
	r := cli(t, append(args, "--target", srv.URL, "-v")...)
	if !echo && r.code != 0 {
		t.Fatalf("the passing run exits %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	if echo && r.code != 1 {
		t.Fatalf("the echoing target should fail the run (exit 1), got %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	outputs := map[string]string{"stdout": r.stdout, "stderr": r.stderr}
	for _, name := range reports {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		outputs[name] = string(data)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.secrets[password] == "" {
		t.Fatalf("the spy never saw the password in a Basic header: the run sent no credentials (%d secrets seen)", len(s.secrets))
	}
	temporary := 0
	for secret, user := range s.secrets {
		if strings.HasPrefix(secret, "authconform-") {
			temporary++
		}
		for form, text := range leakForms(user, secret) {
			for where, out := range outputs {
				if i := strings.Index(out, text); i >= 0 {
					t.Errorf("%s shows a secret (%s form) at %d: ...%.80q...", where, form, i, out[max(0, i-40):min(len(out), i+len(text)+20)])
				}
			}
		}
	}
	if temporary == 0 && flavor == "neo4j-3.3" {
		t.Error("no temporary password went by: the run changed no password, so the test proves less than it claims")
	}
	if !strings.Contains(outputs["r.json"], "*****") {
		t.Error("no masked value in the JSON report: it carries no exchange to check")
	}
}
