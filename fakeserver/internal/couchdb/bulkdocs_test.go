package couchdb_test

import (
	"encoding/json"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

// _bulk_docs and _all_docs as an app's test clean-up uses them
// (docs/reference/couchdb-3.5.0.md run 6; d numbers are its cases).

func bulk(f *fakeserver.Fake, db, body, auth string) *httptest.ResponseRecorder {
	return couchDo(f, "POST", "/"+db+"/_bulk_docs", body, "Authorization", auth, "Content-Type", jsonCT)
}

type bulkResult struct {
	OK     bool   `json:"ok"`
	ID     string `json:"id"`
	Rev    string `json:"rev"`
	Error  string `json:"error"`
	Reason string `json:"reason"`
}

func bulkResults(t *testing.T, w *httptest.ResponseRecorder) []bulkResult {
	t.Helper()
	if w.Code != 201 {
		t.Fatalf("_bulk_docs: %d %s, want 201", w.Code, w.Body)
	}
	var out []bulkResult
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Fatalf("_bulk_docs body %s: %v", w.Body, err)
	}
	return out
}

func TestBulkDocs(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{Profile: fakeserver.ProfileCouchDB35})
	// d2: creates, one with a generated id.
	w := bulk(f, "authtest", `{"docs":[{"_id":"a","v":1},{"_id":"b","v":2},{"v":3}]}`, tAdminB)
	if !regexp.MustCompile(`^\[\{"ok":true,"id":"a","rev":"1-[0-9a-f]{32}"\},\{"ok":true,"id":"b","rev":"1-[0-9a-f]{32}"\},\{"ok":true,"id":"[0-9a-f]{32}","rev":"1-[0-9a-f]{32}"\}\]$`).Match(w.Body.Bytes()[:w.Body.Len()-1]) {
		t.Fatalf("creates: %s", w.Body)
	}
	res := bulkResults(t, w)
	revA, revB := res[0].Rev, res[1].Rev
	// d3: conflicts are per document, the rest is written; an id twice in
	// one request conflicts the second time.
	w = bulk(f, "authtest", `{"docs":[{"_id":"a","v":9},{"_id":"b","_rev":"`+revB+`","v":22},{"_id":"c"},{"_id":"c","x":1}]}`, tAdminB)
	res = bulkResults(t, w)
	if len(res) != 4 || res[0] != (bulkResult{ID: "a", Error: "conflict", Reason: "Document update conflict."}) ||
		!res[1].OK || res[1].Rev[:2] != "2-" || !res[2].OK || res[3] != (bulkResult{ID: "c", Error: "conflict", Reason: "Document update conflict."}) {
		t.Fatalf("mixed: %s", w.Body)
	}
	want(t, couchDo(f, "GET", "/authtest/b", "", "Authorization", tAdminB), 200, `"v":22`)
	// Deletion with _deleted.
	res = bulkResults(t, bulk(f, "authtest", `{"docs":[{"_id":"a","_rev":"`+revA+`","_deleted":true}]}`, tAdminB))
	if !res[0].OK || res[0].Rev[:2] != "2-" {
		t.Fatalf("delete: %+v", res)
	}
	testkit.WantCouchError(t, couchDo(f, "GET", "/authtest/a", "", "Authorization", tAdminB), 404, "not_found", "deleted")
	want(t, bulk(f, "authtest", `{"docs":[]}`, tAdminB), 201, `[]`) // d10

	// Refusals of the whole request: nothing is written (d5-d13).
	for _, tc := range []struct{ body, couch, reason string }{
		{`{"docs":[{"_id":"d1"},{"_id":"d2","_rev":"bogus"}]}`, "bad_request", "Invalid rev format"},
		{`[1]`, "bad_request", "Request body must be a JSON object"},
		{`{}`, "bad_request", "POST body must include `docs` parameter."},
		{`{"docs":1}`, "bad_request", "`docs` parameter must be an array."},
		{`{"docs":[{"_id":"d1"},1]}`, "bad_request", "Document must be a JSON object"},
		{`{"docs":[{"_id":"d1"},{"_id":"f","_bogus":1}]}`, "doc_validation", "Bad special document member: _bogus"},
		{`{"docs":[{"_id":5}]}`, "illegal_docid", "Document id must be a string"},
		{`{"docs":[{"_id":"_bad"}]}`, "illegal_docid", "Only reserved document ids may start with underscore."},
	} {
		testkit.WantCouchError(t, bulk(f, "authtest", tc.body, tAdminB), 400, tc.couch, tc.reason)
	}
	testkit.WantCouchError(t, couchDo(f, "GET", "/authtest/d1", "", "Authorization", tAdminB), 404, "not_found", "missing")

	testkit.WantCouchError(t, couchDo(f, "POST", "/authtest/_bulk_docs", `{"docs":[]}`, "Authorization", tAdminB, "Content-Type", formCT), 415, "bad_content_type", "Content-Type must be application/json") // d16
	testkit.WantCouchError(t, couchDo(f, "GET", "/authtest/_bulk_docs", "", "Authorization", tAdminB), 405, "method_not_allowed", "Only POST allowed")                                                       // d17
	testkit.WantCouchError(t, bulk(f, "authtest", `{"docs":[{"_id":"j"}]}`, tAliceB), 403, "forbidden", wantNotAllowed)                                                                                      // d18
	testkit.WantCouchError(t, couchDo(f, "POST", "/authtest/_bulk_docs", `{"docs":[{"_id":"j"}]}`, "Content-Type", jsonCT), 401, "unauthorized", wantNotAuthorized)                                          // d19
}

// TestBulkDocsUsers: _users documents written by _bulk_docs are validated
// one by one and log in (or stop) as a PUT would make them (d40-d44).
func TestBulkDocsUsers(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{})
	res := bulkResults(t, bulk(f, "_users", `{"docs":[{"_id":"org.couchdb.user:bk1","name":"bk1","roles":[],"type":"user","password":"bk1pw"},{"_id":"org.couchdb.user:bk2","name":"bk2","type":"user"}]}`, tAdminB))
	if len(res) != 2 || !res[0].OK || res[1] != (bulkResult{ID: "org.couchdb.user:bk2", Error: "forbidden", Reason: "doc.roles must exist"}) {
		t.Fatalf("_users bulk: %+v", res)
	}
	if got := basicName(t, f, "bk1", "bk1pw"); got != "bk1" {
		t.Fatalf("bk1 after _bulk_docs: %q", got)
	}
	res = bulkResults(t, bulk(f, "_users", `{"docs":[{"_id":"org.couchdb.user:bk1","_rev":"`+res[0].Rev+`","_deleted":true}]}`, tAdminB))
	if !res[0].OK {
		t.Fatalf("delete bk1: %+v", res)
	}
	if got := basicName(t, f, "bk1", "bk1pw"); got != "" {
		t.Fatalf("bk1 still logs in as %q after its deletion", got)
	}
}

func TestAllDocs(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{Profile: fakeserver.ProfileCouchDB35})
	res := bulkResults(t, bulk(f, "authtest", `{"docs":[{"_id":"a","v":1},{"_id":"b","v":2},{"_id":"gone"}]}`, tAdminB))
	revA, revB, revGone := res[0].Rev, res[1].Rev, res[2].Rev
	w := couchDo(f, "DELETE", "/authtest/gone?rev="+revGone, "", "Authorization", tAdminB)
	revGone = revOf(t, w)
	post := func(query, body string) *httptest.ResponseRecorder {
		return couchDo(f, "POST", "/authtest/_all_docs"+query, body, "Authorization", tAdminB, "Content-Type", jsonCT)
	}
	rowA := `{"id":"a","key":"a","value":{"rev":"` + revA + `"}`
	rowB := `{"id":"b","key":"b","value":{"rev":"` + revB + `"}`
	docA := `"doc":{"_id":"a","_rev":"` + revA + `","v":1}}`
	docB := `"doc":{"_id":"b","_rev":"` + revB + `","v":2}}`
	want(t, couchDo(f, "GET", "/authtest/_all_docs", "", "Authorization", tAdminB), 200, `{"total_rows":2,"offset":0,"rows":[`+rowA+`},`+rowB+`}]}`)
	want(t, couchDo(f, "GET", "/authtest/_all_docs?include_docs=true", "", "Authorization", tAdminB), 200, `{"total_rows":2,"offset":0,"rows":[`+rowA+`,`+docA+`,`+rowB+`,`+docB+`]}`) // d22
	// d23: keys in their order, repeated, missing; offset null.
	want(t, post("", `{"keys":["b","a","zzz","b"]}`), 200, `{"total_rows":2,"offset":null,"rows":[`+rowB+`},`+rowA+`},{"key":"zzz","error":"not_found"},`+rowB+`}]}`)
	want(t, post("?include_docs=true", `{"keys":["b","zzz"]}`), 200, `"rows":[`+rowB+`,`+docB+`,{"key":"zzz","error":"not_found"}]}`) // d24
	want(t, post("", `{"keys":["b"],"include_docs":true}`), 200, `"rows":[`+rowB+`,`+docB+`]}`)                                       // d25
	want(t, post("", `{"keys":[1]}`), 200, `"rows":[{"key":1,"error":"not_found"}]}`)                                                 // d28
	want(t, post("", `{"keys":["b"],"bogus":1}`), 200, `"rows":[`+rowB+`}]}`)                                                         // d32
	want(t, post("", `{}`), 200, `{"total_rows":2,"offset":0,"rows":[`+rowA+`},`+rowB+`}]}`)                                          // d26
	// A deleted document's row (CouchDB's documented shape).
	want(t, post("?include_docs=true", `{"keys":["gone"]}`), 200, `"rows":[{"id":"gone","key":"gone","value":{"rev":"`+revGone+`","deleted":true},"doc":null}]}`)

	testkit.WantCouchError(t, post("", `{"keys":"b"}`), 400, "bad_request", "`keys` body member must be an array.")                                                                                            // d27
	testkit.WantCouchError(t, post("", `nope`), 400, "bad_request", "invalid UTF-8 JSON")                                                                                                                      // d29
	testkit.WantCouchError(t, post("", `[1]`), 400, "bad_request", "Request body must be a JSON object")                                                                                                       // d30
	testkit.WantCouchError(t, couchDo(f, "POST", "/authtest/_all_docs", `{"keys":["b"]}`, "Authorization", tAdminB, "Content-Type", formCT), 415, "bad_content_type", "Content-Type must be application/json") // d31
	testkit.WantCouchError(t, couchDo(f, "GET", "/authtest/_all_docs?include_docs=yes", "", "Authorization", tAdminB), 400, "query_parse_error", `Invalid boolean parameter: "yes"`)                           // d33
	want(t, couchDo(f, "GET", `/authtest/_all_docs?keys=%5B%22b%22%5D`, "", "Authorization", tAdminB), 200, `"rows":[`+rowB+`}]}`)                                                                             // d34
	testkit.WantCouchError(t, couchDo(f, "GET", "/authtest/_all_docs?limit=1", "", "Authorization", tAdminB), 404, "not_found", "authconform's CouchDB fake does not implement the _all_docs option limit")
	testkit.WantCouchError(t, couchDo(f, "POST", "/authtest/_all_docs", `{"keys":["b"]}`, "Authorization", tAliceB, "Content-Type", jsonCT), 403, "forbidden", wantNotAllowed)                     // d37
	testkit.WantCouchError(t, couchDo(f, "POST", "/_users/_all_docs", `{"keys":["b"]}`, "Authorization", tAliceB, "Content-Type", jsonCT), 401, "unauthorized", wantNotAdmin)                      // d39
	want(t, couchDo(f, "POST", "/_users/_all_docs?include_docs=true", `{"keys":["org.couchdb.user:alice"]}`, "Authorization", tAdminB, "Content-Type", jsonCT), 200, `"password_scheme":"pbkdf2"`) // d38
}

// TestBulkDocsDeleteMissing: deleting a document that is not there leaves
// a tombstone (d50); a new document with a revision conflicts (d51).
func TestBulkDocsDeleteMissing(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{})
	res := bulkResults(t, bulk(f, "authtest", `{"docs":[{"_id":"nope","_deleted":true},{"_id":"nope2","_rev":"1-abc"}]}`, tAdminB))
	if len(res) != 2 || !res[0].OK || res[0].Rev[:2] != "1-" || res[1] != (bulkResult{ID: "nope2", Error: "conflict", Reason: "Document update conflict."}) {
		t.Fatalf("%+v", res)
	}
	testkit.WantCouchError(t, couchDo(f, "GET", "/authtest/nope", "", "Authorization", tAdminB), 404, "not_found", "deleted")
}
