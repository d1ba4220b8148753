package specs

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/onsi/gomega/types"
)

// The cookie checks' gomega matchers. haveCookie finds a cookie in an
// answer and applies the attribute matchers to it, so that one cookie's
// mismatches are all reported, one line each.

// sentCookie is a cookie as an answer set it, with the answer's Date, the
// clock its expiry and issue time are compared with.
type sentCookie struct {
	*http.Cookie
	date string
}

// value is the cookie's value without the quotes a server may put around it.
func (c sentCookie) value() string { return strings.Trim(c.Value, `"`) }

// findCookie is the last cookie name the answer sets, as a client keeps it.
func findCookie(r *http.Response, name string) (sentCookie, bool) {
	var found *http.Cookie
	for _, ck := range r.Cookies() {
		if ck.Name == name {
			found = ck
		}
	}
	return sentCookie{Cookie: found, date: r.Header.Get("Date")}, found != nil
}

// haveCookie matches an answer that sets cookie name to a cookie every
// check matches.
func haveCookie(name string, checks ...matcher[sentCookie]) types.GomegaMatcher {
	return matcher[*http.Response]{
		match: func(r *http.Response) bool {
			ck, ok := findCookie(r, name)
			return ok && len(cookieMismatches(ck, checks)) == 0
		},
		message: func(r *http.Response) string {
			ck, ok := findCookie(r, name)
			if !ok {
				return fmt.Sprintf("cookie %s: want a Set-Cookie, got none (Set-Cookie: %q)", name, redactHeader("Set-Cookie", strings.Join(r.Header.Values("Set-Cookie"), " | ")))
			}
			return strings.Join(cookieMismatches(ck, checks), "\n")
		},
	}
}

func cookieMismatches(ck sentCookie, checks []matcher[sentCookie]) []string {
	var out []string
	for _, m := range checks {
		if !m.match(ck) {
			out = append(out, m.message(ck))
		}
	}
	return out
}

// lackCookie matches an answer that does not set cookie name.
func lackCookie(name string) types.GomegaMatcher {
	return matcher[*http.Response]{
		match:   func(r *http.Response) bool { _, ok := findCookie(r, name); return !ok },
		message: func(*http.Response) string { return fmt.Sprintf("cookie %s: want none set, got one", name) },
	}
}

// haveValue matches a cookie with a value (a session) when set, else a
// cleared one (empty value).
func haveValue(set bool) matcher[sentCookie] {
	return matcher[sentCookie]{
		match: func(c sentCookie) bool { return (c.value() != "") == set },
		message: func(c sentCookie) string {
			if set {
				return fmt.Sprintf("cookie %s: want a session value, got an empty one", c.Name)
			}
			return fmt.Sprintf("cookie %s: want it cleared (empty value), got a value", c.Name)
		},
	}
}

// beHTTPOnly matches a cookie whose HttpOnly attribute is want.
func beHTTPOnly(want bool) matcher[sentCookie] {
	return matcher[sentCookie]{
		match: func(c sentCookie) bool { return c.HttpOnly == want },
		message: func(c sentCookie) string {
			return fmt.Sprintf("cookie %s: want HttpOnly=%v, got %v", c.Name, want, c.HttpOnly)
		},
	}
}

// haveCookiePath matches a cookie whose Path attribute is want.
func haveCookiePath(want string) matcher[sentCookie] {
	return matcher[sentCookie]{
		match:   func(c sentCookie) bool { return c.Path == want },
		message: func(c sentCookie) string { return fmt.Sprintf("cookie %s: want Path=%q, got %q", c.Name, want, c.Path) },
	}
}

// haveExpires matches a cookie with a parseable Expires attribute.
func haveExpires() matcher[sentCookie] {
	return matcher[sentCookie]{
		match: func(c sentCookie) bool { return !c.Expires.IsZero() },
		message: func(c sentCookie) string {
			return fmt.Sprintf("cookie %s: want a parseable Expires attribute, got %q", c.Name, c.RawExpires)
		},
	}
}

// haveMaxAge matches a cookie whose Max-Age attribute is want.
func haveMaxAge(want int) matcher[sentCookie] {
	return matcher[sentCookie]{
		match: func(c sentCookie) bool { return maxAgeIs(want, c.Cookie) },
		message: func(c sentCookie) string {
			return fmt.Sprintf("cookie %s: want Max-Age=%d, got %s", c.Name, want, showMaxAge(c.Cookie))
		},
	}
}

// haveSessionMaxAge matches a cookie whose Max-Age is the session
// lifetime ttl.
func haveSessionMaxAge(ttl time.Duration) matcher[sentCookie] {
	want := int(ttl / time.Second)
	return matcher[sentCookie]{
		match: func(c sentCookie) bool { return c.MaxAge == want },
		message: func(c sentCookie) string {
			return fmt.Sprintf("cookie %s: want Max-Age=%d (the session lifetime, %s), got %s", c.Name, want, ttl, showMaxAge(c.Cookie))
		},
	}
}

// beExpired matches a cookie whose Expires lies before the answer's Date,
// so that clients delete it at once.
func beExpired() matcher[sentCookie] {
	return matcher[sentCookie]{
		match: func(c sentCookie) bool {
			date, err := http.ParseTime(c.date)
			return !c.Expires.IsZero() && err == nil && c.Expires.Before(date)
		},
		message: func(c sentCookie) string {
			date, err := http.ParseTime(c.date)
			switch {
			case c.Expires.IsZero():
				return fmt.Sprintf("cookie %s: want an Expires in the past, got %q", c.Name, c.RawExpires)
			case err != nil:
				return fmt.Sprintf("cookie %s: the answer has no parseable Date to compare Expires with", c.Name)
			}
			return fmt.Sprintf("cookie %s: want it expired, but Expires %s is not before the answer's Date %s", c.Name, c.Expires.UTC().Format(time.RFC1123), date.UTC().Format(time.RFC1123))
		},
	}
}

// beSessionCookie matches a CouchDB session cookie, base64url of
// "name:HEXTIME:HMAC", issued to *user (any when nil) and, when now, at the
// answer's Date and at Expires minus Max-Age, each to the second. Its
// message has one line per difference.
func beSessionCookie(user *string, now bool) matcher[sentCookie] {
	return matcher[sentCookie]{
		match:   func(c sentCookie) bool { return len(sessionCookieDiffs(c, user, now)) == 0 },
		message: func(c sentCookie) string { return strings.Join(sessionCookieDiffs(c, user, now), "\n") },
	}
}

func sessionCookieDiffs(c sentCookie, user *string, now bool) []string {
	decoded, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(c.value(), "="))
	parts := strings.SplitN(string(decoded), ":", 3)
	if err != nil || len(parts) != 3 {
		return []string{fmt.Sprintf("cookie %s: not a CouchDB session cookie (base64url of name:HEXTIME:HMAC)", c.Name)}
	}
	var out []string
	if user != nil && parts[0] != *user {
		out = append(out, fmt.Sprintf("cookie %s: issued to %q, want %q", c.Name, parts[0], *user))
	}
	if !now {
		return out
	}
	secs, err := strconv.ParseInt(parts[1], 16, 64)
	if err != nil {
		return append(out, fmt.Sprintf("cookie %s: issue time %q is not hexadecimal seconds", c.Name, parts[1]))
	}
	issued := time.Unix(secs, 0)
	near := func(t time.Time) bool { d := t.Sub(issued); return d >= -time.Second && d <= time.Second }
	if date, err := http.ParseTime(c.date); err != nil {
		out = append(out, fmt.Sprintf("cookie %s: the answer has no parseable Date to compare the issue time with", c.Name))
	} else if !near(date) {
		out = append(out, fmt.Sprintf("cookie %s: issued at %s, but the answer's Date is %s", c.Name, issued.UTC().Format(time.RFC1123), date.UTC().Format(time.RFC1123)))
	}
	if !c.Expires.IsZero() && c.MaxAge > 0 {
		if start := c.Expires.Add(-time.Duration(c.MaxAge) * time.Second); !near(start) {
			out = append(out, fmt.Sprintf("cookie %s: issued at %s, but Expires - Max-Age is %s", c.Name, issued.UTC().Format(time.RFC1123), start.UTC().Format(time.RFC1123)))
		}
	}
	return out
}
