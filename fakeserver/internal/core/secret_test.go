package core

import "testing"

func TestSameSecret(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{{"abc", "abc", true}, {"abc", "abd", false}, {"abc", "abcd", false}, {"", "", true}, {"", "a", false}, {"a\x00", "a", false}} {
		if got := SameSecret([]byte(c.a), []byte(c.b)); got != c.want {
			t.Errorf("SameSecret(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
		if got := SameSecretString(c.a, c.b); got != c.want {
			t.Errorf("SameSecretString(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}
