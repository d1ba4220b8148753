package couchdb_test

import (
	"crypto/pbkdf2"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"github.com/authconform/authconform/fakeserver/internal/testkit"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/authconform/authconform/fakeserver"
)

// What each release profile shows where the releases differ, with the
// values measured on the real releases (docs/reference/
// couchdb-releases.md), written here as literals so that a changed table
// in the fake fails these tests.

func TestReleaseIdentity(t *testing.T) {
	for _, tc := range []struct {
		profile           fakeserver.Profile
		version, sha, srv string
		quickjs           bool
	}{
		{fakeserver.ProfileCouchDB33, "3.3.3", "40afbcf", "CouchDB/3.3.3 (Erlang OTP/25)", false},
		{fakeserver.ProfileCouchDB34, "3.4.3", "e12b967", "CouchDB/3.4.3 (Erlang OTP/25)", true},
		{fakeserver.ProfileCouchDB35, "3.5.0", "11f0d36", "CouchDB/3.5.0 (Erlang OTP/25)", true},
	} {
		t.Run(string(tc.profile), func(t *testing.T) {
			w := couchDo(newCouchFake(t, fakeserver.Options{Profile: tc.profile}), "GET", "/", "")
			var root struct {
				Version  string   `json:"version"`
				GitSHA   string   `json:"git_sha"`
				Features []string `json:"features"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &root); err != nil || w.Code != http.StatusOK {
				t.Fatalf("GET /: %d %s", w.Code, w.Body)
			}
			if root.Version != tc.version || root.GitSHA != tc.sha || w.Header().Get("Server") != tc.srv {
				t.Errorf("version %q git_sha %q Server %q, want %q %q %q", root.Version, root.GitSHA, w.Header().Get("Server"), tc.version, tc.sha, tc.srv)
			}
			if slices.Contains(root.Features, "quickjs") != tc.quickjs || !slices.Contains(root.Features, "scheduler") {
				t.Errorf("features %v, quickjs want %v", root.Features, tc.quickjs)
			}
		})
	}
}

// TestReleaseLockout: 3.3.3 has no lockout (six wrong passwords, all 401,
// then the right one 200); 3.4.3 locks after five, as 3.5.0.
func TestReleaseLockout(t *testing.T) {
	for profile, locks := range map[fakeserver.Profile]bool{fakeserver.ProfileCouchDB33: false, fakeserver.ProfileCouchDB34: true, fakeserver.ProfileCouchDB35: true} {
		t.Run(string(profile), func(t *testing.T) {
			f := newCouchFake(t, fakeserver.Options{Profile: profile})
			for i := 1; i <= 6; i++ {
				w := couchDo(f, "GET", "/_session", "", "Authorization", testkit.Basic("alice", "wrong"))
				want := http.StatusUnauthorized
				if locks && i == 6 {
					want = http.StatusForbidden
				}
				if w.Code != want {
					t.Fatalf("wrong password %d: status %d, want %d", i, w.Code, want)
				}
			}
			w := couchDo(f, "GET", "/_session", "", "Authorization", testkit.Basic("alice", "alicepw"))
			if locked := w.Code == http.StatusForbidden; locked != locks || (!locks && w.Code != http.StatusOK) {
				t.Errorf("right password after six failures: %d %s, locked want %v", w.Code, w.Body, locks)
			}
		})
	}
}

// TestReleaseStoredHash: 3.3.3 stores PBKDF2-SHA1 (20-byte key, 10
// iterations) without pbkdf2_prf; 3.4.3 and 3.5.0 write pbkdf2_prf
// sha256.
func TestReleaseStoredHash(t *testing.T) {
	for profile, wantPRF := range map[fakeserver.Profile]string{fakeserver.ProfileCouchDB33: "", fakeserver.ProfileCouchDB34: "sha256", fakeserver.ProfileCouchDB35: "sha256"} {
		t.Run(string(profile), func(t *testing.T) {
			f := newCouchFake(t, fakeserver.Options{Profile: profile})
			putUserJSON(t, f, "bob", `{"name":"bob","password":"bobpw","roles":[],"type":"user"}`, http.StatusCreated)
			stored := getUserDoc(t, f, "bob")
			prf, hasPRF := stored["pbkdf2_prf"]
			if (wantPRF == "") == hasPRF || (hasPRF && prf != wantPRF) {
				t.Fatalf("pbkdf2_prf %v (present %v), want %q", prf, hasPRF, wantPRF)
			}
			if stored["password_scheme"] != "pbkdf2" {
				t.Fatalf("stored %v", stored)
			}
			if wantPRF == "" {
				salt, _ := stored["salt"].(string)
				key, _ := pbkdf2.Key(sha1.New, "bobpw", []byte(salt), 10, 20)
				if stored["derived_key"] != hex.EncodeToString(key) || stored["iterations"] != float64(10) {
					t.Errorf("3.3 hash %v, want PBKDF2-SHA1 with 10 iterations, key %x", stored, key)
				}
			}
		})
	}
}

// The simple+pbkdf2 document of the fixture couchdb/password-scheme-simple-
// pbkdf2, its key computed outside the fake (Python hashlib).
const legacyDoc = `{"name":"carol","roles":[],"type":"user","password_scheme":"simple+pbkdf2","pbkdf2_prf":"sha256","salt":"0a1b2c3d4e5f60718293a4b5c6d7e8f9","iterations":10,"derived_key":"df332657c90d4753f9a04f5a521c378bd9bb9443612555589e3ed762e2902f65"}`

func TestReleasePasswordSchemes(t *testing.T) {
	t.Run("3.5 takes simple+pbkdf2 and checks the password", func(t *testing.T) {
		for _, p := range []fakeserver.Profile{fakeserver.ProfileDocumented, fakeserver.ProfileCouchDB35} {
			f := newCouchFake(t, fakeserver.Options{Profile: p})
			putUserJSON(t, f, "carol", legacyDoc, http.StatusCreated)
			if w := couchDo(f, "GET", "/_session", "", "Authorization", testkit.Basic("carol", "authconform-legacy-pw1")); w.Code != http.StatusOK {
				t.Errorf("%s: right password %d %s", p, w.Code, w.Body)
			}
			if w := couchDo(f, "GET", "/_session", "", "Authorization", testkit.Basic("carol", "authconform-legacy-pw2")); w.Code != http.StatusUnauthorized {
				t.Errorf("%s: wrong password %d %s", p, w.Code, w.Body)
			}
		}
	})
	for _, p := range []fakeserver.Profile{fakeserver.ProfileCouchDB33, fakeserver.ProfileCouchDB34} {
		t.Run(string(p)+" refuses simple+pbkdf2", func(t *testing.T) {
			w := putUserJSONReply(newCouchFake(t, fakeserver.Options{Profile: p}), "carol", legacyDoc)
			testkit.WantCouchError(t, w, http.StatusForbidden, "forbidden", "Password scheme `simple+pbkdf2` not supported.")
		})
	}
	bcrypt := `{"name":"dave","roles":[],"type":"user","password_scheme":"bcrypt","salt":"00","derived_key":"00"}`
	for p, want := range map[fakeserver.Profile]int{fakeserver.ProfileCouchDB33: http.StatusCreated, fakeserver.ProfileCouchDB34: http.StatusForbidden, fakeserver.ProfileCouchDB35: http.StatusForbidden} {
		t.Run(string(p)+" bcrypt", func(t *testing.T) {
			w := putUserJSONReply(newCouchFake(t, fakeserver.Options{Profile: p}), "dave", bcrypt)
			if w.Code != want {
				t.Fatalf("bcrypt document: %d %s, want %d", w.Code, w.Body, want)
			}
			if want == http.StatusForbidden {
				testkit.WantCouchError(t, w, http.StatusForbidden, "forbidden", "Password scheme `bcrypt` not supported.")
			}
		})
	}
	t.Run("pbkdf2 needs numeric iterations and a string key", func(t *testing.T) {
		f := newCouchFake(t, fakeserver.Options{})
		testkit.WantCouchError(t, putUserJSONReply(f, "erin", `{"name":"erin","roles":[],"type":"user","password_scheme":"pbkdf2","iterations":null,"derived_key":"00","salt":"00"}`), http.StatusForbidden, "forbidden", "iterations must be a number.")
		testkit.WantCouchError(t, putUserJSONReply(f, "erin", `{"name":"erin","roles":[],"type":"user","password_scheme":"pbkdf2","iterations":"10","derived_key":"00","salt":"00"}`), http.StatusForbidden, "forbidden", "iterations must be a number.")
		testkit.WantCouchError(t, putUserJSONReply(f, "erin", `{"name":"erin","roles":[],"type":"user","password_scheme":"pbkdf2","iterations":10,"derived_key":7,"salt":"00"}`), http.StatusForbidden, "forbidden", "derived_key must be a string.")
	})
	t.Run("a password wins over the scheme", func(t *testing.T) {
		f := newCouchFake(t, fakeserver.Options{Profile: fakeserver.ProfileCouchDB34})
		putUserJSON(t, f, "fred", `{"name":"fred","password":"fredpw","password_scheme":"simple+pbkdf2","roles":[],"type":"user"}`, http.StatusCreated)
	})
}

func putUserJSONReply(h http.Handler, name, doc string) *httptest.ResponseRecorder {
	return couchDo(h, "PUT", "/_users/org.couchdb.user:"+name, doc, "Authorization", testkit.Basic("admin", "secret"), "Content-Type", "application/json")
}

func putUserJSON(t *testing.T, h http.Handler, name, doc string, want int) *httptest.ResponseRecorder {
	t.Helper()
	w := putUserJSONReply(h, name, doc)
	if w.Code != want {
		t.Fatalf("PUT user %s: %d %s, want %d", name, w.Code, w.Body, want)
	}
	return w
}

func getUserDoc(t *testing.T, h http.Handler, name string) map[string]any {
	t.Helper()
	w := couchDo(h, "GET", "/_users/org.couchdb.user:"+name, "", "Authorization", testkit.Basic("admin", "secret"))
	var doc map[string]any
	if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &doc) != nil {
		t.Fatalf("GET user %s: %d %s", name, w.Code, w.Body)
	}
	return doc
}

// TestReleaseCrashes: the 500s are the same Erlang errors on each release,
// with the stack hashes measured on it.
func TestReleaseCrashes(t *testing.T) {
	for _, tc := range []struct {
		profile                        fakeserver.Profile
		basicBadArg, badMatch, nameArg string
	}{
		{fakeserver.ProfileCouchDB33, "3327471441", "3445472471", "2389025105"},
		{fakeserver.ProfileCouchDB34, "2028335178", "2585218030", "1860866502"},
		{fakeserver.ProfileCouchDB35, "2650020842", "1655787678", "4060413535"},
	} {
		t.Run(string(tc.profile), func(t *testing.T) {
			f := newCouchFake(t, fakeserver.Options{Profile: tc.profile})
			for _, c := range []struct {
				w                   *httptest.ResponseRecorder
				error, reason, hash string
			}{
				{couchDo(f, "GET", "/_session", "", "Authorization", "Basic not-base64!!!"), "unknown_error", "badarg", tc.basicBadArg},
				{couchDo(f, "POST", "/_session", "null", "Content-Type", "application/json"), "unknown_error", "badmatch", tc.badMatch},
				{couchDo(f, "POST", "/_session", "[]", "Content-Type", "application/json"), "badmatch", "", tc.badMatch},
				{couchDo(f, "POST", "/_session", `{"name":1,"password":"x"}`, "Content-Type", "application/json"), "unknown_error", "badarg", tc.nameArg},
			} {
				want := `{"error":"` + c.error + `","reason":"` + c.reason + `","ref":` + c.hash + "}\n"
				if c.w.Code != http.StatusInternalServerError || c.w.Body.String() != want || c.w.Header().Get("X-Couch-Stack-Hash") != c.hash {
					t.Errorf("%d %q X-Couch-Stack-Hash %q, want 500 %q %s", c.w.Code, c.w.Body, c.w.Header().Get("X-Couch-Stack-Hash"), want, c.hash)
				}
			}
		})
	}
}
