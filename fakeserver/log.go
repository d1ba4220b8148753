package fakeserver

import (
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"time"
)

// LogRequests wraps h so that every request writes one JSON line to w:
// time, method, path, status, bytes, duration and remote address. Query
// strings, headers and bodies are left out, so no credential is logged.
func LogRequests(h http.Handler, w io.Writer) http.Handler {
	var mu sync.Mutex
	enc := json.NewEncoder(w)
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: rw, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		mu.Lock()
		defer mu.Unlock()
		_ = enc.Encode(map[string]any{
			"time":        start.UTC().Format(time.RFC3339Nano),
			"method":      r.Method,
			"path":        r.URL.Path,
			"status":      rec.status,
			"bytes":       rec.bytes,
			"duration_ms": float64(time.Since(start).Microseconds()) / 1000,
			"remote":      r.RemoteAddr,
		})
	})
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
