package core

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestUnknownStateNamesKnown(t *testing.T) {
	err := UnknownState("nope", []string{"a", "b"})
	if err == nil || !strings.Contains(err.Error(), `"nope"`) || !strings.Contains(err.Error(), "[a b]") {
		t.Fatalf("%v", err)
	}
}

// TestHeaderSizeCountsEveryHeader: each header counts its name, value and
// ": " and CRLF; every value of a repeated header counts.
func TestHeaderSizeCountsEveryHeader(t *testing.T) {
	r := &http.Request{RequestURI: "/abc", Header: http.Header{"A": {"12", "345"}, "Bb": {"6"}}}
	if got, want := headerSize(r), 4+(1+2+4)+(1+3+4)+(2+1+4); got != want {
		t.Fatalf("headerSize %d, want %d", got, want)
	}
}

// recordingFlavor records what ServeLimited lets through or refuses.
type recordingFlavor struct {
	problem Problem
	served  bool
	read    int
	readErr error
}

func (f *recordingFlavor) ServeHTTP(_ http.ResponseWriter, r *http.Request) {
	f.served = true
	b, err := io.ReadAll(r.Body)
	f.read, f.readErr = len(b), err
}

func (f *recordingFlavor) EnterState(string) (map[string]string, error) { return nil, nil }

func (f *recordingFlavor) States() []string { return nil }

func (f *recordingFlavor) WriteProblem(_ http.ResponseWriter, _ *http.Request, p Problem) {
	f.problem = p
}

func serveLimited(r *http.Request, maxBody int64) *recordingFlavor {
	fl := &recordingFlavor{}
	ServeLimited(fl, maxBody, time.Second, httptest.NewRecorder(), r)
	return fl
}

// TestServeLimitedEdges: a header block of exactly MaxHeaderBytes and a
// declared body of exactly the limit are served; one byte more is the
// flavor's problem, before the body is read. A body longer than it
// declares is cut at the limit.
func TestServeLimitedEdges(t *testing.T) {
	header := func(size int) *http.Request {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header = http.Header{"X": {strings.Repeat("v", size-len("/")-len("X")-4)}}
		return r
	}
	if fl := serveLimited(header(MaxHeaderBytes), 10); !fl.served || fl.problem != 0 {
		t.Errorf("a header block of MaxHeaderBytes: %+v", fl)
	}
	if fl := serveLimited(header(MaxHeaderBytes+1), 10); fl.served || fl.problem != HeaderTooLarge {
		t.Errorf("a header block over MaxHeaderBytes: %+v", fl)
	}
	body := func(n int) *http.Request {
		return httptest.NewRequest("POST", "/", strings.NewReader(strings.Repeat("b", n)))
	}
	if fl := serveLimited(body(10), 10); !fl.served || fl.read != 10 || fl.readErr != nil {
		t.Errorf("a body of the limit: %+v", fl)
	}
	if fl := serveLimited(body(11), 10); fl.served || fl.problem != BodyTooLarge {
		t.Errorf("a declared body over the limit: %+v", fl)
	}
	r := body(11)
	r.ContentLength = -1 // chunked: the size is known only by reading
	fl := serveLimited(r, 10)
	var tooBig *http.MaxBytesError
	if !fl.served || fl.read != 10 || !errors.As(fl.readErr, &tooBig) {
		t.Errorf("an undeclared body over the limit: %+v", fl)
	}
	if fl := serveLimited(httptest.NewRequest("GET", "/", nil), 10); !fl.served || fl.read != 0 || fl.readErr != nil {
		t.Errorf("no body: %+v", fl)
	}
}

// deadlineRecorder is a ResponseWriter that takes read deadlines, as a
// server connection's does.
type deadlineRecorder struct {
	*httptest.ResponseRecorder
	deadlines []time.Time
}

func (d *deadlineRecorder) SetReadDeadline(t time.Time) error {
	d.deadlines = append(d.deadlines, t)
	return nil
}

// TestServeLimitedBodyDeadline: a request with a body gets the body's own
// read deadline (so a body that stops half-way is a 408, not a hang until
// the listener's ReadTimeout); one without a body gets none.
func TestServeLimitedBodyDeadline(t *testing.T) {
	for _, tc := range []struct {
		name string
		body io.Reader
		want int
	}{
		{"a body", strings.NewReader("x"), 1},
		{"no body", nil, 0},
	} {
		w := &deadlineRecorder{ResponseRecorder: httptest.NewRecorder()}
		before := time.Now()
		ServeLimited(&recordingFlavor{}, 10, time.Minute, w, httptest.NewRequest("POST", "/", tc.body))
		if len(w.deadlines) != tc.want {
			t.Errorf("%s: %d read deadlines, want %d", tc.name, len(w.deadlines), tc.want)
			continue
		}
		if tc.want == 1 && (w.deadlines[0].Before(before.Add(time.Minute)) || w.deadlines[0].After(time.Now().Add(time.Minute))) {
			t.Errorf("%s: deadline %v, want a minute from %v", tc.name, w.deadlines[0], before)
		}
	}
}
