package core

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

func stdHMAC(key, msg []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	return m.Sum(nil)
}

var hmacSeeds = []struct{ key, msg string }{
	{"", ""},
	{"key", "The quick brown fox jumps over the lazy dog"},
	{strings.Repeat("k", 48), "admin:6921F08B"},
	{strings.Repeat("k", 64), "admin:6921F08B"},
	{strings.Repeat("k", 65), "admin:6921F08B"},
	{strings.Repeat("k", 200), strings.Repeat("m", 300)},
}

func TestHMACSHA256IsCryptoHMAC(t *testing.T) {
	// RFC 4231 test case 2, from the RFC rather than from crypto/hmac.
	const rfc4231 = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
	if got := HMACSHA256(nil, []byte("Jefe"), []byte("what do ya want for nothing?")); hex.EncodeToString(got) != rfc4231 {
		t.Errorf("RFC 4231 case 2: %x", got)
	}
	for _, s := range hmacSeeds {
		if got, want := HMACSHA256([]byte("x"), []byte(s.key), []byte(s.msg)), append([]byte("x"), stdHMAC([]byte(s.key), []byte(s.msg))...); !bytes.Equal(got, want) {
			t.Errorf("key %d bytes, message %d bytes: %x, want %x", len(s.key), len(s.msg), got, want)
		}
	}
}

func FuzzHMACSHA256(f *testing.F) {
	for _, s := range hmacSeeds {
		f.Add([]byte(s.key), []byte(s.msg))
	}
	f.Fuzz(func(t *testing.T, key, msg []byte) {
		if got, want := HMACSHA256(nil, key, msg), stdHMAC(key, msg); !bytes.Equal(got, want) {
			t.Errorf("key %x, message %x: %x, want %x", key, msg, got, want)
		}
	})
}
