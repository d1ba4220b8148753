package couchdb

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"sort"
	"strings"
)

// _all_docs as CouchDB 3.5.0 answers it (docs/reference/couchdb-3.5.0.md
// run 6): GET, or POST with a JSON body; keys (rows in the keys' order,
// not_found and deleted rows included) and include_docs. The view options
// the fake leaves out are a 404 that names them; other parameters are
// ignored, as CouchDB ignores unknown ones (d32, d36).

// allDocsLeftOut are the _all_docs options the fake does not implement.
var allDocsLeftOut = []string{
	"limit", "skip", "descending", "key", "startkey", "start_key", "endkey", "end_key",
	"startkey_docid", "start_key_doc_id", "endkey_docid", "end_key_doc_id", "inclusive_end",
	"conflicts", "update_seq", "attachments", "att_encoding_info", "stable", "update", "sorted",
}

type couchRowValue struct {
	Rev     string `json:"rev"`
	Deleted bool   `json:"deleted,omitempty"`
}

// couchAllDocsRow is one row: a document's, or a key's error. Doc is
// written only with include_docs (null for a deleted document).
type couchAllDocsRow struct {
	ID    string           `json:"id,omitempty"`
	Key   json.RawMessage  `json:"key"`
	Value *couchRowValue   `json:"value,omitempty"`
	Error string           `json:"error,omitempty"`
	Doc   *json.RawMessage `json:"doc,omitempty"`
}

type couchAllDocs struct {
	TotalRows int               `json:"total_rows"`
	Offset    *int              `json:"offset"` // null when keys are given (d23)
	Rows      []couchAllDocsRow `json:"rows"`
}

// allDocsQuery is what the request asks for.
type allDocsQuery struct {
	keys        []json.RawMessage // nil: every document
	includeDocs bool
}

// serveAllDocs is GET and POST /{db}/_all_docs (m21, d21-d39). The caller
// has checked membership and holds c.mu.
func (c *Server) serveAllDocs(w http.ResponseWriter, r *http.Request, db *couchDatabase, parts []string) {
	if len(parts) > 2 {
		c.notImplemented(w, r, "/"+db.name+"/_all_docs/...")
		return
	}
	var q allDocsQuery
	var p *problem
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		q, p = allDocsFromQuery(r)
	case http.MethodPost:
		if p = needJSONContent(r); p == nil {
			if q, p = allDocsFromQuery(r); p == nil {
				p = q.fromBody(r)
			}
		}
	default:
		c.methodNotAllowed(w, r, "GET,HEAD,POST")
		return
	}
	if p != nil {
		c.writeProblem(w, r, *p)
		return
	}
	c.writeJSON(w, r, http.StatusOK, db.allDocs(q))
}

// allDocsFromQuery reads include_docs and keys from the query string.
func allDocsFromQuery(r *http.Request) (allDocsQuery, *problem) {
	var q allDocsQuery
	query := r.URL.Query()
	for name := range query {
		if slices.Contains(allDocsLeftOut, name) {
			return q, &problem{status: http.StatusNotFound, couch: "not_found", msg: "authconform's CouchDB fake does not implement the _all_docs option " + name}
		}
	}
	if v, ok := query["include_docs"]; ok {
		switch v[0] {
		case "true":
			q.includeDocs = true
		case "false":
		default:
			b, _ := json.Marshal(v[0])
			return q, &problem{status: http.StatusBadRequest, couch: "query_parse_error", msg: "Invalid boolean parameter: " + string(b)} // d33
		}
	}
	if v, ok := query["keys"]; ok {
		if json.Unmarshal([]byte(v[0]), &q.keys) != nil || q.keys == nil {
			return q, &problem{status: http.StatusBadRequest, couch: "query_parse_error", msg: "Invalid keys parameter: it must be a JSON array"}
		}
	}
	return q, nil
}

// fromBody reads a POST body: a JSON object whose keys must be an array
// and whose include_docs, when present, a boolean.
func (q *allDocsQuery) fromBody(r *http.Request) *problem {
	body, _ := io.ReadAll(r.Body) // serveDatabase has read it into memory
	bad := func(msg string) *problem {
		return &problem{status: http.StatusBadRequest, couch: "bad_request", msg: msg}
	}
	var raw any
	if json.Unmarshal(body, &raw) != nil {
		return bad("invalid UTF-8 JSON") // d29
	}
	var obj map[string]json.RawMessage
	if _, isObject := raw.(map[string]any); !isObject || json.Unmarshal(body, &obj) != nil {
		return bad("Request body must be a JSON object") // d30
	}
	for name := range obj {
		if slices.Contains(allDocsLeftOut, name) {
			return &problem{status: http.StatusNotFound, couch: "not_found", msg: "authconform's CouchDB fake does not implement the _all_docs option " + name}
		}
	}
	if rawKeys, ok := obj["keys"]; ok {
		if json.Unmarshal(rawKeys, &q.keys) != nil || q.keys == nil {
			return bad("`keys` body member must be an array.") // d27
		}
	}
	if v, ok := obj["include_docs"]; ok {
		if json.Unmarshal(v, &q.includeDocs) != nil {
			return &problem{status: http.StatusBadRequest, couch: "query_parse_error", msg: "Invalid boolean parameter: " + string(v)}
		}
	}
	return nil
}

// allDocs builds the rows: every live document but _local ones, sorted by
// id, or one row per key in the keys' order.
func (d *couchDatabase) allDocs(q allDocsQuery) couchAllDocs {
	out := couchAllDocs{Rows: []couchAllDocsRow{}}
	live := make([]string, 0, len(d.docs))
	for id, doc := range d.docs {
		if !doc.deleted && !strings.HasPrefix(id, "_local/") {
			live = append(live, id)
		}
	}
	out.TotalRows = len(live)
	if q.keys == nil {
		sort.Strings(live)
		zero := 0
		out.Offset = &zero
		for _, id := range live {
			out.Rows = append(out.Rows, d.row(id, q.includeDocs))
		}
		return out
	}
	for _, key := range q.keys {
		var id string
		doc := (*couchDoc)(nil)
		if json.Unmarshal(key, &id) == nil && !strings.HasPrefix(id, "_local/") {
			doc = d.docs[id]
		}
		if doc == nil {
			out.Rows = append(out.Rows, couchAllDocsRow{Key: compactJSON(key), Error: "not_found"}) // d23, d28
			continue
		}
		out.Rows = append(out.Rows, d.row(id, q.includeDocs))
	}
	return out
}

// row is an existing document's row; a deleted one has no doc.
func (d *couchDatabase) row(id string, includeDocs bool) couchAllDocsRow {
	doc := d.docs[id]
	key, _ := json.Marshal(id)
	row := couchAllDocsRow{ID: id, Key: key, Value: &couchRowValue{Rev: doc.rev, Deleted: doc.deleted}}
	if includeDocs {
		body := json.RawMessage("null")
		if !doc.deleted {
			body = doc.json(id)
		}
		row.Doc = &body
	}
	return row
}

// compactJSON is a key as the request gave it, without its spaces.
func compactJSON(raw json.RawMessage) json.RawMessage {
	var buf bytes.Buffer
	if json.Compact(&buf, raw) != nil {
		return raw
	}
	return buf.Bytes()
}

// needJSONContent is CouchDB's check on the POST bodies of _all_docs and
// _bulk_docs: 415 unless the Content-Type is application/json (d16, d31).
func needJSONContent(r *http.Request) *problem {
	ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
	if !strings.EqualFold(strings.TrimSpace(ct), "application/json") {
		return &problem{status: http.StatusUnsupportedMediaType, couch: "bad_content_type", msg: "Content-Type must be application/json"}
	}
	return nil
}
