package core

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"testing/iotest"
)

func TestJSONTooDeep(t *testing.T) {
	deep := func(n int, open, closing string) string {
		return strings.Repeat(open, n) + "1" + strings.Repeat(closing, n)
	}
	for _, c := range []struct {
		name string
		body string
		want bool
	}{
		{"arrays at the limit", deep(MaxJSONDepth, "[", "]"), false},
		{"arrays past the limit", deep(MaxJSONDepth+1, "[", "]"), true},
		{"objects at the limit", deep(MaxJSONDepth, `{"a":`, "}"), false},
		{"objects past the limit", deep(MaxJSONDepth+1, `{"a":`, "}"), true},
		{"mixed past the limit", deep(MaxJSONDepth/2+1, `[{"a":`, "}]"), true},
		{"unclosed past the limit", strings.Repeat("[", MaxJSONDepth+1), true},
		{"siblings do not add up", strings.Repeat(deep(MaxJSONDepth, "[", "]")+",", 3), false},
		{"brackets inside a string", `{"s":"` + strings.Repeat("[", 1000) + `"}`, false},
		{"escaped quote keeps the string open", `{"s":"\"` + strings.Repeat("[", 1000) + `"}`, false},
		{"escaped backslash closes the string", `["\\"` + strings.Repeat(",[", MaxJSONDepth) + "]", true},
		{"empty", "", false},
	} {
		if got := JSONTooDeep([]byte(c.body)); got != c.want {
			t.Errorf("%s: JSONTooDeep = %v, want %v", c.name, got, c.want)
		}
	}
}

// bodyRequest is a request whose body reads from rd, declared as n bytes
// (-1: chunked).
func bodyRequest(rd io.Reader, n int64) *http.Request {
	r := httptest.NewRequest("POST", "/", nil)
	r.Body, r.ContentLength = io.NopCloser(rd), n
	return r
}

func TestReadBody(t *testing.T) {
	want := strings.Repeat("x", 10000)
	for _, n := range []int64{int64(len(want)), -1, 0} {
		got, p, ok := ReadBody(bodyRequest(iotest.HalfReader(strings.NewReader(want)), n))
		if !ok || p != 0 || string(got) != want {
			t.Errorf("declared %d: got %d bytes, problem %v, ok %v", n, len(got), p, ok)
		}
	}
	for name, c := range map[string]struct {
		err  error
		want Problem
	}{
		"deadline":  {fmt.Errorf("read tcp: %w", os.ErrDeadlineExceeded), BodyTimeout},
		"too large": {&http.MaxBytesError{Limit: 1}, BodyTooLarge},
		"cut off":   {io.ErrUnexpectedEOF, BodyIncomplete},
		"other":     {errors.New("connection reset"), BodyIncomplete},
	} {
		for _, n := range []int64{1000, -1} {
			body, p, ok := ReadBody(bodyRequest(io.MultiReader(strings.NewReader("abc"), iotest.ErrReader(c.err)), n))
			if ok || body != nil || p != c.want {
				t.Errorf("%s, declared %d: got %q, problem %v, ok %v; want problem %v", name, n, body, p, ok, c.want)
			}
		}
	}
}

func TestProblemStatus(t *testing.T) {
	for p, want := range map[Problem]int{HeaderTooLarge: 431, BodyTooLarge: 413, BodyTimeout: 408, BodyIncomplete: 400, TooDeep: 400} {
		if got := p.Status(); got != want {
			t.Errorf("problem %d: status %d, want %d", p, got, want)
		}
	}
}
