package specs

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gavv/httpexpect/v2"
	g "github.com/onsi/ginkgo/v2"

	"github.com/authconform/authconform/fixtures"
)

// step runs one step of the fixture and fails the spec with every mismatch.
func (r *fixtureRun) step(ctx context.Context, i int, st fixtures.Step) {
	if d, _ := st.Advance.Resolve(sessionTTL(r.vars)); d > 0 {
		if err := r.target.States.Advance(ctx, d); err != nil {
			r.skipOrError("moving the clock", err)
		}
	}
	if failures := r.exchange(ctx, st, false); len(failures) > 0 {
		g.Fail(strings.Join(failures, "\n"))
	}
}

// collector is an httpexpect Reporter that gathers failures instead of
// stopping at the first, so a report shows every mismatch of a step.
type collector struct{ failures []string }

func (c *collector) Errorf(format string, args ...any) {
	c.failures = append(c.failures, fmt.Sprintf(format, args...))
}

// exchange sends the step's request and checks the answer; it returns the
// failures (the hard ones; advisory mismatches become warnings).
func (r *fixtureRun) exchange(ctx context.Context, st fixtures.Step, quiet bool) []string {
	c := &collector{}
	rq := st.Request
	target, err := r.url(rq)
	if err != nil {
		return []string{err.Error()}
	}
	u, err := url.Parse(target)
	if err != nil {
		return []string{err.Error()}
	}
	base := &url.URL{Scheme: u.Scheme, User: u.User, Host: u.Host}
	e := httpexpect.WithConfig(httpexpect.Config{
		BaseURL:   base.String(),
		Client:    r.client,
		Reporter:  c,
		Formatter: &httpexpect.DefaultFormatter{DisableRequests: true, DisableResponses: true, ColorMode: httpexpect.ColorModeNever},
	})
	ctx, cancel := context.WithTimeout(ctx, r.timeout())
	defer cancel()
	req := e.Request(rq.Method, u.Path).WithContext(ctx)
	if u.RawQuery != "" {
		req = req.WithQueryString(u.RawQuery) // httpexpect would escape a "?" in the path
	}
	sent := http.Header{}
	for k, v := range rq.Headers {
		val, err := fixtures.Render(v, r.vars)
		if err != nil {
			return []string{fmt.Sprintf("header %s: %v", k, err)}
		}
		if http.CanonicalHeaderKey(k) == "Host" {
			req = req.WithHost(val)
		} else {
			req = req.WithHeader(k, val)
		}
		sent.Set(k, val)
	}
	body, err := r.body(rq)
	if err != nil {
		return []string{err.Error()}
	}
	if body != nil {
		if rq.JSON != nil && sent.Get("Content-Type") == "" {
			req = req.WithHeader("Content-Type", "application/json")
			sent.Set("Content-Type", "application/json")
		}
		req = req.WithBytes(body)
	}
	resp := req.Expect()
	raw := resp.Raw()
	if raw == nil {
		msg := fmt.Sprintf("error: %s %s: no answer from the target: %s", rq.Method, redactSecrets(RedactText(target), r.secrets()), strings.Join(c.failures, "; "))
		g.AddReportEntry(entryError, msg, g.ReportEntryVisibilityNever)
		return []string{msg}
	}
	got := resp.Body().Raw()
	r.record(rq.Method, target, sent, body, raw, got, quiet)
	if st.Mutates && raw.StatusCode/100 == 2 {
		r.mutated = true
	}

	want := st.Response
	wantStatus := fmt.Sprint(want.Status)
	if len(want.StatusIn) > 0 {
		wantStatus = fmt.Sprint(want.StatusIn)
	}
	if !quiet {
		g.AddReportEntry(entryStatus, fmt.Sprintf("%s %s: want %s, got %d", rq.Method, rq.Path, wantStatus, raw.StatusCode), g.ReportEntryVisibilityNever)
	}
	r.checkResponse(c, resp, raw, got, st)
	return c.failures
}

// checkResponse compares an answer with the step's expectations; hard
// mismatches go to c, advisory ones to r.warn.
func (r *fixtureRun) checkResponse(c *collector, resp *httpexpect.Response, raw *http.Response, got string, st fixtures.Step) {
	want := st.Response
	if len(want.StatusIn) > 0 {
		if !slices.Contains(want.StatusIn, raw.StatusCode) {
			c.Errorf("status: want one of %v, got %d", want.StatusIn, raw.StatusCode)
		}
	} else {
		resp.Status(want.Status)
	}
	r.checkHeaders(c, resp, raw, want)
	if want.EmptyBody && got != "" {
		c.Errorf("body: want empty, got %d bytes: %.200s", len(got), redactSecrets(got, r.secrets()))
	}
	if want.JSON != nil {
		r.checkJSON(c, want.JSON, raw, got)
	}
	r.checkCookies(c, raw, want)
	r.capture(c, st.Capture, raw, got)
}

func (r *fixtureRun) url(rq fixtures.Request) (string, error) {
	p, err := fixtures.Render(rq.Path, r.vars)
	if err != nil {
		return "", fmt.Errorf("path: %w", err)
	}
	full := strings.TrimSuffix(r.target.BaseURL, "/") + p
	if !rq.Userinfo {
		return full, nil
	}
	u, err := url.Parse(full)
	if err != nil {
		return "", err
	}
	user, _ := r.vars["User"].(string)
	pass, _ := r.vars["Password"].(string)
	u.User = url.UserPassword(user, pass)
	return u.String(), nil
}

func (r *fixtureRun) body(rq fixtures.Request) ([]byte, error) {
	switch {
	case rq.JSON != nil:
		v, err := fixtures.RenderValue(rq.JSON, r.vars)
		if err != nil {
			return nil, fmt.Errorf("json body: %w", err)
		}
		return json.Marshal(v)
	case rq.Body != "":
		s, err := fixtures.Render(rq.Body, r.vars)
		return []byte(s), err
	}
	return nil, nil
}

// warn records an advisory mismatch: reported, never a failure.
func (r *fixtureRun) warn(format string, args ...any) {
	msg := redactSecrets(fmt.Sprintf(format, args...), r.secrets())
	if r.warnings != nil { // a unit test collects them
		*r.warnings = append(*r.warnings, msg)
		return
	}
	g.AddReportEntry(entryWarning, msg, g.ReportEntryVisibilityNever)
}

// record keeps the redacted exchange in the report (shown on failure).
func (r *fixtureRun) record(method, target string, sent http.Header, body []byte, resp *http.Response, got string, quiet bool) {
	var b strings.Builder
	fmt.Fprintf(&b, "> %s %s\n", method, RedactText(target))
	writeHeaders(&b, "> ", sent)
	if len(body) > 0 {
		fmt.Fprintf(&b, ">\n> %.2000s\n", RedactText(string(body)))
	}
	fmt.Fprintf(&b, "< %s\n", resp.Status)
	writeHeaders(&b, "< ", resp.Header)
	if got != "" {
		fmt.Fprintf(&b, "<\n< %.2000s\n", got)
	}
	vis := g.ReportEntryVisibilityFailureOrVerbose
	if quiet {
		vis = g.ReportEntryVisibilityNever
	}
	g.AddReportEntry(entryExchange, redactSecrets(b.String(), r.secrets()), vis)
}

func writeHeaders(b *strings.Builder, prefix string, h http.Header) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			fmt.Fprintf(b, "%s%s: %s\n", prefix, k, RedactHeader(k, v))
		}
	}
}
