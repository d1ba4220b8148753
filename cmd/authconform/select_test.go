package main

import (
	"slices"
	"strings"
	"testing"
)

// selectedIDs runs the CLI with args and returns the ids of the fixtures
// that were not switched off, from the JSON report.
func selectedIDs(t *testing.T, args ...string) []string {
	t.Helper()
	file := t.TempDir() + "/r.json"
	r := cli(t, append(args, "--json-report", file)...)
	if r.code != 0 {
		t.Fatalf("%v: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
	}
	var ids []string
	for _, res := range reportedResults(t, file) {
		if res.Outcome != "disabled" {
			ids = append(ids, res.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

// TestFocusAndSkip: --focus and --skip select fixtures by id or by
// document section, and section labels are whole titles.
func TestFocusAndSkip(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"focus on an id", []string{"--focus", "cookie-expired$"}, []string{"couchdb/cookie-expired"}},
		{"focus on a section", []string{"--focus", "Example of requesting a cookie, using Python"}, []string{"couchdb/all-dbs-admin-only", "couchdb/python-login-logout"}},
		{"skip an id and a section", []string{"--focus", "^couchdb/(get-session|request-cookie|cookie-expired)", "--skip", "expired|Example of requesting a cookie, using HTTP"}, []string{"couchdb/get-session", "couchdb/get-session-curl", "couchdb/request-cookie-curl"}},
		{"a long section label", []string{"--label-filter", "section:example-of-requesting-a-cookie-using-python"}, []string{"couchdb/all-dbs-admin-only", "couchdb/python-login-logout"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := selectedIDs(t, append([]string{"run", "--flavor", "couchdb"}, c.args...)...)
			if !slices.Equal(got, c.want) {
				t.Errorf("%v selected %q, want %q", c.args, got, c.want)
			}
		})
	}
}

// TestFixturesListsLabels: the fixtures command shows each fixture's
// labels, whole, as --label-filter takes them.
func TestFixturesListsLabels(t *testing.T) {
	t.Parallel()
	r := cli(t, "fixtures", "--flavor", "couchdb")
	for _, want := range []string{"LABELS", "section:example-of-requesting-a-cookie-using-python", "state:logged-in", "clock"} {
		if r.code != 0 || !strings.Contains(r.stdout, want) {
			t.Errorf("exit %d, no %q in:\n%s", r.code, want, r.stdout)
		}
	}
}
