package fakeserver

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkNeo4j33BasicInProcess is Neo4j 3.3 Basic GET /db/data/ without
// the network: the cost of the fake's own work per request.
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
