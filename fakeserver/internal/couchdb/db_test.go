package couchdb_test

import (
	"net/http"
	"testing"

	"github.com/authconform/authconform/fakeserver"
)

// The bare and over-long _design and _local paths, answered as chttpd_db's
// db_req clauses of CouchDB 3.5.0 answer them. Anonymous reads of the public
// "db" reached these branches and once panicked.
func TestCouchDesignAndLocalPrefixesWithoutADocument(t *testing.T) {
	for _, p := range []fakeserver.Profile{fakeserver.ProfileDocumented, fakeserver.ProfileCouchDB35} {
		f := newCouchFake(t, fakeserver.Options{Profile: p})
		admin := basicAuth("admin", "secret")
		tests := []struct {
			method, path, body string
			auth               string
			status             int
			couch, reason      string
		}{
			{"GET", "/db/_local", "", "", 400, "bad_request", "Invalid _local document id."},
			{"GET", "/db/_local/", "", "", 400, "bad_request", "Invalid _local document id."},
			{"GET", "/db/_local/x/att", "", "", 400, "bad_request", "_local documents do not accept attachments."},
			{"GET", "/db/_local/x", "", "", 404, "not_found", "missing"},
			// "_design" alone is a document id no one can create.
			{"GET", "/db/_design", "", "", 404, "not_found", "missing"},
			{"GET", "/db/_design/", "", "", 404, "not_found", "missing"},
			{"DELETE", "/db/_design", "", admin, 404, "not_found", "missing"},
			{"PUT", "/db/_design", "{}", admin, 400, "illegal_docid", "Only reserved document ids may start with underscore."},
			{"GET", "/db/_design/d/_view/v", "", "", 404, "not_found", "authconform's CouchDB fake does not implement /db/_design/d/... (views, shows, lists, attachments)"},
		}
		for _, tc := range tests {
			t.Run(string(p)+" "+tc.method+" "+tc.path, func(t *testing.T) {
				headers := []string{"Content-Type", "application/json"}
				if tc.auth != "" {
					headers = append(headers, "Authorization", tc.auth)
				}
				wantCouchError(t, couchDo(f, tc.method, tc.path, tc.body, headers...), tc.status, tc.couch, tc.reason)
			})
		}
	}
}

// A design document is still read and written at /{db}/_design/{name}.
func TestCouchDesignDocumentRoundTrip(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{})
	admin := basicAuth("admin", "secret")
	if w := couchDo(f, "PUT", "/db/_design/d", `{"views":{}}`, "Authorization", admin, "Content-Type", "application/json"); w.Code != http.StatusCreated {
		t.Fatalf("PUT: status %d %s", w.Code, w.Body)
	}
	if w := couchDo(f, "GET", "/db/_design/d", ""); w.Code != http.StatusOK {
		t.Fatalf("GET: status %d %s", w.Code, w.Body)
	}
}
