package fakeserver

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

// authPath is one authenticated request of the speed table in README.
type authPath struct {
	name         string
	fake         func(b *testing.B) *Fake
	method, path string
	body         string
	prepare      func(b *testing.B, f *Fake) func(*http.Request)
	want         int
}

func newBenchFake(o Options) func(b *testing.B) *Fake {
	return func(b *testing.B) *Fake {
		f, err := New(o)
		if err != nil {
			b.Fatal(err)
		}
		return f
	}
}

func withHeaders(kv ...string) func(*testing.B, *Fake) func(*http.Request) {
	return func(*testing.B, *Fake) func(*http.Request) {
		return func(r *http.Request) {
			for i := 0; i+1 < len(kv); i += 2 {
				r.Header.Set(kv[i], kv[i+1])
			}
		}
	}
}

// authPaths are every authentication path of the three flavors.
var authPaths = []authPath{
	{"Neo4j33Basic", newBenchFake(Options{Flavor: Neo4j33, Users: []User{{Name: "neo4j", Password: "secret"}}}),
		"GET", "/db/data/", "", withHeaders("Authorization", testkit.Basic("neo4j", "secret")), http.StatusOK},
	{"QueryBasic", newBenchFake(Options{Flavor: Neo4jQuery}), "POST", "/db/neo4j/query/v2", queryBody,
		withHeaders("Authorization", testkit.Basic("neo4j", "verysecret"), "Content-Type", "application/json"), http.StatusAccepted},
	{"QueryBearer", newBenchFake(Options{Flavor: Neo4jQuery}), "POST", "/db/neo4j/query/v2", queryBody,
		withHeaders("Authorization", "Bearer "+base64.StdEncoding.EncodeToString([]byte(docToken)), "Content-Type", "application/json"), http.StatusAccepted},
	{"CouchBasic", newBenchFake(Options{Flavor: CouchDB}), "GET", "/_session", "",
		withHeaders("Authorization", testkit.Basic("admin", "secret")), http.StatusOK},
	{"CouchCookie", newBenchFake(Options{Flavor: CouchDB}), "GET", "/_session", "", func(b *testing.B, f *Fake) func(*http.Request) {
		rec := inProcess(f, http.MethodPost, "/_session", "name=admin&password=secret", func(r *http.Request) {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		})
		ck, err := http.ParseSetCookie(rec.Header().Get("Set-Cookie"))
		if rec.Code != http.StatusOK || err != nil {
			b.Fatalf("login: status %d %s (%v)", rec.Code, rec.Body, err)
		}
		return func(r *http.Request) { r.Header.Set("Cookie", "AuthSession="+ck.Value) }
	}, http.StatusOK},
}

// ready builds p's fake and its request's preparation, and checks one
// answer in process, which it returns.
func (p authPath) ready(b *testing.B) (*Fake, func(*http.Request), *httptest.ResponseRecorder) {
	b.Helper()
	f := p.fake(b)
	prepare := p.prepare(b, f)
	rec := inProcess(f, p.method, p.path, p.body, prepare)
	if rec.Code != p.want {
		b.Fatalf("%s: status %d: %s", p.name, rec.Code, rec.Body)
	}
	return f, prepare, rec
}

// bareLike is the yardstick for a path: a plain net/http handler that
// writes the fake's own reply (status, Content-Type, body) without
// authenticating or parsing anything.
func bareLike(rec *httptest.ResponseRecorder) http.Handler {
	body, ct, status := rec.Body.Bytes(), rec.Header().Get("Content-Type"), rec.Code
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", ct)
		w.WriteHeader(status)
		_, _ = w.Write(body)
	})
}

// BenchmarkAuth is README's speed table: every authentication path, one
// client in sequence and 16 concurrent keep-alive clients, against the
// fake and a bare handler writing the same reply, over loopback in the
// same run. Compare the req/s (and allocs/op, client included) of each
// fake with its bare.
func BenchmarkAuth(b *testing.B) {
	for _, p := range authPaths {
		f, prepare, rec := p.ready(b)
		for _, clients := range []int{1, 16} {
			for _, side := range []struct {
				name string
				h    http.Handler
			}{{"bare", bareLike(rec)}, {"fake", f}} {
				b.Run(fmt.Sprintf("%s/c%d/%s", p.name, clients, side.name), func(b *testing.B) {
					loopbackClients(b, side.h, clients, p.method, p.path, p.body, prepare, p.want)
				})
			}
		}
	}
}

// loopbackClients serves h on loopback and sends b.N requests from the
// given number of concurrent keep-alive clients, each answer checked.
func loopbackClients(b *testing.B, h http.Handler, clients int, method, path, body string, prepare func(*http.Request), want int) {
	srv := httptest.NewServer(h)
	defer srv.Close()
	do := func(client *http.Client) {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		prepare(req)
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			b.Fatalf("status %d, want %d", resp.StatusCode, want)
		}
	}
	newClient := func() *http.Client { return &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}} }
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	if clients == 1 {
		client := newClient()
		for range b.N {
			do(client)
		}
	} else {
		b.SetParallelism((clients + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
		b.RunParallel(func(pb *testing.PB) {
			client := newClient()
			for pb.Next() {
				do(client)
			}
		})
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}

// BenchmarkDeepBody is the cost of refusing the deepest body at the
// largest limit: B/op against the body's size (goal: at most 10x).
func BenchmarkDeepBody(b *testing.B) {
	for _, c := range deepCases() {
		if c.name != "deep statement" && c.name != "unclosed arrays" {
			continue
		}
		b.Run(string(c.flavor)+"/"+strings.ReplaceAll(c.name, " ", "_"), func(b *testing.B) {
			f, err := New(Options{Flavor: c.flavor, MaxBodyBytes: MaxBodyBytesLimit})
			if err != nil {
				b.Fatal(err)
			}
			body := c.body(int(MaxBodyBytesLimit))
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				r := httptest.NewRequest("POST", c.path, strings.NewReader(body))
				r.Header.Set("Content-Type", c.contentType)
				if c.auth != "" {
					r.Header.Set("Authorization", c.auth)
				}
				w := &headRecorder{header: http.Header{}}
				f.ServeHTTP(w, r)
				if w.code != http.StatusBadRequest {
					b.Fatalf("status %d", w.code)
				}
			}
		})
	}
}
