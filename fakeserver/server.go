package fakeserver

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"time"
)

// Server is a Fake listening on a loopback port, in the style of
// httptest.Server. Close it when done.
//
// With Options.Nodes of 2 or more it stands for a cluster behind a load
// balancer: each node listens on its own port (NodeURLs), and URL is a
// round-robin balancer in front of them (RoundRobin).
type Server struct {
	// URL is the base URL, http://127.0.0.1:port, with no trailing slash.
	URL string
	// NodeURLs are the base URLs of the nodes, node 1 first; a single
	// node's is URL.
	NodeURLs []string
	// Fake is the handler behind the listener, for Reset, EnterState and
	// Advance.
	*Fake
	ts    *httptest.Server
	nodes []*httptest.Server
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
	s := &Server{Fake: f}
	if f.NodeCount() == 1 {
		if s.ts, err = serveLoopback(f, useTLS); err != nil {
			return nil, err
		}
		s.URL, s.NodeURLs = s.ts.URL, []string{s.ts.URL}
		return s, nil
	}
	for i := 1; i <= f.NodeCount(); i++ {
		node, err := serveLoopback(f.Node(i), useTLS)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.nodes, s.NodeURLs = append(s.nodes, node), append(s.NodeURLs, node.URL)
	}
	balancer, err := RoundRobin(s.NodeURLs)
	if err == nil {
		if useTLS {
			balancer.(*httputil.ReverseProxy).Transport = s.nodes[0].Client().Transport
		}
		s.ts, err = serveLoopback(balancer, useTLS)
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	s.URL = s.ts.URL
	return s, nil
}

func serveLoopback(h http.Handler, useTLS bool) (*httptest.Server, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("fakeserver: listen on loopback: %w", err)
	}
	ts := &httptest.Server{Listener: l, Config: NewHTTPServer(h)}
	if useTLS {
		ts.StartTLS()
	} else {
		ts.Start()
	}
	return ts, nil
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

// Close shuts the listeners and waits for requests in flight. It may be
// called more than once.
func (s *Server) Close() {
	if s.ts != nil {
		s.ts.Close()
	}
	for _, n := range s.nodes {
		n.Close()
	}
}
