package neo4jwire

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func TestExempt(t *testing.T) {
	for path, want := range map[string]bool{
		"/": true, "/browser": true, "/browser/": true, "/browser/index.html": true,
		"": false, "/db/data/": false, "/user/neo4j": false, "/x/browser": false, "//": false, "/db/neo4j/query/v2": false,
	} {
		if got := Exempt(path); got != want {
			t.Errorf("Exempt(%q) = %v, want %v", path, got, want)
		}
	}
}

func TestWriteBrowserPage(t *testing.T) {
	w := httptest.NewRecorder()
	WriteBrowserPage(w)
	if w.Code != 200 || w.Header().Get("Content-Type") != "text/html; charset=UTF-8" || !strings.HasPrefix(w.Body.String(), "<!doctype html>") {
		t.Errorf("%d %v %q", w.Code, w.Header(), w.Body)
	}
}
