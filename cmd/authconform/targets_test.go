package main

import (
	"strings"
	"testing"

	"github.com/authconform/authconform/fakeserver"
)

func TestOrList(t *testing.T) {
	for _, tc := range []struct {
		items []string
		want  string
	}{
		{nil, ""},
		{[]string{"a"}, "a"},
		{[]string{"a", "b"}, "a or b"},
		{[]string{"a", "b", "c"}, "a, b or c"},
	} {
		if got := orList(tc.items); got != tc.want {
			t.Errorf("orList(%q) = %q, want %q", tc.items, got, tc.want)
		}
	}
}

// TestFlagHelpListsTheTables: the help of --flavor and --profile names
// every flavor and profile of the embedded fakes, as their tables have them.
func TestFlagHelpListsTheTables(t *testing.T) {
	serve, run := newServeCmd().Flags(), newRunCmd().Flags()
	for _, fl := range fakeserver.Flavors() {
		if help := serve.Lookup("flavor").Usage; !strings.Contains(help, string(fl)) {
			t.Errorf("serve --flavor help %q lacks %s", help, fl)
		}
		for _, p := range fakeserver.ProfilesFor(fl) {
			for name, help := range map[string]string{"serve": serve.Lookup("profile").Usage, "run": run.Lookup("profile").Usage} {
				if !strings.Contains(help, string(p)) {
					t.Errorf("%s --profile help %q lacks %s", name, help, p)
				}
			}
		}
	}
}
