package fakeserver

import (
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Fuzz targets of the hardening work: every parser of an Authorization
// header, the CouchDB cookie, and each flavor's handler end to end. Run one
// with
//
//	go test -run '^$' -fuzz '^FuzzParseBasicStrict$' -fuzztime 60s ./fakeserver
//
// or all of them with `make fuzz`. Findings are kept in testdata/fuzz and
// replayed by every plain `go test`.

// fuzzT0 is the fixed time of the fuzz targets, so that a finding replays
// exactly.
var fuzzT0 = time.Date(2016, 11, 11, 12, 43, 15, 0, time.UTC)

// fuzzAuthSeeds are the Authorization values of the documents (their base64
// literals) and of the CouchDB 3.5.0 transcript (key fact 10).
var fuzzAuthSeeds = []string{
	"Basic bmVvNGo6c2VjcmV0",                  // neo4j:secret
	"Basic bmVvNGo6aW5jb3JyZWN0",              // neo4j:incorrect
	"Basic bmVvNGo6bmVvNGo=",                  // neo4j:neo4j
	"Basic bmVvNGo6dmVyeXNlY3JldA==",          // neo4j:verysecret
	"Bearer eGJoa2pubHZpYW56dGdocXdhd3hxZmUK", // the token plus "\n"
	"Bearer eGJoa2pubHZpYW56dGdocXdhd3hxZmU=",
	"Bearer xbhkjnlvianztghqwawxqfe",
	"Basic dXNlcm5hbWU6cGFzc3dvcmQ=", // username:password
	"Basic YWRtaW46c2VjcmV0",         // admin:secret
	"Basic not-base64!!!",
	"Basic XX=",
	"Basic x",
	"Basic YWxpY2U6YWxpY2Vwdw",
	"Basic bm9jb2xvbg==",
	"Bearer abc.def.ghi",
	"basic YWRtaW46c2VjcmV0",
	"BASIC YWRtaW46c2VjcmV0",
	"Basic",
	"Basic ",
	"Basic  YWRtaW46c2VjcmV0",
	"Basic Og==",
	"Basic Xzpf",
	"Basic YWRtaW46c2VjcmV0OmV4dHJh",
	"Basic bmVvNGo6c2VjcmV0 bmVvNGo6c2VjcmV0",
	"Basic bmVvNGo6c2VjcmV0==",
	"Basic bmVv-Go6c2_jcmV0",
	"Basic \x00bmVvNGo6c2VjcmV0",
	"Basic " + base64.StdEncoding.EncodeToString([]byte("n\xe9o:\xff\x00")),
	"",
	" ",
	"Digest username=\"neo4j\"",
}

// fuzzCookieSeeds are AuthSession values: the Cloudant document's example,
// the transcript's malformed ones and hand-made edges.
var fuzzCookieSeeds = []string{
	"d2FybWFuYTo1ODI1QkM2NzpZelovo2epvx9cfaDdxJGNLuzBzw",
	"YWRtaW46NkIwMzAwRTQ6nGSuzfighsClECNRwxLrY6GjawILEiibY97jWcTtij0",
	"garbage",
	"",
	"=",
	"%%%",
	base64.RawURLEncoding.EncodeToString([]byte("admin:7FFFFFFFFFFFFFFF:x")),
	base64.RawURLEncoding.EncodeToString([]byte("admin:-7FFFFFFFFFFFFFFF:x")),
	base64.RawURLEncoding.EncodeToString([]byte("::")),
	base64.RawURLEncoding.EncodeToString([]byte("admin:5825BC67:")),
	base64.URLEncoding.EncodeToString([]byte("admin:5825BC67:x")),
}

func FuzzParseBasicStrict(f *testing.F) {
	for _, s := range fuzzAuthSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		user, password, ok := parseBasicStrict(header)
		if !ok {
			return
		}
		if strings.Contains(user, ":") {
			t.Fatalf("user %q contains the separator", user)
		}
		// What was accepted must survive a round trip through the canonical
		// form.
		u2, p2, ok2 := parseBasicStrict("Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password)))
		if !ok2 || u2 != user || p2 != password {
			t.Fatalf("round trip of %q: got %q %q %v, want %q %q", header, u2, p2, ok2, user, password)
		}
	})
}

func FuzzParseBasicNeo4j3(f *testing.F) {
	for _, s := range fuzzAuthSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		user, _, ok := parseBasicNeo4j3(header)
		if ok && strings.Contains(user, ":") {
			t.Fatalf("user %q contains the separator", user)
		}
	})
}

// FuzzNeo4jQueryAuthorization runs the Query API's header parser in both
// profiles, and the two base64 decoders behind it.
func FuzzNeo4jQueryAuthorization(f *testing.F) {
	for _, s := range fuzzAuthSeeds {
		f.Add(s)
	}
	flavors := map[Profile]*neo4jQuery{}
	for _, p := range ProfilesFor(Neo4jQuery) {
		fl, err := newNeo4jQuery(&env{opts: Options{Flavor: Neo4jQuery, Profile: p}, clock: &clock{base: func() time.Time { return fuzzT0 }}})
		if err != nil {
			f.Fatal(err)
		}
		flavors[p] = fl.(*neo4jQuery)
	}
	f.Fuzz(func(t *testing.T, header string) {
		for p, n := range flavors {
			cred, ok := n.parseAuthorization(header)
			if !ok {
				continue
			}
			if cred.bearer && p == ProfileDocumented && cred.token == "" {
				t.Fatalf("%s: empty token accepted from %q", p, header)
			}
			if !cred.bearer && strings.Contains(cred.user, ":") {
				t.Fatalf("%s: user %q contains the separator", p, cred.user)
			}
		}
		if raw, ok := decodeJavaBase64(header); ok && base64.RawStdEncoding.EncodeToString(raw) != strings.TrimRight(header, "=") {
			// java.util.Base64 is canonical apart from optional padding
			// and unused trailing bits; a mismatch elsewhere is a bug.
			if len(header) > 0 && !trailingBitsOnly(header, raw) {
				t.Fatalf("decodeJavaBase64(%q) = %q, not a re-encoding", header, raw)
			}
		}
	})
}

// trailingBitsOnly reports whether s and the encoding of raw differ only in
// the last character (the unused low bits of a partial group).
func trailingBitsOnly(s string, raw []byte) bool {
	enc := base64.RawStdEncoding.EncodeToString(raw)
	s = strings.TrimRight(s, "=")
	return len(s) == len(enc) && s[:len(s)-1] == enc[:len(enc)-1]
}

func FuzzParseBasicCouch(f *testing.F) {
	for _, s := range fuzzAuthSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		name, password, present, ok := parseBasicCouch(header)
		if !ok && present {
			t.Fatalf("%q: credentials present in a header that did not decode", header)
		}
		if present && (strings.Contains(name, ":") || name == "_" && password == "_") {
			t.Fatalf("%q: credentials %q %q should not be present", header, name, password)
		}
	})
}

// couchFuzzFlavor builds a CouchDB flavor directly, with a fixed clock.
func couchFuzzFlavor(tb testing.TB, p Profile) *couchdb {
	e := &env{opts: Options{Flavor: CouchDB, Profile: p, CookieSecret: []byte("fuzz")}, clock: &clock{base: func() time.Time { return fuzzT0 }}}
	fl, err := newCouchDB(e)
	if err != nil {
		tb.Fatal(err)
	}
	return fl.(*couchdb)
}

// FuzzCouchCookie decodes and verifies AuthSession values: no panic, a
// value that does not carry a valid HMAC is never accepted, and a request
// carrying it is never answered with a 5xx.
func FuzzCouchCookie(f *testing.F) {
	for _, s := range fuzzCookieSeeds {
		f.Add(s)
	}
	docs := couchFuzzFlavor(f, ProfileDocumented)
	acct, _ := docs.users.lookup("admin")
	valid := docs.mintCookie(acct, fuzzT0.Add(-time.Minute))
	f.Add(valid)
	f.Add(flipLastBit(valid))
	f.Add(tamper(valid))
	f.Add(valid + "=")
	f.Add(strings.ReplaceAll(valid, "-", "+"))
	f.Fuzz(func(t *testing.T, value string) {
		for _, c := range []*couchdb{docs, couchFuzzFlavor(t, ProfileCouchDB35)} {
			_, _ = decodeCouchBase64URL(value)
			ctx, malformed := c.verifyCookie(value, fuzzT0)
			if malformed && !ctx.anonymous() {
				t.Fatalf("%q: malformed but authenticated as %q", value, ctx.name)
			}
			if !ctx.anonymous() {
				raw, err := decodeCouchBase64URL(value)
				if err != nil {
					t.Fatalf("%q accepted but does not decode: %v", value, err)
				}
				parts := strings.SplitN(string(raw), ":", 3)
				a, _ := c.users.lookup(parts[0])
				if string(c.cookieMAC(a, parts[0]+":"+parts[1])) != parts[2] {
					t.Fatalf("%q accepted without a valid HMAC", value)
				}
			}
			if !isCookieValue(value) {
				continue
			}
			r := httptest.NewRequest(http.MethodGet, "/_session", nil)
			r.Header.Set("Cookie", "AuthSession="+value)
			w := httptest.NewRecorder()
			c.ServeHTTP(w, r)
			if err := checkReply(CouchDB, r, w.Code, w.Header(), w.Body.Bytes()); err != nil {
				t.Fatalf("cookie %q: %v", value, err)
			}
		}
	})
}

// isCookieValue reports whether net/http would send v as a cookie value.
func isCookieValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x21 || c > 0x7e || c == '"' || c == ';' || c == '\\' || c == ',' {
			return false
		}
	}
	return true
}

// fuzzServe sends one fuzzed request to a fresh Fake of each profile of fl
// and checks the reply: no panic, no 5xx, 4xx in the flavor's shape.
func fuzzServe(t *testing.T, fl Flavor, method, target, auth, cookie, contentType, accept, body string) {
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
		f, err := New(Options{Flavor: fl, Profile: p, Clock: func() time.Time { return fuzzT0 }, MaxBodyBytes: 4096,
			CookieSecret: []byte("fuzz")})
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
		if err := checkReply(fl, r, w.Code, w.Header(), w.Body.Bytes()); err != nil {
			t.Fatalf("%s %s: %s %q auth %q cookie %q type %q accept %q body %q: %v", fl, p, method, target, auth, cookie, contentType, accept, body, err)
		}
	}
}

// addServeSeeds adds method, target, Authorization, Cookie, Content-Type
// and body seeds, each also with the Accept values clients send.
func addServeSeeds(f *testing.F, requests [][6]string) {
	for i, r := range requests {
		accept := []string{"", "application/json", "text/html", "application/vnd.neo4j.query, */*;q=0.5", "text/html;q=abc"}[i%5]
		f.Add(r[0], r[1], r[2], r[3], r[4], accept, r[5])
	}
	for _, a := range fuzzAuthSeeds {
		f.Add("GET", requests[0][1], a, "", "", "", "")
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
	f.Fuzz(func(t *testing.T, method, target, auth, cookie, contentType, accept, body string) {
		fuzzServe(t, Neo4j33, method, target, auth, cookie, contentType, accept, body)
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
	f.Fuzz(func(t *testing.T, method, target, auth, cookie, contentType, accept, body string) {
		fuzzServe(t, Neo4jQuery, method, target, auth, cookie, contentType, accept, body)
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
	for _, c := range fuzzCookieSeeds {
		f.Add("GET", "/_session", "", "AuthSession="+c, "", "text/html", "")
	}
	f.Fuzz(func(t *testing.T, method, target, auth, cookie, contentType, accept, body string) {
		fuzzServe(t, CouchDB, method, target, auth, cookie, contentType, accept, body)
	})
}
