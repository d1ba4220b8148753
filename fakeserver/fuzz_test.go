package fakeserver

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/authconform/authconform/fakeserver/internal/couchdb"
	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

// Fuzz targets of the hardening work: each flavor's handler end to end,
// through the builders table. The parsers' own targets live beside them
// (internal/core, internal/neo4j33, internal/neo4jquery, internal/couchdb).
// Run one with
//
//	go test -run '^$' -fuzz '^FuzzServeCouchDB$' -fuzztime 60s ./fakeserver
//
// or all of them with `make fuzz`. Findings are kept in testdata/fuzz and
// replayed by every plain `go test`.

// fuzzMaxBody is the fuzzed fakes' MaxBodyBytes; amplified bodies reach one
// byte past it, so the fuzzer meets the 413 as well as large bodies that
// are read (2 MiB of brackets used to overflow the statement parser's
// stack).
const fuzzMaxBody = 2 << 20

// amplify makes large inputs out of small ones, so the fuzzer can reach
// what only size triggers (deep nesting, long strings): a body
// "pre\x01mid\x01post" becomes pre, mid repeated times, post, up to
// fuzzMaxBody bytes. A body without two \x01 is sent as is.
func amplify(body string, times uint16) string {
	parts := strings.SplitN(body, "\x01", 3)
	if len(parts) != 3 || parts[1] == "" {
		return body
	}
	n := min(int(times), (fuzzMaxBody+1-len(parts[0])-len(parts[2]))/len(parts[1]))
	return parts[0] + strings.Repeat(parts[1], max(n, 0)) + parts[2]
}

// fuzzServe sends one fuzzed request to a fresh Fake of each profile of fl
// and checks the reply: no panic, no 5xx, 4xx in the flavor's shape.
func fuzzServe(t *testing.T, fl Flavor, method, target, auth, cookie, contentType, accept, body string, times uint16) {
	body = amplify(body, times)
	if method == "" || strings.ContainsAny(method, " \t\r\n()<>@,;:\\\"/[]?={}") {
		return // net/http never delivers such a method
	}
	if !strings.HasPrefix(target, "/") {
		target = "/" + target
	}
	u, err := url.ParseRequestURI(target)
	if err != nil {
		return // net/http answers an unparsable request line itself
	}
	for _, p := range ProfilesFor(fl) {
		f, err := New(Options{Flavor: fl, Profile: p, Clock: testkit.ClockAt(testkit.FuzzDay()), MaxBodyBytes: fuzzMaxBody})
		if err != nil {
			t.Fatal(err)
		}
		r := &http.Request{
			Method: method, URL: u, RequestURI: target, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: http.Header{}, Host: "127.0.0.1:7474", RemoteAddr: "192.0.2.1:1234",
			Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)),
		}
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		if cookie != "" {
			r.Header.Set("Cookie", cookie)
		}
		if contentType != "" {
			r.Header.Set("Content-Type", contentType)
		}
		if accept != "" {
			r.Header.Set("Accept", accept)
		}
		w := httptest.NewRecorder()
		f.ServeHTTP(w, r)
		if err := checkReply(fl, p, r, w.Code, w.Header(), w.Body.Bytes()); err != nil {
			t.Fatalf("%s %s: %s %q auth %q cookie %q type %q accept %q body (%d bytes) %.300q: %v", fl, p, method, target, auth, cookie, contentType, accept, len(body), body, err)
		}
	}
}

// addLargeSeeds adds, for each body, the request with that body amplified
// to the most the fuzzer can ask for.
func addLargeSeeds(f *testing.F, method, target, auth, contentType string, bodies ...string) {
	for _, b := range bodies {
		f.Add(method, target, auth, "", contentType, "", b, uint16(65535))
	}
}

// addServeSeeds adds method, target, Authorization, Cookie, Content-Type
// and body seeds, each also with the Accept values clients send.
func addServeSeeds(f *testing.F, requests [][6]string) {
	for i, r := range requests {
		accept := []string{"", "application/json", "text/html", "application/vnd.neo4j.query, */*;q=0.5", "text/html;q=abc"}[i%5]
		f.Add(r[0], r[1], r[2], r[3], r[4], accept, r[5], uint16(1))
	}
	for _, a := range testkit.AuthHeaders() {
		f.Add("GET", requests[0][1], a, "", "", "", "", uint16(0))
	}
}

// addRouteSeeds adds every path of a router's table, read anonymously and
// by an admin, and written by an admin, so that every branch (a short path
// included) is met by plain `go test`, not only by a long fuzzing run.
func addRouteSeeds(f *testing.F, paths []string, admin string) {
	for _, p := range paths {
		f.Add("GET", p, "", "", "", "", "", uint16(0))
		f.Add("GET", p, admin, "", "", "", "", uint16(0))
		f.Add("DELETE", p, admin, "", "", "", "", uint16(0))
		f.Add("PUT", p, admin, "", "application/json", "", "{}", uint16(0))
		f.Add("POST", p, admin, "", "application/json", "", `{"_id":"x"}`, uint16(0))
	}
}

func FuzzServeNeo4j33(f *testing.F) {
	addServeSeeds(f, [][6]string{
		{"GET", "/db/data/", "Basic bmVvNGo6bmVvNGo=", "", "", ""},
		{"POST", "/db/data/", "Basic bmVvNGo6aW5jb3JyZWN0", "", "", ""},
		{"GET", "/user/neo4j", "Basic bmVvNGo6bmVvNGo=", "", "", ""},
		{"POST", "/user/neo4j/password", "Basic bmVvNGo6bmVvNGo=", "", "application/json", `{"password":"secret"}`},
		{"POST", "/user/neo4j/password", "Basic bmVvNGo6bmVvNGo=", "", "application/x-www-form-urlencoded", `password=secret`},
		{"POST", "/user/neo4j/password", "Basic bmVvNGo6bmVvNGo=", "", "text/plain", `{"password":`},
		{"GET", "/", "", "", "", ""},
		{"GET", "/browser/", "", "", "", ""},
		{"OPTIONS", "/db/data/", "", "", "", ""},
		{"GET", "/user/other", "Basic bmVvNGo6bmVvNGo=", "", "", ""},
	})
	addLargeSeeds(f, "POST", "/user/neo4j/password", "Basic bmVvNGo6bmVvNGo=", "application/json",
		"\x01[\x01", "\x01{\"a\":\x01", `{"password":"`+"\x01x\x01"+`"}`, "\x01[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\x01")
	f.Fuzz(func(t *testing.T, method, target, auth, cookie, contentType, accept, body string, times uint16) {
		fuzzServe(t, Neo4j33, method, target, auth, cookie, contentType, accept, body, times)
	})
}

func FuzzServeNeo4jQuery(f *testing.F) {
	addServeSeeds(f, [][6]string{
		{"POST", "/db/neo4j/query/v2", "Basic bmVvNGo6dmVyeXNlY3JldA==", "", "application/json", `{"statement":"RETURN 1 AS n"}`},
		{"POST", "/db/neo4j/query/v2", "Bearer eGJoa2pubHZpYW56dGdocXdhd3hxZmUK", "", "application/json", `{"statement":"CALL db.ping()"}`},
		{"POST", "/db/neo4j/query/v2", "Bearer xbhkjnlvianztghqwawxqfe", "", "application/vnd.neo4j.query", `{"statement":"RETURN $x AS x","parameters":{"x":{"$type":"Integer","_value":"1"}}}`},
		{"POST", "/db/system/query/v2", "Basic bmVvNGo6dmVyeXNlY3JldA==", "", "application/json", `{"statement":"ALTER CURRENT USER SET PASSWORD FROM 'verysecret' TO 'evenmoresecret'"}`},
		{"POST", "/db/neo4j/query/v2", "Basic bmVvNGo6dmVyeXNlY3JldA==", "", "application/json", `{"statement":"RETURN [1, 2.5, 'x', null, true] AS l","includeCounters":true}`},
		{"POST", "/db/neo4j/query/v2", "Basic bmVvNGo6dmVyeXNlY3JldA==", "", "application/json", `[[[[`},
		{"GET", "/", "", "", "", ""},
		{"GET", "/db/neo4j/query/v2", "Basic bmVvNGo6dmVyeXNlY3JldA==", "", "", ""},
		{"POST", "/db/nope/query/v2", "Basic bmVvNGo6dmVyeXNlY3JldA==", "", "application/json", `{"statement":"RETURN 1 AS n"}`},
	})
	addLargeSeeds(f, "POST", "/db/neo4j/query/v2", "Basic bmVvNGo6dmVyeXNlY3JldA==", "application/json",
		"\x01[\x01", `{"statement":"RETURN `+"\x01[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\x01"+`1"}`, `{"statement":"RETURN `+"\x01[\x01\x01"+`"}`,
		`{"statement":"RETURN 1 AS n","parameters":{"p":`+"\x01[\x01"+`}}`, `{"statement":"RETURN '`+"\x01\\\\\x01"+`' AS s"}`)
	addLargeSeeds(f, "POST", "/db/neo4j/query/v2", "Basic bmVvNGo6dmVyeXNlY3JldA==", "application/vnd.neo4j.query",
		`{"statement":"RETURN $p AS p","parameters":{"p":`+"\x01{\"$type\":\"List\",\"_value\":[\x01"+`}}`)
	f.Fuzz(func(t *testing.T, method, target, auth, cookie, contentType, accept, body string, times uint16) {
		fuzzServe(t, Neo4jQuery, method, target, auth, cookie, contentType, accept, body, times)
	})
}

func FuzzServeCouchDB(f *testing.F) {
	addServeSeeds(f, [][6]string{
		{"GET", "/_session", "Basic YWRtaW46c2VjcmV0", "", "", ""},
		{"POST", "/_session", "", "", "application/x-www-form-urlencoded", "name=admin&password=secret"},
		{"POST", "/_session?next=/db", "", "", "application/json", `{"name":"admin","password":"secret"}`},
		{"POST", "/_session", "", "", "application/x-www-form-urlencoded", "name=username&password=password"},
		{"POST", "/_session", "", "", "application/x-www-form-urlencoded", "name=a&name=b&username=c"},
		{"DELETE", "/_session", "", "AuthSession=d2FybWFuYTo1ODI1QkM2NzpZelovo2epvx9cfaDdxJGNLuzBzw; Expires=Sat, 12 Nov 2016 12:43:15 GMT; Max-Age=86400; Path=/; HttpOnly; Version=1", "", ""},
		{"GET", "/_session", "", "AuthSession=garbage", "", ""},
		{"GET", "/db/document", "Basic dXNlcm5hbWU6cGFzc3dvcmQ=", "", "", ""},
		{"GET", "/authtest", "", "", "", ""},
		{"GET", "/_all_dbs", "Basic YWRtaW46c2VjcmV0", "", "", ""},
		{"GET", "/_up", "", "", "", ""},
		{"GET", "/db/_design/x", "", "", "", ""},
		{"GET", "/%5Fsession", "", "", "", ""},
	})
	addLargeSeeds(f, "POST", "/_session", "", "application/json", "\x01[\x01", `{"name":`+"\x01{\"a\":\x01")
	addLargeSeeds(f, "POST", "/_session", "", "application/x-www-form-urlencoded", "name=admin&password=\x01%\x01", "\x01name=a&\x01")
	for _, c := range testkit.Cookies() {
		f.Add("GET", "/_session", "", "AuthSession="+c, "", "text/html", "", uint16(0))
	}
	addRouteSeeds(f, couchdb.RoutePaths(), "Basic YWRtaW46c2VjcmV0")
	f.Fuzz(func(t *testing.T, method, target, auth, cookie, contentType, accept, body string, times uint16) {
		fuzzServe(t, CouchDB, method, target, auth, cookie, contentType, accept, body, times)
	})
}
