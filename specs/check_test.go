package specs

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/authconform/authconform/fixtures"
)

// TestSessionCookieCheckCatchesTheDocumentsExample feeds the Cloudant
// document's own login reply to the cookie check: the example cookie was
// issued to "warmana" 124 s before the reply, so both checks must fail.
func TestSessionCookieCheckCatchesTheDocumentsExample(t *testing.T) {
	resp := &http.Response{Header: http.Header{
		"Date":       {"Fri, 11 Nov 2016 12:43:15 GMT"},
		"Set-Cookie": {`AuthSession="d2FybWFuYTo1ODI1QkM2NzpZelovo2epvx9cfaDdxJGNLuzBzw"; Expires=Sat, 12 Nov 2016 12:43:15 GMT; Max-Age=86400; Path=/; HttpOnly; Version=1`},
	}}
	want := fixtures.Response{Cookies: map[string]fixtures.CookieCheck{"AuthSession": {IssuedTo: "{{.User}}", IssuedNow: true}}}
	r := &fixtureRun{vars: fixtures.Vars{"User": "USERNAME"}}
	c := newCollector()
	r.checkCookies(c, resp, want)
	got := strings.Join(c.failures, "\n")
	for _, want := range []string{`issued to "warmana", want "USERNAME"`, "issued at Fri, 11 Nov 2016 12:41:11 UTC, but the answer's Date is Fri, 11 Nov 2016 12:43:15 UTC", "but Expires - Max-Age is Fri, 11 Nov 2016 12:43:15 UTC"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}

	// A cookie minted now for the right user passes.
	now := time.Now().UTC().Truncate(time.Second)
	value := base64.RawURLEncoding.EncodeToString([]byte("admin:" + strings.ToUpper(strconv.FormatInt(now.Unix(), 16)) + ":0123456789abcdef0123456789abcdef"))
	resp = &http.Response{Header: http.Header{
		"Date":       {now.Format(http.TimeFormat)},
		"Set-Cookie": {"AuthSession=" + value + "; Expires=" + now.Add(600*time.Second).Format(http.TimeFormat) + "; Max-Age=600; Path=/; HttpOnly"},
	}}
	c = newCollector()
	r.vars["User"] = "admin"
	r.checkCookies(c, resp, want)
	if len(c.failures) > 0 {
		t.Errorf("a correct cookie failed: %v", c.failures)
	}
}
