package couchdb_test

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

// Server admins and auth settings at run time through /_membership and
// /_node/{node}/_config, as CouchDB 3.5.0 answered them
// (docs/reference/couchdb-3.5.0.md run 6, cases c1-c62).

const wantNode = "couchdb@127.0.0.1"

func TestMembershipAndNode(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{Profile: fakeserver.ProfileCouchDB35})
	want(t, couchDo(f, "GET", "/_membership", "", "Authorization", tAdminB), 200, `{"all_nodes":["couchdb@127.0.0.1"],"cluster_nodes":["couchdb@127.0.0.1"]}`)       // c1
	testkit.WantCouchError(t, couchDo(f, "GET", "/_membership", ""), 401, "unauthorized", wantNotAdmin)                                                              // c2
	testkit.WantCouchError(t, couchDo(f, "GET", "/_membership", "", "Authorization", tAliceB), 401, "unauthorized", wantNotAdmin)                                    // c3
	want(t, couchDo(f, "GET", "/_node/_local", "", "Authorization", tAdminB), 200, `{"name":"couchdb@127.0.0.1"}`)                                                   // c4
	want(t, couchDo(f, "GET", "/_node/"+wantNode, "", "Authorization", tAdminB), 200, `{"couchdb":"Welcome","uuid":"`)                                               // c5
	testkit.WantCouchError(t, couchDo(f, "GET", "/_node/bogus@nohost/_config/admins", "", "Authorization", tAdminB), 404, "not_found", "no such node: bogus@nohost") // c34
	testkit.WantCouchError(t, couchDo(f, "GET", "/_node/_local/_config/admins", "", "Authorization", tAliceB), 401, "unauthorized", wantNotAdmin)                    // c7
	testkit.WantCouchError(t, couchDo(f, "GET", "/_node/_local/_config/admins", ""), 401, "unauthorized", wantNotAdmin)                                              // c8
	testkit.WantCouchError(t, couchDo(f, "GET", "/_node/_local/_config/chttpd/require_valid_user", "", "Authorization", tAliceB), 401, "unauthorized", wantNotAdmin) // c62
}

// TestNodeMethods: /_node/_local answers its name to any method, a node's
// own name only GET and HEAD (run 7).
func TestNodeMethods(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{Profile: fakeserver.ProfileCouchDB35})
	for _, method := range []string{"POST", "PUT", "DELETE"} {
		want(t, couchDo(f, method, "/_node/_local", "", "Authorization", tAdminB, "Content-Type", jsonCT), 200, `{"name":"couchdb@127.0.0.1"}`)
		testkit.WantCouchError(t, couchDo(f, method, "/_node/"+wantNode, "", "Authorization", tAdminB, "Content-Type", jsonCT), 405, "method_not_allowed", "Only GET,HEAD allowed")
	}
	testkit.WantCouchError(t, couchDo(f, "POST", "/_node/_local", "", "Content-Type", jsonCT), 401, "unauthorized", wantNotAdmin)
}

func TestConfigAdminsAtRunTime(t *testing.T) {
	for _, p := range []fakeserver.Profile{fakeserver.ProfileDocumented, fakeserver.ProfileCouchDB35} {
		t.Run(string(p), func(t *testing.T) {
			f := newCouchFake(t, fakeserver.Options{Profile: p})
			put := func(path, body, auth string) *httptest.ResponseRecorder {
				return couchDo(f, "PUT", path, body, "Authorization", auth, "Content-Type", jsonCT)
			}
			// The seeded admin is listed with a stored hash, never the password (c6).
			w := couchDo(f, "GET", "/_node/_local/_config/admins", "", "Authorization", tAdminB)
			if w.Code != 200 || !regexp.MustCompile(`^\{"admin":"-pbkdf2:sha256-[0-9a-f]{64},[0-9a-f]{32},[0-9]+"\}$`).MatchString(strings.TrimSpace(w.Body.String())) {
				t.Fatalf("admins: %d %s", w.Code, w.Body)
			}
			testkit.WantCouchError(t, put("/_node/_local/_config/admins/carl", `"carlpw"`, tAliceB), 401, "unauthorized", wantNotAdmin) // c9
			want(t, put("/_node/"+wantNode+"/_config/admins/carl", `"carlpw"`, tAdminB), 200, `""`)                                     // c11: no previous value
			// The fake logs the new admin in at once (3.5.0 may need a moment: c12, c13).
			want(t, couchDo(f, "GET", "/_session", "", "Authorization", testkit.Basic("carl", "carlpw")), 200, `"userCtx":{"name":"carl","roles":["_admin"]}`)
			want(t, couchDo(f, "POST", "/_session", `{"name":"carl","password":"carlpw"}`, "Content-Type", jsonCT), 200, `{"ok":true,"name":"carl","roles":["_admin"]}`) // c14
			want(t, couchDo(f, "GET", "/_all_dbs", "", "Authorization", testkit.Basic("carl", "carlpw")), 200, `"_users"`)                                               // c17
			w = couchDo(f, "GET", "/_node/_local/_config/admins/carl", "", "Authorization", tAdminB)
			hash := strings.TrimSpace(w.Body.String())
			if w.Code != 200 || !strings.HasPrefix(hash, `"-pbkdf2:sha256-`) || strings.Contains(hash, "carlpw") { // c15
				t.Fatalf("admins/carl: %d %s", w.Code, w.Body)
			}
			want(t, put("/_node/_local/_config/admins/carl", `"carlpw2"`, tAdminB), 200, hash) // c18: the previous value
			testkit.WantCouchError(t, couchDo(f, "GET", "/_session", "", "Authorization", testkit.Basic("carl", "carlpw")), 401, "unauthorized", wantBadPassword)
			cookie := couchLogin(t, f, "carl", "carlpw2")
			w = couchDo(f, "DELETE", "/_node/_local/_config/admins/carl", "", "Authorization", tAdminB)
			want(t, w, 200, `"-pbkdf2:sha256-`)                                                                                                                    // c22
			testkit.WantCouchError(t, couchDo(f, "GET", "/_session", "", "Authorization", testkit.Basic("carl", "carlpw2")), 401, "unauthorized", wantBadPassword) // c23
			if name, _ := sessionName(t, couchDo(f, "GET", "/_session", "", "Cookie", "AuthSession="+cookie)); name != "" {                                        // c24
				t.Fatalf("the deleted admin's cookie still names %q", name)
			}
			testkit.WantCouchError(t, couchDo(f, "DELETE", "/_node/_local/_config/admins/carl", "", "Authorization", tAdminB), 404, "not_found", "unknown_config_value") // c25
			testkit.WantCouchError(t, couchDo(f, "GET", "/_node/_local/_config/admins/carl", "", "Authorization", tAdminB), 404, "not_found", "unknown_config_value")    // c26
			testkit.WantCouchError(t, put("/_node/_local/_config/admins/dan", `123`, tAdminB), 400, "bad_request", "a JSON string expected")                             // c27
			testkit.WantCouchError(t, put("/_node/_local/_config/admins/dan", `danpw`, tAdminB), 400, "bad_request", "invalid UTF-8 JSON")                               // c28
			testkit.WantCouchError(t, couchDo(f, "POST", "/_node/_local/_config/admins/carl", `"x"`, "Authorization", tAdminB, "Content-Type", jsonCT), 405, "method_not_allowed", "Only GET,PUT,DELETE allowed")
		})
	}
}

// TestConfigAdminReadyHash: a value already hashed as CouchDB stores
// admins is kept as given and logs in with its password (c31, c32).
func TestConfigAdminReadyHash(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{})
	const salt = "0123456789abcdef"
	stored := `-pbkdf2:sha256-` + pbkdf2Hex(t, sha256.New, 32, "erinpw", salt, 10) + "," + salt + ",10"
	want(t, couchDo(f, "PUT", "/_node/_local/_config/admins/erin", `"`+stored+`"`, "Authorization", tAdminB, "Content-Type", jsonCT), 200, `""`)
	want(t, couchDo(f, "GET", "/_node/_local/_config/admins/erin", "", "Authorization", tAdminB), 200, `"`+stored+`"`)
	if got := basicName(t, f, "erin", "erinpw"); got != "erin" {
		t.Fatalf("erin by her ready hash: %q", got)
	}
	if got := basicName(t, f, "erin", stored); got != "" {
		t.Fatalf("the stored hash itself logs in as %q", got)
	}
}

// TestConfigAdminSimpleHash: an admin stored in the deprecated "simple"
// form, "-hashed-" + hex(SHA-1(password + salt)) + "," + salt (as
// couch_passwords:hash_admin_password("simple", ...) writes it and
// couch_auth_cache:get_admin reads it), logs in with the password.
func TestConfigAdminSimpleHash(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{})
	const salt = "0123456789abcdef"
	sum := sha1.Sum([]byte("davepw" + salt))
	stored := "-hashed-" + hex.EncodeToString(sum[:]) + "," + salt
	want(t, couchDo(f, "PUT", "/_node/_local/_config/admins/dave", `"`+stored+`"`, "Authorization", tAdminB, "Content-Type", jsonCT), 200, `""`)
	if got := basicName(t, f, "dave", "davepw"); got != "dave" {
		t.Fatalf("dave by his simple hash: %q", got)
	}
}

// TestConfigAdminOverUserDoc: an admin made in config wins over a _users
// document of the same name, whose password logs in again once the admin
// is deleted.
func TestConfigAdminOverUserDoc(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{})
	want(t, couchDo(f, "PUT", "/_node/_local/_config/admins/alice", `"adminpw"`, "Authorization", tAdminB, "Content-Type", jsonCT), 200, `""`)
	want(t, couchDo(f, "GET", "/_session", "", "Authorization", testkit.Basic("alice", "adminpw")), 200, `"roles":["_admin"]`)
	want(t, couchDo(f, "DELETE", "/_node/_local/_config/admins/alice", "", "Authorization", tAdminB), 200, `"-pbkdf2:`)
	want(t, couchDo(f, "GET", "/_session", "", "Authorization", tAliceB), 200, `"userCtx":{"name":"alice","roles":["reader"]}`)
}

func TestConfigSettingsAtRunTime(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{Profile: fakeserver.ProfileCouchDB35})
	put := func(key, body string) *httptest.ResponseRecorder {
		return couchDo(f, "PUT", "/_node/_local/_config/"+key, body, "Authorization", tAdminB, "Content-Type", jsonCT)
	}
	del := func(key string) *httptest.ResponseRecorder {
		return couchDo(f, "DELETE", "/_node/_local/_config/"+key, "", "Authorization", tAdminB)
	}
	// Defaults are not config values (c36, c37, c39); a known section is {} (c38).
	testkit.WantCouchError(t, couchDo(f, "GET", "/_node/_local/_config/chttpd/require_valid_user", "", "Authorization", tAdminB), 404, "not_found", "unknown_config_value")
	testkit.WantCouchError(t, couchDo(f, "GET", "/_node/_local/_config/chttpd_auth/timeout", "", "Authorization", tAdminB), 404, "not_found", "unknown_config_value")
	want(t, couchDo(f, "GET", "/_node/_local/_config/chttpd_auth_lockout", "", "Authorization", tAdminB), 200, `{}`)

	// [chttpd_auth] timeout (c43-c46).
	want(t, put("chttpd_auth/timeout", `"60"`), 200, `""`)
	w := couchDo(f, "POST", "/_session", `{"name":"alice","password":"alicepw"}`, "Content-Type", jsonCT)
	if ck := setCookie(t, w); ck == nil || ck.MaxAge != 60 {
		t.Fatalf("login with timeout 60: Set-Cookie %q", w.Header().Values("Set-Cookie"))
	}
	testkit.WantCouchError(t, put("chttpd_auth/timeout", `60`), 400, "bad_request", "a JSON string expected")
	want(t, del("chttpd_auth/timeout"), 200, `"60"`)
	w = couchDo(f, "POST", "/_session", `{"name":"alice","password":"alicepw"}`, "Content-Type", jsonCT)
	if ck := setCookie(t, w); ck == nil || ck.MaxAge != 600 {
		t.Fatalf("login after the timeout was deleted: Set-Cookie %q", w.Header().Values("Set-Cookie"))
	}

	// [chttpd] require_valid_user (c47-c51).
	want(t, put("chttpd/require_valid_user", `"true"`), 200, `""`)
	w = couchDo(f, "GET", "/", "")
	testkit.WantCouchError(t, w, 401, "unauthorized", wantAuthRequired)
	if got := w.Header().Get("WWW-Authenticate"); got != `Basic realm="server"` {
		t.Fatalf("WWW-Authenticate %q", got)
	}
	want(t, put("chttpd/require_valid_user", `"false"`), 200, `"true"`)
	want(t, couchDo(f, "GET", "/", ""), 200, `"couchdb":"Welcome"`)
	want(t, del("chttpd/require_valid_user"), 200, `"false"`)

	// [chttpd_auth_lockout] threshold and mode (c52-c59).
	want(t, put("chttpd_auth_lockout/threshold", `"2"`), 200, `""`)
	for i := 0; i < 2; i++ {
		testkit.WantCouchError(t, couchDo(f, "GET", "/_session", "", "Authorization", testkit.Basic("alice", "wrong")), 401, "unauthorized", wantBadPassword)
	}
	testkit.WantCouchError(t, couchDo(f, "GET", "/_session", "", "Authorization", tAliceB), 403, "forbidden", wantLocked)
	want(t, put("chttpd_auth_lockout/mode", `"off"`), 200, `""`)
	want(t, couchDo(f, "GET", "/_session", "", "Authorization", tAliceB), 200, `"name":"alice"`)
	want(t, del("chttpd_auth_lockout/mode"), 200, `"off"`)
	want(t, couchDo(f, "GET", "/_node/_local/_config/chttpd_auth_lockout", "", "Authorization", tAdminB), 200, `{"threshold":"2"}`)
	want(t, del("chttpd_auth_lockout/threshold"), 200, `"2"`)

	// What the fake cannot use is a 400 that says so; what it leaves out a 404.
	testkit.WantCouchError(t, put("chttpd_auth/timeout", `"soon"`), 400, "bad_request", "[chttpd_auth] timeout must be a whole number of seconds above 0 in authconform's fake")
	testkit.WantCouchError(t, put("chttpd_auth_lockout/mode", `"maybe"`), 400, "bad_request", `[chttpd_auth_lockout] mode must be "enforce", "warn" or "off"`)
	for _, path := range []string{"/_node/_local/_config", "/_node/_local/_config/couchdb/max_document_size", "/_node/_local/_config/chttpd/port", "/_node/_local/_stats"} {
		w := couchDo(f, "GET", path, "", "Authorization", tAdminB)
		testkit.WantCouchError(t, w, http.StatusNotFound, "not_found", "")
		if !strings.Contains(w.Body.String(), "authconform's CouchDB fake does not implement") {
			t.Fatalf("GET %s: %s does not say the fake leaves it out", path, w.Body)
		}
	}
}

// TestConfigLockoutLifetime: [chttpd_auth_lockout] max_lifetime is in
// milliseconds (CouchDB's default.ini: 300000, the 5 minutes a lock
// lasts); the fake refuses what it cannot use with a 400 that says so.
func TestConfigLockoutLifetime(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{Profile: fakeserver.ProfileCouchDB35})
	put := func(key, body string) *httptest.ResponseRecorder {
		return couchDo(f, "PUT", "/_node/_local/_config/chttpd_auth_lockout/"+key, body, "Authorization", tAdminB, "Content-Type", jsonCT)
	}
	for _, bad := range []string{`"0"`, `"-5"`, `"soon"`} {
		testkit.WantCouchError(t, put("max_lifetime", bad), 400, "bad_request", "[chttpd_auth_lockout] max_lifetime must be a whole number of milliseconds above 0 in authconform's fake")
	}
	want(t, put("max_lifetime", `"1"`), 200, `""`)
	want(t, put("max_lifetime", `"60000"`), 200, `"1"`)
	want(t, put("threshold", `"2"`), 200, `""`)
	for i := 0; i < 2; i++ {
		testkit.WantCouchError(t, couchDo(f, "GET", "/_session", "", "Authorization", testkit.Basic("alice", "wrong")), 401, "unauthorized", wantBadPassword)
	}
	f.Advance(59 * time.Second)
	testkit.WantCouchError(t, couchDo(f, "GET", "/_session", "", "Authorization", tAliceB), 403, "forbidden", wantLocked)
	f.Advance(2 * time.Second)
	want(t, couchDo(f, "GET", "/_session", "", "Authorization", tAliceB), 200, `"name":"alice"`)
}

// TestConfigLockoutOnAReleaseWithoutOne: 3.3.3 keeps the
// [chttpd_auth_lockout] settings but has no lockout to apply them.
func TestConfigLockoutOnAReleaseWithoutOne(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{Profile: fakeserver.ProfileCouchDB33})
	want(t, couchDo(f, "PUT", "/_node/_local/_config/chttpd_auth_lockout/threshold", `"1"`, "Authorization", tAdminB, "Content-Type", jsonCT), 200, `""`)
	for i := 0; i < 3; i++ {
		testkit.WantCouchError(t, couchDo(f, "GET", "/_session", "", "Authorization", testkit.Basic("alice", "wrong")), 401, "unauthorized", wantBadPassword)
	}
	want(t, couchDo(f, "GET", "/_session", "", "Authorization", tAliceB), 200, `"name":"alice"`)
}
