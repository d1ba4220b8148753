package specs

import (
	"encoding/base64"
	"encoding/json"
	"html"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
)

// printableClasses are the kinds of character a password may hold, each
// drawn on by every random secret: letters, digits, space, the characters
// that end a pattern match or need escaping in JSON, URLs, HTML and XML,
// and non-ASCII letters and symbols.
var printableClasses = []string{
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
	"0123456789",
	" ",
	`"'\,{}[]:;=&?#%+/@<>!$()*^|~` + "`",
	"éßøжд中文ü€✓🔑",
}

// randomSecret is a secret of n characters with at least one of each class.
func randomSecret(rng *rand.Rand, n int) string {
	var b []rune
	for _, c := range printableClasses {
		rs := []rune(c)
		b = append(b, rs[rng.IntN(len(rs))])
	}
	all := []rune(strings.Join(printableClasses, ""))
	for len(b) < n {
		b = append(b, all[rng.IntN(len(all))])
	}
	rng.Shuffle(len(b), func(i, j int) { b[i], b[j] = b[j], b[i] })
	return string(b)
}

// encodedForms are the spellings of a password a report or log may carry.
func encodedForms(user, password string) map[string]string {
	j, _ := json.Marshal(password)
	pair := user + ":" + password
	return map[string]string{
		"plain":          password,
		"JSON-escaped":   string(j[1 : len(j)-1]),
		"query-escaped":  url.QueryEscape(password),
		"path-escaped":   url.PathEscape(password),
		"HTML-escaped":   html.EscapeString(password),
		"base64 pair":    base64.StdEncoding.EncodeToString([]byte(pair)),
		"base64url pair": base64.RawURLEncoding.EncodeToString([]byte(pair)),
	}
}

// Every form of random secrets of every printable class is masked whole,
// wherever it sits in text, including inside the patterns (a password
// field) that used to cut a secret at its first space or comma.
func TestRedactorMasksEveryFormOfRandomSecrets(t *testing.T) {
	rng := rand.New(rand.NewPCG(22, 2026))
	for i := range 200 {
		user, password := "user"+string(rune('a'+i%26)), randomSecret(rng, 8+rng.IntN(24))
		red := NewRedactor()
		red.Credentials(user, password)
		for name, form := range encodedForms(user, password) {
			for _, text := range []string{
				form,
				"before " + form + " after",
				`{"password":"` + form + `","x":1}`,
				"password=" + form + "&next=/",
				"Authorization: Basic " + form,
				"http://" + user + ":" + form + "@host/",
			} {
				got := red.Mask(text)
				if strings.Contains(got, form) || (name != "plain" && strings.Contains(got, password)) {
					t.Fatalf("secret %q, %s form %q: Mask(%q) = %q still shows it", password, name, form, text, got)
				}
				// No tail is left behind: nothing of the secret's second
				// half survives either.
				if tail := form[len(form)/2:]; len(tail) >= 4 && strings.Contains(got, tail) {
					t.Fatalf("secret %q, %s form: Mask(%q) = %q leaves its tail %q", password, name, text, got, tail)
				}
			}
		}
	}
}

// TestRedactorMask: what a Redactor masks, and what it must leave readable.
func TestRedactorMask(t *testing.T) {
	admin := NewRedactor()
	admin.Credentials("admin", "s3cret!")
	admin.Secret("ab") // too short to mask: it would hide every "ab" in a report
	// Neo4j's documented initial password is the user's and the flavor's
	// name: masking it would hide every fixture id and hide nothing, while
	// the Basic form of neo4j:neo4j stays masked.
	neo4j := NewRedactor()
	neo4j.Credentials("neo4j", "neo4j")
	basic := base64.StdEncoding.EncodeToString([]byte("neo4j:neo4j"))
	// The longest form wins where one secret contains another, so no part
	// of the longer one is left.
	overlapping := NewRedactor()
	overlapping.Secret("pass", "password123")
	// The nil Redactor takes secrets without failing and applies the
	// patterns only.
	var none *Redactor
	none.Secret("ignored")
	none.Credentials("u", "ignored")
	for _, c := range []struct {
		name       string
		red        *Redactor
		text, want string
	}{
		{"a request line", admin, "GET /_session HTTP/1.1", "GET /_session HTTP/1.1"},
		{"a secret too short to mask", admin, "about a table", "about a table"},
		{"the user name", admin, "admin logged in", "admin logged in"},
		{"the flavor's name", neo4j, "passed neo4j-3.3/authenticate", "passed neo4j-3.3/authenticate"},
		{"a password that is the user name", neo4j, "neo4j-3.3/change-password as neo4j", "neo4j-3.3/change-password as neo4j"},
		{"the Basic form of neo4j:neo4j in a header", neo4j, "Authorization: Basic " + basic, "Authorization: Basic *****"},
		{"the Basic form of neo4j:neo4j", neo4j, "Basic " + basic, "Basic *****"},
		{"overlapping secrets", overlapping, "x password123 y pass z", "x ***** y ***** z"},
		{"the nil Redactor's patterns", none, "Cookie: AuthSession=abcdef", "Cookie: AuthSession=*****"},
	} {
		if got := c.red.Mask(c.text); got != c.want {
			t.Errorf("%s: Mask(%q) = %q, want %q", c.name, c.text, got, c.want)
		}
	}
}

func TestMaskingWriterMasksEachWrite(t *testing.T) {
	red := NewRedactor()
	red.Secret("hunter2 x")
	var b strings.Builder
	w := red.Writer(&b)
	n, err := w.Write([]byte("pw is hunter2 x\n"))
	if err != nil || n != len("pw is hunter2 x\n") {
		t.Fatalf("Write = %d, %v", n, err)
	}
	if b.String() != "pw is *****\n" {
		t.Errorf("wrote %q", b.String())
	}
	red.Secret("later-secret")
	_, _ = w.Write([]byte("later-secret\n"))
	if !strings.HasSuffix(b.String(), "*****\n") {
		t.Errorf("a secret learned after the writer was made is not masked: %q", b.String())
	}
}
