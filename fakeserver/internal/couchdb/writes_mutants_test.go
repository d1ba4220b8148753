package couchdb_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/fakeserver/internal/core"
	"github.com/authconform/authconform/fakeserver/internal/couchdb"
)

// TestCouchDatabaseLimit: the fake holds at most 1,000 databases, a bound
// on its memory: creating up to that many works, one more is a 413, and
// deleting one makes room again.
func TestCouchDatabaseLimit(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{})
	var existing []string
	if err := json.Unmarshal(couchDo(f, "GET", "/_all_dbs", "", "Authorization", tAdminB).Body.Bytes(), &existing); err != nil {
		t.Fatal(err)
	}
	for i := len(existing); i < 1000; i++ {
		if w := couchDo(f, "PUT", fmt.Sprintf("/db%04d", i), "", "Authorization", tAdminB); w.Code != http.StatusCreated {
			t.Fatalf("database %d of 1000: %d %s", i+1, w.Code, w.Body)
		}
	}
	wantCouchError(t, couchDo(f, "PUT", "/onetoomany", "", "Authorization", tAdminB), http.StatusRequestEntityTooLarge, "too_large", "")
	want(t, couchDo(f, "DELETE", "/db0999", "", "Authorization", tAdminB), 200, `{"ok":true}`)
	want(t, couchDo(f, "PUT", "/onetoomany", "", "Authorization", tAdminB), 201, `{"ok":true}`)
}

// TestCouchDeleteByPut: a PUT with "_deleted": true and the current rev
// deletes the document, and the database info counts it under
// doc_del_count, not doc_count.
func TestCouchDeleteByPut(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{})
	want(t, couchDo(f, "PUT", "/scratch1", "", "Authorization", tAdminB), 201, `{"ok":true}`)
	put := func(path, body string) *httptest.ResponseRecorder {
		return couchDo(f, "PUT", path, body, "Authorization", tAdminB, "Content-Type", jsonCT)
	}
	for _, id := range []string{"keep", "gone"} {
		if w := put("/scratch1/"+id, `{"a":1}`); w.Code != 201 {
			t.Fatalf("create %s: %d %s", id, w.Code, w.Body)
		}
	}
	w := couchDo(f, "GET", "/scratch1/gone", "", "Authorization", tAdminB)
	rev := revOfDoc(t, w.Body.Bytes())
	if w := put("/scratch1/gone", `{"_rev":"`+rev+`","_deleted":true}`); w.Code/100 != 2 {
		t.Fatalf("delete by PUT: %d %s", w.Code, w.Body)
	}
	wantCouchError(t, couchDo(f, "GET", "/scratch1/gone", "", "Authorization", tAdminB), 404, "not_found", "deleted")
	var info struct {
		DocCount    int `json:"doc_count"`
		DocDelCount int `json:"doc_del_count"`
	}
	if err := json.Unmarshal(couchDo(f, "GET", "/scratch1", "", "Authorization", tAdminB).Body.Bytes(), &info); err != nil || info.DocCount != 1 || info.DocDelCount != 1 {
		t.Fatalf("database info: %+v, %v", info, err)
	}
}

func revOfDoc(t *testing.T, body []byte) string {
	t.Helper()
	var doc struct {
		Rev string `json:"_rev"`
	}
	if err := json.Unmarshal(body, &doc); err != nil || doc.Rev == "" {
		t.Fatalf("no _rev in %s", body)
	}
	return doc.Rev
}

// TestCouchLocationEncoding is couch_util:url_encode in a created
// document's Location: letters, digits and "_.-:" kept, every other byte
// %XX in upper case, the edges of each range included.
func TestCouchLocationEncoding(t *testing.T) {
	f := newCouchFake(t, fakeserver.Options{})
	want(t, couchDo(f, "PUT", "/scratch1", "", "Authorization", tAdminB), 201, `{"ok":true}`)
	for id, loc := range map[string]string{
		"azAZ09_.-:": "azAZ09_.-:",
		"@[`{/ é":    "%40%5B%60%7B%2F%20%C3%A9",
	} {
		w := couchDo(f, "PUT", "/scratch1/"+urlPathEscape(id), `{"a":1}`, "Authorization", tAdminB, "Content-Type", jsonCT)
		if w.Code != 201 || w.Header().Get("Location") != couchBase+"/scratch1/"+loc {
			t.Errorf("%q: %d, Location %q, want %q", id, w.Code, w.Header().Get("Location"), couchBase+"/scratch1/"+loc)
		}
	}
}

// urlPathEscape escapes every byte outside the unreserved set, so the id
// reaches the fake as one path segment.
func urlPathEscape(s string) string {
	out := ""
	for i := 0; i < len(s); i++ {
		out += fmt.Sprintf("%%%02X", s[i])
	}
	return out
}

// TestCouchSessionLifetime: SessionLifetime reports the configured
// lifetime (the soak tests move the clock past it).
func TestCouchSessionLifetime(t *testing.T) {
	for _, ttl := range []time.Duration{90 * time.Second, 24 * time.Hour} {
		s, err := couchdb.New(couchdb.Config{SessionTTL: ttl, Clock: core.NewClock(nil)})
		if err != nil {
			t.Fatal(err)
		}
		if got := s.SessionLifetime(); got != ttl {
			t.Errorf("SessionLifetime %v, want %v", got, ttl)
		}
	}
}
