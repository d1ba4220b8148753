package testkit

import (
	"encoding/json"
	"net/http/httptest"
	"testing"
)

// CouchError is CouchDB's error body.
type CouchError struct {
	Error  string `json:"error"`
	Reason string `json:"reason"`
}

// WantCouchError fails t unless w is a CouchDB error with status and
// error couch, and with reason unless reason is empty.
func WantCouchError(t testing.TB, w *httptest.ResponseRecorder, status int, couch, reason string) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d (body %s)", w.Code, status, w.Body)
	}
	var e CouchError
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
		t.Fatalf("error body %q: %v", w.Body, err)
	}
	if e.Error != couch || (reason != "" && e.Reason != reason) {
		t.Fatalf("error body %s, want error %q reason %q", w.Body, couch, reason)
	}
}

// Neo4jError is one entry of a Neo4j error body.
type Neo4jError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// OneNeo4jError returns the only entry of w's {"errors":[...]} body,
// failing t on anything else.
func OneNeo4jError(t testing.TB, w *httptest.ResponseRecorder) Neo4jError {
	t.Helper()
	var body struct {
		Errors []Neo4jError `json:"errors"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || len(body.Errors) != 1 {
		t.Fatalf("body %q is not one Neo4j error (status %d, err %v)", w.Body.String(), w.Code, err)
	}
	return body.Errors[0]
}
