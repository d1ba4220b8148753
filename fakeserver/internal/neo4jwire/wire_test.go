package neo4jwire

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/authconform/authconform/fakeserver/internal/core"
)

// Expected values are the reference's (docs/reference/neo4j-auth.md) and
// the fake's own wording, written out, not this package's constants.

func TestWriteJSONIndentsOnlyWhenPretty(t *testing.T) {
	for pretty, want := range map[bool]string{
		true:  "{\n  \"errors\": [\n    {\n      \"code\": \"c\",\n      \"message\": \"m\"\n    }\n  ],\n  \"password_change\": \"u\"\n}",
		false: `{"errors":[{"code":"c","message":"m"}],"password_change":"u"}`,
	} {
		w := httptest.NewRecorder()
		WriteJSON(w, http.StatusForbidden, "application/json;charset=utf-8", pretty, ErrorBody("c", "m", map[string]any{"password_change": "u"}))
		if w.Code != http.StatusForbidden || w.Header().Get("Content-Type") != "application/json;charset=utf-8" || w.Body.String() != want {
			t.Errorf("pretty %v: %d %v %q, want %q", pretty, w.Code, w.Header(), w.Body, want)
		}
	}
}

func TestCodesAndMessagesAsTheReferenceHasThem(t *testing.T) {
	w := httptest.NewRecorder()
	WriteJSON(w, http.StatusUnauthorized, JSON, false, ErrorBody(CodeUnauthorized, MsgNoHeader, nil))
	want := `{"errors":[{"code":"Neo.ClientError.Security.Unauthorized","message":"No authentication header supplied."}]}`
	if w.Body.String() != want || w.Header().Get("Content-Type") != "application/json; charset=UTF-8" {
		t.Errorf("no header: %v %s, want %s", w.Header(), w.Body, want)
	}
	for got, want := range map[string]string{
		CodeForbidden:     "Neo.ClientError.Security.Forbidden",
		CodeRateLimit:     "Neo.ClientError.Security.AuthenticationRateLimit",
		CodeInvalidFormat: "Neo.ClientError.Request.InvalidFormat",
		CodeInvalid:       "Neo.ClientError.Request.Invalid",
		CodeInvalidArgs:   "Neo.ClientError.General.InvalidArguments",
		MsgBadCredential:  "Invalid username or password.",
		MsgBadHeader:      "Invalid authentication header.",
		MsgRateLimited:    "Too many failed authentication requests. Please wait 5 seconds and try again.",
	} {
		if got != want {
			t.Errorf("%q, want %q", got, want)
		}
	}
}

func TestAuthenticateHeaderIsNoneForTheBrowser(t *testing.T) {
	for value, want := range map[string]string{"": `Basic realm="Neo4j"`, "false": `Basic realm="Neo4j"`, "true": "None"} {
		r := httptest.NewRequest("GET", "/db/data/", nil)
		if value != "" {
			r.Header.Set("X-Ajax-Browser-Auth", value)
		}
		if got := AuthenticateHeader(r, `Basic realm="Neo4j"`); got != want {
			t.Errorf("X-Ajax-Browser-Auth %q: %q, want %q", value, got, want)
		}
	}
}

func TestProblemMessage(t *testing.T) {
	for p, want := range map[core.Problem]string{
		core.HeaderTooLarge: "Request header fields too large.",
		core.BodyTooLarge:   "Request body too large.",
		core.BodyTimeout:    "Request body not received in time.",
		core.BodyIncomplete: "Request body incomplete.",
		core.TooDeep:        "Request body nests deeper than 64 levels.",
		core.Problem(0):     "Bad request.",
	} {
		if got := ProblemMessage(p); got != want {
			t.Errorf("problem %d: %q, want %q", p, got, want)
		}
	}
}
