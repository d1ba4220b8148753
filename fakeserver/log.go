package fakeserver

import (
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"time"
)

// LogRequests wraps h so that every request writes one JSON line to w:
// time, method, path, status, bytes, duration and remote address, and for
// a request with a body what was sent: the declared content_length (-1:
// chunked), the body_read bytes the fake read, and body_error when the
// read failed (a deadline, a cut-off body). Query strings,
// headers and body contents are left out, so no credential is logged.
func LogRequests(h http.Handler, w io.Writer) http.Handler {
	var mu sync.Mutex
	enc := json.NewEncoder(w)
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: rw, status: http.StatusOK}
		var body *countingBody
		if r.Body != nil && r.Body != http.NoBody {
			body = &countingBody{ReadCloser: r.Body}
			r.Body = body
		}
		h.ServeHTTP(rec, r)
		line := map[string]any{
			"time":        start.UTC().Format(time.RFC3339Nano),
			"method":      r.Method,
			"path":        r.URL.Path,
			"status":      rec.status,
			"bytes":       rec.bytes,
			"duration_ms": float64(time.Since(start).Microseconds()) / 1000,
			"remote":      r.RemoteAddr,
		}
		if body != nil {
			line["content_length"], line["body_read"] = r.ContentLength, body.n
			if body.err != nil {
				line["body_error"] = body.err.Error()
			}
		}
		mu.Lock()
		defer mu.Unlock()
		_ = enc.Encode(line)
	})
}

// countingBody counts what the handler read of a body and keeps the error
// that ended the reading, if it was not EOF.
type countingBody struct {
	io.ReadCloser
	n   int64
	err error
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	c.n += int64(n)
	if err != nil && err != io.EOF && c.err == nil {
		c.err = err
	}
	return n, err
}

type statusRecorder struct {
	http.ResponseWriter
	status, bytes int
	wrote         bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	s.wrote = true
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the connection, for the body
// deadline.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
