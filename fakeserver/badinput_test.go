package fakeserver

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

// The bad-input matrix: for every flavor and profile,
// malformed, oversized and odd requests must get a status below 500, a 4xx
// in the flavor's own JSON shape, and leave the fake answering good
// requests, with a session opened before the garbage still working. Helpers
// carry a bi prefix.

// biGarbageAddr is where garbage comes from; the good requests come from
// httptest's default 192.0.2.1, so CouchDB's per-IP lockout never locks the
// good client out because of the garbage.
const biGarbageAddr = "198.51.100.7:4000"

// checkReply is the standard every answer to bad input must meet: no 5xx,
// and a 4xx carries the flavor's JSON error shape (Neo4j
// {"errors":[{"code","message"}]}, CouchDB {"error","reason"}).
func checkReply(fl Flavor, p Profile, r *http.Request, code int, h http.Header, body []byte) error {
	if releaseOddity(fl, p, code, h, body) {
		return nil
	}
	if code >= 500 {
		return fmt.Errorf("status %d (body %.200q)", code, body)
	}
	if code < 400 || r.Method == http.MethodHead {
		return nil
	}
	kit, ok := biFlavors[fl]
	if !ok {
		return fmt.Errorf("no bad-input kit for flavor %s", fl)
	}
	if kit.emptyNotFound != nil && code == http.StatusNotFound && len(body) == 0 && kit.emptyNotFound(r.URL.Path) {
		return nil
	}
	ct := h.Get("Content-Type")
	if !strings.Contains(ct, "json") && !strings.HasPrefix(ct, mimeTyped) {
		return fmt.Errorf("status %d with Content-Type %q (body %.200q)", code, ct, body)
	}
	if err := kit.errorShape(body); err != nil {
		return fmt.Errorf("status %d: %v", code, err)
	}
	return nil
}

// neo4jErrorShape is Neo4j's {"errors":[{"code":"Neo...","message"}]}.
func neo4jErrorShape(body []byte) error {
	var e struct {
		Errors []struct {
			Code    *string `json:"code"`
			Message *string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(body, &e); err != nil || len(e.Errors) == 0 || e.Errors[0].Code == nil ||
		!strings.HasPrefix(*e.Errors[0].Code, "Neo.") || e.Errors[0].Message == nil {
		return fmt.Errorf("body %.200q is not Neo4j's {errors:[{code, message}]}", body)
	}
	return nil
}

// couchErrorShape is CouchDB's {"error","reason"}.
func couchErrorShape(body []byte) error {
	var e struct {
		Error  *string `json:"error"`
		Reason *string `json:"reason"`
	}
	if err := json.Unmarshal(body, &e); err != nil || e.Error == nil || *e.Error == "" || e.Reason == nil {
		return fmt.Errorf("body %.200q is not CouchDB's {error, reason}", body)
	}
	return nil
}

// releaseOddity accepts the two replies the couchdb release profiles copy from
// CouchDB (3.3.3, 3.4.3 and 3.5.0 alike) that no other reply may show: MochiWeb's bare 400 to an
// over-long line, and a 500 {error, reason, ref} with X-Couch-Stack-Hash.
func releaseOddity(fl Flavor, p Profile, code int, h http.Header, body []byte) bool {
	if fl != CouchDB || couchReleases[p] == "" {
		return false
	}
	if code == http.StatusBadRequest && len(body) == 0 && strings.HasPrefix(h.Get("Server"), "MochiWeb/") {
		return true
	}
	var e struct {
		Error  string `json:"error"`
		Reason *string
		Ref    int64 `json:"ref"`
	}
	return code == http.StatusInternalServerError && json.Unmarshal(body, &e) == nil && e.Error != "" && e.Reason != nil &&
		e.Ref != 0 && h.Get("X-Couch-Stack-Hash") == fmt.Sprint(e.Ref)
}

// headerTooBigStatus is the answer to a header over the fake's 64 KiB:
// 431, or the couchdb release profiles' MochiWeb 400.
func (k *biKit) headerTooBigStatus() int {
	if k.flavor == CouchDB && couchReleases[k.profile] != "" {
		return http.StatusBadRequest
	}
	return http.StatusRequestHeaderFieldsTooLarge
}

// biKit is one flavor and profile under test: its fake, a credential that
// works, and the endpoints to aim garbage at.
type biKit struct {
	flavor  Flavor
	profile Profile
	kit     biFlavor
	fake    *Fake
	// good is an Authorization value that authenticates.
	good string
	// cookie is a CouchDB session opened before any garbage.
	cookie string
	// bearer is a neo4j-query Bearer header opened before any garbage.
	bearer string
	// protected is a GET path behind authentication, post a POST endpoint
	// with its Content-Type and a body it accepts the shape of.
	protected, post, postCT, postBody string
}

func newBIKit(t *testing.T, fl Flavor, p Profile) *biKit {
	t.Helper()
	kit, ok := biFlavors[fl]
	if !ok {
		t.Fatalf("no bad-input kit for flavor %s: add one to biFlavors", fl)
	}
	k := &biKit{flavor: fl, profile: p, kit: kit, good: kit.good, protected: kit.protected, post: kit.post, postCT: kit.postCT, postBody: kit.postBody}
	if kit.bearer != nil {
		k.bearer = kit.bearer(p)
	}
	f, err := New(Options{Flavor: fl, Profile: p, Clock: testkit.ClockAt(testkit.TranscriptDay()), Users: kit.users})
	if err != nil {
		t.Fatal(err)
	}
	k.fake = f
	if kit.sessions {
		k.cookie = couchLogin(t, f, "admin", "secret")
	}
	return k
}

// biFlavor is what the matrix knows of one flavor. Every flavor of the
// builders table needs one: the matrix fails for a flavor without it.
type biFlavor struct {
	// users replace the flavor's defaults when set.
	users []User
	// good is an Authorization value that authenticates; bearer, when set,
	// a Bearer one for a profile.
	good   string
	bearer func(Profile) string
	// protected is a path behind authentication; post a POST endpoint with
	// its Content-Type and a body it accepts; postJSON the same body as JSON
	// when postCT is not JSON.
	protected, post, postCT, postBody, postJSON string
	// postOnly: the protected path takes only POST (with postBody).
	postOnly bool
	// loginOpen: the POST endpoint needs no Authorization (a login).
	loginOpen bool
	// sessions: the flavor has cookie sessions (logged in as admin/secret);
	// one is opened before the garbage and must survive it.
	sessions bool
	// basicEverywhere: credentials are checked on open paths too.
	basicEverywhere bool
	// errorShape checks a 4xx body; emptyNotFound names the paths where a
	// 404 with no body is the right answer.
	errorShape    func(body []byte) error
	emptyNotFound func(path string) bool
	// stillGood checks good requests sent with do.
	stillGood func(k *biKit, do func(method, path, body string, headers ...string) *httptest.ResponseRecorder) error
	// extra are the flavor's own cases.
	extra func(k *biKit) []biReq
}

var biFlavors = map[Flavor]biFlavor{
	Neo4j33: {
		users: []User{{Name: "neo4j", Password: "secret"}},
		good:  testkit.Basic("neo4j", "secret"),
		// The same password again: a well-formed body that changes nothing.
		protected: "/db/data/", post: "/user/neo4j/password", postCT: "application/json", postBody: `{"password":"secret"}`,
		errorShape: neo4jErrorShape,
		// UserService: another user's resource is a 404 with no body.
		emptyNotFound: func(path string) bool { return strings.HasPrefix(path, "/user/") },
		stillGood: func(k *biKit, do func(method, path, body string, headers ...string) *httptest.ResponseRecorder) error {
			if w := do("GET", "/db/data/", "", "Authorization", k.good); w.Code != http.StatusOK {
				return fmt.Errorf("good GET /db/data/: status %d %s", w.Code, w.Body)
			}
			return nil
		},
		extra: neo4jCases,
	},
	Neo4jQuery: {
		good: testkit.Basic("neo4j", "verysecret"),
		bearer: func(p Profile) string {
			if p == ProfileNeo4j5 {
				return "Bearer " + docToken
			}
			return "Bearer " + base64.StdEncoding.EncodeToString([]byte(docToken))
		},
		protected: "/db/neo4j/query/v2", post: "/db/neo4j/query/v2", postCT: "application/json", postBody: `{"statement":"RETURN 1 AS n"}`,
		postOnly:   true,
		errorShape: neo4jErrorShape,
		stillGood: func(k *biKit, do func(method, path, body string, headers ...string) *httptest.ResponseRecorder) error {
			for _, auth := range []string{k.good, k.bearer} {
				w := do("POST", "/db/neo4j/query/v2", `{"statement":"RETURN 1 AS n"}`, "Authorization", auth, "Content-Type", "application/json")
				if w.Code != http.StatusAccepted || !strings.Contains(w.Body.String(), `"values":[[1]]`) {
					return fmt.Errorf("good query with %.6s: status %d %s", auth, w.Code, w.Body)
				}
			}
			return nil
		},
		extra: neo4jCases,
	},
	CouchDB: {
		good:      testkit.Basic("admin", "secret"),
		protected: "/authtest", post: "/_session", postCT: formCT, postBody: "name=alice&password=alicepw",
		postJSON:  `{"name":"alice","password":"alicepw"}`,
		loginOpen: true, sessions: true, basicEverywhere: true,
		errorShape: couchErrorShape,
		stillGood: func(k *biKit, do func(method, path, body string, headers ...string) *httptest.ResponseRecorder) error {
			if w := do("GET", "/authtest", "", "Authorization", k.good); w.Code != http.StatusOK {
				return fmt.Errorf("good GET /authtest: status %d %s", w.Code, w.Body)
			}
			w := do("GET", "/_session", "", "Cookie", "AuthSession="+k.cookie)
			var s struct {
				UserCtx struct {
					Name *string `json:"name"`
				} `json:"userCtx"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &s); w.Code != http.StatusOK || err != nil || s.UserCtx.Name == nil || *s.UserCtx.Name != "admin" {
				return fmt.Errorf("session lost: GET /_session status %d %s", w.Code, w.Body)
			}
			return nil
		},
		extra: func(k *biKit) []biReq {
			return []biReq{
				{name: "logout with the logout credentials", method: "DELETE", path: "/_session", headers: []string{"Authorization", "Basic Xzpf"}},
				{name: "login redirect garbage", method: "POST", path: "/_session?next=//evil&fail=x", body: "name=mallory&password=x", headers: []string{"Content-Type", formCT}},
				{name: "session with basic=true", path: "/_session?basic=true&basic=false"},
				{name: "_all_dbs extra segments", path: "/_all_dbs/x/y", auth: true},
				{name: "document with odd id", path: "/db/%E4%B8%AD%00/x/y/z", auth: true},
				{name: "illegal database name", path: "/Upper%20Case", auth: true},
				{name: "design document", path: "/db/_design/%2e%2e", auth: true},
			}
		},
	},
}

// neo4jCases are the cases both Neo4j flavors get.
func neo4jCases(k *biKit) []biReq {
	return []biReq{
		{name: "X-Ajax-Browser-Auth with bad header", path: k.protected, headers: []string{"X-Ajax-Browser-Auth", "true", "Authorization", "Basic x"}},
		{name: "database name garbage", method: "POST", path: "/db/%00%FF/query/v2", auth: true, body: `{"statement":"RETURN 1 AS n"}`, headers: []string{"Content-Type", "application/json"}},
		{name: "database path without query", path: "/db/neo4j", auth: true},
	}
}

// biReq is one request of the matrix. headers are name/value pairs, added
// in order (so a name may repeat); auth adds the kit's good credential
// first.
type biReq struct {
	name         string
	method, path string
	headers      []string
	body         string
	auth         bool
	http10       bool
	// chunked hides the body's length, as a chunked request does.
	chunked bool
	// want, when set, is the exact status the flavor must answer.
	want map[Flavor]int
}

func (k *biKit) request(c biReq) *http.Request {
	method := c.method
	if method == "" {
		method = http.MethodGet
	}
	r := httptest.NewRequest(method, "http://127.0.0.1:7474"+c.path, strings.NewReader(c.body))
	r.RemoteAddr = biGarbageAddr
	if c.chunked {
		r.ContentLength = -1
	}
	if c.http10 {
		r.Proto, r.ProtoMajor, r.ProtoMinor = "HTTP/1.0", 1, 0
	}
	if c.auth {
		r.Header.Add("Authorization", k.good)
	}
	for i := 0; i+1 < len(c.headers); i += 2 {
		r.Header.Add(c.headers[i], c.headers[i+1])
	}
	return r
}

// stillGood checks that the fake answers a good request and that the
// session opened before the garbage still works.
func (k *biKit) stillGood() error {
	do := func(method, path, body string, headers ...string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(method, "http://127.0.0.1:7474"+path, strings.NewReader(body))
		for i := 0; i+1 < len(headers); i += 2 {
			r.Header.Set(headers[i], headers[i+1])
		}
		w := httptest.NewRecorder()
		k.fake.ServeHTTP(w, r)
		return w
	}
	return k.kit.stillGood(k, do)
}

// nested is depth levels of JSON arrays (or objects) around a 1.
func nested(depth int, object bool) string {
	open, closing := "[", "]"
	if object {
		open, closing = `{"a":`, "}"
	}
	return strings.Repeat(open, depth) + "1" + strings.Repeat(closing, depth)
}

// biCases builds the in-process matrix for one kit.
func biCases(k *biKit) []biReq {
	const big = 64<<10 + 1
	anyFlavor := func(status int) map[Flavor]int {
		return map[Flavor]int{Neo4j33: status, Neo4jQuery: status, CouchDB: status}
	}
	headerTooBig := anyFlavor(k.headerTooBigStatus())
	// urlPlus is a credential whose standard base64 has '+' and '/', so the
	// URL alphabet variant differs.
	urlPlus := testkit.Base64("mallory:\xfb\xff\xbf?>")
	authValues := []struct{ name, value string }{
		{"empty", ""},
		{"only spaces", "   "},
		{"scheme only", "Basic"},
		{"scheme and space", "Basic "},
		{"no scheme", testkit.Base64("mallory:x")},
		{"unknown scheme", "Digest username=\"mallory\""},
		{"bearer garbage", "Bearer abc.def.ghi"},
		{"bearer empty", "Bearer "},
		{"bearer two tokens", "Bearer a b"},
		{"lower-case scheme, good credentials", "basic " + strings.TrimPrefix(k.good, "Basic ")},
		{"upper-case scheme, good credentials", "BASIC " + strings.TrimPrefix(k.good, "Basic ")},
		{"mixed-case scheme", "bAsIc " + testkit.Base64("mallory:x")},
		{"mixed-case bearer", "bEaReR " + testkit.Base64("nope")},
		{"two spaces", "Basic  " + testkit.Base64("mallory:x")},
		{"tab separator", "Basic\t" + testkit.Base64("mallory:x")},
		{"not base64", "Basic not-base64!!!"},
		{"bad padding", "Basic XX="},
		{"truncated", "Basic x"},
		{"padding missing", "Basic " + strings.TrimRight(testkit.Base64("mallory:pw"), "=")},
		{"padding extra", "Basic " + testkit.Base64("mallory:pw") + "=="},
		{"padding in the middle", "Basic bWFs=bG9yeTp4"},
		{"url alphabet", "Basic " + strings.NewReplacer("+", "-", "/", "_").Replace(urlPlus)},
		{"standard alphabet, binary", "Basic " + urlPlus},
		{"non-ASCII in the header", "Basic bWFsbG9yeTp4\u00e9\u4e2d"},
		{"non-ASCII credentials", "Basic " + testkit.Base64("m\u00e4llory:p\u00e4ss")},
		{"Latin-1 bytes", "Basic " + testkit.Base64("m\xe4llory:p\xe4ss")},
		{"NUL in the header", "Basic \x00" + testkit.Base64("mallory:x")},
		{"NUL in the credentials", "Basic " + testkit.Base64("mallory\x00:x\x00")},
		{"no colon", "Basic bm9jb2xvbg=="},
		{"empty user and password", "Basic Og=="},
		{"logout credentials", "Basic Xzpf"},
		{"password with colons", "Basic " + testkit.Base64("mallory:a:b:c")},
		{"trailing garbage token", "Basic " + testkit.Base64("mallory:x") + " extra"},
		{"CR LF inside", "Basic bWFs\r\nbG9yeTp4"},
		{"huge payload (48 KiB)", "Basic " + testkit.Base64("mallory:"+strings.Repeat("x", 36<<10))},
		{"oversized (>64 KiB)", "Basic " + strings.Repeat("QUFB", big/4+1)},
	}
	var cases []biReq
	for _, a := range authValues {
		c := biReq{name: "Authorization " + a.name, path: k.protected, headers: []string{"Authorization", a.value}}
		if strings.HasPrefix(a.name, "oversized") {
			c.want = headerTooBig
		}
		cases = append(cases, c)
		if k.kit.basicEverywhere {
			cases = append(cases, biReq{name: "Authorization " + a.name + " on /", path: "/", headers: []string{"Authorization", a.value}})
		}
	}
	cases = append(cases,
		biReq{name: "unknown scheme on / is anonymous", path: "/", headers: []string{"Authorization", "Bearer abc.def.ghi"},
			want: map[Flavor]int{CouchDB: http.StatusOK, Neo4j33: http.StatusOK, Neo4jQuery: http.StatusOK}},
		biReq{name: "duplicated Authorization, both good", path: k.protected, auth: true, headers: []string{"Authorization", k.good}},
		biReq{name: "duplicated Authorization, good then bad", path: k.protected, auth: true, headers: []string{"Authorization", "Basic not-base64!!!"}},
		biReq{name: "duplicated Authorization, bad then good", path: k.protected, headers: []string{"Authorization", "Basic XX=", "Authorization", k.good}},
		biReq{name: "oversized other header", path: k.protected, auth: true, headers: []string{"X-Big", strings.Repeat("x", big)},
			want: headerTooBig},
		biReq{name: "many headers", path: k.protected, auth: true, headers: manyHeaders(2000)},
		biReq{name: "X-Forwarded-Host garbage", path: k.protected, auth: true, headers: []string{"X-Forwarded-Host", "a/b@c:-1, \x00", "X-Forwarded-Proto", "gopher"}},
		biReq{name: "Accept garbage", path: k.protected, auth: true, headers: []string{"Accept", "text/html;q=abc, */*;q=-1, ;;;"}},
		biReq{name: "browser Accept", path: k.protected, headers: []string{"Accept", "text/html"}},
		// Paths and query strings.
		biReq{name: "long path (8 KiB)", path: "/" + strings.Repeat("a", 8<<10), auth: true},
		biReq{name: "long path under the API (8 KiB)", path: k.protected + strings.Repeat("a/", 4<<10), auth: true},
		biReq{name: "oversized path (>64 KiB)", path: "/" + strings.Repeat("a", big), auth: true,
			want: headerTooBig},
		biReq{name: "long query string (32 KiB)", path: k.protected + "?" + strings.Repeat("a=b&", 8<<10), auth: true},
		biReq{name: "oversized query string (>64 KiB)", path: k.protected + "?q=" + strings.Repeat("x", big), auth: true,
			want: headerTooBig},
		biReq{name: "query string with bad escapes", path: k.protected + "?a=%zz&b=%&next=%00&fail=x", auth: true},
		biReq{name: "encoded slashes and dots", path: "/db/%2F..%2F..%2Fetc%2Fpasswd", auth: true},
		biReq{name: "double slashes", path: "//" + strings.TrimPrefix(k.protected, "/"), auth: true},
		biReq{name: "encoded NUL", path: k.protected + "%00", auth: true},
		biReq{name: "non-ASCII path", path: "/d\u00e9j\u00e0/%E4%B8%AD", auth: true},
		biReq{name: "unknown path", path: "/no/such/path", auth: true},
		biReq{name: "unknown path, no auth", path: "/no/such/path"},
		biReq{name: "user path of another user", path: "/user/mallory", auth: true},
		biReq{name: "user path, deep", path: "/user/neo4j/password/extra/x", auth: true},
		// Methods.
		biReq{name: "PUT", method: "PUT", path: k.protected, auth: true, body: "{}"},
		biReq{name: "DELETE", method: "DELETE", path: k.deletable(), auth: true},
		biReq{name: "PATCH on the POST endpoint", method: "PATCH", path: k.post, auth: true, body: k.postBody, headers: []string{"Content-Type", k.postCT}},
		biReq{name: "GET on the POST endpoint", path: k.post, auth: true},
		biReq{name: "HEAD", method: "HEAD", path: k.protected, auth: true},
		biReq{name: "OPTIONS", method: "OPTIONS", path: k.post},
		biReq{name: "TRACE", method: "TRACE", path: k.protected, auth: true},
		biReq{name: "CONNECT-like method", method: "CONNECT", path: k.protected, auth: true},
		biReq{name: "unknown method", method: "BREW", path: "/", auth: true},
		biReq{name: "lower-case method", method: "get", path: k.protected, auth: true},
		biReq{name: "lower-case post", method: "post", path: k.post, auth: true, body: k.postBody, headers: []string{"Content-Type", k.postCT}},
		// HTTP/1.0, in process (over the wire below).
		biReq{name: "HTTP/1.0 without Host", path: k.protected, auth: true, http10: true},
	)
	// POST bodies and content types.
	post := func(name, ct, body string, extra ...string) biReq {
		h := append([]string{}, extra...)
		if ct != "" {
			h = append(h, "Content-Type", ct)
		}
		return biReq{name: "POST " + name, method: "POST", path: k.post, auth: !k.kit.loginOpen, headers: h, body: body}
	}
	cases = append(cases,
		post("no Content-Type", "", k.postBody),
		post("text/plain", "text/plain", k.postBody),
		post("multipart", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nadmin\r\n--x--\r\n"),
		post("Content-Type garbage", ";;;=", k.postBody),
		post("Content-Type with params", k.postCT+"; charset=latin-1; x=\"y", k.postBody),
		post("upper-case Content-Type", strings.ToUpper(k.postCT), k.postBody),
		post("duplicated Content-Type", k.postCT, k.postBody, "Content-Type", "text/plain"),
		post("empty body", k.postCT, ""),
		post("whitespace body", k.postCT, " \r\n\t "),
		post("invalid JSON", "application/json", `{"statement":`),
		post("JSON null", "application/json", "null"),
		post("JSON array", "application/json", `[1,2,3]`),
		post("JSON string", "application/json", `"RETURN 1 AS n"`),
		post("JSON with trailing garbage", "application/json", k.postBodyJSON()+"xyz"),
		post("JSON with wrong types", "application/json", `{"statement":1,"password":true,"name":[],"parameters":"x","includeCounters":"yes"}`),
		post("JSON duplicated keys", "application/json", k.postBodyJSON()[:len(k.postBodyJSON())-1]+`,"password":"secret","statement":"RETURN 1 AS n","name":"admin"}`),
		post("JSON invalid UTF-8", "application/json", "{\"pass\xffword\":\"x\",\"statement\":\"RETURN '\xff' AS x\"}"),
		post("JSON NUL bytes", "application/json", "{\"password\":\"a\x00b\",\"statement\":\"RETURN 1 AS n\x00\"}"),
		post("deeply nested arrays", "application/json", nested(100000, false)),
		post("deeply nested objects", "application/json", nested(50000, true)),
		post("deeply nested parameter", "application/json", `{"statement":"RETURN $p AS p","parameters":{"p":`+nested(20000, false)+`}}`),
		post("huge JSON string", "application/json", `{"statement":"RETURN '`+strings.Repeat("x", 900<<10)+`' AS x"}`),
		post("huge body (over MaxBodyBytes)", "application/json", `{"statement":"`+strings.Repeat("x", defaultMaxBody)+`"}`),
		post("huge form body (over MaxBodyBytes)", formCT, "name="+strings.Repeat("x", defaultMaxBody)),
		func() biReq {
			c := post("huge body of unknown length", k.postCT, "name="+strings.Repeat("x", defaultMaxBody))
			c.chunked, c.want = true, anyFlavor(http.StatusRequestEntityTooLarge)
			return c
		}(),
		post("form duplicated fields", formCT, "name=mallory&name=admin&password=x&password=y"),
		post("form name and username differ", formCT, "name=mallory&username=eve&password=x"),
		post("form missing name", formCT, "password=x"),
		post("form missing password", formCT, "name=mallory"),
		post("form empty fields", formCT, "name=&password="),
		post("form bad escapes", formCT, "name=%zz&password=%"),
		post("form no equals", formCT, "namepassword"),
		post("form semicolons", formCT, "name=mallory;password=x"),
		post("form with JSON Content-Type", "application/json", "name=mallory&password=x"),
		post("JSON with form Content-Type", formCT, `{"name":"mallory","password":"secret"}`),
		post("typed JSON Content-Type", "application/vnd.neo4j.query", `{"statement":"RETURN $x AS x","parameters":{"x":{"$type":"Nope","_value":1}}}`),
		post("Content-Length mismatch", k.postCT, k.postBody, "Content-Length", "999999"),
	)
	// Cookies (only CouchDB reads them; the others must ignore them).
	valid := k.cookie
	if valid == "" {
		valid = "d2FybWFuYTo1ODI1QkM2NzpZelovo2epvx9cfaDdxJGNLuzBzw"
	}
	// live marks values that carry the open session: logging out with them
	// would end it, which is the right answer, not a lost session.
	live := map[string]bool{"padded": true, "standard alphabet": true, "duplicated, valid first": true, "many cookies": true, "two Cookie headers": true}
	cookieCases := []struct{ name, value string }{
		{"garbage", "AuthSession=garbage"},
		{"empty", "AuthSession="},
		{"quoted empty", `AuthSession=""`},
		{"document's example", "AuthSession=d2FybWFuYTo1ODI1QkM2NzpZelovo2epvx9cfaDdxJGNLuzBzw"},
		{"document's header with attributes", "AuthSession=d2FybWFuYTo1ODI1QkM2NzpZelovo2epvx9cfaDdxJGNLuzBzw; Expires=Sat, 12 Nov 2016 12:43:15 GMT; Max-Age=86400; Path=/; HttpOnly; Version=1"},
		{"tampered", "AuthSession=" + testkit.Tamper(valid)},
		{"padded", "AuthSession=" + valid + "=="},
		{"standard alphabet", "AuthSession=" + strings.NewReplacer("-", "+", "_", "/").Replace(valid)},
		{"duplicated, garbage first", "AuthSession=garbage; AuthSession=" + valid},
		{"duplicated, valid first", "AuthSession=" + valid + "; AuthSession=garbage"},
		{"two Cookie headers", "AuthSession=" + testkit.Tamper(valid)},
		{"unknown user", "AuthSession=" + base64.RawURLEncoding.EncodeToString([]byte("mallory:5825BC67:xxxx"))},
		{"time overflow", "AuthSession=" + base64.RawURLEncoding.EncodeToString([]byte("admin:FFFFFFFFFFFFFFFFFFFF:x"))},
		{"negative time", "AuthSession=" + base64.RawURLEncoding.EncodeToString([]byte("admin:-1:x"))},
		{"no HMAC", "AuthSession=" + base64.RawURLEncoding.EncodeToString([]byte("admin:5825BC67:"))},
		{"colons only", "AuthSession=" + base64.RawURLEncoding.EncodeToString([]byte("::"))},
		{"non-ASCII", "AuthSession=\u00e9\u4e2d"},
		{"NUL", "AuthSession=a\x00b"},
		{"huge (48 KiB)", "AuthSession=" + strings.Repeat("QUFB", 12<<10)},
		{"oversized (>64 KiB)", "AuthSession=" + strings.Repeat("QUFB", big/4+1)},
		{"many cookies", strings.Repeat("x=y; ", 3000) + "AuthSession=" + valid},
		{"malformed cookie syntax", `AuthSession="unterminated; ;;=;`},
	}
	for _, c := range cookieCases {
		r := biReq{name: "Cookie " + c.name, path: "/_session", headers: []string{"Cookie", c.value}}
		if c.name == "two Cookie headers" {
			r.headers = append(r.headers, "Cookie", "AuthSession="+valid)
		}
		if !k.kit.sessions {
			r.path, r.auth = k.protected, true
		}
		if strings.HasPrefix(c.name, "oversized") {
			r.want = headerTooBig
		}
		cases = append(cases, r)
		if k.kit.sessions {
			cases = append(cases, biReq{name: "Cookie " + c.name + " with Basic", path: k.protected, auth: true, headers: r.headers})
			if !live[c.name] {
				cases = append(cases, biReq{name: "Cookie " + c.name + " on logout", method: "DELETE", path: "/_session?next=%zz", headers: r.headers})
			}
		}
	}
	cases = append(cases, k.kit.extra(k)...)
	return cases
}

// postBodyJSON is the kit's POST body as JSON (CouchDB's is a form).
func (k *biKit) postBodyJSON() string {
	if k.kit.postJSON != "" {
		return k.kit.postJSON
	}
	return k.postBody
}

func manyHeaders(n int) []string {
	h := make([]string, 0, 2*n)
	for i := 0; i < n; i++ {
		h = append(h, fmt.Sprintf("X-H-%d", i), "v")
	}
	return h
}

// deletable is a path for the DELETE case: the protected path, except on
// CouchDB, where an admin's DELETE of the database is a real deletion.
func (k *biKit) deletable() string {
	if k.flavor == CouchDB {
		return k.protected + "/no-such-doc"
	}
	return k.protected
}

// biCount counts the cases the matrix tried, for the summary line.
var biCount atomic.Int64

// TestBadInputMatrix sends every case to every flavor and profile, in
// process, then over a real loopback listener with raw connections.
func TestBadInputMatrix(t *testing.T) {
	biCount.Store(0)
	for _, fl := range Flavors() {
		for _, p := range ProfilesFor(fl) {
			t.Run(string(fl)+"/"+string(p), func(t *testing.T) {
				k := newBIKit(t, fl, p)
				if err := k.stillGood(); err != nil {
					t.Fatalf("before any garbage: %v", err)
				}
				for _, c := range biCases(k) {
					r := k.request(c)
					w := httptest.NewRecorder()
					done := make(chan struct{})
					go func() {
						defer close(done)
						k.fake.ServeHTTP(w, r)
					}()
					select {
					case <-done:
					case <-time.After(10 * time.Second):
						t.Fatalf("%s: no answer within 10 s", c.name)
					}
					biCount.Add(1)
					if err := checkReply(fl, p, r, w.Code, w.Header(), w.Body.Bytes()); err != nil {
						t.Errorf("%s: %v", c.name, err)
					}
					if want, ok := c.want[fl]; ok && w.Code != want {
						t.Errorf("%s: status %d, want %d (body %.200q)", c.name, w.Code, want, w.Body)
					}
					if err := k.stillGood(); err != nil {
						t.Fatalf("after %s: %v", c.name, err)
					}
				}
				t.Run("raw", func(t *testing.T) { biRaw(t, k) })
			})
		}
	}
	n := biCount.Load()
	t.Logf("bad-input matrix: %d cases", n)
	fmt.Printf("bad-input matrix: %d cases\n", n)
}

// biRawCase is one exchange on a raw connection: the bytes sent, and what
// must come back.
type biRawCase struct {
	name string
	send string
	// answers is how many responses must come back on the connection.
	answers int
	// transport marks requests net/http rejects before the fake sees them:
	// its own plain-text 4xx is the answer, not the flavor's JSON.
	transport bool
	// halfClose closes the write side after sending.
	halfClose bool
	// want is the exact status of the first answer, when set.
	want int
}

func biRawCases(k *biKit) []biRawCase {
	host := "Host: 127.0.0.1\r\n"
	auth := "Authorization: " + k.good + "\r\n"
	good := func(proto string, extra string) string {
		if k.kit.postOnly {
			body := k.postBody
			return fmt.Sprintf("POST %s %s\r\n%s%sContent-Type: application/json\r\nContent-Length: %d\r\n%s\r\n%s",
				k.protected, proto, host, auth, len(body), extra, body)
		}
		return "GET " + k.protected + " " + proto + "\r\n" + host + auth + extra + "\r\n"
	}
	garbageJSON := "POST " + k.post + " HTTP/1.1\r\n" + host + auth + "Content-Type: application/json\r\nContent-Length: 5\r\n\r\n{\"a\":"
	bigHeader := "X-Big: " + strings.Repeat("x", 100<<10) + "\r\n"
	return []biRawCase{
		{name: "HTTP/1.0 good request, then close", send: good("HTTP/1.0", ""), answers: 1},
		{name: "HTTP/1.0 without Host", send: strings.Replace(good("HTTP/1.0", ""), host, "", 1), answers: 1},
		{name: "HTTP/1.0 keep-alive, two requests", send: good("HTTP/1.0", "Connection: keep-alive\r\n") + good("HTTP/1.0", ""), answers: 2},
		{name: "HTTP/1.1 pipelined good, garbage, good", send: good("HTTP/1.1", "") + garbageJSON + good("HTTP/1.1", "Connection: close\r\n"), answers: 3},
		{name: "HTTP/1.1 oversized Authorization, then good", send: "GET " + k.protected + " HTTP/1.1\r\n" + host + "Authorization: Basic " + strings.Repeat("QUFB", 17<<10) + "\r\n\r\n" + good("HTTP/1.1", "Connection: close\r\n"), answers: 2, want: k.headerTooBigStatus()},
		{name: "HTTP/1.1 oversized header (100 KiB)", send: "GET " + k.protected + " HTTP/1.1\r\n" + host + auth + bigHeader + "Connection: close\r\n\r\n", answers: 1, want: k.headerTooBigStatus()},
		{name: "HTTP/1.1 Connection: close", send: good("HTTP/1.1", "Connection: close\r\n"), answers: 1},
		{name: "HTTP/1.1 mixed-case Connection: Close", send: good("HTTP/1.1", "Connection: ClOsE\r\n"), answers: 1},
		{name: "HTTP/1.1 duplicated Authorization", send: "GET " + k.protected + " HTTP/1.1\r\n" + host + auth + auth + "Connection: close\r\n\r\n", answers: 1},
		{name: "HTTP/1.1 lower-case header names", send: "GET " + k.protected + " HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: " + k.good + "\r\nconnection: close\r\n\r\n", answers: 1},
		{name: "HTTP/1.1 body cut short, half-closed", send: "POST " + k.post + " HTTP/1.1\r\n" + host + auth + "Content-Type: " + k.postCT + "\r\nContent-Length: 100\r\n\r\nname=", answers: 1, halfClose: true},
		{name: "HTTP/1.1 chunked body, bad chunk", send: "POST " + k.post + " HTTP/1.1\r\n" + host + auth + "Content-Type: " + k.postCT + "\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", answers: 1},
		{name: "HTTP/1.1 chunked body, good", send: "POST " + k.post + " HTTP/1.1\r\n" + host + auth + "Content-Type: " + k.postCT + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + fmt.Sprintf("%x\r\n%s\r\n0\r\n\r\n", len(k.postBody), k.postBody), answers: 1},
		{name: "HTTP/1.1 Expect 100-continue with a body too large", send: "POST " + k.post + " HTTP/1.1\r\n" + host + auth + "Content-Type: " + k.postCT + "\r\nExpect: 100-continue\r\nContent-Length: 2097152\r\n\r\n", answers: 1, want: http.StatusRequestEntityTooLarge},
		{name: "HTTP/1.1 Content-Length too large, no body", send: "POST " + k.post + " HTTP/1.1\r\n" + host + auth + "Content-Type: " + k.postCT + "\r\nContent-Length: 2097152\r\n\r\n", answers: 1, want: http.StatusRequestEntityTooLarge},
		{name: "HTTP/1.1 absolute-form target", send: strings.Replace(good("HTTP/1.1", "Connection: close\r\n"), " "+k.protected+" ", " http://127.0.0.1"+k.protected+" ", 1), answers: 1},
		// Rejected by net/http itself, before the fake: the answer is
		// net/http's plain-text 400 or 431 and the connection closes.
		{name: "garbage request line", send: "GARBAGE\r\n\r\n", answers: 1, transport: true},
		{name: "bad percent-encoding in the target", send: "GET /%zz HTTP/1.1\r\n" + host + "\r\n", answers: 1, transport: true},
		{name: "header without a colon", send: "GET / HTTP/1.1\r\n" + host + "Authorization\r\n\r\n", answers: 1, transport: true},
		{name: "NUL in a header value", send: "GET / HTTP/1.1\r\n" + host + "Authorization: Basic \x00\r\n\r\n", answers: 1, transport: true},
		{name: "HTTP/1.1 without Host", send: "GET / HTTP/1.1\r\n\r\n", answers: 1, transport: true},
		{name: "header over the listener's 1 MiB", send: "GET / HTTP/1.1\r\n" + host + "X-Big: " + strings.Repeat("x", 2<<20) + "\r\n\r\n", answers: 1, transport: true},
		{name: "unsupported protocol version", send: "GET / HTTP/9.9\r\n" + host + "\r\n", answers: 1, transport: true, want: http.StatusHTTPVersionNotSupported},
		{name: "bad Content-Length", send: "POST " + k.post + " HTTP/1.1\r\n" + host + "Content-Length: -5\r\n\r\n", answers: 1, transport: true},
	}
}

// biRaw sends the raw cases to the kit's flavor and profile over a real
// loopback listener. Every connection has a deadline, so a hang fails the
// test instead of blocking it.
func biRaw(t *testing.T, k *biKit) {
	srv, err := Start(k.fake.Options())
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	rk := *k
	rk.fake = srv.Fake
	if k.kit.sessions {
		rk.cookie = couchLogin(t, srv.Fake, "admin", "secret")
	}
	for _, c := range biRawCases(&rk) {
		biCount.Add(1)
		if err := biExchange(srv.URL, k.flavor, k.profile, c); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
		if err := rk.stillGood(); err != nil {
			t.Fatalf("after %s: %v", c.name, err)
		}
		// A good request over a new connection still works.
		if err := biExchange(srv.URL, k.flavor, k.profile, biRawCases(&rk)[0]); err != nil {
			t.Fatalf("good request after %s: %v", c.name, err)
		}
	}
}

func biExchange(base string, fl Flavor, p Profile, c biRawCase) error {
	conn, err := net.DialTimeout("tcp", strings.TrimPrefix(base, "http://"), 5*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
		return err
	}
	// Write in the background: the server may answer (and stop reading)
	// before it has read everything.
	wrote := make(chan error, 1)
	go func() {
		_, err := io.WriteString(conn, c.send)
		if err == nil && c.halfClose {
			err = conn.(*net.TCPConn).CloseWrite()
		}
		wrote <- err
	}()
	br := bufio.NewReader(conn)
	for i := 0; i < c.answers; i++ {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			if ne := net.Error(nil); errors.As(err, &ne) && ne.Timeout() {
				return fmt.Errorf("answer %d: no answer within the deadline (hang)", i+1)
			}
			return fmt.Errorf("answer %d: %v", i+1, err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return fmt.Errorf("answer %d: body: %v", i+1, err)
		}
		if i == 0 && c.want != 0 && resp.StatusCode != c.want {
			return fmt.Errorf("status %d, want %d (body %.200q)", resp.StatusCode, c.want, body)
		}
		if c.transport {
			if c.want == 0 && (resp.StatusCode < 400 || resp.StatusCode >= 500) {
				return fmt.Errorf("net/http answered %d, want a 4xx", resp.StatusCode)
			}
			continue
		}
		req := &http.Request{Method: http.MethodGet, URL: &url.URL{Path: "/"}}
		if err := checkReply(fl, p, req, resp.StatusCode, resp.Header, body); err != nil {
			return fmt.Errorf("answer %d: %v", i+1, err)
		}
	}
	if c.answers > 0 && strings.Contains(c.send, "HTTP/1.0") && !strings.Contains(c.send, "keep-alive") || c.transport {
		// The server must close the connection after the last answer.
		if _, err := br.ReadByte(); err == nil {
			return fmt.Errorf("connection left open with more bytes after the last answer")
		} else if ne := net.Error(nil); errors.As(err, &ne) && ne.Timeout() {
			return fmt.Errorf("connection not closed after the last answer")
		}
	}
	select {
	case err := <-wrote:
		_ = err // a write cut off by the server's answer is fine
	case <-time.After(10 * time.Second):
		return fmt.Errorf("write did not finish")
	}
	return nil
}
