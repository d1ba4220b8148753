package neo4jquery

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/authconform/authconform/fakeserver/internal/core"
)

// TestRawBearerTokenGetsAHint: the documented profile refuses a raw token
// (the document says base64) with the document's 401 and a message that
// says what to send; other malformed headers keep the document's message,
// and the neo4j-5 profile takes the raw token.
func TestRawBearerTokenGetsAHint(t *testing.T) {
	query := func(release bool, auth string) (int, string) {
		n, err := New(Config{Clock: core.NewClock(func() time.Time { return fuzzT0 }), Release: release})
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
	if code != http.StatusUnauthorized || !strings.HasPrefix(msg, msgBadHeader+" ") || !strings.Contains(msg, "Bearer <base64 of the token>") || !strings.Contains(msg, "neo4j-5") {
		t.Errorf("documented, raw token: %d %q, want 401 saying to send base64 or use neo4j-5", code, msg)
	}
	if code, msg := query(false, "Bearer a b"); code != http.StatusUnauthorized || msg != msgBadHeader {
		t.Errorf("documented, two credentials: %d %q, want the document's own message", code, msg)
	}
	if code, _ := query(true, "Bearer "+DefaultToken); code != http.StatusAccepted && code != http.StatusOK {
		t.Errorf("neo4j-5, raw token: %d, want it accepted", code)
	}
}
