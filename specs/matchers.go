package specs

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/onsi/gomega/types"

	"github.com/authconform/authconform/fixtures"
)

// The checks' own gomega matchers: each says what was wanted and what came
// in one line, as reports show a mismatch.

// matcher is a gomega matcher from a test and its one-line message.
type matcher[T any] struct {
	match   func(T) bool
	message func(T) string
}

func (m matcher[T]) Match(actual any) (bool, error) {
	v, ok := actual.(T)
	if !ok {
		var want T
		return false, fmt.Errorf("want a %T, got %T", want, actual)
	}
	return m.match(v), nil
}

func (m matcher[T]) FailureMessage(actual any) string { return m.message(actual.(T)) }

func (m matcher[T]) NegatedFailureMessage(actual any) string { return "not " + m.message(actual.(T)) }

var _ types.GomegaMatcher = matcher[int]{}

// haveStatus matches a response whose status is one of want.
func haveStatus(want []int) types.GomegaMatcher {
	return matcher[*http.Response]{
		match: func(r *http.Response) bool { return slices.Contains(want, r.StatusCode) },
		message: func(r *http.Response) string {
			if len(want) == 1 {
				return fmt.Sprintf("status: want %d, got %d", want[0], r.StatusCode)
			}
			return fmt.Sprintf("status: want one of %v, got %d", want, r.StatusCode)
		},
	}
}

// beEmptyBody matches an empty body; the message shows the start of any
// other, secrets masked.
func beEmptyBody(secrets *Redactor) types.GomegaMatcher {
	return matcher[string]{
		match: func(body string) bool { return body == "" },
		message: func(body string) string {
			return fmt.Sprintf("body: want empty, got %d bytes: %.200s", len(body), secrets.Mask(body))
		},
	}
}

// haveHeader matches a response with header name matching value by the
// fixture's match kind ("" is exact).
func haveHeader(name, match, value string) types.GomegaMatcher {
	return matcher[http.Header]{
		match: func(h http.Header) bool {
			got, ok := h[http.CanonicalHeaderKey(name)]
			return ok && headerMatches(match, value, got[0])
		},
		message: func(h http.Header) string {
			got, ok := h[http.CanonicalHeaderKey(name)]
			switch {
			case !ok && match == fixtures.MatchPresent:
				return fmt.Sprintf("header %s: want it present, but it is absent", name)
			case !ok:
				return fmt.Sprintf("header %s: want %q, but it is absent", name, value)
			case match == "":
				return fmt.Sprintf("header %s: want %q, got %q", name, value, got[0])
			}
			return fmt.Sprintf("header %s: want %s %q, got %q", name, match, value, got[0])
		},
	}
}

// lackHeader matches a response without header name.
func lackHeader(name string) types.GomegaMatcher {
	return matcher[http.Header]{
		match:   func(h http.Header) bool { return len(h.Values(name)) == 0 },
		message: func(h http.Header) string { return fmt.Sprintf("header %s: want none, got %q", name, h.Values(name)) },
	}
}

// matchJSON matches a body holding want (in subset mode, objects may have
// more keys); its message has one line per difference, which the
// collector keeps as separate mismatches.
func matchJSON(want any, subset bool) types.GomegaMatcher {
	return matcher[string]{
		match:   func(body string) bool { return len(jsonDiffs(want, subset, body)) == 0 },
		message: func(body string) string { return strings.Join(jsonDiffs(want, subset, body), "\n") },
	}
}

// beCaptured matches a value a capture found, not "" (none).
func beCaptured(name, spec string) types.GomegaMatcher {
	return matcher[string]{
		match:   func(value string) bool { return value != "" },
		message: func(string) string { return fmt.Sprintf("capture %s: %s not found in the answer", name, spec) },
	}
}
