package main

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestFlagsFromEnv(t *testing.T) {
	env := map[string]string{
		"AUTHCONFORM_FLAVOR":          "couchdb,neo4j-3.3",
		"AUTHCONFORM_TARGET":          "http://127.0.0.1:5984",
		"AUTHCONFORM_USER":            "from-env",
		"AUTHCONFORM_SESSION_TIMEOUT": "600s",
		"AUTHCONFORM_FIXTURE":         "a\nb",
		"AUTHCONFORM_VERBOSE":         "true",
	}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	cmd := newRunCmd()
	if err := cmd.ParseFlags([]string{"--user", "from-flag"}); err != nil {
		t.Fatal(err)
	}
	if err := flagsFromEnv(cmd, lookup); err != nil {
		t.Fatal(err)
	}
	get := func(name string) string { return cmd.Flags().Lookup(name).Value.String() }
	for name, want := range map[string]string{
		"flavor": "[couchdb,neo4j-3.3]", "target": "http://127.0.0.1:5984", "user": "from-flag",
		"session-timeout": (600 * time.Second).String(), "fixture": "[a,b]", "verbose": "true", "password": "",
	} {
		if got := get(name); got != want {
			t.Errorf("--%s = %q, want %q", name, got, want)
		}
	}

	env = map[string]string{"AUTHCONFORM_TIMEOUT": "soon"}
	err := flagsFromEnv(newRunCmd(), lookup)
	if err == nil || !strings.Contains(err.Error(), `AUTHCONFORM_TIMEOUT="soon"`) {
		t.Errorf("bad value: %v", err)
	}
}

// TestEveryFlagHasAVariable: the environment reaches every flag of every
// command through the same mechanism, also flags added later.
func TestEveryFlagHasAVariable(t *testing.T) {
	t.Parallel()
	r := cli(t, "serve", "--help")
	if !strings.Contains(r.stdout, "AUTHCONFORM_FLAVOR=couchdb") {
		t.Errorf("serve --help does not explain the variables:\n%s", r.stdout)
	}
	cmd := command("fixtures")
	cmd.Env = append(cmd.Env, "AUTHCONFORM_FLAVOR=neo4j-query")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	ids := slices.DeleteFunc(lines[1:len(lines)-2], func(l string) bool { return strings.HasPrefix(l, "neo4j-query/") })
	if len(lines) < 4 || len(ids) != 0 {
		t.Errorf("AUTHCONFORM_FLAVOR=neo4j-query listed other flavors: %v", ids)
	}
}

// TestRunAndServeVariablesDoNotClash: one CI job sets run's account and
// serve's users, each through its own variable; a bad value from a
// variable is reported with the variable's name.
func TestRunAndServeVariablesDoNotClash(t *testing.T) {
	t.Parallel()
	serve := command("serve", "--flavor", "couchdb", "--addr", "127.0.0.1:0", "--help")
	serve.Env = append(serve.Env, "AUTHCONFORM_USER=admin", "AUTHCONFORM_TOKEN=raw")
	if out, err := serve.CombinedOutput(); err != nil {
		t.Fatalf("serve with run's AUTHCONFORM_USER set: %v\n%s", err, out)
	}
	env := map[string]string{"AUTHCONFORM_USER": "admin", "AUTHCONFORM_SERVE_USER": "bob:pw\ncarol:pw2:_admin"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	cmd := newServeCmd()
	if err := flagsFromEnv(cmd, lookup); err != nil {
		t.Fatal(err)
	}
	if got := cmd.Flags().Lookup("user").Value.String(); got != "[bob:pw,carol:pw2:_admin]" {
		t.Errorf("serve --user from AUTHCONFORM_SERVE_USER: %s", got)
	}
	run := newRunCmd()
	if err := flagsFromEnv(run, lookup); err != nil {
		t.Fatal(err)
	}
	if got := run.Flags().Lookup("user").Value.String(); got != "admin" {
		t.Errorf("run --user from AUTHCONFORM_USER: %s", got)
	}

	bad := command("serve", "--flavor", "couchdb", "--addr", "127.0.0.1:0")
	bad.Env = append(bad.Env, "AUTHCONFORM_SERVE_USER=admin")
	out, _ := bad.CombinedOutput()
	if !strings.Contains(string(out), `--user (from AUTHCONFORM_SERVE_USER) "admin" must be name:password[:roles]`) {
		t.Errorf("a bad --user from the environment: %q", out)
	}
}
