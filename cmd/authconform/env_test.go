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
