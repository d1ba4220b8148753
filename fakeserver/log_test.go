package fakeserver

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestLogRequests(t *testing.T) {
	var buf bytes.Buffer
	h := LogRequests(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/twice":
			w.WriteHeader(http.StatusTeapot)
			w.WriteHeader(http.StatusOK) // ignored by net/http; the log keeps the first
		case "/body":
			_, _ = w.Write([]byte("hello"))
			_, _ = w.Write([]byte(" world"))
		}
	}), &buf)
	for _, p := range []string{"/twice", "/body?password=hunter2", "/none"} {
		r := httptest.NewRequest("GET", "http://localhost"+p, nil)
		r.Header.Set("Authorization", "Basic c2VjcmV0")
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
	if strings.Contains(buf.String(), "hunter2") || strings.Contains(buf.String(), "c2VjcmV0") {
		t.Fatalf("a credential is logged: %s", buf.String())
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines: %s", len(lines), buf.String())
	}
	want := []struct {
		path          string
		status, bytes float64
	}{{"/twice", 418, 0}, {"/body", 200, 11}, {"/none", 200, 0}}
	for i, line := range lines {
		var e map[string]any
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatal(err)
		}
		if e["path"] != want[i].path || e["status"] != want[i].status || e["bytes"] != want[i].bytes || e["method"] != "GET" || e["remote"] != "192.0.2.1:1234" {
			t.Errorf("line %d: %s", i, line)
		}
		if d, ok := e["duration_ms"].(float64); !ok || d < 0 {
			t.Errorf("line %d duration: %s", i, line)
		}
		if _, err := time.Parse(time.RFC3339Nano, e["time"].(string)); err != nil {
			t.Errorf("line %d time: %v", i, err)
		}
	}
}
