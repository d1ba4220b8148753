package fakeserver

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// encodingJSONLine is the request log's line as LogRequests wrote it
// before logLine: a map through json.Encoder.
func encodingJSONLine(l logLine) string {
	m := map[string]any{
		"time":        l.start.UTC().Format(time.RFC3339Nano),
		"method":      l.method,
		"path":        l.path,
		"status":      l.status,
		"bytes":       l.bytes,
		"duration_ms": float64(l.duration.Microseconds()) / 1000,
		"remote":      l.remote,
	}
	if l.hasBody {
		m["content_length"], m["body_read"] = l.contentLength, l.bodyRead
		if l.bodyError != "" {
			m["body_error"] = l.bodyError
		}
	}
	var buf bytes.Buffer
	_ = json.NewEncoder(&buf).Encode(m)
	return buf.String()
}

func TestLogLineIsEncodingJSON(t *testing.T) {
	start := time.Date(2026, 12, 5, 4, 30, 0, 123456000, time.FixedZone("X", 3600))
	lines := []logLine{
		{start: start, duration: 1234567 * time.Nanosecond, method: "GET", path: "/_session", remote: "127.0.0.1:5555", status: 200, bytes: 133},
		{start: start.Add(7), duration: 0, method: "POST", path: "/db/neo4j/query/v2", remote: "[::1]:1", status: 202, bytes: 0,
			hasBody: true, contentLength: -1, bodyRead: 4096, bodyError: "read tcp: i/o timeout"},
		{start: start, duration: 999 * time.Nanosecond, method: "PUT", path: "/a", hasBody: true, contentLength: 12},
		{start: start, duration: 90 * time.Hour, method: "X", path: "/<script>&\"quoted\"\\", status: 408},
		{start: start, method: "GET", path: "/\x00\x01\b\f\n\r\t\x1f\x7f", remote: "\u2028\u2029é日本"},
		{start: start, method: "GET", path: "/\xff\xfe invalid \xc3", remote: "\xe2\x80"},
	}
	for _, l := range lines {
		if got, want := string(l.append(nil)), encodingJSONLine(l); got != want {
			t.Errorf("line:\n got %s\nwant %s", got, want)
		}
	}
}

// FuzzLogLine: any path, method, remote address, error text and duration
// give encoding/json's line.
func FuzzLogLine(f *testing.F) {
	f.Add("GET", "/db/data/", "127.0.0.1:1", "", int64(1500), int64(3))
	f.Add("POST", "/<&>\u2028", "\xff", "unexpected EOF", int64(-1), int64(1e15))
	f.Fuzz(func(t *testing.T, method, path, remote, bodyErr string, contentLength, nanos int64) {
		l := logLine{
			start: time.Unix(0, nanos), duration: time.Duration(nanos), method: method, path: path, remote: remote,
			status: 200, bytes: len(path), hasBody: contentLength != 0, contentLength: contentLength, bodyRead: nanos, bodyError: bodyErr,
		}
		if got, want := string(l.append(nil)), encodingJSONLine(l); got != want {
			t.Errorf("line:\n got %s\nwant %s", got, want)
		}
	})
}

// TestAppendLogFloatIsEncodingJSON: the float form of every exponent
// range, against encoding/json (log lines themselves reach neither
// exponent range: duration_ms counts whole microseconds).
func TestAppendLogFloatIsEncodingJSON(t *testing.T) {
	for _, f := range []float64{0, 0.001, 1234.567, -2.5, 1e-7, -2.5e-9, 1.5e-10, 9.99e-7, 1e-6, 1e21, -3e22, 1.25e300} {
		want, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendLogFloat(nil, f); string(got) != string(want) {
			t.Errorf("appendLogFloat(%v) = %s, want %s", f, got, want)
		}
	}
}
