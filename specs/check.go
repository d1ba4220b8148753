package specs

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/authconform/authconform/fixtures"
)

func (r *fixtureRun) checkHeaders(c *collector, raw *http.Response, want fixtures.Response) {
	for name, h := range want.Headers {
		value, err := fixtures.Render(h.Value, r.vars)
		if err != nil {
			c.Errorf("header %s: %v", name, err)
			continue
		}
		match := h.Match
		if match == "" && http.CanonicalHeaderKey(name) == "Content-Type" {
			match = fixtures.MatchMediaType
		}
		if match == fixtures.MatchExact {
			match = ""
		}
		m := haveHeader(name, match, value)
		if !h.Advisory {
			c.expect(raw.Header, m)
		} else if ok, _ := m.Match(raw.Header); !ok {
			r.warn("%s (advisory: %s)", m.FailureMessage(raw.Header), orDefault(h.Note, "a deployment-specific value in the document"))
		}
	}
	for _, name := range want.AbsentHeaders {
		c.expect(raw.Header, lackHeader(name))
	}
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// headerMatches compares a header value by a fixture's match kind.
func headerMatches(match, want, got string) bool {
	switch match {
	case fixtures.MatchMediaType:
		return mediaTypeMatches(want, got)
	case fixtures.MatchPrefix:
		return strings.HasPrefix(got, want)
	case fixtures.MatchContains:
		return strings.Contains(got, want)
	case fixtures.MatchRegexp:
		ok, err := regexp.MatchString(want, got)
		return err == nil && ok
	case fixtures.MatchPresent:
		return true
	}
	return want == got
}

// mediaTypeMatches compares type/subtype and every parameter the fixture
// names, all case-insensitively; extra parameters in got are allowed, so
// "application/json" accepts "application/json;charset=utf-8".
func mediaTypeMatches(want, got string) bool {
	wt, wp, err1 := mime.ParseMediaType(want)
	gt, gp, err2 := mime.ParseMediaType(got)
	if err1 != nil || err2 != nil || !strings.EqualFold(wt, gt) {
		return false
	}
	for k, v := range wp {
		if !strings.EqualFold(gp[k], v) {
			return false
		}
	}
	return true
}

func (r *fixtureRun) checkJSON(c *collector, want *fixtures.JSONCheck, body string) {
	expected, err := fixtures.RenderValue(want.Value, r.vars)
	if err != nil {
		c.Errorf("json: %v", err)
		return
	}
	m := matchJSON(normalize(expected), want.Mode == fixtures.ModeSubset)
	if !want.Advisory {
		c.expect(body, m)
		return
	}
	for _, d := range jsonDiffs(normalize(expected), want.Mode == fixtures.ModeSubset, body) {
		r.warn("%s (advisory)", d)
	}
}

// jsonDiffs lists how body differs from want, each as "json PATH: ...".
func jsonDiffs(want any, subset bool, body string) []string {
	var got any
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		return []string{fmt.Sprintf("json body is not JSON (%v): %.200q", err, body)}
	}
	diffs := compareJSON("$", want, got, subset)
	for i, d := range diffs {
		diffs[i] = "json " + d
	}
	return diffs
}

// normalize turns YAML-decoded numbers into float64, as encoding/json has them.
func normalize(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

// compareJSON lists the differences between want and got at path. In
// subset mode, objects may have keys want does not name. The strings
// "<any>" and "<string>" match any value and any non-empty string.
func compareJSON(path string, want, got any, subset bool) []string {
	if s, ok := want.(string); ok {
		switch s {
		case "<any>":
			return nil
		case "<string>":
			if g, ok := got.(string); ok && g != "" {
				return nil
			}
			return []string{fmt.Sprintf("%s: want a non-empty string, got %s", path, show(got))}
		}
	}
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want an object, got %s", path, show(got))}
		}
		var out []string
		for k, wv := range w {
			gv, present := g[k]
			if !present {
				out = append(out, fmt.Sprintf("%s.%s: missing (want %s)", path, k, show(wv)))
				continue
			}
			out = append(out, compareJSON(path+"."+k, wv, gv, subset)...)
		}
		if !subset {
			for k, gv := range g {
				if _, expected := w[k]; !expected {
					out = append(out, fmt.Sprintf("%s.%s: unexpected key (value %s)", path, k, show(gv)))
				}
			}
		}
		return out
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return []string{fmt.Sprintf("%s: want %s, got %s", path, show(want), show(got))}
		}
		var out []string
		for i := range w {
			out = append(out, compareJSON(fmt.Sprintf("%s[%d]", path, i), w[i], g[i], subset)...)
		}
		return out
	}
	if want != got {
		return []string{fmt.Sprintf("%s: want %s, got %s", path, show(want), show(got))}
	}
	return nil
}

func show(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 300 {
		return string(b[:300]) + "..."
	}
	return string(b)
}

func (r *fixtureRun) checkCookies(c *collector, raw *http.Response, want fixtures.Response) {
	cookies := map[string]*http.Cookie{}
	for _, ck := range raw.Cookies() {
		cookies[ck.Name] = ck
	}
	for _, name := range want.NoCookies {
		if _, ok := cookies[name]; ok {
			c.Errorf("cookie %s: want none set, got one", name)
		}
	}
	for name, w := range want.Cookies {
		ck, ok := cookies[name]
		if !ok {
			c.Errorf("cookie %s: want a Set-Cookie, got none (Set-Cookie: %q)", name, RedactHeader("Set-Cookie", strings.Join(raw.Header.Values("Set-Cookie"), " | ")))
			continue
		}
		value := strings.Trim(ck.Value, `"`)
		if w.Set != nil && *w.Set && value == "" {
			c.Errorf("cookie %s: want a session value, got an empty one", name)
		}
		if w.Set != nil && !*w.Set && value != "" {
			c.Errorf("cookie %s: want it cleared (empty value), got a value", name)
		}
		if w.HTTPOnly != nil && ck.HttpOnly != *w.HTTPOnly {
			c.Errorf("cookie %s: want HttpOnly=%v, got %v", name, *w.HTTPOnly, ck.HttpOnly)
		}
		if w.Path != nil && ck.Path != *w.Path {
			c.Errorf("cookie %s: want Path=%q, got %q", name, *w.Path, ck.Path)
		}
		if w.Expires && ck.Expires.IsZero() {
			c.Errorf("cookie %s: want a parseable Expires attribute, got %q", name, ck.RawExpires)
		}
		if w.IssuedTo != "" || w.IssuedNow {
			r.checkSessionCookie(c, name, value, ck, w, raw)
		}
		if w.SessionMaxAge {
			r.checkSessionMaxAge(c, name, ck)
		}
		if w.Expired {
			checkExpired(c, name, ck, raw)
		}
		if w.MaxAge != nil && !maxAgeIs(*w.MaxAge, ck) {
			msg := fmt.Sprintf("cookie %s: want Max-Age=%d, got %s", name, *w.MaxAge, showMaxAge(ck))
			if w.MaxAgeAdvisory {
				r.warn("%s (advisory: the session lifetime is a server setting)", msg)
			} else {
				c.Errorf("%s", msg)
			}
		}
	}
}

// maxAgeIs compares a cookie's Max-Age attribute with want; net/http reads
// Max-Age=0 as -1 and a missing attribute as 0, so 0 means the attribute.
func maxAgeIs(want int, ck *http.Cookie) bool {
	if want == 0 {
		return ck.MaxAge < 0
	}
	return ck.MaxAge == want
}

func showMaxAge(ck *http.Cookie) string {
	switch {
	case ck.MaxAge < 0:
		return "0"
	case ck.MaxAge == 0:
		return "none"
	}
	return strconv.Itoa(ck.MaxAge)
}

// checkSessionMaxAge requires Max-Age to be the session lifetime the
// target's state gives (SessionTTL).
func (r *fixtureRun) checkSessionMaxAge(c *collector, name string, ck *http.Cookie) {
	ttl := sessionTTL(r.vars)
	if ttl <= 0 {
		r.warn("cookie %s: Max-Age not compared with the session lifetime, which this target does not give (--session-timeout)", name)
		return
	}
	if want := int(ttl / time.Second); ck.MaxAge != want {
		c.Errorf("cookie %s: want Max-Age=%d (the session lifetime, %s), got %s", name, want, ttl, showMaxAge(ck))
	}
}

// checkExpired requires the cookie's Expires to lie before the answer's
// Date, so that clients delete it at once.
func checkExpired(c *collector, name string, ck *http.Cookie, raw *http.Response) {
	date, err := http.ParseTime(raw.Header.Get("Date"))
	switch {
	case ck.Expires.IsZero():
		c.Errorf("cookie %s: want an Expires in the past, got %q", name, ck.RawExpires)
	case err != nil:
		c.Errorf("cookie %s: the answer has no parseable Date to compare Expires with", name)
	case !ck.Expires.Before(date):
		c.Errorf("cookie %s: want it expired, but Expires %s is not before the answer's Date %s", name, ck.Expires.UTC().Format(time.RFC1123), date.UTC().Format(time.RFC1123))
	}
}

// capture stores values for later steps as .Captured.NAME.
func (r *fixtureRun) capture(c *collector, specs map[string]string, raw *http.Response, body string) {
	for name, spec := range specs {
		kind, key, _ := strings.Cut(spec, ":")
		var value string
		switch kind {
		case "cookie":
			for _, ck := range raw.Cookies() {
				if ck.Name == key {
					value = ck.Value
				}
			}
		case "header":
			value = raw.Header.Get(key)
		case "json":
			var v any
			if json.Unmarshal([]byte(body), &v) == nil {
				for _, part := range strings.Split(key, ".") {
					m, _ := v.(map[string]any)
					v = m[part]
				}
				if v != nil {
					value = fmt.Sprint(v)
				}
			}
		}
		if value == "" {
			c.Errorf("capture %s: %s not found in the answer", name, spec)
		}
		r.captured[name] = value
	}
}

// checkSessionCookie reads a CouchDB session cookie, base64url of
// "name:HEXTIME:HMAC", and checks who it was issued to and when: the issue
// time must agree with Date and with Expires minus Max-Age.
func (r *fixtureRun) checkSessionCookie(c *collector, name, value string, ck *http.Cookie, w fixtures.CookieCheck, raw *http.Response) {
	decoded, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(value, "="))
	parts := strings.SplitN(string(decoded), ":", 3)
	if err != nil || len(parts) != 3 {
		c.Errorf("cookie %s: not a CouchDB session cookie (base64url of name:HEXTIME:HMAC)", name)
		return
	}
	if w.IssuedTo != "" {
		want, err := fixtures.Render(w.IssuedTo, r.vars)
		if err != nil {
			c.Errorf("cookie %s: %v", name, err)
		} else if parts[0] != want {
			c.Errorf("cookie %s: issued to %q, want %q", name, parts[0], want)
		}
	}
	if !w.IssuedNow {
		return
	}
	secs, err := strconv.ParseInt(parts[1], 16, 64)
	if err != nil {
		c.Errorf("cookie %s: issue time %q is not hexadecimal seconds", name, parts[1])
		return
	}
	issued := time.Unix(secs, 0)
	near := func(t time.Time) bool { d := t.Sub(issued); return d >= -time.Second && d <= time.Second }
	if date, err := http.ParseTime(raw.Header.Get("Date")); err != nil {
		c.Errorf("cookie %s: the answer has no parseable Date to compare the issue time with", name)
	} else if !near(date) {
		c.Errorf("cookie %s: issued at %s, but the answer's Date is %s", name, issued.UTC().Format(time.RFC1123), date.UTC().Format(time.RFC1123))
	}
	if !ck.Expires.IsZero() && ck.MaxAge > 0 {
		if start := ck.Expires.Add(-time.Duration(ck.MaxAge) * time.Second); !near(start) {
			c.Errorf("cookie %s: issued at %s, but Expires - Max-Age is %s", name, issued.UTC().Format(time.RFC1123), start.UTC().Format(time.RFC1123))
		}
	}
}
