package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/spf13/cobra"
)

func TestServeFlagsBecomeOptions(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f := serveFlags{
		flavor: "couchdb", profile: "couchdb-3.5",
		users:        []string{"admin:secret:_admin", "neo4j:neo4j!", "bob:pw:reader,writer"},
		tokens:       []string{"tok=bob"},
		tokenTTL:     time.Hour,
		dbs:          []string{"shop:members=bob:admins=_admin", "pub:public"},
		docs:         []string{`pub/hello={"a":1}`},
		cookieSecret: "s3cret",
	}
	o, err := f.options(start)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Users) != 3 || !o.Users[1].PasswordChangeRequired || o.Users[1].Password != "neo4j" || strings.Join(o.Users[2].Roles, ",") != "reader,writer" {
		t.Errorf("users: %+v", o.Users)
	}
	if len(o.Tokens) != 1 || !o.Tokens[0].Expires.Equal(start.Add(time.Hour)) {
		t.Errorf("tokens: %+v", o.Tokens)
	}
	if len(o.Databases) != 2 || o.Databases[0].Members[0] != "bob" || o.Databases[0].Admins[0] != "_admin" || !o.Databases[1].Public || o.Databases[1].Docs["hello"] != `{"a":1}` {
		t.Errorf("databases: %+v", o.Databases)
	}
	if string(o.CookieSecret) != "s3cret" {
		t.Errorf("cookie secret %q", o.CookieSecret)
	}
	sec := serveFlags{flavor: "couchdb", dbs: []string{"shop"}, security: []string{`shop={"members":{"roles":["staff"]}}`}}
	if o, err := sec.options(start); err != nil || o.Databases[0].Security != `{"members":{"roles":["staff"]}}` {
		t.Errorf("--security: %+v, %v", o.Databases, err)
	}
	for _, bad := range []serveFlags{
		{dbs: []string{"shop"}, security: []string{"shop"}},
		{dbs: []string{"shop"}, security: []string{"shop=[1]"}},
		{dbs: []string{"shop"}, security: []string{`nodb={}`}},
		{dbs: []string{"shop:public"}, security: []string{`shop={}`}},
		{users: []string{"nocolon"}},
		{tokens: []string{"tok"}},
		{dbs: []string{"x:private"}},
		{dbs: []string{"x"}, docs: []string{"x/id=not json"}},
		{docs: []string{`nodb/id={}`}},
	} {
		if _, err := bad.options(start); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}

// TestServeControlBeyondLoopbackNeedsAToken: serve refuses, before it
// listens, to mount the control plane beyond loopback without a token.
func TestServeControlBeyondLoopbackNeedsAToken(t *testing.T) {
	t.Setenv("AUTHCONFORM_CONTROL_TOKEN", "")
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0", "192.0.2.1:0"} {
		cmd := newServeCmd()
		cmd.SetArgs([]string{"--flavor", "couchdb", "--control", "--addr", addr})
		cmd.SetOut(io.Discard)
		cmd.SetErr(io.Discard)
		err := cmd.Execute()
		var usage usageError
		if !errors.As(err, &usage) || !strings.Contains(err.Error(), "--control-token") {
			t.Errorf("--control --addr %s: err %v, want a usage error naming --control-token", addr, err)
		}
	}
	for addr, want := range map[string]bool{"127.0.0.1:7474": true, "[::1]:7474": true, "localhost:7474": true, "127.0.0.2:1": true,
		"0.0.0.0:7474": false, ":7474": false, "192.0.2.1:7474": false, "example.com:7474": false, "nonsense": false} {
		if got := loopbackOnly(addr); got != want {
			t.Errorf("loopbackOnly(%q) = %v, want %v", addr, got, want)
		}
	}
}

// TestServeNodesStandsForACluster starts `serve --nodes 3`: the first URL
// is a balancer that reaches each node in turn, and each node's own URL
// names that node; with --own-admin-salts an admin's cookie from one node
// is anonymous on the next.
func TestServeNodesStandsForACluster(t *testing.T) {
	serve := command("serve", "--flavor", "couchdb", "--addr", "127.0.0.1:0", "--nodes", "3", "--own-admin-salts")
	stdout, err := serve.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	serve.Stderr = io.Discard
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = serve.Process.Kill(); _ = serve.Wait() })
	lines := bufio.NewScanner(stdout)
	var urls []string
	for len(urls) < 4 && lines.Scan() {
		if u := regexp.MustCompile(`http://\S+`).FindString(lines.Text()); u != "" {
			urls = append(urls, u)
		}
	}
	if len(urls) != 4 {
		t.Fatalf("serve --nodes 3 printed URLs %v, want a balancer and 3 nodes", urls)
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	for i, u := range urls[1:] {
		if _, body := adminGet(t, u+"/_node/_local"); !strings.Contains(body, fmt.Sprintf(`"couchdb%d@127.0.0.1"`, i+1)) {
			t.Errorf("node %d at %s: %s", i+1, u, body)
		}
	}
	seen := map[string]bool{}
	for range 3 {
		_, body := adminGet(t, urls[0]+"/_node/_local")
		seen[body] = true
	}
	if len(seen) != 3 {
		t.Errorf("3 requests through the balancer reached %d distinct nodes: %v", len(seen), seen)
	}
	resp, err := http.PostForm(urls[1]+"/_session", map[string][]string{"name": {"admin"}, "password": {"secret"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var cookie string
	for _, c := range resp.Cookies() {
		if c.Name == "AuthSession" {
			cookie = c.Value
		}
	}
	if _, body := httpGet(t, urls[2]+"/_session", "Cookie", "AuthSession="+cookie); cookie == "" || !strings.Contains(body, `"name":null`) {
		t.Errorf("node 2 with node 1's admin cookie (%q): %s, want anonymous", cookie, body)
	}
}

// TestServeControlTokenFromEnv: AUTHCONFORM_CONTROL_TOKEN is --control-token
// as every flag's variable is, so serve beyond loopback goes on to listen.
func TestServeControlTokenFromEnv(t *testing.T) {
	for token, wantTokenError := range map[string]bool{"": true, "from-env": false} {
		t.Setenv("AUTHCONFORM_CONTROL_TOKEN", token)
		root := &cobra.Command{Use: "authconform", SilenceUsage: true, SilenceErrors: true}
		root.AddCommand(newServeCmd())
		withEnv(root)
		root.SetArgs([]string{"serve", "--flavor", "neo4j-3.3", "--control", "--addr", "192.0.2.1:0"}) // TEST-NET-1: never this machine's
		root.SetOut(io.Discard)
		err := root.Execute()
		if err == nil || strings.Contains(err.Error(), "--control-token") != wantTokenError {
			t.Errorf("AUTHCONFORM_CONTROL_TOKEN=%q: err %v, want a --control-token error: %v", token, err, wantTokenError)
		}
	}
}

// TestServeStopsOnAClosedTerminal: SIGHUP (a closed terminal or SSH
// session) stops serve as SIGINT and SIGTERM do: exit 0, and
// the request log written to its last line.
func TestServeStopsOnAClosedTerminal(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	serve, url := startServe(t, &logs, "couchdb")
	resp, err := http.Get(url + "/_up")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if err := stopWith(t, serve, syscall.SIGHUP, &logs); err != nil {
		t.Fatalf("serve after SIGHUP: %v, want exit 0", err)
	}
	if !strings.Contains(logs.String(), `"path":"/_up"`) {
		t.Errorf("the request log lost the last request: %q", logs.String())
	}
}
