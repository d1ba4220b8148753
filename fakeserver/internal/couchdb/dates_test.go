package couchdb_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/authconform/authconform/fakeserver"
)

func TestDateHeaderFollowsTheFakesClock(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{})
	for _, step := range []struct {
		advance time.Duration
		want    string
	}{
		{0, "Sun, 22 Nov 2026 14:49:07 GMT"},
		{999 * time.Millisecond, "Sun, 22 Nov 2026 14:49:07 GMT"},
		{time.Millisecond, "Sun, 22 Nov 2026 14:49:08 GMT"},
		{time.Hour, "Sun, 22 Nov 2026 15:49:08 GMT"},
	} {
		f.Advance(step.advance)
		for _, path := range []string{"/", "/_session"} {
			w := couchDo(f, http.MethodGet, path, "")
			if got := w.Header().Values("Date"); len(got) != 1 || got[0] != step.want {
				t.Errorf("after %v more, GET %s: Date %q, want %q", step.advance, path, got, step.want)
			}
		}
	}
}
