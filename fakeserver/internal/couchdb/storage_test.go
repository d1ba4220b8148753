package couchdb

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Security objects count toward the storage bound, as documents do: large
// objects written to database after database are refused with 413 once
// the bound would be passed, and a refused one leaves the old object in
// place. The bound is lowered from 64 MiB so the test moves kilobytes.
func TestSecurityObjectsCountTowardTheStorageBound(t *testing.T) {
	c := couchFuzzFlavor(t, false)
	c.maxStored = c.storedBytes() + 10_000 // room for four objects of 2 KB and the new databases' defaults
	admin := "Basic YWRtaW46c2VjcmV0"      // admin:secret
	do := func(method, path, body string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(method, path, strings.NewReader(body))
		r.Header.Set("Authorization", admin)
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		c.ServeHTTP(w, r)
		return w
	}
	big := `{"admins":{"names":["` + strings.Repeat("a", 2000) + `"]}}`
	refused := -1
	for i := 0; i < 6 && refused < 0; i++ {
		db := fmt.Sprintf("/sec%d", i)
		if w := do("PUT", db, ""); w.Code != http.StatusCreated {
			t.Fatalf("PUT %s: status %d %s", db, w.Code, w.Body)
		}
		switch w := do("PUT", db+"/_security", big); w.Code {
		case http.StatusOK:
		case http.StatusRequestEntityTooLarge:
			if !strings.Contains(w.Body.String(), `"too_large"`) {
				t.Errorf("413 body %s, want error too_large", w.Body)
			}
			refused = i
			if got := do("GET", db+"/_security", "").Body.String(); !strings.Contains(got, `"_admin"`) || len(got) > 1000 {
				t.Errorf("after the refusal %s/_security is %.100s, want the default object", db, got)
			}
		default:
			t.Fatalf("PUT %s/_security: status %d %.200s", db, w.Code, w.Body)
		}
	}
	if refused != 4 {
		t.Fatalf("the object refused first was number %d (0-based), want 4: the bound holds four", refused)
	}
	// A document no longer fits either.
	if w := do("PUT", "/sec0/doc", `{"x":"`+strings.Repeat("b", 3000)+`"}`); w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("PUT a document past the bound: status %d %s, want 413", w.Code, w.Body)
	}
}
