package specs

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"html"
	"io"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Mask replaces every secret in reports and logs.
const Mask = "*****"

var (
	secretHeaders = map[string]bool{"Authorization": true, "Cookie": true, "Set-Cookie": true, "Proxy-Authorization": true}
	cookieValue   = regexp.MustCompile(`(?i)(AuthSession=)("?)[^";,\s]+`)
	passwordField = regexp.MustCompile(`(?i)("?password"?\s*[:=]\s*"?)[^"&,}\s]*`)
	userinfo      = regexp.MustCompile(`(://[^/@\s:]+:)[^/@\s]+@`)
)

// redactHeader masks the value of a credential-bearing header, keeping the
// scheme word and cookie names so a reader still sees what was sent.
func redactHeader(name, value string) string {
	if !secretHeaders[http.CanonicalHeaderKey(name)] {
		return value
	}
	if http.CanonicalHeaderKey(name) == "Authorization" || http.CanonicalHeaderKey(name) == "Proxy-Authorization" {
		if scheme, _, ok := strings.Cut(value, " "); ok {
			return scheme + " " + Mask
		}
		return Mask
	}
	return cookieValue.ReplaceAllString(value, "${1}${2}"+Mask)
}

// RedactText masks what looks like a credential in free text such as a
// request body or a URL: session cookies, password fields and URL user
// info. It knows no secret, so it stops where a password field's value
// seems to end; a Redactor masks known secrets whole first.
func RedactText(s string) string {
	s = cookieValue.ReplaceAllString(s, "${1}${2}"+Mask)
	s = passwordField.ReplaceAllString(s, "${1}"+Mask)
	return userinfo.ReplaceAllString(s, "${1}"+Mask+"@")
}

// minSecret is the shortest value a Redactor masks: masking one or two
// characters would hide them in every word of a report.
const minSecret = 3

// publicPasswords are passwords that the documents themselves print, so
// masking them hides nothing: Neo4j's initial password "neo4j" (Neo4j 3.3
// section 5.2.1.4) is also the flavor's name, which every report line
// carries. The base64 forms of user:password are masked all the same.
var publicPasswords = map[string]bool{"neo4j": true}

// Redactor masks known secrets (passwords, tokens, cookies) in text that
// leaves the process: each exactly, JSON-escaped, URL-encoded (query, path
// and user-info forms), HTML-escaped, and for credentials the base64 forms
// of "user:password" that Basic authentication sends; then RedactText's
// patterns. Exact forms go first: a pattern that stopped inside a password
// (at a space or a comma) would leave a tail that no longer matches.
// A Redactor is safe for concurrent use; the nil Redactor knows no secret
// and learns none.
type Redactor struct {
	mu       sync.Mutex
	forms    map[string]bool
	replacer *strings.Replacer // built from forms on first use after a change
}

// NewRedactor returns a Redactor that knows no secret yet.
func NewRedactor() *Redactor { return &Redactor{forms: map[string]bool{}} }

// Secret adds values to mask. A value shorter than three bytes is left out.
func (r *Redactor) Secret(values ...string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, v := range values {
		if publicPasswords[v] {
			continue
		}
		for _, f := range secretForms(v) {
			r.add(f)
		}
	}
}

// Credentials adds password, as Secret does, and the base64 forms of
// user:password. A password equal to its user name (Neo4j's neo4j/neo4j
// before the first change) is not masked alone: the name is shown anyway,
// and masking it would hide every "neo4j-3.3" in a report.
func (r *Redactor) Credentials(user, password string) {
	if password != user {
		r.Secret(password)
	}
	if r == nil || len(password) < minSecret {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	pair := []byte(user + ":" + password)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		r.add(enc.EncodeToString(pair))
	}
}

// Merge adds every secret other knows.
func (r *Redactor) Merge(other *Redactor) {
	if r == nil || other == nil || other == r {
		return
	}
	other.mu.Lock()
	forms := slices.Collect(maps.Keys(other.forms))
	other.mu.Unlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, f := range forms {
		r.add(f)
	}
}

func (r *Redactor) add(form string) {
	if len(form) >= minSecret && !r.forms[form] {
		r.forms[form] = true
		r.replacer = nil
	}
}

// secretForms are the spellings of v that text may carry.
func secretForms(v string) []string {
	if len(v) < minSecret {
		return nil
	}
	forms := []string{v, url.QueryEscape(v), url.PathEscape(v), html.EscapeString(v),
		strings.TrimPrefix(url.UserPassword("", v).String(), ":")}
	for _, escapeHTML := range []bool{true, false} {
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(escapeHTML)
		_ = enc.Encode(v) // a string always encodes
		forms = append(forms, strings.TrimSuffix(strings.TrimSuffix(b.String(), "\n"), `"`)[1:])
	}
	return forms
}

// Mask returns s with every known secret masked, then RedactText's
// patterns applied.
func (r *Redactor) Mask(s string) string {
	if r != nil {
		if rep := r.build(); rep != nil {
			s = rep.Replace(s)
		}
	}
	return RedactText(s)
}

// MaskSecrets is Mask without the patterns, for prose (a reason, an error,
// a summary line) where a pattern would hide what the reader needs:
// "state default-password: the user ..." looks like a password field.
func (r *Redactor) MaskSecrets(s string) string {
	if r == nil {
		return s
	}
	if rep := r.build(); rep != nil {
		return rep.Replace(s)
	}
	return s
}

// build returns the replacer of the current forms, longest first so that
// the longest form matching at a position wins; nil when there are none.
func (r *Redactor) build() *strings.Replacer {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.replacer != nil || len(r.forms) == 0 {
		return r.replacer
	}
	forms := make([]string, 0, len(r.forms))
	for f := range r.forms {
		forms = append(forms, f)
	}
	slices.SortFunc(forms, func(a, b string) int { return cmp.Or(len(b)-len(a), strings.Compare(a, b)) })
	pairs := make([]string, 0, 2*len(forms))
	for _, f := range forms {
		pairs = append(pairs, f, Mask)
	}
	r.replacer = strings.NewReplacer(pairs...)
	return r.replacer
}

// Writer returns a writer that masks the known secrets in what each Write
// carries before passing it to w (not the patterns, which would take
// "state default-password: the user" for a password field). Every line the CLI prints is one Write, so a secret is
// never split between two.
func (r *Redactor) Writer(w io.Writer) io.Writer { return &maskingWriter{r: r, w: w} }

type maskingWriter struct {
	r *Redactor
	w io.Writer
}

func (m *maskingWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(m.w, m.r.MaskSecrets(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Unwrap returns the writer underneath, so that a caller can still ask
// whether it is a terminal.
func (m *maskingWriter) Unwrap() io.Writer { return m.w }
