package fakeserver

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"time"
)

// Server is a Fake listening on a loopback port, in the style of
// httptest.Server. Close it when done.
type Server struct {
	// URL is the base URL, http://127.0.0.1:port, with no trailing slash.
	URL string
	// Fake is the handler behind the listener, for Reset, EnterState and
	// Advance.
	*Fake
	ts *httptest.Server
}

// Start builds a Fake for opts and serves it on 127.0.0.1 at a free port.
func Start(opts Options) (*Server, error) { return start(opts, false) }

// StartTLS is Start over https with a self-signed certificate, which the
// Server's Client trusts.
func StartTLS(opts Options) (*Server, error) { return start(opts, true) }

func start(opts Options, useTLS bool) (*Server, error) {
	f, err := New(opts)
	if err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("fakeserver: listen on loopback: %w", err)
	}
	ts := &httptest.Server{Listener: l, Config: NewHTTPServer(f)}
	if useTLS {
		ts.StartTLS()
	} else {
		ts.Start()
	}
	return &Server{URL: ts.URL, Fake: f, ts: ts}, nil
}

// NewHTTPServer wraps h in an http.Server with the timeouts and limits the
// fake relies on, so that no client can hang it.
func NewHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    1 << 20,
	}
}

// Client returns an http.Client for the server; under StartTLS it trusts
// the server's certificate.
func (s *Server) Client() *http.Client { return s.ts.Client() }

// Close shuts the listener and waits for requests in flight. It may be
// called more than once.
func (s *Server) Close() { s.ts.Close() }
