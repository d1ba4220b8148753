package fakeserver

import (
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
//
// Each line goes to w in one Write, in the order the requests finished;
// give it a RequestLog to batch the writes.
func LogRequests(h http.Handler, w io.Writer) http.Handler {
	var mu sync.Mutex
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		start := time.Now()
		e := loggedPool.Get().(*logged)
		e.rec = statusRecorder{ResponseWriter: rw, status: http.StatusOK}
		body := r.Body
		hasBody := body != nil && body != http.NoBody
		if hasBody {
			e.body = countingBody{ReadCloser: body}
			r.Body = &e.body
		}
		h.ServeHTTP(&e.rec, r)
		line := logLine{
			start: start, duration: time.Since(start),
			method: r.Method, path: r.URL.Path, remote: r.RemoteAddr,
			status: e.rec.status, bytes: e.rec.bytes,
		}
		if hasBody {
			line.hasBody, line.contentLength, line.bodyRead = true, r.ContentLength, e.body.n
			if e.body.err != nil {
				line.bodyError = e.body.err.Error()
			}
		}
		e.line = line.append(e.line[:0])
		mu.Lock()
		_, _ = w.Write(e.line)
		mu.Unlock()
		// Nothing of the request may stay reachable from the pool, and
		// the pooled counter no longer from the request.
		r.Body = body
		*e = logged{line: e.line[:0]}
		loggedPool.Put(e)
	})
}

// logged is one request's recorder, body counter and line, reused from a
// pool: a request then allocates nothing for its log line.
type logged struct {
	rec  statusRecorder
	body countingBody
	line []byte
}

var loggedPool = sync.Pool{New: func() any { return &logged{line: make([]byte, 0, 256)} }}

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
