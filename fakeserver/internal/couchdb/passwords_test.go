package couchdb_test

import (
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

// A _users document stored with a ready hash and no "password" logs in
// with the password the hash was made from, as on CouchDB 3.5.0
// (couch_httpd_auth:authenticate_int). The hashes here are computed by the
// test with the standard library, as CouchDB defines them: PBKDF2 over the
// salt's bytes, hex, as long as the prf's output; "simple" is
// hex(SHA-1(password + salt)).

func pbkdf2Hex(t *testing.T, h func() hash.Hash, size int, password, salt string, iterations int) string {
	t.Helper()
	key, err := pbkdf2.Key(h, password, []byte(salt), iterations, size)
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(key)
}

func putUserDoc(f *fakeserver.Fake, name, rev, hashFields string) *httptest.ResponseRecorder {
	body := `{` + hashFields + `,"name":"` + name + `","roles":["staff"],"type":"user"`
	if rev != "" {
		body += `,"_rev":"` + rev + `"`
	}
	return couchDo(f, "PUT", "/_users/org.couchdb.user:"+name, body+"}", "Authorization", tAdminB, "Content-Type", jsonCT)
}

func basicName(t *testing.T, f *fakeserver.Fake, name, password string) string {
	t.Helper()
	w := couchDo(f, "GET", "/_session", "", "Authorization", testkit.Basic(name, password))
	if w.Code == 401 {
		return ""
	}
	got, _ := sessionName(t, w)
	return got
}

func TestUsersReadyHashLogsIn(t *testing.T) {
	const salt = "4f3b2a1c9d8e7f6a5b4c3d2e1f0a9b8c"
	tests := []struct {
		name, fields string
	}{
		{"pbkdf2-sha256", fmt.Sprintf(`"password_scheme":"pbkdf2","pbkdf2_prf":"sha256","salt":%q,"iterations":1000,"derived_key":%q`,
			salt, pbkdf2Hex(t, sha256.New, 32, "carolpw", salt, 1000))},
		{"pbkdf2-sha512", fmt.Sprintf(`"password_scheme":"pbkdf2","pbkdf2_prf":"sha512","salt":%q,"iterations":3,"derived_key":%q`,
			salt, pbkdf2Hex(t, sha512.New, 64, "carolpw", salt, 3))},
		// No prf: CouchDB's default, sha.
		{"pbkdf2-default-prf", fmt.Sprintf(`"password_scheme":"pbkdf2","salt":%q,"iterations":20,"derived_key":%q`,
			salt, pbkdf2Hex(t, sha1.New, 20, "carolpw", salt, 20))},
		{"simple", fmt.Sprintf(`"password_scheme":"simple","salt":%q,"password_sha":%q`, salt, sha1Hex("carolpw"+salt))},
		// No scheme at all is "simple" to CouchDB.
		{"no-scheme", fmt.Sprintf(`"salt":%q,"password_sha":%q`, salt, sha1Hex("carolpw"+salt))},
	}
	for _, p := range []fakeserver.Profile{fakeserver.ProfileDocumented, fakeserver.ProfileCouchDB35} {
		for _, tc := range tests {
			t.Run(string(p)+"/"+tc.name, func(t *testing.T) {
				f := newCouchFake(t, fakeserver.Options{Profile: p})
				want(t, putUserDoc(f, "carol", "", tc.fields), 201, `"id":"org.couchdb.user:carol"`)
				if got := basicName(t, f, "carol", "carolpw"); got != "carol" {
					t.Fatalf("carol by Basic: %q, want carol", got)
				}
				couchLogin(t, f, "carol", "carolpw")
				if got := basicName(t, f, "carol", "carolpw "); got != "" {
					t.Fatalf("a wrong password logs in as %q", got)
				}
				w := couchDo(f, "GET", "/_users/org.couchdb.user:carol", "", "Authorization", tAdminB)
				want(t, w, 200, `"salt":"`+salt+`"`) // stored as given
			})
		}
	}
}

func sha1Hex(s string) string {
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// TestUsersReadyHashRefusals: hashes that do not match log no one in
// (401); a prf or iteration count CouchDB will not check is a 403 with its
// reason (run 6, h13-h24), and the fake never spends minutes on one.
func TestUsersReadyHashRefusals(t *testing.T) {
	const salt = "abc"
	good := pbkdf2Hex(t, sha256.New, 32, "carolpw", salt, 5)
	fields := func(prf string, saltValue string, iterations int, key string) string {
		return fmt.Sprintf(`"password_scheme":"pbkdf2","pbkdf2_prf":%q,"salt":%q,"iterations":%d,"derived_key":%q`, prf, saltValue, iterations, key)
	}
	for _, tc := range []struct {
		name, fields string
		status       int
		couch, why   string
	}{
		{"upper-case key", fields("sha256", salt, 5, strings.ToUpper(good)), 401, "unauthorized", wantBadPassword},
		{"other salt", fields("sha256", "abd", 5, good), 401, "unauthorized", wantBadPassword},
		{"other iterations", fields("sha256", salt, 6, good), 401, "unauthorized", wantBadPassword},
		{"unknown prf", fields("md5", salt, 5, good), 403, "forbidden", "PRF is invalid"},
		{"too many iterations", fields("sha256", salt, 2000000000, good), 403, "forbidden", "Iteration count is too high for this server"},
		{"no iterations", fields("sha256", salt, 0, good), 403, "forbidden", "Iteration count is too low for this server"},
		{"simple without sha", fmt.Sprintf(`"password_scheme":"simple","salt":%q`, salt), 401, "unauthorized", wantBadPassword},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newCouchFake(t, fakeserver.Options{})
			want(t, putUserDoc(f, "carol", "", tc.fields), 201, `"ok":true`)
			testkit.WantCouchError(t, couchDo(f, "GET", "/_session", "", "Authorization", testkit.Basic("carol", "carolpw")), tc.status, tc.couch, tc.why)
			testkit.WantCouchError(t, couchDo(f, "POST", "/_session", `{"name":"carol","password":"carolpw"}`, "Content-Type", jsonCT), tc.status, tc.couch, tc.why)
		})
	}
}

// TestUsersHashFieldsValidated: the _users design document of 3.5.0 refuses
// these hash fields (run 6, h7, h17, h19).
func TestUsersHashFieldsValidated(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{})
	for fields, reason := range map[string]string{
		`"password_scheme":"pbkdf2","salt":"s","derived_key":"00"`:                  "iterations must be a number.",
		`"password_scheme":"pbkdf2","salt":"s","iterations":"5","derived_key":"00"`: "iterations must be a number.",
		`"password_scheme":"pbkdf2","salt":"s","iterations":5,"derived_key":5`:      "derived_key must be a string.",
		`"password_scheme":"bcrypt","salt":"s","iterations":5,"derived_key":"00"`:   "Password scheme `bcrypt` not supported.",
		`"password_scheme":"simple","password_sha":"00"`:                            "Users with password_sha must have a salt.See /_utils/script/couch.js for example code.",
	} {
		testkit.WantCouchError(t, putUserDoc(f, "carol", "", fields), 403, "forbidden", reason)
	}
}

// TestUsersSaltIsJudgedAsJavaScriptDoes: the _users validation reads
// `newDoc.password_sha && !newDoc.salt` (couch_js_functions.hrl), so a
// salt that is 0, null or empty counts as none.
func TestUsersSaltIsJudgedAsJavaScriptDoes(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{})
	for _, salt := range []string{`0`, `null`, `""`, `false`} {
		testkit.WantCouchError(t, putUserDoc(f, "carol", "", `"password_scheme":"simple","password_sha":"00","salt":`+salt), 403, "forbidden",
			"Users with password_sha must have a salt.See /_utils/script/couch.js for example code.")
	}
}

// TestUsersCopiedDocumentLogsIn: a stored user copied under another name
// (how apps rename users) logs in with the original's password.
func TestUsersCopiedDocumentLogsIn(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{})
	revOf(t, putUser(f, "bob", "bobpw", `["staff"]`))
	w := couchDo(f, "GET", "/_users/org.couchdb.user:bob", "", "Authorization", tAdminB)
	var doc map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	delete(doc, "_rev")
	doc["_id"], doc["name"] = "org.couchdb.user:robert", "robert"
	body, _ := json.Marshal(doc)
	want(t, couchDo(f, "PUT", "/_users/org.couchdb.user:robert", string(body), "Authorization", tAdminB, "Content-Type", jsonCT), 201, `"ok":true`)
	if got := basicName(t, f, "robert", "bobpw"); got != "robert" {
		t.Fatalf("the copy logs in as %q, want robert", got)
	}
}

// TestUsersChangedHashEndsSessions: a new hash with a new salt ends the
// user's cookies and the old password, even once it was verified and
// cached; the same hash with other roles keeps them (CouchDB keys both
// the session cookie and its credential cache by the salt).
func TestUsersChangedHashEndsSessions(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{Profile: fakeserver.ProfileCouchDB35})
	hashFields := func(password, salt string) string {
		// 10 iterations, the fake's own: fewer would be upgraded on login
		// (TestHashUpgradeOnLogin), with a new revision.
		return fmt.Sprintf(`"password_scheme":"pbkdf2","pbkdf2_prf":"sha256","salt":%q,"iterations":10,"derived_key":%q`,
			salt, pbkdf2Hex(t, sha256.New, 32, password, salt, 10))
	}
	rev := revOf(t, putUserDoc(f, "carol", "", hashFields("oldpw", "salt1")))
	cookie := couchLogin(t, f, "carol", "oldpw")
	if got := basicName(t, f, "carol", "oldpw"); got != "carol" { // now cached
		t.Fatalf("carol/oldpw: %q", got)
	}

	rev = revOf(t, putUserDoc(f, "carol", rev, hashFields("oldpw", "salt1")))
	if name, _ := sessionName(t, couchDo(f, "GET", "/_session", "", "Cookie", "AuthSession="+cookie)); name != "carol" {
		t.Fatalf("an update with the same hash ended the session (cookie names %q)", name)
	}

	revOf(t, putUserDoc(f, "carol", rev, hashFields("newpw", "salt2")))
	if name, _ := sessionName(t, couchDo(f, "GET", "/_session", "", "Cookie", "AuthSession="+cookie)); name != "" {
		t.Fatalf("the old cookie still names %q after the hash changed", name)
	}
	if got := basicName(t, f, "carol", "oldpw"); got != "" {
		t.Fatalf("the old password still logs in as %q", got)
	}
	if got := basicName(t, f, "carol", "newpw"); got != "carol" {
		t.Fatalf("the new password: %q", got)
	}
}
