package specs

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/authconform/authconform/fixtures"
)

// checkCase is one row of the check-kind tables: a fixture step's
// expectation (YAML, as in a fixture file), an answer, and the outcome the
// checks must reach. The rows are data, so they survive an engine rewrite.
type checkCase struct {
	name   string
	expect string // a fixtures.Step in YAML: response, capture
	answer answer
	// fail is "" when the checks must pass, else a text the failure shows.
	fail string
	// warn is a text an advisory warning must show ("" for none).
	warn string
	// vars are the state's variables besides User and Password.
	vars map[string]string
}

// answer is an HTTP response as a server sends it.
type answer struct {
	status  int
	headers []string // "Name: value", repeatable
	body    string
}

func (a answer) response() *http.Response {
	h := http.Header{}
	for _, line := range a.headers {
		k, v, _ := strings.Cut(line, ": ")
		h.Add(k, v)
	}
	status := a.status
	if status == 0 {
		status = 200
	}
	return &http.Response{StatusCode: status, Status: fmt.Sprintf("%d %s", status, http.StatusText(status)),
		Header: h, Body: io.NopCloser(strings.NewReader(a.body)), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}
}

// runChecks applies the step's checks to the answer as exchange does and
// returns the hard failures, the warnings and the captures.
func runChecks(t *testing.T, expect string, a answer, vars map[string]string) (failures, warnings []string, captured map[string]string) {
	t.Helper()
	var st fixtures.Step
	if err := yaml.Unmarshal([]byte(expect), &st); err != nil {
		t.Fatalf("bad expectation %q: %v", expect, err)
	}
	c := newCollector()
	r := &fixtureRun{vars: fixtures.Vars{"User": "admin", "Password": "secret"}, captured: map[string]string{}, warnings: &warnings}
	for k, v := range vars {
		r.vars[k] = v
	}
	r.checkResponse(c, a.response(), a.body, st)
	return c.failures, warnings, r.captured
}

func runTable(t *testing.T, cases []checkCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			failures, warnings, _ := runChecks(t, tc.expect, tc.answer, tc.vars)
			got := strings.Join(failures, "\n")
			switch {
			case tc.fail == "" && len(failures) > 0:
				t.Errorf("want a pass, got failures:\n%s", got)
			case tc.fail != "" && len(failures) == 0:
				t.Errorf("want a failure showing %q, got a pass", tc.fail)
			case tc.fail != "" && !strings.Contains(got, tc.fail):
				t.Errorf("want a failure showing %q, got:\n%s", tc.fail, got)
			}
			w := strings.Join(warnings, "\n")
			switch {
			case tc.warn == "" && len(warnings) > 0:
				t.Errorf("want no warning, got:\n%s", w)
			case tc.warn != "" && !strings.Contains(w, tc.warn):
				t.Errorf("want a warning showing %q, got %q", tc.warn, w)
			}
		})
	}
}

func TestStatusChecks(t *testing.T) {
	runTable(t, []checkCase{
		{name: "status equal", expect: `{response: {status: 401}}`, answer: answer{status: 401}},
		{name: "status differs", expect: `{response: {status: 401}}`, answer: answer{status: 403}, fail: "401"},
		{name: "status 200 wanted, 201 got", expect: `{response: {status: 200}}`, answer: answer{status: 201}, fail: "200"},
		{name: "status_in member", expect: `{response: {status_in: [401, 403]}}`, answer: answer{status: 403}},
		{name: "status_in other", expect: `{response: {status_in: [401, 403]}}`, answer: answer{status: 400}, fail: "status: want one of [401 403], got 400"},
	})
}

func TestBodyChecks(t *testing.T) {
	runTable(t, []checkCase{
		{name: "empty body empty", expect: `{response: {status: 404, empty_body: true}}`, answer: answer{status: 404}},
		{name: "empty body not empty", expect: `{response: {status: 404, empty_body: true}}`, answer: answer{status: 404, body: "{}"}, fail: "body: want empty, got 2 bytes"},
		{name: "body not checked", expect: `{response: {status: 404}}`, answer: answer{status: 404, body: "anything"}},
	})
}

func TestHeaderChecks(t *testing.T) {
	const realm = `{response: {status: 200, headers: {WWW-Authenticate: 'Basic realm="Neo4j"'}}}`
	runTable(t, []checkCase{
		{name: "exact equal", expect: realm, answer: answer{headers: []string{`WWW-Authenticate: Basic realm="Neo4j"`}}},
		{name: "exact differs in case", expect: realm, answer: answer{headers: []string{`WWW-Authenticate: Basic realm="neo4j"`}}, fail: "WWW-Authenticate"},
		{name: "exact with more text", expect: realm, answer: answer{headers: []string{`WWW-Authenticate: Basic realm="Neo4j", charset="UTF-8"`}}, fail: "WWW-Authenticate"},
		{name: "exact absent", expect: realm, answer: answer{}, fail: `header WWW-Authenticate: want "Basic realm=\"Neo4j\"", but it is absent`},
		{name: "explicit exact on Content-Type", expect: `{response: {status: 200, headers: {Content-Type: {value: application/json, match: exact}}}}`, answer: answer{headers: []string{"Content-Type: application/json; charset=utf-8"}}, fail: "Content-Type"},
		{name: "exact advisory equal", expect: `{response: {status: 200, headers: {Server: {value: CouchDB/1.0.2, advisory: true}}}}`, answer: answer{headers: []string{"Server: CouchDB/1.0.2"}}},
		{name: "exact advisory differs: a warning", expect: `{response: {status: 200, headers: {Server: {value: CouchDB/1.0.2, advisory: true, note: a release}}}}`, answer: answer{headers: []string{"Server: CouchDB/3.5.0"}}, warn: `header Server: want "CouchDB/1.0.2", got "CouchDB/3.5.0" (advisory: a release)`},
		{name: "advisory absent: a warning", expect: `{response: {status: 200, headers: {Server: {value: CouchDB/, match: prefix, advisory: true}}}}`, answer: answer{}, warn: "but it is absent"},
		{name: "templated value", expect: `{response: {status: 200, headers: {X-User: '{{.User}}'}}}`, answer: answer{headers: []string{"X-User: admin"}}},
		{name: "templated value differs", expect: `{response: {status: 200, headers: {X-User: '{{.User}}'}}}`, answer: answer{headers: []string{"X-User: alice"}}, fail: "X-User"},

		{name: "media type equal", expect: `{response: {status: 200, headers: {Content-Type: "application/json; charset=UTF-8"}}}`, answer: answer{headers: []string{"Content-Type: application/json; charset=UTF-8"}}},
		{name: "media type case and spacing", expect: `{response: {status: 200, headers: {Content-Type: "application/json; charset=UTF-8"}}}`, answer: answer{headers: []string{"Content-Type: Application/JSON;charset=utf-8"}}},
		{name: "media type extra parameter", expect: `{response: {status: 200, headers: {Content-Type: application/json}}}`, answer: answer{headers: []string{"Content-Type: application/json; charset=utf-8"}}},
		{name: "media type other type", expect: `{response: {status: 200, headers: {Content-Type: application/json}}}`, answer: answer{headers: []string{"Content-Type: text/plain"}}, fail: `header Content-Type: want media-type "application/json", got "text/plain"`},
		{name: "media type other subtype", expect: `{response: {status: 200, headers: {Content-Type: application/json}}}`, answer: answer{headers: []string{"Content-Type: application/jsonx"}}, fail: "Content-Type"},
		{name: "media type missing parameter", expect: `{response: {status: 200, headers: {Content-Type: "application/json; charset=UTF-8"}}}`, answer: answer{headers: []string{"Content-Type: application/json"}}, fail: "Content-Type"},
		{name: "media type other parameter value", expect: `{response: {status: 200, headers: {Content-Type: "application/json; charset=UTF-8"}}}`, answer: answer{headers: []string{"Content-Type: application/json; charset=ISO-8859-1"}}, fail: "Content-Type"},
		{name: "media type unparseable answer", expect: `{response: {status: 200, headers: {Content-Type: application/json}}}`, answer: answer{headers: []string{"Content-Type: application/json; ="}}, fail: "Content-Type"},
		{name: "media type unparseable expectation", expect: `{response: {status: 200, headers: {Content-Type: "; ="}}}`, answer: answer{headers: []string{"Content-Type: ; ="}}, fail: "Content-Type"},
		{name: "media type on another header", expect: `{response: {status: 200, headers: {Accept-Patch: {value: application/json, match: media-type}}}}`, answer: answer{headers: []string{"Accept-Patch: application/json; charset=utf-8"}}},
		{name: "media type on another header differs", expect: `{response: {status: 200, headers: {Accept-Patch: {value: application/json, match: media-type}}}}`, answer: answer{headers: []string{"Accept-Patch: text/json"}}, fail: "Accept-Patch"},
		{name: "media type advisory differs: a warning", expect: `{response: {status: 200, headers: {Content-Type: {value: text/plain, advisory: true}}}}`, answer: answer{headers: []string{"Content-Type: application/json"}}, warn: "Content-Type"},

		{name: "prefix", expect: `{response: {status: 200, headers: {Server: {value: CouchDB/, match: prefix}}}}`, answer: answer{headers: []string{"Server: CouchDB/3.5.0 (Erlang OTP/26)"}}},
		{name: "prefix elsewhere", expect: `{response: {status: 200, headers: {Server: {value: CouchDB/, match: prefix}}}}`, answer: answer{headers: []string{"Server: Apache CouchDB/3.5.0"}}, fail: `want prefix "CouchDB/"`},
		{name: "contains", expect: `{response: {status: 200, headers: {Location: {value: /user/neo4j/password, match: contains}}}}`, answer: answer{headers: []string{"Location: http://localhost:7474/user/neo4j/password"}}},
		{name: "contains not", expect: `{response: {status: 200, headers: {Location: {value: /user/neo4j/password, match: contains}}}}`, answer: answer{headers: []string{"Location: http://localhost:7474/user/neo4j"}}, fail: "want contains"},
		{name: "regexp", expect: `{response: {status: 200, headers: {Date: {value: '^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$', match: regexp}}}}`, answer: answer{headers: []string{"Date: Fri, 11 Nov 2016 12:43:15 GMT"}}},
		{name: "regexp no match", expect: `{response: {status: 200, headers: {Date: {value: '^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$', match: regexp}}}}`, answer: answer{headers: []string{"Date: 2016-11-11T12:43:15Z"}}, fail: "want regexp"},
		{name: "regexp invalid", expect: `{response: {status: 200, headers: {Date: {value: '(', match: regexp}}}}`, answer: answer{headers: []string{"Date: ("}}, fail: "want regexp"},
		{name: "present", expect: `{response: {status: 200, headers: {Date: {match: present}}}}`, answer: answer{headers: []string{"Date: whatever"}}},
		{name: "present absent", expect: `{response: {status: 200, headers: {Date: {match: present}}}}`, answer: answer{}, fail: "header Date: want it present, but it is absent"},

		{name: "absent header absent", expect: `{response: {status: 401, absent_headers: [WWW-Authenticate]}}`, answer: answer{status: 401}},
		{name: "absent header present", expect: `{response: {status: 401, absent_headers: [WWW-Authenticate]}}`, answer: answer{status: 401, headers: []string{"WWW-Authenticate: Basic"}}, fail: `header WWW-Authenticate: want none, got ["Basic"]`},
		{name: "absent header present but empty", expect: `{response: {status: 401, absent_headers: [WWW-Authenticate]}}`, answer: answer{status: 401, headers: []string{"WWW-Authenticate: "}}, fail: "WWW-Authenticate: want none"},
	})
}

func TestJSONChecks(t *testing.T) {
	const exact = `{response: {status: 200, json: {mode: exact, value: {ok: true, name: '{{.User}}', roles: [_admin]}}}}`
	const subset = `{response: {status: 200, json: {mode: subset, value: {ok: true, info: {authenticated: cookie}}}}}`
	runTable(t, []checkCase{
		{name: "exact equal", expect: exact, answer: answer{body: `{"ok":true,"name":"admin","roles":["_admin"]}`}},
		{name: "exact extra key", expect: exact, answer: answer{body: `{"ok":true,"name":"admin","roles":["_admin"],"x":1}`}, fail: "json $.x: unexpected key (value 1)"},
		{name: "exact missing key", expect: exact, answer: answer{body: `{"ok":true,"roles":["_admin"]}`}, fail: `json $.name: missing (want "admin")`},
		{name: "exact other boolean", expect: exact, answer: answer{body: `{"ok":false,"name":"admin","roles":["_admin"]}`}, fail: "json $.ok: want true, got false"},
		{name: "exact other string", expect: exact, answer: answer{body: `{"ok":true,"name":"alice","roles":["_admin"]}`}, fail: `json $.name: want "admin", got "alice"`},
		{name: "exact longer array", expect: exact, answer: answer{body: `{"ok":true,"name":"admin","roles":["_admin","x"]}`}, fail: "json $.roles"},
		{name: "exact other array element", expect: exact, answer: answer{body: `{"ok":true,"name":"admin","roles":["x"]}`}, fail: "json $.roles[0]"},
		{name: "exact array for object", expect: exact, answer: answer{body: `[]`}, fail: "json $: want an object, got []"},
		{name: "exact object for array", expect: exact, answer: answer{body: `{"ok":true,"name":"admin","roles":{}}`}, fail: "json $.roles"},
		{name: "not JSON", expect: exact, answer: answer{body: `<html>`}, fail: "json body is not JSON"},
		{name: "empty body", expect: exact, answer: answer{}, fail: "json body is not JSON"},
		{name: "nested exact extra key", expect: `{response: {status: 200, json: {mode: exact, value: {a: {b: 1}}}}}`, answer: answer{body: `{"a":{"b":1,"c":2}}`}, fail: "json $.a.c: unexpected key"},

		{name: "subset extra keys", expect: subset, answer: answer{body: `{"ok":true,"userCtx":{},"info":{"authenticated":"cookie","authentication_handlers":["cookie"]}}`}},
		{name: "subset missing key", expect: subset, answer: answer{body: `{"info":{"authenticated":"cookie"}}`}, fail: "json $.ok: missing"},
		{name: "subset nested differs", expect: subset, answer: answer{body: `{"ok":true,"info":{"authenticated":"default"}}`}, fail: `json $.info.authenticated: want "cookie", got "default"`},

		{name: "integer equals float", expect: `{response: {status: 200, json: {mode: exact, value: {n: 1}}}}`, answer: answer{body: `{"n":1.0}`}},
		{name: "integer differs", expect: `{response: {status: 200, json: {mode: exact, value: {n: 1}}}}`, answer: answer{body: `{"n":2}`}, fail: "json $.n: want 1, got 2"},
		{name: "number for string", expect: `{response: {status: 200, json: {mode: exact, value: {n: "1"}}}}`, answer: answer{body: `{"n":1}`}, fail: `json $.n: want "1", got 1`},
		{name: "null equal", expect: `{response: {status: 200, json: {mode: exact, value: {name: null}}}}`, answer: answer{body: `{"name":null}`}},
		{name: "null for string", expect: `{response: {status: 200, json: {mode: exact, value: {name: null}}}}`, answer: answer{body: `{"name":"admin"}`}, fail: "json $.name: want null"},

		{name: "<any> matches anything", expect: `{response: {status: 200, json: {mode: exact, value: {roles: "<any>"}}}}`, answer: answer{body: `{"roles":[1,{"a":null}]}`}},
		{name: "<any> still needs the key", expect: `{response: {status: 200, json: {mode: exact, value: {roles: "<any>"}}}}`, answer: answer{body: `{}`}, fail: "json $.roles: missing"},
		{name: "<string> matches a string", expect: `{response: {status: 200, json: {mode: subset, value: {_rev: "<string>"}}}}`, answer: answer{body: `{"_rev":"1-abc"}`}},
		{name: "<string> refuses an empty string", expect: `{response: {status: 200, json: {mode: subset, value: {_rev: "<string>"}}}}`, answer: answer{body: `{"_rev":""}`}, fail: `json $._rev: want a non-empty string, got ""`},
		{name: "<string> refuses a number", expect: `{response: {status: 200, json: {mode: subset, value: {_rev: "<string>"}}}}`, answer: answer{body: `{"_rev":1}`}, fail: "json $._rev: want a non-empty string, got 1"},

		{name: "advisory mismatch: a warning", expect: `{response: {status: 200, json: {mode: exact, advisory: true, value: {ok: true}}}}`, answer: answer{body: `{"ok":false}`}, warn: "json $.ok: want true, got false (advisory)"},
		{name: "advisory match", expect: `{response: {status: 200, json: {mode: exact, advisory: true, value: {ok: true}}}}`, answer: answer{body: `{"ok":true}`}},
	})
}

// sessionCookie is a CouchDB AuthSession value for user issued at t.
func sessionCookie(user string, t time.Time) string {
	return base64.RawURLEncoding.EncodeToString([]byte(user + ":" + strings.ToUpper(strconv.FormatInt(t.Unix(), 16)) + ":0123456789abcdef0123456789abcdef"))
}

func TestCookieChecks(t *testing.T) {
	now := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	date := func(t time.Time) string { return "Date: " + t.Format(http.TimeFormat) }
	login := func(user string, issued time.Time, attrs string) []string {
		return []string{date(now), "Set-Cookie: AuthSession=" + sessionCookie(user, issued) + "; " + attrs}
	}
	const good = "Expires=Wed, 02 Dec 2026 00:10:00 GMT; Max-Age=600; Path=/; HttpOnly"
	const all = `{response: {status: 200, cookies: {AuthSession: {set: true, path: /, http_only: true, expires: true, max_age: 600, issued_to: '{{.User}}', issued_now: true}}}}`
	runTable(t, []checkCase{
		{name: "every attribute right", expect: all, answer: answer{headers: login("admin", now, good)}},
		{name: "no Set-Cookie", expect: all, answer: answer{headers: []string{date(now)}}, fail: "cookie AuthSession: want a Set-Cookie, got none"},
		{name: "another cookie only", expect: all, answer: answer{headers: []string{date(now), "Set-Cookie: Other=x"}}, fail: "want a Set-Cookie, got none"},
		{name: "set: empty value", expect: `{response: {status: 200, cookies: {AuthSession: {set: true}}}}`, answer: answer{headers: []string{`Set-Cookie: AuthSession=""; Path=/`}}, fail: "want a session value, got an empty one"},
		{name: "cleared: empty value", expect: `{response: {status: 200, cookies: {AuthSession: {set: false}}}}`, answer: answer{headers: []string{`Set-Cookie: AuthSession=; Path=/`}}},
		{name: "cleared: a value", expect: `{response: {status: 200, cookies: {AuthSession: {set: false}}}}`, answer: answer{headers: []string{`Set-Cookie: AuthSession=abc; Path=/`}}, fail: "want it cleared (empty value), got a value"},
		{name: "HttpOnly missing", expect: all, answer: answer{headers: login("admin", now, "Expires=Wed, 02 Dec 2026 00:10:00 GMT; Max-Age=600; Path=/")}, fail: "want HttpOnly=true, got false"},
		{name: "HttpOnly unwanted", expect: `{response: {status: 200, cookies: {AuthSession: {http_only: false}}}}`, answer: answer{headers: []string{"Set-Cookie: AuthSession=x; HttpOnly"}}, fail: "want HttpOnly=false, got true"},
		{name: "Path other", expect: all, answer: answer{headers: login("admin", now, "Expires=Wed, 02 Dec 2026 00:10:00 GMT; Max-Age=600; Path=/_session; HttpOnly")}, fail: `want Path="/", got "/_session"`},
		{name: "Path missing", expect: all, answer: answer{headers: login("admin", now, "Expires=Wed, 02 Dec 2026 00:10:00 GMT; Max-Age=600; HttpOnly")}, fail: `want Path="/", got ""`},
		{name: "Expires missing", expect: all, answer: answer{headers: login("admin", now, "Max-Age=600; Path=/; HttpOnly")}, fail: "want a parseable Expires attribute"},
		{name: "Expires unparseable", expect: `{response: {status: 200, cookies: {AuthSession: {expires: true}}}}`, answer: answer{headers: []string{"Set-Cookie: AuthSession=x; Expires=tomorrow"}}, fail: "want a parseable Expires attribute"},
		{name: "Max-Age other", expect: all, answer: answer{headers: login("admin", now, "Expires=Wed, 02 Dec 2026 00:10:00 GMT; Max-Age=599; Path=/; HttpOnly")}, fail: "want Max-Age=600, got 599"},
		{name: "Max-Age missing", expect: `{response: {status: 200, cookies: {AuthSession: {max_age: 600}}}}`, answer: answer{headers: []string{"Set-Cookie: AuthSession=x"}}, fail: "want Max-Age=600, got none"},
		{name: "Max-Age=0 wanted and sent", expect: `{response: {status: 200, cookies: {AuthSession: {max_age: 0}}}}`, answer: answer{headers: []string{"Set-Cookie: AuthSession=; Max-Age=0"}}},
		{name: "Max-Age=0 wanted, none sent", expect: `{response: {status: 200, cookies: {AuthSession: {max_age: 0}}}}`, answer: answer{headers: []string{"Set-Cookie: AuthSession="}}, fail: "want Max-Age=0, got none"},
		{name: "session Max-Age", expect: `{response: {status: 200, cookies: {AuthSession: {session_max_age: true}}}}`, vars: map[string]string{"SessionTTL": "24h0m0s"}, answer: answer{headers: []string{"Set-Cookie: AuthSession=x; Max-Age=86400"}}},
		{name: "session Max-Age other", expect: `{response: {status: 200, cookies: {AuthSession: {session_max_age: true}}}}`, vars: map[string]string{"SessionTTL": "24h0m0s"}, answer: answer{headers: []string{"Set-Cookie: AuthSession=x; Max-Age=600"}}, fail: "want Max-Age=86400 (the session lifetime, 24h0m0s), got 600"},
		{name: "session Max-Age missing", expect: `{response: {status: 200, cookies: {AuthSession: {session_max_age: true}}}}`, vars: map[string]string{"SessionTTL": "10m0s"}, answer: answer{headers: []string{"Set-Cookie: AuthSession=x"}}, fail: "want Max-Age=600 (the session lifetime, 10m0s), got none"},
		{name: "session Max-Age, lifetime unknown: a warning", expect: `{response: {status: 200, cookies: {AuthSession: {session_max_age: true}}}}`, answer: answer{headers: []string{"Set-Cookie: AuthSession=x; Max-Age=600"}}, warn: "Max-Age not compared with the session lifetime"},
		{name: "expired", expect: `{response: {status: 200, cookies: {AuthSession: {expired: true}}}}`, answer: answer{headers: []string{date(now), `Set-Cookie: AuthSession=""; Expires=Fri, 02 Jan 1970 00:00:00 GMT; Max-Age=0`}}},
		{name: "expired, Expires 1 s before Date", expect: `{response: {status: 200, cookies: {AuthSession: {expired: true}}}}`, answer: answer{headers: []string{date(now), "Set-Cookie: AuthSession=; Expires=" + now.Add(-time.Second).Format(http.TimeFormat)}}},
		{name: "expired, Expires equal to Date", expect: `{response: {status: 200, cookies: {AuthSession: {expired: true}}}}`, answer: answer{headers: []string{date(now), "Set-Cookie: AuthSession=; Expires=" + now.Format(http.TimeFormat)}}, fail: "want it expired, but Expires"},
		{name: "expired, Expires in the future", expect: `{response: {status: 200, cookies: {AuthSession: {expired: true}}}}`, answer: answer{headers: []string{date(now), "Set-Cookie: AuthSession=; Expires=Wed, 02 Dec 2026 00:10:00 GMT; Max-Age=600"}}, fail: "want it expired, but Expires Wed, 02 Dec 2026 00:10:00 UTC is not before the answer's Date Wed, 02 Dec 2026 00:00:00 UTC"},
		{name: "expired, no Expires", expect: `{response: {status: 200, cookies: {AuthSession: {expired: true}}}}`, answer: answer{headers: []string{date(now), "Set-Cookie: AuthSession=; Max-Age=0"}}, fail: "want an Expires in the past"},
		{name: "expired, no Date", expect: `{response: {status: 200, cookies: {AuthSession: {expired: true}}}}`, answer: answer{headers: []string{"Set-Cookie: AuthSession=; Expires=Fri, 02 Jan 1970 00:00:00 GMT"}}, fail: "no parseable Date to compare Expires with"},
		{name: "Max-Age=0 wanted, 600 sent", expect: `{response: {status: 200, cookies: {AuthSession: {max_age: 0}}}}`, answer: answer{headers: []string{"Set-Cookie: AuthSession=; Max-Age=600"}}, fail: "want Max-Age=0, got 600"},
		{name: "Max-Age advisory: a warning", expect: `{response: {status: 200, cookies: {AuthSession: {max_age: 86400, max_age_advisory: true}}}}`, answer: answer{headers: []string{"Set-Cookie: AuthSession=x; Max-Age=600"}}, warn: "want Max-Age=86400, got 600 (advisory"},
		{name: "issued to another user", expect: all, answer: answer{headers: login("alice", now, good)}, fail: `cookie AuthSession: issued to "alice", want "admin"`},
		{name: "not a session cookie", expect: all, answer: answer{headers: []string{date(now), "Set-Cookie: AuthSession=bm9jb2xvbg; " + good}}, fail: "not a CouchDB session cookie"},
		{name: "issue time not hexadecimal", expect: all, answer: answer{headers: []string{date(now), "Set-Cookie: AuthSession=" + base64.RawURLEncoding.EncodeToString([]byte("admin:ZZ:mac")) + "; " + good}}, fail: "is not hexadecimal seconds"},
		{name: "issued 1 s before Date", expect: `{response: {status: 200, cookies: {AuthSession: {issued_now: true}}}}`, answer: answer{headers: login("admin", now.Add(-time.Second), "Path=/")}},
		{name: "issued 1 s after Date", expect: `{response: {status: 200, cookies: {AuthSession: {issued_now: true}}}}`, answer: answer{headers: login("admin", now.Add(time.Second), "Path=/")}},
		{name: "issued 2 s before Date", expect: `{response: {status: 200, cookies: {AuthSession: {issued_now: true}}}}`, answer: answer{headers: login("admin", now.Add(-2*time.Second), "Path=/")}, fail: "but the answer's Date is"},
		{name: "issued 2 s after Date", expect: `{response: {status: 200, cookies: {AuthSession: {issued_now: true}}}}`, answer: answer{headers: login("admin", now.Add(2*time.Second), "Path=/")}, fail: "but the answer's Date is"},
		{name: "no Date to compare", expect: `{response: {status: 200, cookies: {AuthSession: {issued_now: true}}}}`, answer: answer{headers: []string{"Set-Cookie: AuthSession=" + sessionCookie("admin", now)}}, fail: "no parseable Date"},
		{name: "Expires - Max-Age 2 s off", expect: all, answer: answer{headers: login("admin", now, "Expires=Wed, 02 Dec 2026 00:10:02 GMT; Max-Age=600; Path=/; HttpOnly")}, fail: "but Expires - Max-Age is"},
		{name: "Expires - Max-Age 1 s off", expect: all, answer: answer{headers: login("admin", now, "Expires=Wed, 02 Dec 2026 00:10:01 GMT; Max-Age=600; Path=/; HttpOnly")}},
		{name: "no_cookies none", expect: `{response: {status: 401, no_cookies: [AuthSession]}}`, answer: answer{status: 401}},
		{name: "no_cookies one set", expect: `{response: {status: 401, no_cookies: [AuthSession]}}`, answer: answer{status: 401, headers: []string{"Set-Cookie: AuthSession=x"}}, fail: "cookie AuthSession: want none set, got one"},
	})
}

func TestCaptures(t *testing.T) {
	cases := []struct {
		name, capture string
		answer        answer
		want          string // the captured value; "" when the capture must fail
	}{
		{"cookie", "cookie:AuthSession", answer{headers: []string{"Set-Cookie: AuthSession=abc; Path=/"}}, "abc"},
		{"cookie absent", "cookie:AuthSession", answer{headers: []string{"Set-Cookie: Other=abc"}}, ""},
		{"cookie emptied", "cookie:AuthSession", answer{headers: []string{"Set-Cookie: AuthSession=; Path=/"}}, ""},
		{"header", "header:Location", answer{headers: []string{"Location: /next"}}, "/next"},
		{"header absent", "header:Location", answer{}, ""},
		{"json path", "json:userCtx.name", answer{body: `{"userCtx":{"name":"admin"}}`}, "admin"},
		{"json number", "json:n", answer{body: `{"n":3}`}, "3"},
		{"json path absent", "json:userCtx.name", answer{body: `{"userCtx":{}}`}, ""},
		{"json through a scalar", "json:a.b", answer{body: `{"a":1}`}, ""},
		{"not JSON", "json:a", answer{body: `a=1`}, ""},
		{"unknown kind", "query:a", answer{}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			failures, _, captured := runChecks(t, fmt.Sprintf("{response: {status: 200}, capture: {v: %q}}", tc.capture), tc.answer, nil)
			if tc.want == "" {
				if len(failures) != 1 || !strings.Contains(failures[0], "capture v: "+tc.capture+" not found in the answer") {
					t.Errorf("want the capture to fail, got %q (captured %q)", failures, captured["v"])
				}
				return
			}
			if len(failures) > 0 || captured["v"] != tc.want {
				t.Errorf("captured %q with failures %q, want %q", captured["v"], failures, tc.want)
			}
		})
	}
}

// TestSessionCookieCheckCatchesTheDocumentsExample feeds the Cloudant
// document's own login reply to the cookie check: the example cookie was
// issued to "warmana" 124 s before the reply, so both checks must fail.
func TestSessionCookieCheckCatchesTheDocumentsExample(t *testing.T) {
	resp := &http.Response{Header: http.Header{
		"Date":       {"Fri, 11 Nov 2016 12:43:15 GMT"},
		"Set-Cookie": {`AuthSession="d2FybWFuYTo1ODI1QkM2NzpZelovo2epvx9cfaDdxJGNLuzBzw"; Expires=Sat, 12 Nov 2016 12:43:15 GMT; Max-Age=86400; Path=/; HttpOnly; Version=1`},
	}}
	want := fixtures.Response{Cookies: map[string]fixtures.CookieCheck{"AuthSession": {IssuedTo: "{{.User}}", IssuedNow: true}}}
	r := &fixtureRun{vars: fixtures.Vars{"User": "USERNAME"}}
	c := newCollector()
	r.checkCookies(c, resp, want)
	got := strings.Join(c.failures, "\n")
	for _, want := range []string{`issued to "warmana", want "USERNAME"`, "issued at Fri, 11 Nov 2016 12:41:11 UTC, but the answer's Date is Fri, 11 Nov 2016 12:43:15 UTC", "but Expires - Max-Age is Fri, 11 Nov 2016 12:43:15 UTC"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}

	// A cookie minted now for the right user passes.
	now := time.Now().UTC().Truncate(time.Second)
	value := base64.RawURLEncoding.EncodeToString([]byte("admin:" + strings.ToUpper(strconv.FormatInt(now.Unix(), 16)) + ":0123456789abcdef0123456789abcdef"))
	resp = &http.Response{Header: http.Header{
		"Date":       {now.Format(http.TimeFormat)},
		"Set-Cookie": {"AuthSession=" + value + "; Expires=" + now.Add(600*time.Second).Format(http.TimeFormat) + "; Max-Age=600; Path=/; HttpOnly"},
	}}
	c = newCollector()
	r.vars["User"] = "admin"
	r.checkCookies(c, resp, want)
	if len(c.failures) > 0 {
		t.Errorf("a correct cookie failed: %v", c.failures)
	}
}
