package couchdb

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/authconform/authconform/fakeserver/internal/core"
)

// The GET /_session body as encoding/json writes it, the yardstick of
// appendSessionInfo.
type refSessionUser struct {
	Name  *string  `json:"name"`
	Roles []string `json:"roles"`
}

type refSessionInfo struct {
	AuthenticationDB       string   `json:"authentication_db,omitempty"`
	AuthenticationHandlers []string `json:"authentication_handlers"`
	Authenticated          string   `json:"authenticated,omitempty"`
}

type refSession struct {
	OK      bool           `json:"ok"`
	UserCtx refSessionUser `json:"userCtx"`
	Info    refSessionInfo `json:"info"`
}

func refSessionBody(ctx couchUserCtx, release bool) string {
	body := refSession{OK: true, UserCtx: refSessionUser{Roles: nonNil(ctx.roles)}}
	if !ctx.anonymous() {
		body.UserCtx.Name = &ctx.name
	}
	body.Info.Authenticated = ctx.handler
	if release {
		body.Info.AuthenticationHandlers = []string{"cookie", "default"}
	} else {
		body.Info.AuthenticationDB = "_users"
		body.Info.AuthenticationHandlers = []string{"delegated", "cookie", "default", "local"}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(body)
	return buf.String()
}

func TestSessionInfoBodyIsEncodingJSON(t *testing.T) {
	ctxs := []couchUserCtx{
		{roles: []string{}},
		{roles: nil},
		{name: "admin", roles: []string{"_admin"}, handler: "default"},
		{name: "alice", roles: []string{"reader", "writer"}, handler: "cookie"},
		{name: `a"b\c<d>&é` + "\x00\u2028\xff", roles: []string{"x\ny"}, handler: "cookie"},
		{name: "nobody", handler: "default"},
	}
	for _, release := range []bool{false, true} {
		c := &Server{cfg: Config{Release: release, Clock: core.NewClock(nil)}}
		for _, ctx := range ctxs {
			if got, want := string(c.appendSessionInfo(nil, ctx)), refSessionBody(ctx, release); got != want {
				t.Errorf("release %v, %+v:\n got %s\nwant %s", release, ctx, got, want)
			}
		}
	}
}

func FuzzSessionInfoBody(f *testing.F) {
	f.Add("admin", "_admin", "default", false)
	f.Add("", "", "", true)
	f.Fuzz(func(t *testing.T, name, role, handler string, release bool) {
		ctx := couchUserCtx{name: name, roles: []string{role}, handler: handler}
		c := &Server{cfg: Config{Release: release}}
		if got, want := string(c.appendSessionInfo(nil, ctx)), refSessionBody(ctx, release); got != want {
			t.Errorf("%+v:\n got %s\nwant %s", ctx, got, want)
		}
	})
}

// refDecodeCouchBase64URL is couch_util:decodeBase64Url written the
// plain way: the URL alphabet mapped to the standard one, then decoded.
func refDecodeCouchBase64URL(s string) ([]byte, error) {
	s = strings.NewReplacer("-", "+", "_", "/").Replace(strings.TrimRight(s, "="))
	return base64.RawStdEncoding.DecodeString(s)
}

func FuzzCouchBase64URL(f *testing.F) {
	for _, s := range []string{"", "YWRtaW46NjkyMUYwOEI6", "a-_b", "a+/b", "YQ==", "YQ", "Y", "Y\nQ", strings.Repeat("QUJD", 100) + "-_"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := decodeCouchBase64URL(s)
		want, wantErr := refDecodeCouchBase64URL(s)
		if (err == nil) != (wantErr == nil) || (err == nil && !bytes.Equal(got, want)) {
			t.Errorf("%q: got %q, %v; want %q, %v", s, got, err, want, wantErr)
		}
		prefixed, err := appendCouchBase64URL([]byte("x"), s)
		if err == nil && string(prefixed) != "x"+string(want) {
			t.Errorf("%q appended to x: %q", s, prefixed)
		}
	})
}
