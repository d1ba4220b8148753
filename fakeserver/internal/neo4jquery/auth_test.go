package neo4jquery

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/authconform/authconform/fakeserver/internal/core"
	"github.com/authconform/authconform/fakeserver/internal/neo4jwire"
	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

// TestCheckTokenComparesEveryTokenByDigest: a known, an unknown, a shorter,
// a longer and an empty token all cost one digest comparison per
// configured token, each through core.SameSecret, so a caller can tell
// neither which tokens exist nor their length.
func TestCheckTokenComparesEveryTokenByDigest(t *testing.T) {
	n, err := New(Config{Accounts: neo4jwire.Accounts{Clock: core.NewClock(testkit.ClockAt(testkit.FuzzDay()))}, Tokens: []Token{
		{Token: "first-token", User: "neo4j"}, {Token: "second", User: "neo4j"}, {Token: "a-much-longer-third-token", User: "neo4j"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	n.sameToken = func(a, b string) bool { calls++; return core.SameSecretString(a, b) }
	for token, want := range map[string]bool{"first-token": true, "second": true, "first-tokeX": false, "f": false,
		"first-token-and-more": false, "": false} {
		calls = 0
		if _, ok := n.checkToken(token, testkit.FuzzDay()); ok != want {
			t.Errorf("checkToken(%q) = %v, want %v", token, ok, want)
		}
		if calls != len(n.tokens) {
			t.Errorf("checkToken(%q): %d comparisons, want %d (one per token)", token, calls, len(n.tokens))
		}
	}
}

// FuzzNeo4jQueryAuthorization runs the Query API's header parser in both
// profiles, and the two base64 decoders behind it.
func FuzzNeo4jQueryAuthorization(f *testing.F) {
	testkit.AddAuthHeaders(f)
	flavors := map[string]*Server{}
	for p, release := range map[string]bool{"documented": false, "neo4j-5": true} {
		fl, err := New(Config{Release: release, Accounts: neo4jwire.Accounts{Clock: core.NewClock(testkit.ClockAt(testkit.FuzzDay()))}})
		if err != nil {
			f.Fatal(err)
		}
		flavors[p] = fl
	}
	f.Fuzz(func(t *testing.T, header string) {
		for p, n := range flavors {
			cred, ok := n.parseAuthorization(header)
			if !ok {
				continue
			}
			if cred.bearer && p == "documented" && cred.token == "" {
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

// TestRawBearerTokenGetsAHint: the documented profile refuses a raw token
// (the document says base64) with the document's 401 and a message that
// says what to send; other malformed headers keep the document's message,
// and the neo4j-5 profile takes the raw token.
func TestRawBearerTokenGetsAHint(t *testing.T) {
	query := func(release bool, auth string) (int, string) {
		n, err := New(Config{Accounts: neo4jwire.Accounts{Clock: core.NewClock(testkit.ClockAt(testkit.FuzzDay()))}, Release: release})
		if err != nil {
			t.Fatal(err)
		}
		r := httptest.NewRequest(http.MethodPost, "/db/neo4j/query/v2", strings.NewReader(`{"statement":"RETURN 1 AS n"}`))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", auth)
		w := httptest.NewRecorder()
		n.ServeHTTP(w, r)
		var body struct {
			Errors []struct{ Code, Message string }
		}
		_ = json.Unmarshal(w.Body.Bytes(), &body)
		if len(body.Errors) == 0 {
			return w.Code, ""
		}
		return w.Code, body.Errors[0].Message
	}
	code, msg := query(false, "Bearer "+DefaultToken)
	if code != http.StatusUnauthorized || !strings.HasPrefix(msg, neo4jwire.MsgBadHeader+" ") || !strings.Contains(msg, "Bearer <base64 of the token>") || !strings.Contains(msg, "neo4j-5") {
		t.Errorf("documented, raw token: %d %q, want 401 saying to send base64 or use neo4j-5", code, msg)
	}
	if code, msg := query(false, "Bearer a b"); code != http.StatusUnauthorized || msg != neo4jwire.MsgBadHeader {
		t.Errorf("documented, two credentials: %d %q, want the document's own message", code, msg)
	}
	if code, _ := query(true, "Bearer "+DefaultToken); code != http.StatusAccepted && code != http.StatusOK {
		t.Errorf("neo4j-5, raw token: %d, want it accepted", code)
	}
}

func TestUpperSchemeIsToUpper(t *testing.T) {
	for _, s := range []string{"Basic", "basic", "BASIC", "bAsIc", "Bearer", "bearer", "BEARER", "baſic", "basıc", "bearers", "Basi", "", "Digest", "béarer"} {
		if got, want := upperScheme(s), strings.ToUpper(s); got != want {
			t.Errorf("upperScheme(%q) = %q, want %q", s, got, want)
		}
	}
}
