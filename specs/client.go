package specs

import (
	"fmt"
	"io"
	"net/http"
)

// MaxBody is the most of a response body the suite reads; a larger body
// is an error for that step, never unbounded memory.
const MaxBody = 1 << 20

// ErrBodyTooLarge marks a response body larger than MaxBody.
var ErrBodyTooLarge = fmt.Errorf("response body larger than %d bytes (1 MiB); the suite reads no more", MaxBody)

// safeClient is c (or a default client) made safe for a live target: it
// never follows a redirect, since a redirect would carry credentials to
// wherever the server points, and it reads at most MaxBody of any body.
// The copy shares c's transport and timeout.
func safeClient(c *http.Client) *http.Client {
	out := &http.Client{}
	if c != nil {
		*out = *c
	}
	out.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if _, ok := out.Transport.(cappedTransport); !ok {
		out.Transport = cappedTransport{out.Transport}
	}
	return out
}

// SafeClient is c (or a default client, for c nil) made safe for a live
// target: it never follows a redirect, which would carry credentials to
// wherever the server points, and reads at most MaxBody of any body.
func SafeClient(c *http.Client) *http.Client { return safeClient(c) }

// cappedTransport wraps every response body in a cappedBody.
type cappedTransport struct{ next http.RoundTripper }

func (t cappedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	next := t.next
	if next == nil {
		next = http.DefaultTransport
	}
	resp, err := next.RoundTrip(req)
	if err == nil && resp.Body != nil {
		resp.Body = &cappedBody{body: resp.Body, left: MaxBody}
	}
	return resp, err
}

// cappedBody reads up to MaxBody bytes, then fails with ErrBodyTooLarge.
type cappedBody struct {
	body io.ReadCloser
	left int64
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One more byte tells a body of exactly MaxBody from a larger one.
		var one [1]byte
		if n, _ := b.body.Read(one[:]); n > 0 {
			return 0, ErrBodyTooLarge
		}
		return b.body.Read(p[:0])
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.body.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *cappedBody) Close() error { return b.body.Close() }
