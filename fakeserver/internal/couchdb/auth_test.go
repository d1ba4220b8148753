package couchdb_test

import (
	"net/http"
	"testing"

	"github.com/authconform/authconform/fakeserver"
)

// Two Authorization headers get a 400 that says so in the documented
// profile, whichever of them is good, on every path, anonymous-readable
// ones included; one header still works.
func TestCouchTwoAuthorizationHeadersInTheDocumentedProfile(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{Profile: fakeserver.ProfileDocumented})
	good, bad := basicAuth("admin", "secret"), basicAuth("admin", "wrong")
	for _, pair := range [][2]string{{good, bad}, {bad, good}, {good, good}} {
		for _, path := range []string{"/_session", "/db/document", "/authtest"} {
			w := couchDo(f, "GET", path, "", "Authorization", pair[0], "Authorization", pair[1])
			wantCouchError(t, w, http.StatusBadRequest, "bad_request", "Only one Authorization header is allowed.")
		}
	}
	if w := couchDo(f, "GET", "/authtest", "", "Authorization", good); w.Code != http.StatusOK {
		t.Fatalf("one good header: status %d %s", w.Code, w.Body)
	}
}
