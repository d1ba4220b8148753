package couchdb_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/authconform/authconform/fakeserver"
)

// gzipped is s compressed.
func gzipped(t *testing.T, s string) string {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// allocatedBy is the bytes the heap allocated while fn ran; nothing else in
// the test runs meanwhile.
func allocatedBy(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// manyKeys is a JSON login object of about size bytes: a wrong password
// for admin, then short keys up to the size.
func manyKeys(size int) string {
	var b strings.Builder
	b.WriteString(`{"name":"admin","password":"wrong"`)
	for i := 0; b.Len() < size-16; i++ {
		fmt.Fprintf(&b, `,"k%d":0`, i)
	}
	b.WriteString("}")
	return b.String()
}

const bodyLimit = 1 << 20

// A gzip body is held to the body limit once unpacked: 413 too_large, as
// for a plain body over the limit, however small the compressed bytes.
func TestGzipBodyOverTheLimitUnpacked(t *testing.T) {
	for _, p := range []fakeserver.Profile{fakeserver.ProfileDocumented, fakeserver.ProfileCouchDB35} {
		f := newCouchFake(t, fakeserver.Options{Profile: p, MaxBodyBytes: bodyLimit})
		over := gzipped(t, manyKeys(bodyLimit+100))
		if len(over) > bodyLimit/4 {
			t.Fatalf("the compressed body is %d bytes; the test needs it well under the limit", len(over))
		}
		for _, path := range []string{"/_session", "/authtest/doc"} {
			method := map[string]string{"/_session": "POST", "/authtest/doc": "PUT"}[path]
			w := couchDo(f, method, path, over, "Content-Type", "application/json", "Content-Encoding", "gzip", "Authorization", basicAuth("admin", "secret"))
			wantCouchError(t, w, http.StatusRequestEntityTooLarge, "too_large", "")
		}
		// Just under the limit is read: a wrong password.
		w := couchDo(f, "POST", "/_session", gzipped(t, manyKeys(bodyLimit-100)), "Content-Type", "application/json", "Content-Encoding", "gzip")
		wantCouchError(t, w, http.StatusUnauthorized, "unauthorized", wantBadPassword)
	}
}

// A login body of a great many keys costs a small multiple of its size:
// only name, username and password are decoded (a decoded map of every key
// cost some 25 times the body, and an 8 KB gzip body unpacked to 8 MiB cost
// over 200 MB).
func TestLoginBodyOfManyKeysCostsLittle(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{MaxBodyBytes: bodyLimit})
	body := manyKeys(bodyLimit - 100)
	for _, gz := range []bool{false, true} {
		sent, headers := body, []string{"Content-Type", "application/json"}
		if gz {
			sent, headers = gzipped(t, body), append(headers, "Content-Encoding", "gzip")
		}
		var code int
		alloc := allocatedBy(func() { code = couchDo(f, "POST", "/_session", sent, headers...).Code })
		if code != http.StatusUnauthorized {
			t.Fatalf("gzip=%v: status %d, want 401 (wrong password)", gz, code)
		}
		t.Logf("gzip=%v: %d bytes allocated for a %d-byte body", gz, alloc, len(body))
		if ratio := float64(alloc) / float64(len(body)); ratio > 6 {
			t.Errorf("gzip=%v: %d bytes allocated for a %d-byte body (%.1fx, over 6x)", gz, alloc, len(body), ratio)
		}
	}
}

// Repeated and escaped keys: the last value wins, as it did with a decoded
// map, and an escaped key is the key it spells.
func TestLoginJSONKeysAsDecoded(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{})
	for _, body := range []string{
		`{"name":"admin","password":"wrong","password":"secret"}`,
		`{"na\u006de":"admin","pass\u0077ord":"secret"}`,
		` { "x" : [ "}" , { "a" : "\"]" } ] , "name" : "admin" , "password" : "secret" } `,
	} {
		if w := couchDo(f, "POST", "/_session", body, "Content-Type", "application/json"); w.Code != http.StatusOK {
			t.Errorf("%s: status %d %s, want 200", body, w.Code, w.Body)
		}
	}
	for _, tc := range []struct{ body, reason string }{
		{`{"name":"admin","password":1}`, `"password" must be a string`},
		{`{"name":"admin","password":"secret","password":null}`, `"password" must be a string`},
		{`{"name":"admin","password":"secret"} x`, "invalid UTF-8 JSON"},
		{`"admin"`, "invalid UTF-8 JSON"},
		{`null`, "invalid UTF-8 JSON"},
	} {
		wantCouchError(t, couchDo(f, "POST", "/_session", tc.body, "Content-Type", "application/json"), http.StatusBadRequest, "bad_request", tc.reason)
	}
}
