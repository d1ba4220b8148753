package main

import (
	"strings"
	"testing"
)

// A --target that is not a usable base URL is a usage error that shows
// neither its user info, however malformed the URL (a forgotten scheme, a
// password with a space, a slash or a "?"), nor its query or fragment.
func TestTargetErrorsNeverShowUserinfoOrQuery(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ target, secret string }{
		{"admin:hunter2-pw@127.0.0.1:5984", "hunter2-pw"},
		{"http://admin:pass word@127.0.0.1:5984", "pass word"},
		{"http://admin:pa/ss-wd@127.0.0.1:5984", "ss-wd"},
		{"http://admin:pa?ss-wd@127.0.0.1:5984", "ss-wd"},
		{"ftp://admin:hunter2-pw@127.0.0.1:5984", "hunter2-pw"},
		{"http://127.0.0.1:5984/?token=query-secret", "query-secret"},
		{"http://127.0.0.1:5984/#frag-secret", "frag-secret"},
		{"http://127.0.0.1:5984/db?", ""},
	} {
		r := cli(t, "run", "--flavor", "couchdb", "--target", tc.target)
		if r.code != 2 || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("--target %q: exit %d, stderr %q; want 2 and one line", tc.target, r.code, r.stderr)
		}
		if tc.secret != "" && strings.Contains(r.stdout+r.stderr, tc.secret) {
			t.Errorf("--target %q: the output shows %q: %s", tc.target, tc.secret, r.stderr)
		}
	}
}

func TestWithoutUserinfo(t *testing.T) {
	for in, want := range map[string]string{
		"http://127.0.0.1:5984":         "http://127.0.0.1:5984",
		"http://a:b@host:1/x":           "http://*****@host:1/x",
		"a:b c@host:1":                  "*****@host:1",
		"https://u:p@q@host/":           "https://*****@host/",
		"http://host/db?next=/x":        "http://host/db?next=/x",
		"http://u:p%40x@host:1":         "http://*****@host:1",
		"host:5984":                     "host:5984",
		"http://u:secret@host:1/?q=1#f": "http://*****@host:1/?q=1#f",
	} {
		if got := withoutUserinfo(in); got != want {
			t.Errorf("withoutUserinfo(%q) = %q, want %q", in, got, want)
		}
	}
}
