package neo4jquery

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/authconform/authconform/fakeserver/internal/core"
	"github.com/authconform/authconform/fakeserver/internal/neo4jwire"
	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

// fuzzT0 is the fixed time of the fuzz targets, so that a finding replays
// exactly.
var fuzzT0 = time.Date(2016, 11, 11, 12, 43, 15, 0, time.UTC)

// FuzzNeo4jQueryAuthorization runs the Query API's header parser in both
// profiles, and the two base64 decoders behind it.
func FuzzNeo4jQueryAuthorization(f *testing.F) {
	testkit.AddAuthHeaders(f)
	flavors := map[string]*Server{}
	for p, release := range map[string]bool{"documented": false, "neo4j-5": true} {
		fl, err := New(Config{Release: release, Accounts: neo4jwire.Accounts{Clock: core.NewClock(func() time.Time { return fuzzT0 })}})
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
