// Package testkit is what the fake's tests share: one way to send a
// request to a handler, Basic credentials, the fixed instants, and checks
// of the flavors' error shapes. Only tests import it; it imports nothing of
// the module, so that every package's tests, the root's included, can.
package testkit

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"time"
)

// Where the tests send their requests: the addresses of the reference
// transcripts (CouchDB 3.5.0 on 15984, Neo4j's documents on 7474).
const (
	CouchDBBase = "http://127.0.0.1:15984"
	Neo4jBase   = "http://localhost:7474"
)

// Do sends one request to h and returns the recorded answer. target is a
// path, sent to base, or an absolute URL; headers are name/value pairs, and
// the name "RemoteAddr" sets the client address instead of a header.
func Do(h http.Handler, base, method, target, body string, headers ...string) *httptest.ResponseRecorder {
	if !strings.HasPrefix(target, "http://") && !strings.HasPrefix(target, "https://") {
		target = base + target
	}
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i] == "RemoteAddr" {
			r.RemoteAddr = headers[i+1]
			continue
		}
		r.Header.Add(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// Basic is the Authorization value of user and password (RFC 7617).
func Basic(user, password string) string { return "Basic " + Base64(user+":"+password) }

// Base64 is s in standard, padded base64.
func Base64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// TranscriptDay is the CouchDB tests' fixed instant: when the CouchDB 3.5.0
// reference transcript was recorded.
func TranscriptDay() time.Time { return time.Date(2026, 11, 22, 14, 49, 7, 0, time.UTC) }

// FuzzDay is the fuzz targets' fixed instant, so that a finding replays
// exactly.
func FuzzDay() time.Time { return time.Date(2016, 11, 11, 12, 43, 15, 0, time.UTC) }

// ClockAt is a clock that always reads t.
func ClockAt(t time.Time) func() time.Time { return func() time.Time { return t } }

// AllocatedBy is the bytes the heap allocated while fn ran. The caller
// runs nothing else meanwhile (no parallel tests), so the figure is fn's
// own.
func AllocatedBy(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
