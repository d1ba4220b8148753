package fakeserver

import (
	"fmt"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
)

// RoundRobin returns a reverse proxy that sends each request to the next of
// targets (base URLs) in turn, as haproxy's "balance roundrobin" with
// "option http-server-close" does in front of a CouchDB cluster. It keeps
// the client's Host, and passes the client's X-Forwarded-For on untouched
// without adding its own, as haproxy does without "option forwardfor":
// the set-up of the measured 3-node cluster (docs/cluster.md), in which a
// node believes whatever address the client wrote there.
func RoundRobin(targets []string) (http.Handler, error) {
	if len(targets) == 0 {
		return nil, fmt.Errorf("fakeserver: RoundRobin needs at least one target")
	}
	urls := make([]*url.URL, len(targets))
	for i, t := range targets {
		u, err := url.Parse(t)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("fakeserver: RoundRobin target %q is not an http(s) base URL", t)
		}
		urls[i] = u
	}
	var next atomic.Uint64
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(urls[(next.Add(1)-1)%uint64(len(urls))])
			pr.Out.Host = pr.In.Host
			if xff := pr.In.Header.Values("X-Forwarded-For"); len(xff) > 0 {
				pr.Out.Header["X-Forwarded-For"] = xff
			}
		},
	}, nil
}
