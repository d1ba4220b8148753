package couchdb

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// POST /{db}/_bulk_docs as CouchDB 3.5.0 answers it (docs/reference/
// couchdb-3.5.0.md run 6, d2-d20, d40-d44): the whole request is refused
// (400) for a body that is not {"docs": [objects]}, a bad _id, _rev or
// special member; otherwise every document is written on its own and the
// answer is 201 with one result per document, in order: {"ok","id","rev"}
// or {"id","error","reason"} (a conflict, a _users rule).

type couchBulkResult struct {
	OK     bool   `json:"ok,omitempty"`
	ID     string `json:"id"`
	Rev    string `json:"rev,omitempty"`
	Error  string `json:"error,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// serveBulkDocs is POST /{db}/_bulk_docs. The caller has checked
// membership and holds c.mu.
func (c *Server) serveBulkDocs(w http.ResponseWriter, r *http.Request, db *couchDatabase, parts []string, ctx couchUserCtx) {
	if len(parts) > 2 {
		c.notImplemented(w, r, "/"+db.name+"/_bulk_docs/...")
		return
	}
	if r.Method != http.MethodPost {
		c.methodNotAllowed(w, r, "POST") // d17
		return
	}
	if p := needJSONContent(r); p != nil {
		c.writeProblem(w, r, *p) // d16
		return
	}
	body, _ := io.ReadAll(r.Body) // serveDatabase has read it into memory
	writes, p := parseBulkDocs(body)
	if p != nil {
		c.writeProblem(w, r, *p)
		return
	}
	results := make([]couchBulkResult, 0, len(writes))
	for _, wr := range writes {
		d, p := c.applyDocWrite(db, wr, ctx)
		if p != nil {
			results = append(results, couchBulkResult{ID: wr.id, Error: p.couch, Reason: p.msg}) // d3, d40
			continue
		}
		results = append(results, couchBulkResult{OK: true, ID: wr.id, Rev: d.rev})
	}
	c.writeJSON(w, r, http.StatusCreated, results)
}

// parseBulkDocs checks the whole request before anything is written.
func parseBulkDocs(body []byte) ([]docWrite, *problem) {
	bad := func(couch, msg string) ([]docWrite, *problem) {
		return nil, &problem{status: http.StatusBadRequest, couch: couch, msg: msg}
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(body, &obj) != nil || obj == nil {
		if !json.Valid(body) {
			return bad("bad_request", "invalid UTF-8 JSON")
		}
		return bad("bad_request", "Request body must be a JSON object") // d6
	}
	for _, option := range []string{"new_edits", "all_or_nothing"} {
		if v, ok := obj[option]; ok && string(v) != "null" && !(option == "new_edits" && string(v) == "true") && !(option == "all_or_nothing" && string(v) == "false") {
			return nil, &problem{status: http.StatusNotFound, couch: "not_found", msg: "authconform's CouchDB fake does not implement _bulk_docs with " + option + " " + string(v)}
		}
	}
	rawDocs, ok := obj["docs"]
	if !ok {
		return bad("bad_request", "POST body must include `docs` parameter.") // d7
	}
	var docs []json.RawMessage
	if json.Unmarshal(rawDocs, &docs) != nil || docs == nil {
		return bad("bad_request", "`docs` parameter must be an array.") // d8
	}
	writes := make([]docWrite, 0, len(docs))
	for _, raw := range docs {
		var fields map[string]json.RawMessage
		if json.Unmarshal(raw, &fields) != nil || fields == nil {
			return bad("bad_request", couchMsgNotObject) // d9
		}
		id := ""
		if rawID, ok := fields["_id"]; ok {
			if json.Unmarshal(rawID, &id) != nil {
				return bad("illegal_docid", "Document id must be a string") // d12
			}
		}
		if strings.HasPrefix(id, "_") && !isDesignDoc(id) && !strings.HasPrefix(id, "_local/") {
			return bad("illegal_docid", "Only reserved document ids may start with underscore.") // d13
		}
		if id == "" {
			raw := make([]byte, 16)
			_, _ = rand.Read(raw)
			id = hex.EncodeToString(raw)
		}
		wr, p := parseDocWrite(id, fields, "")
		if p != nil {
			return nil, p // d5, d11
		}
		writes = append(writes, wr)
	}
	return writes, nil
}
