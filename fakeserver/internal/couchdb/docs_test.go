package couchdb_test

import (
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

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
	testkit.WantCouchError(t, couchDo(f, "GET", "/scratch1/gone", "", "Authorization", tAdminB), 404, "not_found", "deleted")
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
