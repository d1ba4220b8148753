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
	} {
		got, err := CanonicalTarget(context.Background(), in)
		if err != nil || got != want {
			t.Errorf("CanonicalTarget(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := CanonicalTarget(context.Background(), "not a url"); err == nil {
		t.Error("a URL without a host has a canonical name")
	}
}
