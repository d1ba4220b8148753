package couchdb_test

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

func TestCouchLogin(t *testing.T) {
	const jsonCT = "application/json"
	tests := []struct {
		name      string
		path      string
		ctype     string
		body      string
		headers   []string
		status    int
		reply     string // exact JSON reply
		cookie    string // "value", "cleared" or "" (none)
		location  string
		errReason string
		// documentedOnly rows crash CouchDB 3.5.0 (TestCouchReleaseCrashes).
		documentedOnly bool
	}{
		{name: "form (case 8)", ctype: formCT, body: "name=admin&password=secret", status: 200,
			reply: `{"ok":true,"name":"admin","roles":["_admin"]}`, cookie: "value"},
		{name: "form with charset", ctype: formCT + "; charset=UTF-8", body: "name=alice&password=alicepw", status: 200,
			reply: `{"ok":true,"name":"alice","roles":["reader"]}`, cookie: "value"},
		{name: "JSON (case 19)", ctype: jsonCT, body: `{"name":"admin","password":"secret"}`, status: 200,
			reply: `{"ok":true,"name":"admin","roles":["_admin"]}`, cookie: "value"},
		{name: "username field", ctype: jsonCT, body: `{"username":"admin","password":"secret"}`, status: 200,
			reply: `{"ok":true,"name":"admin","roles":["_admin"]}`, cookie: "value"},
		{name: "with Basic too (case 81)", ctype: formCT, body: "name=admin&password=secret",
			headers: []string{"Authorization", testkit.Basic("admin", "secret")}, status: 200, cookie: "value"},
		{name: "next (case 22)", path: "/_session?next=/authtest", ctype: formCT, body: "name=admin&password=secret",
			status: 302, reply: `{"ok":true,"name":"admin","roles":["_admin"]}`, cookie: "value", location: couchBase + "/authtest"},
		{name: "next must be a path", path: "/_session?next=http://evil.example/", ctype: formCT, body: "name=admin&password=secret",
			status: 400, errReason: "path must begin with a /."},
		{name: "wrong password (case 15)", ctype: formCT, body: "name=admin&password=wrong", status: 401,
			reply: `{"error":"unauthorized","reason":"Name or password is incorrect."}`, cookie: "cleared"},
		{name: "unknown user (case 16)", ctype: formCT, body: "name=nobody&password=whatever", status: 401, cookie: "cleared"},
		{name: "no password (case 17)", ctype: formCT, body: "name=admin", status: 401, cookie: "cleared"},
		{name: "JSON wrong password (case 20)", ctype: jsonCT, body: `{"name":"admin","password":"wrong"}`, status: 401, cookie: "cleared"},
		{name: "fail redirect", path: "/_session?fail=/login", ctype: formCT, body: "name=admin&password=wrong",
			status: 302, cookie: "cleared", location: couchBase + "/login"},
		{name: "empty body (case 18)", ctype: formCT, body: "", status: 400, errReason: "request body must contain a username"},
		{name: "different usernames", ctype: jsonCT, body: `{"name":"admin","username":"alice","password":"x"}`, status: 400,
			errReason: "request body contains different usernames"},
		{name: "text/plain (case 21)", ctype: "text/plain", body: "name=admin&password=secret", status: 415,
			reply: `{"error":"bad_content_type","reason":"Content-Type must be 'application/x-www-form-urlencoded' or 'application/json'"}`},
		{name: "no content type", body: "name=admin&password=secret", status: 415},
		{name: "invalid JSON", ctype: jsonCT, body: `{"name":`, status: 400},
		{name: "JSON array", ctype: jsonCT, body: `[1,2]`, status: 400, documentedOnly: true},
		{name: "JSON null", ctype: jsonCT, body: `null`, status: 400, documentedOnly: true},
		{name: "JSON number name", ctype: jsonCT, body: `{"name":1,"password":"x"}`, status: 400, documentedOnly: true},
		{name: "wrong Basic wins over a good form", ctype: formCT, body: "name=admin&password=secret",
			headers: []string{"Authorization", testkit.Basic("admin", "wrong")}, status: 401, errReason: wantBadPassword},
		{name: "body too large", ctype: formCT, body: "name=admin&password=" + strings.Repeat("x", 300), status: 413},
	}
	for _, profile := range couchProfiles {
		for _, tc := range tests {
			if profile == fakeserver.ProfileCouchDB35 && tc.documentedOnly {
				continue
			}
			t.Run(string(profile)+"/"+tc.name, func(t *testing.T) {
				f := newCouchFake(t, fakeserver.Options{Profile: profile, MaxBodyBytes: 256})
				path := tc.path
				if path == "" {
					path = "/_session"
				}
				headers := tc.headers
				if tc.ctype != "" {
					headers = append(headers, "Content-Type", tc.ctype)
				}
				w := couchDo(f, "POST", path, tc.body, headers...)
				if w.Code != tc.status {
					t.Fatalf("status %d, want %d (body %s)", w.Code, tc.status, w.Body)
				}
				if tc.reply != "" && strings.TrimSuffix(w.Body.String(), "\n") != tc.reply {
					t.Errorf("reply %s, want %s", w.Body, tc.reply)
				}
				if tc.status >= 400 {
					var e testkit.CouchError
					if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error == "" || e.Reason == "" {
						t.Errorf("error body %s is not CouchDB's shape", w.Body)
					}
					if tc.errReason != "" && e.Reason != tc.errReason {
						t.Errorf("reason %q, want %q", e.Reason, tc.errReason)
					}
				}
				if got := w.Header().Get("Location"); got != tc.location {
					t.Errorf("Location %q, want %q", got, tc.location)
				}
				ck := setCookie(t, w)
				switch tc.cookie {
				case "":
					if ck != nil {
						t.Errorf("unexpected Set-Cookie %q", w.Header().Get("Set-Cookie"))
					}
				case "value":
					if ck == nil || ck.Value == "" {
						t.Fatalf("want a session cookie, got %q", w.Header().Get("Set-Cookie"))
					}
					if name, _ := sessionName(t, couchDo(f, "GET", "/_session", "", "Cookie", "AuthSession="+ck.Value)); name == "" {
						t.Errorf("the new cookie does not authenticate")
					}
				case "cleared":
					if ck == nil || ck.Value != "" {
						t.Errorf("want an emptied cookie, got %q", w.Header().Get("Set-Cookie"))
					}
				}
				if got := w.Header().Get("WWW-Authenticate"); got != "" {
					t.Errorf("WWW-Authenticate %q", got)
				}
			})
		}
	}
}

func TestCouchSetCookieFormat(t *testing.T) {
	const (
		date35  = `\w{3}, \d{2}-\w{3}-\d{4} \d{2}:\d{2}:\d{2} GMT`
		dateDoc = `\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT`
	)
	tests := []struct {
		profile fakeserver.Profile
		url     string
		session *regexp.Regexp
		cleared *regexp.Regexp
		ttl     time.Duration
	}{
		{fakeserver.ProfileCouchDB35, couchBase,
			regexp.MustCompile(`^AuthSession=[A-Za-z0-9_-]+; Version=1; Expires=` + date35 + `; Max-Age=600; Path=/; HttpOnly$`),
			regexp.MustCompile(`^AuthSession=; Version=1; Expires=` + date35 + `; Max-Age=600; Path=/; HttpOnly$`), 600 * time.Second},
		{fakeserver.ProfileCouchDB35, "https://127.0.0.1:6984",
			regexp.MustCompile(`^AuthSession=[A-Za-z0-9_-]+; Version=1; Expires=` + date35 + `; Max-Age=600; Secure; Path=/; HttpOnly$`),
			regexp.MustCompile(`^AuthSession=; Version=1; Expires=` + date35 + `; Max-Age=600; Secure; Path=/; HttpOnly$`), 600 * time.Second},
		{fakeserver.ProfileDocumented, couchBase,
			regexp.MustCompile(`^AuthSession="[A-Za-z0-9_-]+"; Expires=` + dateDoc + `; Max-Age=86400; Path=/; HttpOnly; Version=1$`),
			regexp.MustCompile(`^AuthSession=""; Expires=Fri, 02 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; HttpOnly; Version=1$`), 24 * time.Hour},
		{fakeserver.ProfileDocumented, "https://127.0.0.1:6984",
			regexp.MustCompile(`^AuthSession="[A-Za-z0-9_-]+"; Expires=` + dateDoc + `; Max-Age=86400; Path=/; HttpOnly; Secure; Version=1$`),
			regexp.MustCompile(`^AuthSession=""; Expires=Fri, 02 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; HttpOnly; Secure; Version=1$`), 24 * time.Hour},
	}
	for _, tc := range tests {
		t.Run(string(tc.profile)+" "+tc.url, func(t *testing.T) {
			f := newCouchFake(t, fakeserver.Options{Profile: tc.profile})
			w := couchDo(f, "POST", tc.url+"/_session", "name=admin&password=secret", "Content-Type", formCT)
			raw := w.Header().Get("Set-Cookie")
			if !tc.session.MatchString(raw) {
				t.Fatalf("Set-Cookie %q does not match %s", raw, tc.session)
			}
			ck := setCookie(t, w)
			if !ck.Expires.Equal(testkit.TranscriptDay().Add(tc.ttl)) || ck.MaxAge != int(tc.ttl/time.Second) || !ck.HttpOnly || ck.Path != "/" {
				t.Errorf("parsed cookie %+v: want Expires %v, Max-Age %d, HttpOnly, Path /", ck, testkit.TranscriptDay().Add(tc.ttl), int(tc.ttl/time.Second))
			}
			// The value is name:HEXTIME:<32-byte HMAC>, HEXTIME = Date.
			raw2, err := base64.RawURLEncoding.DecodeString(ck.Value)
			if err != nil {
				t.Fatalf("value %q is not unpadded base64url: %v", ck.Value, err)
			}
			parts := strings.SplitN(string(raw2), ":", 3)
			if len(parts) != 3 || parts[0] != "admin" || len(parts[2]) != 32 {
				t.Fatalf("cookie decodes to %q, want admin:HEXTIME:<32 bytes>", raw2)
			}
			if want := strings.ToUpper(strconv.FormatInt(testkit.TranscriptDay().Unix(), 16)); parts[1] != want {
				t.Errorf("HEXTIME %s, want %s", parts[1], want)
			}
			w = couchDo(f, "DELETE", tc.url+"/_session", "")
			if raw := w.Header().Get("Set-Cookie"); !tc.cleared.MatchString(raw) {
				t.Errorf("logout Set-Cookie %q does not match %s", raw, tc.cleared)
			}
			if ck := setCookie(t, w); ck.Value != "" {
				t.Errorf("logout cookie value %q, want empty", ck.Value)
			}
		})
	}
}

func TestCouchCookieSession(t *testing.T) {
	for _, profile := range couchProfiles {
		t.Run(string(profile), func(t *testing.T) {
			f := newCouchFake(t, fakeserver.Options{Profile: profile})
			c1 := couchLogin(t, f, "admin", "secret")
			alice := couchLogin(t, f, "alice", "alicepw")
			forged := base64.RawURLEncoding.EncodeToString([]byte("nobody:" + strings.ToUpper(strconv.FormatInt(testkit.TranscriptDay().Unix(), 16)) + ":" + strings.Repeat("x", 32)))
			other := newCouchFake(t, fakeserver.Options{Profile: profile})
			foreign := couchLogin(t, other, "admin", "secret")
			// The document's GET example: the Set-Cookie attributes sent
			// back inside the Cookie header, the value quoted.
			docHeader := `AuthSession="` + c1 + `"; Expires=Sat, 12 Nov 2016 12:43:15 GMT; Max-Age=86400; Path=/; HttpOnly; Version=1`
			tests := []struct {
				name    string
				headers []string
				user    string
				handler string
				status  int
				reason  string
			}{
				{"cookie (case 9)", []string{"Cookie", "AuthSession=" + c1}, "admin", "cookie", 200, ""},
				{"alice's cookie (case 24)", []string{"Cookie", "AuthSession=" + alice}, "alice", "cookie", 200, ""},
				{"quoted value", []string{"Cookie", `AuthSession="` + c1 + `"`}, "admin", "cookie", 200, ""},
				{"the document's Cookie header", []string{"Cookie", docHeader}, "admin", "cookie", 200, ""},
				{"among other cookies", []string{"Cookie", "a=b; AuthSession=" + c1 + "; c=d"}, "admin", "cookie", 200, ""},
				{"cookie beats wrong Basic (case 59)", []string{"Cookie", "AuthSession=" + c1, "Authorization", testkit.Basic("admin", "wrong")}, "admin", "cookie", 200, ""},
				{"cookie beats bad base64", []string{"Cookie", "AuthSession=" + c1, "Authorization", "Basic x"}, "admin", "cookie", 200, ""},
				{"cookie beats alice's Basic (case 60)", []string{"Cookie", "AuthSession=" + c1, "Authorization", testkit.Basic("alice", "alicepw")}, "admin", "cookie", 200, ""},
				{"tampered HMAC (case 56)", []string{"Cookie", "AuthSession=" + testkit.Tamper(c1)}, "", "", 200, ""},
				{"unused bit flipped (case 57)", []string{"Cookie", "AuthSession=" + testkit.FlipLastBit(c1)}, "admin", "cookie", 200, ""},
				{"padded (m147)", []string{"Cookie", "AuthSession=" + c1 + "="}, "", "", 400, wantBadCookie},
				{"unknown user", []string{"Cookie", "AuthSession=" + forged}, "", "", 200, ""},
				{"other server's cookie", []string{"Cookie", "AuthSession=" + foreign}, "", "", 200, ""},
				{"bad HMAC falls back to Basic", []string{"Cookie", "AuthSession=" + testkit.Tamper(c1), "Authorization", testkit.Basic("alice", "alicepw")}, "alice", "default", 200, ""},
				{"empty cookie (case 65)", []string{"Cookie", "AuthSession="}, "", "", 200, ""},
				{"empty quoted cookie", []string{"Cookie", `AuthSession=""`}, "", "", 200, ""},
				{"malformed (case 55)", []string{"Cookie", "AuthSession=garbage"}, "", "", 400, wantBadCookie},
				{"malformed beats good Basic (case 58)", []string{"Cookie", "AuthSession=garbage", "Authorization", testkit.Basic("admin", "secret")}, "", "", 400, wantBadCookie},
				{"not base64", []string{"Cookie", "AuthSession=a"}, "", "", 400, wantBadCookie},
				{"two parts only", []string{"Cookie", "AuthSession=" + base64.RawURLEncoding.EncodeToString([]byte("admin:1"))}, "", "", 400, wantBadCookie},
				{"bad hex time", []string{"Cookie", "AuthSession=" + base64.RawURLEncoding.EncodeToString([]byte("admin:zz:x"))}, "", "", 200, ""},
			}
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					w := couchDo(f, "GET", "/_session", "", tc.headers...)
					if tc.status != 200 {
						testkit.WantCouchError(t, w, tc.status, "bad_request", tc.reason)
						return
					}
					name, handler := sessionName(t, w)
					if name != tc.user || handler != tc.handler {
						t.Errorf("user %q via %q, want %q via %q", name, handler, tc.user, tc.handler)
					}
					if got := w.Header().Values("Set-Cookie"); len(got) != 0 {
						t.Errorf("no time has passed, yet Set-Cookie %q", got)
					}
				})
			}
		})
	}
}

// TestCouchCookieLifetime covers refresh after 10% of the lifetime (case
// 111) and expiry (cases 112, 113), by the injected clock.
func TestCouchCookieLifetime(t *testing.T) {
	tests := []struct {
		profile fakeserver.Profile
		ttl     time.Duration
		wantTTL int64
	}{
		{fakeserver.ProfileCouchDB35, 0, 600},
		{fakeserver.ProfileDocumented, 0, 86400},
		{fakeserver.ProfileCouchDB35, 10 * time.Second, 10},
		{fakeserver.ProfileDocumented, time.Hour, 3600},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s/%d", tc.profile, tc.wantTTL), func(t *testing.T) {
			f := newCouchFake(t, fakeserver.Options{Profile: tc.profile, SessionTTL: tc.ttl})
			c1 := couchLogin(t, f, "admin", "secret")
			get := func(path string) *http.Response {
				return couchDo(f, "GET", path, "", "Cookie", "AuthSession="+c1).Result()
			}
			tenth := time.Duration(tc.wantTTL) * time.Second / 10
			f.Advance(tenth) // exactly 10% used: no refresh yet
			if r := get("/_session"); len(r.Cookies()) != 0 {
				t.Fatalf("refreshed at exactly 10%%: %q", r.Header.Values("Set-Cookie"))
			}
			f.Advance(time.Second)
			r := get("/authtest")
			if r.StatusCode != 200 || len(r.Cookies()) != 1 {
				t.Fatalf("after 10%%+1s: status %d, Set-Cookie %q; want 200 and a fresh cookie", r.StatusCode, r.Header.Values("Set-Cookie"))
			}
			fresh := r.Cookies()[0]
			if fresh.Value == c1 || fresh.MaxAge != int(tc.wantTTL) {
				t.Fatalf("refreshed cookie %+v: want a new value with Max-Age %d", fresh, tc.wantTTL)
			}
			// The original expires at its issue time plus the lifetime, the
			// fresh one later.
			f.Advance(time.Duration(tc.wantTTL)*time.Second - tenth - 2*time.Second)
			if name, _ := sessionName(t, couchDo(f, "GET", "/_session", "", "Cookie", "AuthSession="+c1)); name != "admin" {
				t.Fatalf("cookie expired 1 s early")
			}
			f.Advance(time.Second)
			if name, _ := sessionName(t, couchDo(f, "GET", "/_session", "", "Cookie", "AuthSession="+c1)); name != "" {
				t.Fatalf("cookie still valid at issue time + lifetime")
			}
			testkit.WantCouchError(t, couchDo(f, "GET", "/authtest", "", "Cookie", "AuthSession="+c1), 401, "unauthorized", wantNotAuthorized)
			if name, _ := sessionName(t, couchDo(f, "GET", "/_session", "", "Cookie", "AuthSession="+fresh.Value)); name != "admin" {
				t.Fatalf("the refreshed cookie should still be valid")
			}
		})
	}
}

func TestCouchLogout(t *testing.T) {
	tests := []struct {
		profile     fakeserver.Profile
		stillValid  bool
		clearCookie string
	}{
		// The document: "the cookie is considered by the server to have expired".
		{fakeserver.ProfileDocumented, false, `AuthSession=""; Expires=Fri, 02 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; HttpOnly; Version=1`},
		// CouchDB 3.5: the cookie is a stateless HMAC (cases 61-63).
		{fakeserver.ProfileCouchDB35, true, `AuthSession=; Version=1; Expires=Sun, 22-Nov-2026 14:59:07 GMT; Max-Age=600; Path=/; HttpOnly`},
	}
	for _, tc := range tests {
		t.Run(string(tc.profile), func(t *testing.T) {
			f := newCouchFake(t, fakeserver.Options{Profile: tc.profile})
			c1 := couchLogin(t, f, "admin", "secret")
			f.Advance(time.Second)
			c2 := couchLogin(t, f, "admin", "secret")
			docHeader := `AuthSession="` + c1 + `"; Expires=Sat, 12 Nov 2016 12:43:15 GMT; Max-Age=86400; Path=/; HttpOnly; Version=1`
			w := couchDo(f, "DELETE", "/_session", "", "Cookie", docHeader)
			if w.Code != 200 || strings.TrimSpace(w.Body.String()) != `{"ok":true}` {
				t.Fatalf("logout: %d %s", w.Code, w.Body)
			}
			clear := tc.clearCookie
			if tc.profile == fakeserver.ProfileCouchDB35 {
				clear = strings.Replace(clear, "14:59:07", "14:59:08", 1) // one second advanced
			}
			if got := w.Header().Get("Set-Cookie"); got != clear {
				t.Errorf("Set-Cookie %q, want %q", got, clear)
			}
			for _, variant := range []string{c1, testkit.FlipLastBit(c1)} {
				name, _ := sessionName(t, couchDo(f, "GET", "/_session", "", "Cookie", "AuthSession="+variant))
				if (name == "admin") != tc.stillValid {
					t.Errorf("after logout the cookie authenticates as %q; want still valid = %v", name, tc.stillValid)
				}
			}
			status := couchDo(f, "GET", "/authtest", "", "Cookie", "AuthSession="+c1).Code
			if want := map[bool]int{true: 200, false: 401}[tc.stillValid]; status != want {
				t.Errorf("GET /authtest with the logged-out cookie: %d, want %d", status, want)
			}
			if name, _ := sessionName(t, couchDo(f, "GET", "/_session", "", "Cookie", "AuthSession="+c2)); name != "admin" {
				t.Errorf("another session of the same user must survive the logout")
			}
			// Logging out without a cookie is fine too (case 64).
			if w := couchDo(f, "DELETE", "/_session", ""); w.Code != 200 {
				t.Errorf("anonymous logout: %d", w.Code)
			}
			if w := couchDo(f, "DELETE", "/_session?next=/db", "", "Cookie", "AuthSession="+c2); w.Code != 302 || w.Header().Get("Location") != couchBase+"/db" {
				t.Errorf("logout with next: %d %q", w.Code, w.Header().Get("Location"))
			}
		})
	}
}

func TestCouchSessionInfo(t *testing.T) {
	tests := []struct {
		profile fakeserver.Profile
		headers []string
		want    string
	}{
		{fakeserver.ProfileCouchDB35, nil, `{"ok":true,"userCtx":{"name":null,"roles":[]},"info":{"authentication_handlers":["cookie","default"]}}`},
		{fakeserver.ProfileCouchDB35, []string{"Authorization", testkit.Basic("admin", "secret")},
			`{"ok":true,"userCtx":{"name":"admin","roles":["_admin"]},"info":{"authentication_handlers":["cookie","default"],"authenticated":"default"}}`},
		{fakeserver.ProfileDocumented, nil,
			`{"ok":true,"userCtx":{"name":null,"roles":[]},"info":{"authentication_db":"_users","authentication_handlers":["delegated","cookie","default","local"]}}`},
		{fakeserver.ProfileDocumented, []string{"Authorization", testkit.Basic("alice", "alicepw")},
			`{"ok":true,"userCtx":{"name":"alice","roles":["reader"]},"info":{"authentication_db":"_users","authentication_handlers":["delegated","cookie","default","local"],"authenticated":"default"}}`},
	}
	for _, tc := range tests {
		t.Run(string(tc.profile), func(t *testing.T) {
			f := newCouchFake(t, fakeserver.Options{Profile: tc.profile})
			w := couchDo(f, "GET", "/_session", "", tc.headers...)
			if w.Code != 200 || w.Body.String() != tc.want+"\n" {
				t.Fatalf("got %d %s\nwant %s", w.Code, w.Body, tc.want)
			}
			for k, v := range map[string]string{"Content-Type": "application/json", "Cache-Control": "must-revalidate", "Server": "CouchDB/3.5.0 (Erlang OTP/25)"} {
				if got := w.Header().Get(k); got != v {
					t.Errorf("%s %q, want %q", k, got, v)
				}
			}
			// HEAD: same headers, no body (case 66).
			h := couchDo(f, "HEAD", "/_session", "", tc.headers...)
			if h.Code != 200 || h.Body.Len() != 0 || h.Header().Get("Content-Length") != strconv.Itoa(len(tc.want)+1) {
				t.Errorf("HEAD: %d, body %q, Content-Length %q", h.Code, h.Body, h.Header().Get("Content-Length"))
			}
			// ?basic=true forces a login (case 14).
			if len(tc.headers) == 0 {
				testkit.WantCouchError(t, couchDo(f, "GET", "/_session?basic=true", ""), 401, "unauthorized", wantPleaseLogin)
			} else if w := couchDo(f, "GET", "/_session?basic=true", "", tc.headers...); w.Code != 200 {
				t.Errorf("?basic=true signed in: %d", w.Code)
			}
			// Other methods (case 67).
			for _, m := range []string{"PUT", "PATCH", "OPTIONS"} {
				w := couchDo(f, m, "/_session", "")
				testkit.WantCouchError(t, w, 405, "method_not_allowed", "Only GET,HEAD,POST,DELETE allowed")
				if got := w.Header().Get("Allow"); got != "GET,HEAD,POST,DELETE" {
					t.Errorf("%s: Allow %q", m, got)
				}
			}
		})
	}
}

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
			w := couchDo(f, method, path, over, "Content-Type", "application/json", "Content-Encoding", "gzip", "Authorization", testkit.Basic("admin", "secret"))
			testkit.WantCouchError(t, w, http.StatusRequestEntityTooLarge, "too_large", "")
		}
		// Just under the limit is read: a wrong password.
		w := couchDo(f, "POST", "/_session", gzipped(t, manyKeys(bodyLimit-100)), "Content-Type", "application/json", "Content-Encoding", "gzip")
		testkit.WantCouchError(t, w, http.StatusUnauthorized, "unauthorized", wantBadPassword)
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
		alloc := testkit.AllocatedBy(func() { code = couchDo(f, "POST", "/_session", sent, headers...).Code })
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
		testkit.WantCouchError(t, couchDo(f, "POST", "/_session", tc.body, "Content-Type", "application/json"), http.StatusBadRequest, "bad_request", tc.reason)
	}
}
