package live

import (
	"context"
	"testing"
)

// TestCanonicalTarget: one server, however it is spelled, is one key; a
// different port or scheme is another server.
func TestCanonicalTarget(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"http://127.0.0.1:5984":     "http://127.0.0.1:5984",
		"http://localhost:5984/":    "http://127.0.0.1:5984",
		"HTTP://LocalHost:5984/x/y": "http://127.0.0.1:5984",
		"http://127.0.0.1":          "http://127.0.0.1:80",
		"https://127.0.0.1":         "https://127.0.0.1:443",
		"http://[::1]:7474":         "http://[::1]:7474",
		// Spellings of one server that once made five ledgers of one
		// account (issue 22).
		"http://127.0.0.1:017616":         "http://127.0.0.1:17616",
		"http://[::ffff:127.0.0.1]:17616": "http://127.0.0.1:17616",
		"http://[::FFFF:7f00:1]:17616/":   "http://127.0.0.1:17616",
		"http://127.0.0.1:17616/db/../x?": "http://127.0.0.1:17616",
		"http://LOCALHOST.:17616//":       "http://127.0.0.1:17616",
		"http://127.0.0.1:00080":          "http://127.0.0.1:80",
		"http://[0:0:0:0:0:0:0:1]:7474":   "http://[::1]:7474",
		"http://[fe80::1%25eth0]:7474":    "http://[fe80::1]:7474",
		"https://127.0.0.1:0443":          "https://127.0.0.1:443",
	} {
		got, err := CanonicalTarget(context.Background(), in)
		if err != nil || got != want {
			t.Errorf("CanonicalTarget(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"not a url", "http://127.0.0.1:65536", "http://127.0.0.1:0", "http://127.0.0.1:x1"} {
		if got, err := CanonicalTarget(context.Background(), bad); err == nil {
			t.Errorf("%q has a canonical name, %q", bad, got)
		}
	}
}
