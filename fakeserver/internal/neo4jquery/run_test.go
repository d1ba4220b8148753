package neo4jquery_test

import (
	"net/http"
	"testing"

	"github.com/authconform/authconform/fakeserver"
)

// TestNeo4jQueryRequestFieldTypes: the optional fields of a query request
// bind to their types, and a field that does not bind is the 400 "Bad
// Request" of docs/reference/neo4j-auth.md §5 Q4 (accessMode "bananas");
// a well-typed or null one is accepted (Q1).
func TestNeo4jQueryRequestFieldTypes(t *testing.T) {
	for _, c := range []struct {
		name, body string
		status     int
	}{
		{"bookmarks, a list of strings", `{"statement":"RETURN 1","bookmarks":["FB:abc"]}`, http.StatusAccepted},
		{"bookmarks, null", `{"statement":"RETURN 1","bookmarks":null}`, http.StatusAccepted},
		{"bookmarks, a number", `{"statement":"RETURN 1","bookmarks":1}`, http.StatusBadRequest},
		{"bookmarks, a list of numbers", `{"statement":"RETURN 1","bookmarks":[1]}`, http.StatusBadRequest},
		{"includeCounters, a string", `{"statement":"RETURN 1","includeCounters":"yes"}`, http.StatusBadRequest},
		{"accessMode, write in lower case", `{"statement":"RETURN 1","accessMode":"write"}`, http.StatusAccepted},
		{"accessMode, a number", `{"statement":"RETURN 1","accessMode":1}`, http.StatusBadRequest},
		{"impersonatedUser, a number", `{"statement":"RETURN 1","impersonatedUser":1}`, http.StatusBadRequest},
	} {
		for _, profile := range []fakeserver.Profile{fakeserver.ProfileDocumented, fakeserver.ProfileNeo4j5} {
			w := nqDo(nqFake(t, profile, nil), nqReq{body: c.body, headers: map[string]string{"Authorization": nqAuth}})
			if w.Code != c.status {
				t.Errorf("%s, %s: %d %s, want %d", profile, c.name, w.Code, w.Body, c.status)
				continue
			}
			if c.status == http.StatusBadRequest {
				if e := nqError(t, w); e.Code != "Neo.ClientError.Request.Invalid" || e.Message != "Bad Request" {
					t.Errorf("%s, %s: %+v", profile, c.name, e)
				}
			}
		}
	}
}
