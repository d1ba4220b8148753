package couchdb

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"strconv"
)

// What the couchdb-3.5 profile does like a real CouchDB 3.5.0 where the
// document says nothing or the release is odd (docs/reference/
// couchdb-3.5.0.md run 5). The documented profile does none of it.

// MochiWeb's limits on one request line and one header line ("Name:
// value", without CRLF): longer is a bare 400 (m162-m165).
const (
	mochiMaxRequestLine = 8190
	mochiMaxHeaderLine  = 8189
	mochiServerHeader   = "MochiWeb/1.0 (Any of you quaids got a smint?)"
)

// lineTooLong reports a request or header line over MochiWeb's limits.
func lineTooLong(r *http.Request) bool {
	if len(r.Method)+len(r.URL.RequestURI())+len(r.Proto)+2 > mochiMaxRequestLine {
		return true
	}
	if len("Host: ")+len(r.Host) > mochiMaxHeaderLine {
		return true
	}
	for name, values := range r.Header {
		for _, v := range values {
			if len(name)+2+len(v) > mochiMaxHeaderLine {
				return true
			}
		}
	}
	return false
}

// mochiBadRequest is MochiWeb's own 400: no body, no CouchDB headers.
func (c *Server) mochiBadRequest(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Length", "0")
	h.Set("Server", mochiServerHeader)
	h.Set("Date", c.cfg.Clock.Now().UTC().Format(http.TimeFormat))
	w.WriteHeader(http.StatusBadRequest)
}

// unreadBody tells whether a handler read the request body. MochiWeb
// closes the connection after a reply to a request whose body was never
// read (an error before the body, such as a 401 to a PUT), and says so
// with Connection: close (run 6); net/http closes it too once a handler
// sets that header.
type unreadBody struct {
	io.ReadCloser
	read bool
}

func (b *unreadBody) Read(p []byte) (int, error) {
	b.read = true
	return b.ReadCloser.Read(p)
}

// bodyReadAhead is a body the fake read before routing, to be read again
// by the handler; in couchdb-3.5 it counts as unread until then, as
// CouchDB reads it only in the handler, after the access checks.
func (c *Server) bodyReadAhead(body []byte) io.ReadCloser {
	rc := io.NopCloser(bytes.NewReader(body))
	if c.cfg.Release && len(body) > 0 {
		return &unreadBody{ReadCloser: rc}
	}
	return rc
}

// tooLargeBody stands for a declared body over the limit, which the
// couchdb-3.5 profile routes unread (see WriteProblem): reading it fails
// as the limit does.
type tooLargeBody struct{}

func (tooLargeBody) Read([]byte) (int, error) { return 0, &http.MaxBytesError{} }
func (tooLargeBody) Close() error             { return nil }

// bodyOverLimit reports a request routed with tooLargeBody: nothing to
// read ahead, and the handler's read fails at once.
func bodyOverLimit(r *http.Request) bool {
	b, ok := r.Body.(*unreadBody)
	if !ok {
		return false
	}
	_, over := b.ReadCloser.(tooLargeBody)
	return over
}

// couchRequestHeaders are the headers chttpd adds to the replies of its
// normal request path, errors included (m1-m5, m62).
func couchRequestHeaders(h http.Header) {
	var id [5]byte
	_, _ = rand.Read(id[:])
	var text [10]byte
	hex.Encode(text[:], id[:])
	// Canonical keys, as Set would write them.
	h["X-Couch-Request-Id"] = []string{string(text[:])}
	h["X-Couchdb-Body-Time"] = zeroBodyTime
}

var zeroBodyTime = []string{"0"}

// sessionWriter marks the replies of the /_session handler itself, which
// 3.5.0 sends without X-Couch-Request-ID and X-CouchDB-Body-Time (m3, m178,
// m183-m185, m187). The errors it throws through chttpd (400, 415, 500)
// carry them, so those are written to the unwrapped writer.
type sessionWriter struct{ http.ResponseWriter }

func unwrapSession(w http.ResponseWriter) http.ResponseWriter {
	if s, ok := w.(sessionWriter); ok {
		return s.ResponseWriter
	}
	return w
}

// couchCrash is a 500 that 3.5.0 answers for input its code does not
// expect: the Erlang error as error and reason, and the stack's hash as
// "ref" and X-Couch-Stack-Hash. The refs are the measured ones.
type couchCrash struct {
	Error  string `json:"error"`
	Reason string `json:"reason"`
	Ref    int64  `json:"ref"`
}

var (
	crashLoginNull    = couchCrash{"unknown_error", "badmatch", 1655787678} // m173: JSON null
	crashLoginArray   = couchCrash{"badmatch", "", 1655787678}              // m174: JSON []
	crashLoginNotText = couchCrash{"unknown_error", "badarg", 4060413535}   // m177: "name":1
)

func (c *Server) writeCrash(w http.ResponseWriter, r *http.Request, e couchCrash) {
	if other, ok := c.rel.crashes[e]; ok {
		e = other // 3.3.3 and 3.4.3 crash alike, with other stack hashes
	}
	w = unwrapSession(w)
	w.Header().Set("X-Couch-Stack-Hash", strconv.FormatInt(e.Ref, 10))
	c.writeJSON(w, r, http.StatusInternalServerError, e)
}
