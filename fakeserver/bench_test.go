package fakeserver

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// bare is the yardstick: a plain net/http handler that writes a JSON body of
// the same size as the fake's service root, without any authentication.
func bare(body []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		_, _ = w.Write(body)
	})
}

// loopback measures requests per second against h over a real loopback
// listener with keep-alive clients, one per parallel goroutine.
func loopback(b *testing.B, h http.Handler, prepare func(*http.Request)) {
	srv := httptest.NewServer(h)
	defer srv.Close()
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/db/data/", nil)
			prepare(req)
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Fatalf("status %d", resp.StatusCode)
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}

func serviceRootSize(b *testing.B, f *Fake) []byte {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/db/data/", nil)
	req.SetBasicAuth("neo4j", "secret")
	f.ServeHTTP(rec, req)
	var v any
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		b.Fatal(err)
	}
	return rec.Body.Bytes()
}

// BenchmarkNeo4j33Basic compares the fake's Basic-authenticated
// GET /db/data/ with the bare handler in the same run; compare their req/s.
func BenchmarkNeo4j33Basic(b *testing.B) {
	f, err := New(Options{Users: []User{{Name: "neo4j", Password: "secret"}}})
	if err != nil {
		b.Fatal(err)
	}
	basic := func(r *http.Request) { r.SetBasicAuth("neo4j", "secret") }
	b.Run("bare", func(b *testing.B) { loopback(b, bare(serviceRootSize(b, f)), basic) })
	b.Run("fake", func(b *testing.B) { loopback(b, f, basic) })
}

// BenchmarkNeo4j33BasicInProcess is the same request without the network:
// the cost of the fake's own work per request.
func BenchmarkNeo4j33BasicInProcess(b *testing.B) {
	f, err := New(Options{Users: []User{{Name: "neo4j", Password: "secret"}}})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodGet, "/db/data/", nil)
			req.SetBasicAuth("neo4j", "secret")
			f.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d", rec.Code)
			}
		}
	})
}

// BenchmarkStart measures fakeserver.Start plus Close.
func BenchmarkStart(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		srv, err := Start(Options{})
		if err != nil {
			b.Fatal(err)
		}
		srv.Close()
	}
}
