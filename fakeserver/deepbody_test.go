package fakeserver

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

// deepCase is one body that a flavor reads, filled to size bytes.
type deepCase struct {
	flavor      Flavor
	name        string
	path, auth  string
	contentType string
	pre, fill   string // the body: pre, then fill repeated to the size, then post
	post        string
}

// deepCases are the bodies that used to cost a recursion per byte (the
// statement parser) or a decoder frame per byte, and a wide body for
// contrast, for every endpoint that reads a body.
func deepCases() []deepCase {
	var cs []deepCase
	bodies := func(fl Flavor, path, auth, ct string, extra ...deepCase) {
		for _, c := range append([]deepCase{
			{name: "unclosed arrays", fill: "["},
			{name: "nested objects", fill: `{"a":`},
			{name: "long string", pre: `{"password":"`, fill: "x", post: `"}`},
		}, extra...) {
			c.flavor, c.path, c.auth, c.contentType = fl, path, auth, ct
			cs = append(cs, c)
		}
	}
	bodies(Neo4j33, "/user/neo4j/password", testkit.Basic("neo4j", "neo4j"), "application/json")
	bodies(Neo4jQuery, "/db/neo4j/query/v2", testkit.Basic("neo4j", "verysecret"), "application/json",
		deepCase{name: "deep statement", pre: `{"statement":"RETURN `, fill: "[", post: `1"}`},
		deepCase{name: "deep parameter", pre: `{"statement":"RETURN $p AS p","parameters":{"p":`, fill: "[", post: "}}"},
		deepCase{name: "long statement", pre: `{"statement":"RETURN '`, fill: "x", post: `' AS s"}`})
	bodies(Neo4jQuery, "/db/neo4j/query/v2", testkit.Basic("neo4j", "verysecret"), mimeTyped,
		deepCase{name: "deep typed parameter", pre: `{"statement":"RETURN $p AS p","parameters":{"p":`, fill: `{"$type":"List","_value":[`, post: "}}"})
	bodies(CouchDB, "/_session", "", "application/json")
	return cs
}

// body is the case's body of exactly size bytes.
func (c deepCase) body(size int) string {
	n := (size - len(c.pre) - len(c.post)) / len(c.fill)
	b := c.pre + strings.Repeat(c.fill, n) + c.post
	return b + strings.Repeat(" ", size-len(b)) // JSON whitespace pads to the size
}

// TestDeepBodiesAtTheLargestLimit sends each deep and large body at the
// largest MaxBodyBytes New allows (declared, and some chunked) to every
// profile:
// each must get a 4xx in the flavor's shape, or a success for the bodies
// that are valid, and allocate at most 10 times its size.
func TestDeepBodiesAtTheLargestLimit(t *testing.T) {
	size := int(MaxBodyBytesLimit)
	for _, c := range deepCases() {
		body := c.body(size)
		// The release profiles differ in wording and status, not in how a
		// body is read and parsed; one profile keeps the -race run short.
		for _, p := range ProfilesFor(c.flavor)[:1] {
			for _, chunked := range []bool{false, true} {
				if chunked && c.name != "unclosed arrays" && !strings.HasPrefix(c.name, "long") {
					continue // the chunked read is the same for every body; these cover it
				}
				name := fmt.Sprintf("%s/%s/%s/chunked=%v", c.flavor, p, c.name, chunked)
				f, err := New(Options{Flavor: c.flavor, Profile: p, MaxBodyBytes: MaxBodyBytesLimit})
				if err != nil {
					t.Fatal(err)
				}
				r := httptest.NewRequest("POST", c.path, strings.NewReader(body))
				if chunked {
					r.ContentLength = -1
				}
				r.Header.Set("Content-Type", c.contentType)
				if c.auth != "" {
					r.Header.Set("Authorization", c.auth)
				}
				w := &headRecorder{header: http.Header{}, code: http.StatusOK}
				alloc := testkit.AllocatedBy(func() { f.ServeHTTP(w, r) })
				if err := checkReply(c.flavor, p, r, w.code, w.header, w.body); err != nil {
					t.Errorf("%s: %v", name, err)
				}
				if w.code < 400 && !strings.HasPrefix(c.name, "long") {
					t.Errorf("%s: status %d, want a 4xx", name, w.code)
				}
				ratio := float64(alloc) / float64(size)
				t.Logf("%s: status %d, %.1f MB allocated (%.2fx the body)", name, w.code, float64(alloc)/1e6, ratio)
				if ratio > 10 {
					t.Errorf("%s: allocated %d bytes for a %d-byte body (%.1fx, over 10x)", name, alloc, size, ratio)
				}
			}
		}
	}
}

// headRecorder is a ResponseWriter that keeps the status, the header and
// the first 64 KB of the body: a connection sends the rest on, so a copy of
// a large reply would be the test's allocation, not the fake's.
type headRecorder struct {
	header http.Header
	code   int
	wrote  bool
	body   []byte
}

func (h *headRecorder) Header() http.Header { return h.header }

func (h *headRecorder) WriteHeader(code int) {
	if !h.wrote {
		h.code, h.wrote = code, true
	}
}

func (h *headRecorder) Write(b []byte) (int, error) {
	h.WriteHeader(http.StatusOK)
	h.body = append(h.body, b[:min(len(b), 64<<10-len(h.body))]...)
	return len(b), nil
}

// TestMaxBodyBytesLimit: New refuses a limit above MaxBodyBytesLimit, so
// the deep-body test covers the largest body any fake accepts.
func TestMaxBodyBytesLimit(t *testing.T) {
	if _, err := New(Options{Flavor: CouchDB, MaxBodyBytes: MaxBodyBytesLimit}); err != nil {
		t.Errorf("the limit itself: %v", err)
	}
	if _, err := New(Options{Flavor: CouchDB, MaxBodyBytes: MaxBodyBytesLimit + 1}); err == nil || !strings.Contains(err.Error(), "MaxBodyBytes") {
		t.Errorf("one byte over the limit: err %v, want one naming MaxBodyBytes", err)
	}
}
