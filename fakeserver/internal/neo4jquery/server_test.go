package neo4jquery_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

// Helpers of the neo4j-query tests carry an nq prefix: the package's tests
// are written by several people at once.

var nqEpoch = time.Date(2024, 7, 18, 12, 0, 0, 0, time.UTC)

func nqFake(t *testing.T, profile fakeserver.Profile, mod func(*fakeserver.Options)) *fakeserver.Fake {
	t.Helper()
	o := fakeserver.Options{Flavor: fakeserver.Neo4jQuery, Profile: profile, Clock: func() time.Time { return nqEpoch }}
	if mod != nil {
		mod(&o)
	}
	f, err := fakeserver.New(o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return f
}

type nqReq struct {
	method, path, body string
	headers            map[string]string
}

// nqDo sends a request; POSTs get JSON headers unless the test sets them
// (an empty value removes a header).
func nqDo(f http.Handler, q nqReq) *httptest.ResponseRecorder {
	if q.method == "" {
		q.method = http.MethodPost
	}
	if q.path == "" {
		q.path = "/db/neo4j/query/v2"
	}
	set := map[string]string{}
	if q.method == http.MethodPost {
		set["Content-Type"], set["Accept"] = "application/json", "application/json"
	}
	for k, v := range q.headers {
		set[http.CanonicalHeaderKey(k)] = v
	}
	var headers []string
	for k, v := range set {
		if v != "" {
			headers = append(headers, k, v)
		}
	}
	return testkit.Do(f, "", q.method, q.path, q.body, headers...)
}

// The wire values the tests expect, copied from the reference
// (docs/reference/neo4j-auth.md: the Neo4j source and its tests), not from
// the fake's own constants, so that a changed text in the fake fails here.
// ParameterMissing and NotSystemDatabaseError are not in the reference:
// they are Neo4j status codes as listed at https://neo4j.com/docs/status-codes/.
const (
	codeUnauthorized       = "Neo.ClientError.Security.Unauthorized"
	codeInvalidFormat      = "Neo.ClientError.Request.InvalidFormat"
	codeInvalid            = "Neo.ClientError.Request.Invalid"
	codeInvalidArgs        = "Neo.ClientError.General.InvalidArguments"
	codeArgumentError      = "Neo.ClientError.Statement.ArgumentError"
	codeSyntaxError        = "Neo.ClientError.Statement.SyntaxError"
	codeParameterMissing   = "Neo.ClientError.Statement.ParameterMissing"
	codeNotSystemDatabase  = "Neo.ClientError.Statement.NotSystemDatabaseError"
	codeCredentialsExpired = "Neo.ClientError.Security.CredentialsExpired"

	msgNoHeader       = "No authentication header supplied."
	msgBadCredential  = "Invalid username or password." // the document and pre-Bearer releases
	msgBadCredential5 = "Invalid credential."           // the Bearer-era release
	msgBadHeader      = "Invalid authentication header."

	// The Query API's CredentialsExpired message begins and ends so
	// (QueryResourceAuthenticationIT); the reference elides its middle.
	msgCredentialsExpiredStart = "Permission denied.\n\nThe credentials you provided were valid, but must be changed before you can use this instance."
	msgCredentialsExpiredEnd   = "To change your password, issue an `ALTER CURRENT USER SET PASSWORD FROM 'current password' TO 'new password'` statement against the system database."

	// msgUnsupportedStatement is the fake's own answer to Cypher it cannot
	// run (no release sends it); checked whole so that it stays this clear.
	msgUnsupportedStatement = "The authconform fake evaluates only `RETURN <literal> [AS <name>], ...` " +
		"(integers, floats, strings, booleans, null, lists and $parameters), `CALL db.ping()` and, on the " +
		"system database, `ALTER CURRENT USER SET PASSWORD FROM <old> TO <new>`; it cannot run this statement."
)

// nqError returns errors[0] of a Neo4j error body, failing on anything else.
func nqError(t *testing.T, w *httptest.ResponseRecorder) testkit.Neo4jError {
	t.Helper()
	return testkit.OneNeo4jError(t, w)
}

// nqAuth logs in the document's example user, neo4j/verysecret.
const nqAuth = "Basic bmVvNGo6dmVyeXNlY3JldA=="

const nqReturn1 = `{"statement":"RETURN 1 AS n"}`

func TestNeo4jQueryAuthentication(t *testing.T) {
	const (
		documented = "documented"
		release    = "neo4j-5"
	)
	type want struct {
		status    int
		code, msg string
		challenge bool // WWW-Authenticate: Basic realm="Neo4j", Bearer realm="Neo4j"
	}
	ok := want{status: http.StatusAccepted}
	noHeader := want{401, codeUnauthorized, msgNoHeader, true}
	badDoc := want{401, codeUnauthorized, msgBadCredential, true}
	badRel := want{401, codeUnauthorized, msgBadCredential5, true}
	malformedDoc := want{401, codeInvalidFormat, msgBadHeader, true}
	malformedRel := want{400, codeInvalidFormat, msgBadHeader, false}
	// A raw token gets the document's answer plus what to send
	// (TestRawBearerTokenGetsAHint checks its words).
	rawDoc := want{401, codeInvalidFormat, msgBadHeader + " This server follows the document: send Authorization: Bearer <base64 of the token> (echo -n TOKEN | base64); the neo4j-5 profile (serve --profile neo4j-5) takes the raw token, as Neo4j 5 does.", true}
	cases := []struct {
		name   string
		header string // "-" sends none
		want   map[string]want
	}{
		{"missing header", "-", map[string]want{documented: noHeader, release: noHeader}},
		{"document's basic example", "Basic bmVvNGo6dmVyeXNlY3JldA==", map[string]want{documented: ok, release: ok}},
		{"scheme upper case", "BASIC bmVvNGo6dmVyeXNlY3JldA==", map[string]want{documented: ok, release: ok}},
		{"scheme lower case", "basic bmVvNGo6dmVyeXNlY3JldA==", map[string]want{documented: ok, release: ok}},
		{"basic without padding", "Basic " + strings.TrimRight(testkit.Base64("neo4j:verysecret!"), "="), map[string]want{documented: malformedDoc, release: badRel}},
		{"document's incorrect example", "Basic bmVvNGo6aW5jb3JyZWN0", map[string]want{documented: badDoc, release: badRel}},
		{"unknown user", testkit.Basic("nobody", "verysecret"), map[string]want{documented: badDoc, release: badRel}},
		{"empty user", testkit.Basic("", "verysecret"), map[string]want{documented: badDoc, release: badRel}},
		{"empty password", testkit.Basic("neo4j", ""), map[string]want{documented: badDoc, release: badRel}},
		{"document's invalid example", "Basic not-proper-base64", map[string]want{documented: malformedDoc, release: malformedRel}},
		{"no colon", "Basic " + testkit.Base64("neo4jverysecret"), map[string]want{documented: malformedDoc, release: malformedRel}},
		{"basic alone", "Basic", map[string]want{documented: malformedDoc, release: malformedRel}},
		{"empty header", " ", map[string]want{documented: malformedDoc, release: malformedRel}},
		{"unknown scheme", "Digest " + testkit.Base64("neo4j:verysecret"), map[string]want{documented: malformedDoc, release: malformedRel}},
		{"bare credentials", testkit.Base64("neo4j:verysecret"), map[string]want{documented: malformedDoc, release: malformedRel}},
		{"nonsense", "Just let me in. Thanks!", map[string]want{documented: malformedDoc, release: malformedRel}},
		{"bearer alone", "Bearer", map[string]want{documented: malformedDoc, release: malformedRel}},
		{"bearer two tokens", "Bearer a b", map[string]want{documented: malformedDoc, release: malformedRel}},
		{"bearer double space", "Bearer  xbhkjnlvianztghqwawxqfe", map[string]want{documented: malformedDoc, release: malformedRel}},
		{"bearer base64 token", "Bearer " + testkit.Base64("xbhkjnlvianztghqwawxqfe"), map[string]want{documented: ok, release: badRel}},
		{"bearer document's example (trailing newline)", "Bearer eGJoa2pubHZpYW56dGdocXdhd3hxZmUK", map[string]want{documented: ok, release: badRel}},
		{"bearer two newlines", "Bearer " + testkit.Base64("xbhkjnlvianztghqwawxqfe\n\n"), map[string]want{documented: badDoc, release: badRel}},
		{"bearer raw token", "Bearer xbhkjnlvianztghqwawxqfe", map[string]want{documented: rawDoc, release: ok}},
		{"bearer lower case", "bearer xbhkjnlvianztghqwawxqfe", map[string]want{documented: rawDoc, release: ok}},
		{"bearer unknown base64 token", "Bearer " + testkit.Base64("nope"), map[string]want{documented: badDoc, release: badRel}},
		{"bearer unknown raw token", "Bearer nope-1", map[string]want{documented: rawDoc, release: badRel}},
		{"bearer raw token that is valid base64", "Bearer nope", map[string]want{documented: badDoc, release: badRel}},
	}
	for _, profile := range []fakeserver.Profile{fakeserver.ProfileDocumented, fakeserver.ProfileNeo4j5} {
		for _, c := range cases {
			t.Run(string(profile)+"/"+c.name, func(t *testing.T) {
				f := nqFake(t, profile, nil)
				headers := map[string]string{}
				if c.header != "-" {
					headers["Authorization"] = c.header
				}
				w := nqDo(f, nqReq{body: nqReturn1, headers: headers})
				want := c.want[string(profile)]
				if w.Code != want.status {
					t.Fatalf("status %d, want %d; body %s", w.Code, want.status, w.Body)
				}
				if gotChallenge := w.Header().Get("WWW-Authenticate"); (gotChallenge != "") != want.challenge ||
					want.challenge && gotChallenge != `Basic realm="Neo4j", Bearer realm="Neo4j"` {
					t.Errorf("WWW-Authenticate %q, want challenge %v", gotChallenge, want.challenge)
				}
				if want.status == http.StatusAccepted {
					return
				}
				wantCT := "application/json"
				if profile == fakeserver.ProfileNeo4j5 {
					wantCT = "application/json; charset=UTF-8"
				}
				if ct := w.Header().Get("Content-Type"); ct != wantCT {
					t.Errorf("Content-Type %q, want %q", ct, wantCT)
				}
				if e := nqError(t, w); e.Code != want.code || e.Message != want.msg {
					t.Errorf("error %+v, want %s / %s", e, want.code, want.msg)
				}
			})
		}
	}
}

func TestNeo4jQueryFilterDetails(t *testing.T) {
	for _, profile := range []fakeserver.Profile{fakeserver.ProfileDocumented, fakeserver.ProfileNeo4j5} {
		t.Run(string(profile), func(t *testing.T) {
			f := nqFake(t, profile, nil)
			// The exact compact body of the missing-header answer.
			w := nqDo(f, nqReq{})
			if got, want := w.Body.String(), `{"errors":[{"code":"Neo.ClientError.Security.Unauthorized","message":"No authentication header supplied."}]}`; got != want {
				t.Errorf("body %s, want %s", got, want)
			}
			w = nqDo(f, nqReq{headers: map[string]string{"X-Ajax-Browser-Auth": "true"}})
			if got := w.Header().Get("WWW-Authenticate"); w.Code != 401 || got != "None" {
				t.Errorf("browser: %d %q, want 401 None", w.Code, got)
			}
			// Two Authorization headers are malformed.
			r := httptest.NewRequest(http.MethodPost, "/db/neo4j/query/v2", strings.NewReader(nqReturn1))
			r.Header.Set("Content-Type", "application/json")
			r.Header["Authorization"] = []string{testkit.Basic("neo4j", "verysecret"), testkit.Basic("neo4j", "verysecret")}
			w = httptest.NewRecorder()
			f.ServeHTTP(w, r)
			if e := nqError(t, w); e.Code != codeInvalidFormat {
				t.Errorf("two headers: %d %+v", w.Code, e)
			}
		})
	}
}

func TestNeo4jQueryRateLimit(t *testing.T) {
	for _, profile := range []fakeserver.Profile{fakeserver.ProfileDocumented, fakeserver.ProfileNeo4j5} {
		t.Run(string(profile), func(t *testing.T) {
			f := nqFake(t, profile, nil)
			bad := nqReq{body: nqReturn1, headers: map[string]string{"Authorization": testkit.Basic("neo4j", "wrong")}}
			good := nqReq{body: nqReturn1, headers: map[string]string{"Authorization": testkit.Basic("neo4j", "verysecret")}}
			for i := 1; i <= 3; i++ {
				if w := nqDo(f, bad); w.Code != 401 {
					t.Fatalf("failure %d: status %d", i, w.Code)
				}
			}
			for _, q := range []nqReq{good, bad, good} {
				w := nqDo(f, q)
				if w.Code != http.StatusTooManyRequests {
					t.Fatalf("locked: status %d, want 429", w.Code)
				}
				if w.Header().Get("WWW-Authenticate") != "" {
					t.Errorf("429 carries WWW-Authenticate")
				}
				want := `{"errors":[{"code":"Neo.ClientError.Security.AuthenticationRateLimit","message":"Too many failed authentication requests. Please wait 5 seconds and try again."}]}`
				if w.Body.String() != want {
					t.Errorf("body %s", w.Body)
				}
			}
			// Refused attempts do not extend the lock.
			f.Advance(5 * time.Second)
			if w := nqDo(f, good); w.Code != http.StatusAccepted {
				t.Fatalf("after the lock: status %d, want 202", w.Code)
			}
			// Bearer tokens and unknown users are never limited.
			for i := 0; i < 10; i++ {
				if w := nqDo(f, nqReq{body: nqReturn1, headers: map[string]string{"Authorization": testkit.Basic("ghost", "x")}}); w.Code != 401 {
					t.Fatalf("unknown user attempt %d: status %d", i, w.Code)
				}
			}
		})
	}
}

func TestNeo4jQueryRateLimitOptions(t *testing.T) {
	f := nqFake(t, fakeserver.ProfileNeo4j5, func(o *fakeserver.Options) { o.MaxFailedLogins = 1; o.LockDuration = time.Minute })
	bad := nqReq{body: nqReturn1, headers: map[string]string{"Authorization": testkit.Basic("neo4j", "wrong")}}
	nqDo(f, bad)
	if w := nqDo(f, bad); w.Code != 429 {
		t.Fatalf("status %d, want 429", w.Code)
	}
	f.Advance(59 * time.Second)
	if w := nqDo(f, bad); w.Code != 429 {
		t.Fatalf("status %d, want 429 before the minute is over", w.Code)
	}
	f.Advance(time.Second)
	if w := nqDo(f, bad); w.Code != 401 {
		t.Fatalf("status %d, want 401 after the minute", w.Code)
	}

	unlimited := nqFake(t, fakeserver.ProfileNeo4j5, func(o *fakeserver.Options) { o.MaxFailedLogins = -1 })
	for i := 0; i < 10; i++ {
		if w := nqDo(unlimited, bad); w.Code != 401 {
			t.Fatalf("attempt %d: status %d, want 401 with the limit off", i, w.Code)
		}
	}
}

func TestNeo4jQueryTokens(t *testing.T) {
	tokens := []fakeserver.Token{
		{Token: "forever", User: "alice"},
		{Token: "shortlived", User: "bob", Expires: nqEpoch.Add(time.Hour)},
	}
	f := nqFake(t, fakeserver.ProfileNeo4j5, func(o *fakeserver.Options) { o.Tokens = tokens })
	cases := []struct {
		token   string
		advance time.Duration
		status  int
	}{
		{"forever", 0, 202},
		{"shortlived", 0, 202},
		{"xbhkjnlvianztghqwawxqfe", 0, 401}, // the default is gone once Tokens is set
		{"shortlived", time.Hour - time.Nanosecond, 202},
		{"shortlived", time.Nanosecond, 401}, // at Expires: expired
		{"forever", 1000 * time.Hour, 202},
	}
	for _, c := range cases {
		f.Advance(c.advance)
		w := nqDo(f, nqReq{body: nqReturn1, headers: map[string]string{"Authorization": "Bearer " + c.token}})
		if w.Code != c.status {
			t.Errorf("%s at %v: status %d, want %d", c.token, f.Now(), w.Code, c.status)
		}
	}
}

func TestNeo4jQueryAuthDisabled(t *testing.T) {
	f := nqFake(t, fakeserver.ProfileDocumented, func(o *fakeserver.Options) { o.AuthDisabled = true })
	for _, h := range []string{"", "Basic garbage!", testkit.Basic("neo4j", "wrong")} {
		w := nqDo(f, nqReq{body: nqReturn1, headers: map[string]string{"Authorization": h}})
		if w.Code != http.StatusAccepted {
			t.Errorf("Authorization %q: status %d, want 202", h, w.Code)
		}
	}
	w := nqDo(f, nqReq{body: `{"statement":"RETURN 1","impersonatedUser":"bob"}`})
	if e := nqError(t, w); w.Code != 400 || e.Message != "Impersonation is not supported with auth disabled." {
		t.Errorf("impersonation: %d %+v", w.Code, e)
	}
}

func TestNeo4jQueryCredentialsExpired(t *testing.T) {
	for _, profile := range []fakeserver.Profile{fakeserver.ProfileDocumented, fakeserver.ProfileNeo4j5} {
		t.Run(string(profile), func(t *testing.T) {
			f := nqFake(t, profile, func(o *fakeserver.Options) {
				o.Users = []fakeserver.User{{Name: "neo4j", Password: "neo4j", PasswordChangeRequired: true}}
			})
			auth := map[string]string{"Authorization": testkit.Basic("neo4j", "neo4j")}
			for _, q := range []nqReq{
				{body: nqReturn1, headers: auth},
				{body: `{"statement":"CALL db.ping()"}`, headers: auth},
				{path: "/db/system/query/v2", body: `{"statement":"SHOW USERS"}`, headers: auth},
				{body: `{"statement":"ALTER CURRENT USER SET PASSWORD FROM 'neo4j' TO 'secretPassword'"}`, headers: auth},
			} {
				w := nqDo(f, q)
				if e := nqError(t, w); w.Code != 400 || e.Code != codeCredentialsExpired ||
					!strings.HasPrefix(e.Message, msgCredentialsExpiredStart) || !strings.HasSuffix(e.Message, msgCredentialsExpiredEnd) {
					t.Errorf("%s: %d %+v", q.body, w.Code, e)
				}
			}
			alter := func(from, to string, status int, code string) {
				t.Helper()
				w := nqDo(f, nqReq{path: "/db/system/query/v2", headers: auth,
					body: `{"statement":"ALTER CURRENT USER SET PASSWORD FROM $old TO $new","parameters":{"old":"` + from + `","new":"` + to + `"}}`})
				if w.Code != status {
					t.Fatalf("alter %s->%s: status %d, want %d; %s", from, to, w.Code, status, w.Body)
				}
				if code != "" {
					if e := nqError(t, w); e.Code != code {
						t.Errorf("alter %s->%s: %+v, want %s", from, to, e, code)
					}
				}
			}
			alter("wrong", "secretPassword", 400, codeInvalidArgs)
			alter("neo4j", "neo4j", 400, codeArgumentError)
			alter("neo4j", "short", 400, codeArgumentError)
			alter("neo4j", "secretPassword", 202, "")
			if w := nqDo(f, nqReq{body: nqReturn1, headers: auth}); w.Code != 401 {
				t.Errorf("old password: status %d, want 401", w.Code)
			}
			w := nqDo(f, nqReq{body: nqReturn1, headers: map[string]string{"Authorization": testkit.Basic("neo4j", "secretPassword")}})
			if w.Code != 202 {
				t.Errorf("new password: status %d, want 202; %s", w.Code, w.Body)
			}
		})
	}
}

func TestNeo4jQueryAlterOutsideSystem(t *testing.T) {
	f := nqFake(t, fakeserver.ProfileNeo4j5, nil)
	auth := map[string]string{"Authorization": testkit.Basic("neo4j", "verysecret")}
	w := nqDo(f, nqReq{headers: auth, body: `{"statement":"ALTER CURRENT USER SET PASSWORD FROM 'verysecret' TO 'evenmoresecret'"}`})
	if e := nqError(t, w); w.Code != 400 || e.Code != codeNotSystemDatabase {
		t.Errorf("%d %+v", w.Code, e)
	}
	// A bearer principal has no password to change.
	w = nqDo(f, nqReq{path: "/db/system/query/v2", headers: map[string]string{"Authorization": "Bearer xbhkjnlvianztghqwawxqfe"},
		body: `{"statement":"ALTER CURRENT USER SET PASSWORD FROM 'verysecret' TO 'evenmoresecret'"}`})
	if e := nqError(t, w); w.Code != 400 || e.Code != codeArgumentError {
		t.Errorf("bearer: %d %+v", w.Code, e)
	}
	// The counters of a successful change.
	w = nqDo(f, nqReq{path: "/db/system/query/v2", headers: auth,
		body: `{"statement":"ALTER CURRENT USER SET PASSWORD FROM 'verysecret' TO 'evenmoresecret'","includeCounters":true}`})
	if w.Code != 202 || !strings.Contains(w.Body.String(), `"containsSystemUpdates":true,"systemUpdates":1`) ||
		!strings.HasPrefix(w.Body.String(), `{"data":{"fields":[],"values":[]},"counters":`) {
		t.Errorf("%d %s", w.Code, w.Body)
	}
}

func TestNeo4jQueryRouting(t *testing.T) {
	cases := []struct {
		name      string
		q         nqReq
		status    int
		code, msg string
		ct        string
	}{
		{"unknown database without nqAuth", nqReq{path: "/db/nope/query/v2", body: nqReturn1}, 401, codeUnauthorized, msgNoHeader, ""},
		{"unknown database", nqReq{path: "/db/thisDbisALie/query/v2", body: nqReturn1, headers: map[string]string{"Authorization": nqAuth}},
			404, "Neo.ClientError.Database.DatabaseNotFound", "Graph not found: thisdbisalie", "application/json"},
		{"database name in upper case", nqReq{path: "/db/NEO4J/query/v2", body: nqReturn1, headers: map[string]string{"Authorization": nqAuth}}, 202, "", "", "application/json"},
		{"system database", nqReq{path: "/db/system/query/v2", body: nqReturn1, headers: map[string]string{"Authorization": nqAuth}}, 202, "", "", "application/json"},
		{"trailing slash", nqReq{path: "/db/neo4j/query/v2/", body: nqReturn1, headers: map[string]string{"Authorization": nqAuth}}, 202, "", "", "application/json"},
		{"GET", nqReq{method: http.MethodGet, headers: map[string]string{"Authorization": nqAuth}}, 405, codeInvalid, "Method Not Allowed", "application/json"},
		{"DELETE", nqReq{method: http.MethodDelete, headers: map[string]string{"Authorization": nqAuth}}, 405, codeInvalid, "Method Not Allowed", "application/json"},
		{"GET without nqAuth", nqReq{method: http.MethodGet}, 401, codeUnauthorized, msgNoHeader, ""},
		{"text/csv", nqReq{body: nqReturn1, headers: map[string]string{"Authorization": nqAuth, "Content-Type": "text/csv"}}, 415, codeInvalid, "Unsupported Media Type", "application/json"},
		{"unknown content type", nqReq{body: nqReturn1, headers: map[string]string{"Authorization": nqAuth, "Content-Type": "application/doesnt-exist"}}, 415, codeInvalid, "Unsupported Media Type", "application/json"},
		{"no content type", nqReq{body: nqReturn1, headers: map[string]string{"Authorization": nqAuth, "Content-Type": ""}}, 415, codeInvalid, "Unsupported Media Type", "application/json"},
		{"json with charset", nqReq{body: nqReturn1, headers: map[string]string{"Authorization": nqAuth, "Content-Type": "application/json; charset=utf-8"}}, 202, "", "", "application/json"},
		{"typed content type", nqReq{body: nqReturn1, headers: map[string]string{"Authorization": nqAuth, "Content-Type": "application/vnd.neo4j.query.v1.1"}}, 202, "", "", "application/json"},
		{"bad accept", nqReq{body: nqReturn1, headers: map[string]string{"Authorization": nqAuth, "Accept": "nonsense-value"}}, 406, codeInvalid, "Not Acceptable", "application/json"},
		{"accept text/html", nqReq{body: nqReturn1, headers: map[string]string{"Authorization": nqAuth, "Accept": "text/html"}}, 406, codeInvalid, "Not Acceptable", "application/json"},
		{"no accept", nqReq{body: nqReturn1, headers: map[string]string{"Authorization": nqAuth, "Accept": ""}}, 202, "", "", "application/json"},
		{"accept any", nqReq{body: nqReturn1, headers: map[string]string{"Authorization": nqAuth, "Accept": "*/*"}}, 202, "", "", "application/json"},
		{"accept typed", nqReq{body: nqReturn1, headers: map[string]string{"Authorization": nqAuth, "Accept": "application/vnd.neo4j.query"}}, 202, "", "", "application/vnd.neo4j.query"},
		{"accept typed v1.2", nqReq{body: nqReturn1, headers: map[string]string{"Authorization": nqAuth, "Accept": "application/vnd.neo4j.query.v1.2"}}, 202, "", "", "application/vnd.neo4j.query.v1.2"},
		{"not JSON", nqReq{body: "This is a random string!", headers: map[string]string{"Authorization": nqAuth}}, 400, codeInvalid, "Bad Request", "application/json"},
		{"JSON array", nqReq{body: `["RETURN 1"]`, headers: map[string]string{"Authorization": nqAuth}}, 400, codeInvalid, "Bad Request", "application/json"},
		{"statement not a string", nqReq{body: `{"statement":1}`, headers: map[string]string{"Authorization": nqAuth}}, 400, codeInvalid, "Bad Request", "application/json"},
		{"bad access mode", nqReq{body: `{"statement":"RETURN 1","accessMode":"bananas"}`, headers: map[string]string{"Authorization": nqAuth}}, 400, codeInvalid, "Bad Request", "application/json"},
		{"read access mode", nqReq{body: `{"statement":"RETURN 1","accessMode":"READ"}`, headers: map[string]string{"Authorization": nqAuth}}, 202, "", "", "application/json"},
		{"bad parameters", nqReq{body: `{"statement":"RETURN 1","parameters":[1]}`, headers: map[string]string{"Authorization": nqAuth}}, 400, codeInvalid, "Bad Request", "application/json"},
		{"empty body", nqReq{body: "", headers: map[string]string{"Authorization": nqAuth}}, 400, codeInvalid, "statement cannot be null or empty", "application/json"},
		{"empty object", nqReq{body: "{}", headers: map[string]string{"Authorization": nqAuth}}, 400, codeInvalid, "statement cannot be null or empty", "application/json"},
		{"blank statement", nqReq{body: `{"statement":"  "}`, headers: map[string]string{"Authorization": nqAuth}}, 400, codeInvalid, "statement cannot be null or empty", "application/json"},
		{"statement key in other case", nqReq{body: `{"STATEMENT":"RETURN 1"}`, headers: map[string]string{"Authorization": nqAuth}}, 400, codeInvalid, "statement cannot be null or empty", "application/json"},
		{"unsupported statement", nqReq{body: `{"statement":"MATCH (n) RETURN n"}`, headers: map[string]string{"Authorization": nqAuth}}, 400, codeArgumentError, msgUnsupportedStatement, "application/json"},
		{"typed error", nqReq{body: `{"statement":"MATCH (n) RETURN n"}`, headers: map[string]string{"Authorization": nqAuth, "Accept": "application/vnd.neo4j.query"}},
			400, codeArgumentError, msgUnsupportedStatement, "application/vnd.neo4j.query"},
		{"missing parameter", nqReq{body: `{"statement":"RETURN $a AS a, $b AS b"}`, headers: map[string]string{"Authorization": nqAuth}}, 400, codeParameterMissing, "Expected parameter(s): a, b", "application/json"},
		{"impersonation", nqReq{body: `{"statement":"RETURN 1","impersonatedUser":"bob"}`, headers: map[string]string{"Authorization": nqAuth}},
			400, codeArgumentError, "Impersonation is not supported in community edition.", "application/json"},
		{"unknown path under /db without nqAuth", nqReq{method: http.MethodGet, path: "/db/data/nowhere"}, 401, codeUnauthorized, msgNoHeader, ""},
		{"unknown path under /db", nqReq{method: http.MethodGet, path: "/db/data/nowhere", headers: map[string]string{"Authorization": nqAuth}}, 404, codeInvalid, "", "application/json"},
		{"tx endpoint", nqReq{path: "/db/neo4j/tx/commit", body: nqReturn1, headers: map[string]string{"Authorization": nqAuth}}, 404, codeInvalid, "", "application/json"},
		{"unknown top-level path", nqReq{method: http.MethodGet, path: "/this/does/not/exist"}, 404, codeInvalid, "Not Found", "application/json"},
		{"POST to /", nqReq{path: "/", body: "{}"}, 405, codeInvalid, "Method Not Allowed", "application/json"},
	}
	for _, profile := range []fakeserver.Profile{fakeserver.ProfileDocumented, fakeserver.ProfileNeo4j5} {
		for _, c := range cases {
			t.Run(string(profile)+"/"+c.name, func(t *testing.T) {
				w := nqDo(nqFake(t, profile, nil), c.q)
				if w.Code != c.status {
					t.Fatalf("status %d, want %d; body %s", w.Code, c.status, w.Body)
				}
				if c.ct != "" && w.Header().Get("Content-Type") != c.ct {
					t.Errorf("Content-Type %q, want %q", w.Header().Get("Content-Type"), c.ct)
				}
				if c.code == "" {
					return
				}
				e := nqError(t, w)
				if e.Code != c.code || (c.msg != "" && e.Message != c.msg) {
					t.Errorf("error %+v, want %s / %q", e, c.code, c.msg)
				}
			})
		}
	}
}

func TestNeo4jQueryUnauthenticatedPaths(t *testing.T) {
	f := nqFake(t, fakeserver.ProfileNeo4j5, nil)
	w := nqDo(f, nqReq{method: http.MethodGet, path: "/"})
	want := `{"bolt_routing":"neo4j://example.com:7687","query":"http://example.com/db/{databaseName}/query/v2",` +
		`"transaction":"http://example.com/db/{databaseName}/tx","bolt_direct":"bolt://example.com:7687",` +
		`"neo4j_version":"5.26.0","neo4j_edition":"community"}`
	if w.Code != 200 || w.Body.String() != want || w.Header().Get("Content-Type") != "application/json" {
		t.Errorf("discovery: %d %s %s", w.Code, w.Header().Get("Content-Type"), w.Body)
	}
	r := httptest.NewRequest(http.MethodGet, "http://localhost:7474/", nil)
	r.Header.Set("X-Forwarded-Host", "db.example.org:8443")
	r.Header.Set("X-Forwarded-Proto", "https")
	rec := httptest.NewRecorder()
	f.ServeHTTP(rec, r)
	var disc map[string]string
	_ = json.Unmarshal(rec.Body.Bytes(), &disc)
	if disc["query"] != "https://db.example.org:8443/db/{databaseName}/query/v2" || disc["bolt_direct"] != "bolt://db.example.org:7687" {
		t.Errorf("forwarded discovery: %v", disc)
	}
	r = httptest.NewRequest(http.MethodGet, "http://[::1]:7474/", nil)
	rec = httptest.NewRecorder()
	f.ServeHTTP(rec, r)
	_ = json.Unmarshal(rec.Body.Bytes(), &disc)
	if disc["bolt_routing"] != "neo4j://[::1]:7687" {
		t.Errorf("IPv6 discovery: %v", disc)
	}
	if w := nqDo(f, nqReq{method: http.MethodGet, path: "/browser/index.html"}); w.Code != 200 {
		t.Errorf("browser: %d", w.Code)
	}
	if w := nqDo(f, nqReq{method: http.MethodOptions}); w.Code != http.StatusNoContent || w.Header().Get("Allow") != "OPTIONS, POST" {
		t.Errorf("OPTIONS: %d %q", w.Code, w.Header().Get("Allow"))
	}
}

func TestNeo4jQueryLimits(t *testing.T) {
	f := nqFake(t, fakeserver.ProfileDocumented, func(o *fakeserver.Options) { o.MaxBodyBytes = 64 })
	auth := map[string]string{"Authorization": testkit.Basic("neo4j", "verysecret")}
	w := nqDo(f, nqReq{headers: auth, body: `{"statement":"RETURN '` + strings.Repeat("x", 100) + `' AS x"}`})
	if e := nqError(t, w); w.Code != http.StatusRequestEntityTooLarge || e.Code != codeInvalid {
		t.Errorf("large body: %d %+v", w.Code, e)
	}
	w = nqDo(f, nqReq{headers: map[string]string{"Authorization": "Basic " + strings.Repeat("A", 70<<10)}, body: nqReturn1})
	if e := nqError(t, w); w.Code != http.StatusRequestHeaderFieldsTooLarge || w.Header().Get("Content-Type") != "application/json" {
		t.Errorf("large header: %d %+v", w.Code, e)
	}
}

func TestNeo4jQueryStates(t *testing.T) {
	cases := []struct {
		opts     func(*fakeserver.Options)
		state    string
		vars     map[string]string
		check    string // an Authorization header, "" for none
		checkFor int
	}{
		{nil, "password-changed", map[string]string{"User": "neo4j", "Password": "verysecret", "Token": "xbhkjnlvianztghqwawxqfe", "Database": "neo4j"},
			testkit.Basic("neo4j", "verysecret"), 202},
		{nil, "auth-disabled", map[string]string{"User": "neo4j", "Password": "verysecret", "Token": "xbhkjnlvianztghqwawxqfe", "Database": "neo4j"}, "", 202},
		{nil, "default-password", map[string]string{"User": "neo4j", "Password": "neo4j", "Token": "xbhkjnlvianztghqwawxqfe", "Database": "neo4j"},
			testkit.Basic("neo4j", "neo4j"), 400},
		{func(o *fakeserver.Options) {
			o.Users = []fakeserver.User{{Name: "admin", Password: "pw123456", PasswordChangeRequired: true}, {Name: "other", Password: "x"}}
			o.Tokens = []fakeserver.Token{{Token: "t-other", User: "other"}, {Token: "t-admin", User: "admin"}}
		}, "password-changed", map[string]string{"User": "admin", "Password": "pw123456", "Token": "t-admin", "Database": "neo4j"},
			testkit.Basic("admin", "pw123456"), 202},
	}
	for _, c := range cases {
		t.Run(c.state, func(t *testing.T) {
			f := nqFake(t, fakeserver.ProfileDocumented, c.opts)
			vars, err := f.EnterState(c.state)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range c.vars {
				if vars[k] != v {
					t.Errorf("var %s = %q, want %q", k, vars[k], v)
				}
			}
			w := nqDo(f, nqReq{body: nqReturn1, headers: map[string]string{"Authorization": c.check}})
			if w.Code != c.checkFor {
				t.Errorf("status %d, want %d; %s", w.Code, c.checkFor, w.Body)
			}
		})
	}
	f := nqFake(t, fakeserver.ProfileDocumented, nil)
	if _, err := f.EnterState("logged-in"); err == nil {
		t.Error("unknown state accepted")
	}
	if got := f.States(); len(got) != 3 {
		t.Errorf("States() = %v", got)
	}
}

// TestNeo4jQueryClientFlow is what a real HTTP client does: discovery, then
// RETURN 1 AS n over a real listener with Basic and Bearer.
func TestNeo4jQueryClientFlow(t *testing.T) {
	for _, profile := range []fakeserver.Profile{fakeserver.ProfileDocumented, fakeserver.ProfileNeo4j5} {
		t.Run(string(profile), func(t *testing.T) {
			srv, err := fakeserver.Start(fakeserver.Options{Flavor: fakeserver.Neo4jQuery, Profile: profile})
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			resp, err := srv.Client().Get(srv.URL + "/")
			if err != nil {
				t.Fatal(err)
			}
			var disc map[string]string
			_ = json.NewDecoder(resp.Body).Decode(&disc)
			resp.Body.Close()
			queryURL := strings.Replace(disc["query"], "{databaseName}", "neo4j", 1)
			if queryURL != srv.URL+"/db/neo4j/query/v2" {
				t.Fatalf("query URL %q", queryURL)
			}
			bearer := "Bearer xbhkjnlvianztghqwawxqfe"
			if profile == fakeserver.ProfileDocumented {
				bearer = "Bearer " + testkit.Base64("xbhkjnlvianztghqwawxqfe")
			}
			for _, auth := range []string{testkit.Basic("neo4j", "verysecret"), bearer} {
				req, _ := http.NewRequest(http.MethodPost, queryURL, strings.NewReader(`{"statement":"RETURN 1 AS n","includeCounters":true}`))
				req.Header.Set("Authorization", auth)
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Accept", "application/json")
				resp, err := srv.Client().Do(req)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusAccepted || resp.Header.Get("Content-Type") != "application/json" {
					t.Fatalf("%s: %d %s %s", auth[:6], resp.StatusCode, resp.Header.Get("Content-Type"), body)
				}
				var got struct {
					Data struct {
						Fields []string `json:"fields"`
						Values [][]any  `json:"values"`
					} `json:"data"`
					Counters  map[string]any `json:"counters"`
					Bookmarks []string       `json:"bookmarks"`
					Errors    any            `json:"errors"`
				}
				if err := json.Unmarshal(body, &got); err != nil {
					t.Fatal(err)
				}
				if len(got.Data.Fields) != 1 || got.Data.Fields[0] != "n" || len(got.Data.Values) != 1 || got.Data.Values[0][0] != 1.0 ||
					len(got.Bookmarks) != 1 || !strings.HasPrefix(got.Bookmarks[0], "FB:") || got.Errors != nil ||
					len(got.Counters) != 14 || got.Counters["containsUpdates"] != false {
					t.Errorf("body %s", body)
				}
			}
		})
	}
}
