package specs

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestSafeClientCapsBodies: a body of MaxBody bytes is read whole, one
// byte more is ErrBodyTooLarge, and memory stays bounded either way.
func TestSafeClientCapsBodies(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		size    int
		tooLong bool
	}{{MaxBody, false}, {MaxBody + 1, true}, {400 << 20, true}} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			chunk := []byte(strings.Repeat("x", 1<<16))
			for left := tc.size; left > 0; left -= len(chunk) {
				if _, err := w.Write(chunk[:min(left, len(chunk))]); err != nil {
					return
				}
			}
		}))
		resp, err := safeClient(nil).Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		n, err := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		srv.Close()
		if got := errors.Is(err, ErrBodyTooLarge); got != tc.tooLong || n > MaxBody {
			t.Errorf("body of %d bytes: read %d, error %v; want too-long=%v and at most %d bytes", tc.size, n, err, tc.tooLong, MaxBody)
		}
	}
}

// TestSafeClientFollowsNoRedirect: even a caller's client that follows
// redirects stops at the 3xx; the place it points to gets nothing.
func TestSafeClientFollowsNoRedirect(t *testing.T) {
	t.Parallel()
	var reached atomic.Int32
	sink := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached.Add(1) }))
	defer sink.Close()
	redirecting := httptest.NewServer(http.RedirectHandler(sink.URL+"/elsewhere", http.StatusTemporaryRedirect))
	defer redirecting.Close()
	following := &http.Client{} // the default policy follows up to 10 redirects
	req, _ := http.NewRequest(http.MethodGet, redirecting.URL, nil)
	req.SetBasicAuth("admin", "secret")
	resp, err := safeClient(following).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTemporaryRedirect || reached.Load() != 0 {
		t.Errorf("status %d, sink reached %d times; want 307 and 0", resp.StatusCode, reached.Load())
	}
	if following.CheckRedirect != nil {
		t.Error("safeClient changed the caller's client")
	}
}
