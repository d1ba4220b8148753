package specs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gavv/httpexpect/v2"
	"github.com/onsi/gomega"
	"github.com/onsi/gomega/types"

	"github.com/authconform/authconform/fixtures"
	"github.com/authconform/authconform/specs/report"
)

// collector gathers every mismatch of a step instead of stopping at the
// first: it is the fail handler of the step's gomega matchers and the
// AssertionHandler of its httpexpect exchange.
type collector struct {
	failures []string
	gm       gomega.Gomega
}

func newCollector() *collector {
	c := &collector{}
	c.gm = gomega.NewGomega(func(message string, _ ...int) {
		// A matcher gives one line per mismatch (matchJSON may give several).
		for _, line := range strings.Split(message, "\n") {
			if line != "" {
				c.failures = append(c.failures, line)
			}
		}
	})
	return c
}

// expect checks actual with a matcher; a mismatch is recorded, not fatal.
func (c *collector) expect(actual any, m types.GomegaMatcher) { c.gm.Expect(actual).To(m) }

// Errorf records what no matcher judges: a fixture template that does not
// render.
func (c *collector) Errorf(format string, args ...any) {
	c.failures = append(c.failures, fmt.Sprintf(format, args...))
}

// Success is httpexpect's report of an assertion that held.
func (c *collector) Success(*httpexpect.AssertionContext) {}

// Failure is httpexpect's report of a failed assertion (for an exchange,
// a request that got no answer), kept as one line.
func (c *collector) Failure(_ *httpexpect.AssertionContext, f *httpexpect.AssertionFailure) {
	msgs := make([]string, 0, len(f.Errors))
	for _, err := range f.Errors {
		msgs = append(msgs, strings.Join(strings.Fields(err.Error()), " "))
	}
	c.failures = append(c.failures, strings.Join(msgs, ": "))
}

// exchange sends the step's request and checks the answer. The step
// carries the hard mismatches and the warnings; the error is set when no
// answer came or the request could not be made.
func (r *fixtureRun) exchange(ctx context.Context, st fixtures.Step) (report.Step, error) {
	rq := st.Request
	step := report.Step{Name: st.Name, Method: rq.Method, Want: wanted(st.Response), Example: example(r.fx, st)}
	step.Path = rq.Path
	fail := func(err error) (report.Step, error) {
		err = errors.New(r.secrets().Mask(err.Error()))
		step.Exchange.Request = step.Method + " " + step.Path
		return step, err
	}
	target, err := r.url(rq)
	if err != nil {
		return fail(err)
	}
	u, err := url.Parse(target)
	if err != nil {
		return fail(err)
	}
	step.Path = r.secrets().Mask(u.RequestURI())
	c := newCollector()
	base := &url.URL{Scheme: u.Scheme, User: u.User, Host: u.Host}
	e := httpexpect.WithConfig(httpexpect.Config{BaseURL: base.String(), Client: r.client, AssertionHandler: c})
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
			return fail(fmt.Errorf("header %s: %w", k, err))
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
		return fail(err)
	}
	if body != nil {
		if rq.JSON != nil && sent.Get("Content-Type") == "" {
			req = req.WithHeader("Content-Type", "application/json")
			sent.Set("Content-Type", "application/json")
		}
		req = req.WithBytes(body)
	}
	if st.Mutates && !r.mutated {
		// Told to the Guard and counted as applied before it is sent: a
		// timeout, a cancellation or a lost answer may still have changed
		// the target.
		if err := r.beforeChange(ctx); err != nil {
			return fail(err)
		}
		r.mutated = true
	}
	resp := req.Expect()
	raw := resp.Raw()
	step.Exchange.Request = r.requestText(rq.Method, target, sent, body)
	if raw == nil {
		return fail(fmt.Errorf("%s %s: no answer from the target: %s", rq.Method, step.Path, strings.Join(c.failures, "; ")))
	}
	got := resp.Body().Raw()
	for _, ck := range raw.Cookies() {
		// A session the target just opened is as secret as a password,
		// wherever the target echoes it next.
		r.learned = append(r.learned, ck.Value)
	}
	for _, f := range c.failures {
		if strings.Contains(f, ErrBodyTooLarge.Error()) {
			return fail(fmt.Errorf("%s %s: %w", rq.Method, step.Path, ErrBodyTooLarge))
		}
	}
	step.Got = raw.StatusCode
	if c := r.target.Cluster; c != nil && c.NodeHeader != "" {
		step.Node = raw.Header.Get(c.NodeHeader)
	}
	step.Exchange.Response = r.responseText(raw, got)
	r.warnings = &step.Warnings
	r.checkResponse(c, raw, got, st)
	for _, f := range c.failures {
		step.Mismatches = append(step.Mismatches, r.secrets().Mask(f))
	}
	return step, nil
}

// beforeChange lets the Guard prepare for the fixture's first change of
// the target (a live target's journals it).
func (r *fixtureRun) beforeChange(ctx context.Context) error {
	if r.target.Guard == nil {
		return nil
	}
	note, err := r.target.Guard.BeforeChange(ctx, r.fx, r.stringVars())
	if note != "" && r.target.Progress != nil {
		r.target.Progress(note, 0)
	}
	return err
}

// wanted are a response's accepted statuses.
func wanted(want fixtures.Response) []int {
	if len(want.StatusIn) > 0 {
		return slices.Clone(want.StatusIn)
	}
	return []int{want.Status}
}

// checkResponse compares an answer with the step's expectations; hard
// mismatches go to c, advisory ones to r.warn.
func (r *fixtureRun) checkResponse(c *collector, raw *http.Response, got string, st fixtures.Step) {
	want := st.Response
	c.expect(raw, haveStatus(wanted(want)))
	r.checkHeaders(c, raw, want)
	if want.EmptyBody {
		c.expect(got, beEmptyBody(r.secrets()))
	}
	if want.JSON != nil {
		r.checkJSON(c, want.JSON, got)
	}
	r.checkCookies(c, raw, want)
	r.capture(c, st.Capture, raw, got)
}

func (r *fixtureRun) url(rq fixtures.Request) (string, error) {
	p, err := fixtures.Render(rq.Path, r.vars)
	if err != nil {
		return "", fmt.Errorf("path: %w", err)
	}
	base := r.base
	if base == "" { // a restore replayed from a journal
		base = r.target.BaseURL
	}
	full := strings.TrimSuffix(base, "/") + p
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
	msg := r.secrets().Mask(fmt.Sprintf(format, args...))
	if r.warnings != nil {
		*r.warnings = append(*r.warnings, msg)
	}
}

// requestText is the request as sent, credentials masked: known secrets
// whole first, then what looks like one, and only then cut to length, so
// that no part of a secret is left at the cut.
func (r *fixtureRun) requestText(method, target string, sent http.Header, body []byte) string {
	red := r.secrets()
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", method, red.Mask(target))
	writeHeaders(&b, sent)
	if len(body) > 0 {
		fmt.Fprintf(&b, "\n%.2000s\n", red.Mask(string(body)))
	}
	return red.MaskSecrets(b.String())
}

// responseText is the answer as received, credentials masked as in
// requestText.
func (r *fixtureRun) responseText(resp *http.Response, body string) string {
	red := r.secrets()
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", resp.Proto, resp.Status)
	writeHeaders(&b, resp.Header)
	if body != "" {
		fmt.Fprintf(&b, "\n%.2000s\n", red.Mask(body))
	}
	return red.Mask(b.String())
}

func writeHeaders(b *strings.Builder, h http.Header) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			fmt.Fprintf(b, "%s: %s\n", k, redactHeader(k, v))
		}
	}
}

// example is the document's printed request for a step, rendered with the
// document's own values, when the fixture keeps its literal headers.
func example(fx fixtures.Fixture, st fixtures.Step) *report.Exchange {
	if len(st.Request.DocHeaders) == 0 {
		return nil
	}
	vars := fixtures.Vars{}
	for k, v := range fx.DocVars {
		vars[k] = v
	}
	path, err := fixtures.Render(st.Request.Path, vars)
	if err != nil {
		path = st.Request.Path
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", st.Request.Method, path)
	h := http.Header{}
	for k, v := range st.Request.DocHeaders {
		h.Set(k, v)
	}
	writeHeaders(&b, h)
	return &report.Exchange{Request: RedactText(b.String())}
}
