package fakeserver

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
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
	loopbackRequest(b, h, http.MethodGet, "/db/data/", "", prepare)
}

// loopbackRequest is loopback for any method, path and body; every answer
// must be a 2xx.
func loopbackRequest(b *testing.B, h http.Handler, method, path, body string, prepare func(*http.Request)) {
	srv := httptest.NewServer(h)
	defer srv.Close()
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
		for pb.Next() {
			req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
			prepare(req)
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode/100 != 2 {
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
	f, err := New(Options{Flavor: Neo4j33, Users: []User{{Name: "neo4j", Password: "secret"}}})
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
	f, err := New(Options{Flavor: Neo4j33, Users: []User{{Name: "neo4j", Password: "secret"}}})
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
		srv, err := Start(Options{Flavor: Neo4j33})
		if err != nil {
			b.Fatal(err)
		}
		srv.Close()
	}
}

// queryBody is the statement of the Query API benchmarks.
const queryBody = `{"statement":"RETURN 1 AS n"}`

func benchQueryFake(b *testing.B) (*Fake, func(*http.Request)) {
	f, err := New(Options{Flavor: Neo4jQuery})
	if err != nil {
		b.Fatal(err)
	}
	// The document's format: Bearer and the base64 of the token.
	bearer := "Bearer " + base64.StdEncoding.EncodeToString([]byte(docToken))
	return f, func(r *http.Request) {
		r.Header.Set("Authorization", bearer)
		r.Header.Set("Content-Type", "application/json")
	}
}

// inProcess sends one request to h and returns the recorder.
func inProcess(h http.Handler, method, path, body string, prepare func(*http.Request)) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	prepare(req)
	h.ServeHTTP(rec, req)
	return rec
}

// BenchmarkNeo4jQueryBearer compares the fake's Bearer-authenticated
// POST /db/neo4j/query/v2 (RETURN 1 AS n) with the bare handler writing a
// reply of the same size.
func BenchmarkNeo4jQueryBearer(b *testing.B) {
	f, prepare := benchQueryFake(b)
	rec := inProcess(f, http.MethodPost, "/db/neo4j/query/v2", queryBody, prepare)
	if rec.Code != http.StatusAccepted {
		b.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	b.Run("bare", func(b *testing.B) {
		loopbackRequest(b, bare(rec.Body.Bytes()), http.MethodPost, "/db/neo4j/query/v2", queryBody, prepare)
	})
	b.Run("fake", func(b *testing.B) {
		loopbackRequest(b, f, http.MethodPost, "/db/neo4j/query/v2", queryBody, prepare)
	})
}

// BenchmarkNeo4jQueryBearerInProcess is the same request without the
// network.
func BenchmarkNeo4jQueryBearerInProcess(b *testing.B) {
	f, prepare := benchQueryFake(b)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if rec := inProcess(f, http.MethodPost, "/db/neo4j/query/v2", queryBody, prepare); rec.Code != http.StatusAccepted {
				b.Fatalf("status %d", rec.Code)
			}
		}
	})
}

func benchCouchFake(b *testing.B) (*Fake, func(*http.Request)) {
	f, err := New(Options{Flavor: CouchDB})
	if err != nil {
		b.Fatal(err)
	}
	rec := inProcess(f, http.MethodPost, "/_session", "name=admin&password=secret", func(r *http.Request) {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	})
	ck, err := http.ParseSetCookie(rec.Header().Get("Set-Cookie"))
	if rec.Code != http.StatusOK || err != nil {
		b.Fatalf("login: status %d %s (%v)", rec.Code, rec.Body, err)
	}
	cookie := "AuthSession=" + ck.Value
	return f, func(r *http.Request) { r.Header.Set("Cookie", cookie) }
}

// BenchmarkCouchCookie compares the fake's cookie-authenticated
// GET /_session with the bare handler writing a reply of the same size.
func BenchmarkCouchCookie(b *testing.B) {
	f, prepare := benchCouchFake(b)
	rec := inProcess(f, http.MethodGet, "/_session", "", prepare)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"name":"admin"`) {
		b.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	b.Run("bare", func(b *testing.B) {
		loopbackRequest(b, bare(rec.Body.Bytes()), http.MethodGet, "/_session", "", prepare)
	})
	b.Run("fake", func(b *testing.B) { loopbackRequest(b, f, http.MethodGet, "/_session", "", prepare) })
}

// BenchmarkCouchCookieInProcess is the same request without the network.
func BenchmarkCouchCookieInProcess(b *testing.B) {
	f, prepare := benchCouchFake(b)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if rec := inProcess(f, http.MethodGet, "/_session", "", prepare); rec.Code != http.StatusOK {
				b.Fatalf("status %d", rec.Code)
			}
		}
	})
}
