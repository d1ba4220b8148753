package core

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

func FuzzParseBasicStrict(f *testing.F) {
	testkit.AddAuthHeaders(f)
	f.Fuzz(func(t *testing.T, header string) {
		user, password, ok := ParseBasic(header)
		if !ok {
			return
		}
		if strings.Contains(user, ":") {
			t.Fatalf("user %q contains the separator", user)
		}
		// What was accepted must survive a round trip through the canonical
		// form.
		u2, p2, ok2 := ParseBasic("Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password)))
		if !ok2 || u2 != user || p2 != password {
			t.Fatalf("round trip of %q: got %q %q %v, want %q %q", header, u2, p2, ok2, user, password)
		}
	})
}
