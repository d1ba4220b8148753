package fakeserver

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestStartTLS(t *testing.T) {
	s, err := StartTLS(Options{Flavor: Neo4j33})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !strings.HasPrefix(s.URL, "https://127.0.0.1:") {
		t.Fatalf("URL %s", s.URL)
	}
	resp, err := s.Client().Get(s.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.TLS == nil {
		t.Fatalf("GET / over TLS: %d", resp.StatusCode)
	}
	if _, err := StartTLS(Options{}); err == nil {
		t.Fatal("StartTLS without a flavor")
	}
}

// TestHTTPServerTimeouts: every timeout is set, so that no client can hang
// the fake, and a header read is the shortest.
func TestHTTPServerTimeouts(t *testing.T) {
	s := NewHTTPServer(http.NotFoundHandler())
	for name, d := range map[string]time.Duration{"ReadHeaderTimeout": s.ReadHeaderTimeout, "ReadTimeout": s.ReadTimeout, "WriteTimeout": s.WriteTimeout, "IdleTimeout": s.IdleTimeout} {
		if d < time.Second || d > 10*time.Minute {
			t.Errorf("%s %v", name, d)
		}
	}
	if s.ReadHeaderTimeout > s.ReadTimeout || s.MaxHeaderBytes <= 64<<10 {
		t.Errorf("ReadHeaderTimeout %v, ReadTimeout %v, MaxHeaderBytes %d", s.ReadHeaderTimeout, s.ReadTimeout, s.MaxHeaderBytes)
	}
}
