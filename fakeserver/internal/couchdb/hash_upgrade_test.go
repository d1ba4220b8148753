package couchdb_test

import (
	"github.com/authconform/authconform/fakeserver/internal/testkit"
	"net/http"
	"testing"

	"github.com/authconform/authconform/fakeserver"
)

// The old hash of the fixture couchdb/hash-upgrade-on-login: PBKDF2-SHA1
// of authconform-upgrade-pw1, 10 iterations, no pbkdf2_prf (as 3.3 writes
// it), its key computed outside the fake (Python hashlib).
const oldHashDoc = `{"name":"gus","roles":["staff"],"type":"user","password_scheme":"pbkdf2","salt":"6f1b2c3d4e5f60718293a4b5c6d7e8f9","iterations":10,"derived_key":"ae2b76c80596d2add10d168da7b3dd98499ce6d7"}`

// TestHashUpgradeOnLogin: 3.5.0 (and the documented profile, which follows
// it where the document is silent) rewrites an old hash after a login by
// Basic or by POST /_session, keeping the salt and the sessions; 3.4.3 and
// 3.3.3 leave the document as it was.
func TestHashUpgradeOnLogin(t *testing.T) {
	// Each login returns its status and the session cookie it set.
	logins := map[string]func(h http.Handler) (int, string){
		"Basic": func(h http.Handler) (int, string) {
			return couchDo(h, "GET", "/_session", "", "Authorization", testkit.Basic("gus", "authconform-upgrade-pw1")).Code, ""
		},
		"POST /_session": func(h http.Handler) (int, string) {
			w := couchDo(h, "POST", "/_session", "name=gus&password=authconform-upgrade-pw1", "Content-Type", formCT)
			for _, ck := range w.Result().Cookies() {
				if ck.Name == "AuthSession" {
					return w.Code, ck.Value
				}
			}
			return w.Code, ""
		},
	}
	for _, tc := range []struct {
		profile  fakeserver.Profile
		upgrades bool
	}{
		{fakeserver.ProfileDocumented, true},
		{fakeserver.ProfileCouchDB35, true},
		{fakeserver.ProfileCouchDB34, false},
		{fakeserver.ProfileCouchDB33, false},
	} {
		for how, login := range logins {
			t.Run(string(tc.profile)+"/"+how, func(t *testing.T) {
				f := newCouchFake(t, fakeserver.Options{Profile: tc.profile})
				putUserJSON(t, f, "gus", oldHashDoc, http.StatusCreated)
				before := getUserDoc(t, f, "gus")
				code, cookie := login(f)
				if code != http.StatusOK {
					t.Fatalf("login: %d", code)
				}
				after := getUserDoc(t, f, "gus")
				if !tc.upgrades {
					if after["_rev"] != before["_rev"] || after["derived_key"] != before["derived_key"] || after["pbkdf2_prf"] != nil {
						t.Fatalf("document changed on login: %v -> %v", before, after)
					}
					return
				}
				if after["pbkdf2_prf"] != "sha256" || after["salt"] != "6f1b2c3d4e5f60718293a4b5c6d7e8f9" || after["derived_key"] == before["derived_key"] || after["_rev"] == before["_rev"] {
					t.Fatalf("not upgraded with the salt kept: %v -> %v", before, after)
				}
				if code, _ := login(f); code != http.StatusOK {
					t.Errorf("login after the upgrade: %d", code)
				}
				if code := couchDo(f, "GET", "/_session", "", "Authorization", testkit.Basic("gus", "wrong")).Code; code != http.StatusUnauthorized {
					t.Errorf("wrong password after the upgrade: %d", code)
				}
				if cookie != "" {
					if name, _ := sessionName(t, couchDo(f, "GET", "/_session", "", "Cookie", "AuthSession="+cookie)); name != "gus" {
						t.Errorf("the session of the upgrading login ended (user %q)", name)
					}
				}
				if again := getUserDoc(t, f, "gus"); again["_rev"] != after["_rev"] {
					t.Errorf("a current hash was upgraded again: %v -> %v", after["_rev"], again["_rev"])
				}
			})
		}
	}
}

// TestHashUpgradeSkips: a failed login, a current hash and a server admin
// leave the documents alone.
func TestHashUpgradeSkips(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{Profile: fakeserver.ProfileCouchDB35})
	putUserJSON(t, f, "gus", oldHashDoc, http.StatusCreated)
	before := getUserDoc(t, f, "gus")
	couchDo(f, "GET", "/_session", "", "Authorization", testkit.Basic("gus", "wrong"))
	if after := getUserDoc(t, f, "gus"); after["_rev"] != before["_rev"] {
		t.Errorf("a failed login upgraded the hash: %v", after)
	}
	alice := getUserDoc(t, f, "alice")
	couchLogin(t, f, "alice", "alicepw")
	if after := getUserDoc(t, f, "alice"); after["_rev"] != alice["_rev"] {
		t.Errorf("a current hash was rewritten: %v -> %v", alice, after)
	}
}
