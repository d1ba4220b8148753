package specs

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"

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
	for _, name := range want.NoCookies {
		c.expect(raw, lackCookie(name))
	}
	for name, w := range want.Cookies {
		c.expect(raw, haveCookie(name, r.cookieMatchers(c, name, w)...))
		ck, ok := findCookie(raw, name)
		if !ok {
			continue
		}
		if w.SessionMaxAge && sessionTTL(r.vars) <= 0 {
			r.warn("cookie %s: Max-Age not compared with the session lifetime, which the state did not give (its var SessionTTL)", name)
		}
		if w.MaxAge != nil && w.MaxAgeAdvisory {
			if m := haveMaxAge(*w.MaxAge); !m.match(ck) {
				r.warn("%s (advisory: the session lifetime is a server setting)", m.message(ck))
			}
		}
	}
}

// cookieMatchers are the hard checks of a cookie: its attributes, a
// CouchDB session cookie's issuer and issue time, the session lifetime
// when the target's state gives it (SessionTTL).
func (r *fixtureRun) cookieMatchers(c *collector, name string, w fixtures.CookieCheck) []matcher[sentCookie] {
	var ms []matcher[sentCookie]
	if w.Set != nil {
		ms = append(ms, haveValue(*w.Set))
	}
	if w.HTTPOnly != nil {
		ms = append(ms, beHTTPOnly(*w.HTTPOnly))
	}
	if w.Path != nil {
		ms = append(ms, haveCookiePath(*w.Path))
	}
	if w.Expires {
		ms = append(ms, haveExpires())
	}
	if w.IssuedTo != "" || w.IssuedNow {
		var user *string
		if w.IssuedTo != "" {
			if u, err := fixtures.Render(w.IssuedTo, r.vars); err != nil {
				c.Errorf("cookie %s: %v", name, err)
			} else {
				user = &u
			}
		}
		ms = append(ms, beSessionCookie(user, w.IssuedNow))
	}
	if ttl := sessionTTL(r.vars); w.SessionMaxAge && ttl > 0 {
		ms = append(ms, haveSessionMaxAge(ttl))
	}
	if w.Expired {
		ms = append(ms, beExpired())
	}
	if w.MaxAge != nil && !w.MaxAgeAdvisory {
		ms = append(ms, haveMaxAge(*w.MaxAge))
	}
	return ms
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

// capture stores values for later steps as .Captured.NAME.
func (r *fixtureRun) capture(c *collector, specs map[string]string, raw *http.Response, body string) {
	for name, spec := range specs {
		value := captureValue(spec, raw, body)
		c.expect(value, beCaptured(name, spec))
		r.captured[name] = value
	}
}

// captureValue is the value spec ("cookie:NAME", "header:NAME" or
// "json:KEY.KEY") names in an answer, "" when there is none.
func captureValue(spec string, raw *http.Response, body string) string {
	kind, key, _ := strings.Cut(spec, ":")
	switch kind {
	case "cookie":
		if ck, ok := findCookie(raw, key); ok {
			return ck.Value
		}
	case "header":
		return raw.Header.Get(key)
	case "json":
		var v any
		if json.Unmarshal([]byte(body), &v) != nil {
			return ""
		}
		for _, part := range strings.Split(key, ".") {
			m, _ := v.(map[string]any)
			v = m[part]
		}
		if v != nil {
			return fmt.Sprint(v)
		}
	}
	return ""
}
