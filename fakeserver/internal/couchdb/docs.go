package couchdb

import (
	"bytes"
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// couchDoc is one document: its current revision and its fields without
// _id and _rev. A deleted document keeps its revision (a tombstone).
type couchDoc struct {
	rev     string
	fields  []byte // "" or `,"k":v,...`, ready to follow _id and _rev
	deleted bool
}

// Bounds on what clients can store, so memory stays bounded.
const (
	maxDatabases   = 1000
	maxStoredBytes = 64 << 20
)

// couchRevFormat is a revision as CouchDB parses it: generation-hex.
var couchRevFormat = regexp.MustCompile(`^[0-9]+-[0-9a-fA-F]+$`)

// Reasons of the document endpoints (reference run 5).
const (
	couchMsgConflict  = "Document update conflict."
	couchMsgBadRev    = "Invalid rev format"
	couchMsgNotObject = "Document must be a JSON object"
)

func (d *couchDoc) json(id string) json.RawMessage {
	idJSON, _ := json.Marshal(id)
	revJSON, _ := json.Marshal(d.rev)
	return json.RawMessage(`{"_id":` + string(idJSON) + `,"_rev":` + string(revJSON) + string(d.fields) + `}`)
}

// encodeFields writes fields in the order of first, then the rest sorted,
// as `,"k":v` pairs.
func encodeFields(fields map[string]json.RawMessage, first ...string) ([]byte, error) {
	var buf bytes.Buffer
	rest := make([]string, 0, len(fields))
	for k := range fields {
		if !contains(first, k) {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range append(first, rest...) {
		v, ok := fields[k]
		if !ok {
			continue
		}
		kJSON, _ := json.Marshal(k)
		buf.WriteString("," + string(kJSON) + ":")
		if err := json.Compact(&buf, v); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// revAfter is the revision that follows old's (old nil: a new document)
// for body.
func revAfter(old *couchDoc, body []byte) string {
	if old == nil {
		return nextRev("", body)
	}
	return nextRev(old.rev, body)
}

// nextRev is the revision after prev for a body: generation + 1 and an MD5,
// shaped like CouchDB's.
func nextRev(prev string, body []byte) string {
	gen := 0
	if g, _, ok := strings.Cut(prev, "-"); ok {
		gen, _ = strconv.Atoi(g)
	}
	sum := md5.Sum(append([]byte(prev+"\x00"), body...))
	return strconv.Itoa(gen+1) + "-" + hex.EncodeToString(sum[:])
}

// seedCouchDoc checks a seeded body; a missing _rev becomes "1-" plus the
// MD5 of the body.
func seedCouchDoc(id, body string) (*couchDoc, error) {
	if id == "" {
		return nil, fmt.Errorf("empty document id")
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal([]byte(body), &fields); err != nil || fields == nil {
		return nil, fmt.Errorf("body must be a JSON object")
	}
	if raw, ok := fields["_id"]; ok {
		var got string
		if json.Unmarshal(raw, &got) != nil || got != id {
			return nil, fmt.Errorf("_id %s does not match the id", raw)
		}
	}
	rev := ""
	if raw, ok := fields["_rev"]; ok {
		if json.Unmarshal(raw, &rev) != nil || rev == "" {
			return nil, fmt.Errorf("_rev must be a non-empty string")
		}
	} else {
		sum := md5.Sum([]byte(body))
		rev = "1-" + hex.EncodeToString(sum[:])
	}
	delete(fields, "_id")
	delete(fields, "_rev")
	enc, err := encodeFields(fields)
	if err != nil {
		return nil, err
	}
	return &couchDoc{rev: rev, fields: enc}, nil
}

// storedBytes is what the documents and security objects of every
// database take.
func (c *Server) storedBytes() int {
	n := 0
	for _, db := range c.dbs {
		n += len(db.security)
		for id, d := range db.docs {
			n += len(id) + len(d.rev) + len(d.fields)
		}
	}
	return n
}

// serveDoc is /{db}/{docid}: GET, PUT and DELETE with revisions (m110-m133).
// The caller has checked membership and holds c.mu.
func (c *Server) serveDoc(w http.ResponseWriter, r *http.Request, db *couchDatabase, id string, ctx couchUserCtx) {
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		d := db.docs[id]
		switch {
		case d == nil:
			c.fail(w, r, http.StatusNotFound, "not_found", "missing")
		case d.deleted:
			c.fail(w, r, http.StatusNotFound, "not_found", "deleted")
		default:
			w.Header().Set("ETag", `"`+d.rev+`"`)
			c.writeJSON(w, r, http.StatusOK, d.json(id))
		}
	case http.MethodPut:
		body, ok := c.readJSON(w, r)
		if !ok {
			return
		}
		c.putDoc(w, r, db, id, body, ctx, http.StatusCreated)
	case http.MethodDelete:
		c.deleteDoc(w, r, db, id, ctx)
	default:
		c.methodNotAllowed(w, r, "DELETE,GET,HEAD,POST,PUT,COPY")
	}
}

// postDoc is POST /{db}: the body's _id, or 32 random hex digits.
func (c *Server) postDoc(w http.ResponseWriter, r *http.Request, db *couchDatabase, ctx couchUserCtx) {
	body, ok := c.readJSON(w, r)
	if !ok {
		return
	}
	var probe struct {
		ID *string `json:"_id"`
	}
	id := ""
	if json.Unmarshal(body, &probe) == nil && probe.ID != nil {
		id = *probe.ID
	}
	if id == "" {
		raw := make([]byte, 16)
		_, _ = rand.Read(raw)
		id = hex.EncodeToString(raw)
	}
	c.putDoc(w, r, db, id, body, ctx, http.StatusCreated)
}

// isDesignDoc reports ids that only database admins may write.
func isDesignDoc(id string) bool { return strings.HasPrefix(id, "_design/") }

// putDoc writes body as id: the revision (?rev= or _rev) must be the
// current one, or absent for a new or deleted document (409 otherwise).
func (c *Server) putDoc(w http.ResponseWriter, r *http.Request, db *couchDatabase, id string, body []byte, ctx couchUserCtx, status int) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
		c.fail(w, r, http.StatusBadRequest, "bad_request", couchMsgNotObject)
		return
	}
	wr, p := parseDocWrite(id, fields, r.URL.Query().Get("rev"))
	if p != nil {
		c.writeProblem(w, r, *p)
		return
	}
	d, p := c.applyDocWrite(db, wr, ctx)
	if p != nil {
		c.writeProblem(w, r, *p)
		return
	}
	w.Header().Set("ETag", `"`+d.rev+`"`)
	if wr.deleting {
		c.writeJSON(w, r, http.StatusOK, couchDocReply{OK: true, ID: id, Rev: d.rev})
		return
	}
	w.Header().Set("Location", couchAbsoluteURL(r, "/"+couchURLEncode(db.name)+"/"+docPath(id)))
	c.writeJSON(w, r, status, couchDocReply{OK: true, ID: id, Rev: d.rev})
}

// docWrite is one document write: PUT /{db}/{id}, POST /{db} or an entry
// of _bulk_docs.
type docWrite struct {
	id, rev  string
	deleting bool
	// fields are the body's without _id, _rev and _deleted.
	fields map[string]json.RawMessage
}

// parseDocWrite checks a document body (fields, which it changes) for
// what refuses the whole request: a bad revision or special member.
// queryRev is ?rev=, which must agree with _rev.
func parseDocWrite(id string, fields map[string]json.RawMessage, queryRev string) (docWrite, *problem) {
	bad := func(couch, reason string) (docWrite, *problem) {
		return docWrite{}, &problem{status: http.StatusBadRequest, couch: couch, msg: reason}
	}
	rev := queryRev
	if raw, ok := fields["_rev"]; ok {
		var bodyRev string
		if json.Unmarshal(raw, &bodyRev) != nil {
			return bad("bad_request", couchMsgBadRev)
		}
		if rev != "" && bodyRev != rev {
			return bad("bad_request", "Document rev from request body and query string have different values")
		}
		rev = bodyRev
	}
	if rev != "" && !couchRevFormat.MatchString(rev) {
		return bad("bad_request", couchMsgBadRev) // m115
	}
	deleting := false
	if raw, ok := fields["_deleted"]; ok {
		_ = json.Unmarshal(raw, &deleting)
	}
	delete(fields, "_id")
	delete(fields, "_rev")
	delete(fields, "_deleted")
	for k := range fields {
		if strings.HasPrefix(k, "_") {
			if k == "_attachments" {
				return docWrite{}, &problem{status: http.StatusNotFound, couch: "not_found", msg: "authconform's CouchDB fake does not implement attachments"}
			}
			return bad("doc_validation", "Bad special document member: "+k)
		}
	}
	return docWrite{id: id, rev: rev, deleting: deleting, fields: fields}, nil
}

// applyDocWrite stores one write, or names why this document is refused
// (a conflict, a design document for a non-admin, a _users rule, the
// fake's size bound). The caller holds c.mu.
func (c *Server) applyDocWrite(db *couchDatabase, wr docWrite, ctx couchUserCtx) (*couchDoc, *problem) {
	id := wr.id
	if isDesignDoc(id) && !db.isAdmin(ctx) {
		return nil, &problem{status: http.StatusForbidden, couch: "forbidden", msg: couchMsgNotDBAdmin} // m132
	}
	conflict := &problem{status: http.StatusConflict, couch: "conflict", msg: couchMsgConflict}
	old := db.docs[id]
	current := ""
	if old != nil && !old.deleted {
		current = old.rev
	}
	if wr.rev != current && (old == nil || wr.rev != old.rev) {
		return nil, conflict // m112, m114
	}
	if wr.deleting {
		// Deleting what is not there leaves a tombstone too (run 6, d50).
		return c.storeTombstone(db, id, old), nil
	}
	first := []string(nil)
	var apply func()
	if db.name == "_users" && !isDesignDoc(id) {
		var p *problem
		if apply, p = c.userDocUpdate(id, wr.fields); p != nil {
			return nil, p
		}
		first = userHashFields
	}
	enc, err := encodeFields(wr.fields, first...)
	if err != nil {
		return nil, &problem{status: http.StatusBadRequest, couch: "bad_request", msg: couchMsgNotObject}
	}
	if c.storedBytes()+len(enc) > c.maxStored {
		return nil, c.storageFull()
	}
	d := &couchDoc{rev: revAfter(old, enc), fields: enc}
	db.docs[id] = d
	db.seq++
	if apply != nil {
		apply()
	}
	return d, nil
}

// storageFull refuses a write that would take the stored bytes past
// c.maxStored.
func (c *Server) storageFull() *problem {
	return &problem{status: http.StatusRequestEntityTooLarge, couch: "too_large", msg: fmt.Sprintf("the fake holds at most %d bytes of documents and security objects", c.maxStored)}
}

// docPath is an id as it appears in a URL: a design or local prefix kept.
func docPath(id string) string {
	for _, prefix := range []string{"_design/", "_local/"} {
		if rest, ok := strings.CutPrefix(id, prefix); ok {
			return prefix + couchURLEncode(rest)
		}
	}
	return couchURLEncode(id)
}

type couchDocReply struct {
	OK  bool   `json:"ok"`
	ID  string `json:"id"`
	Rev string `json:"rev"`
}

// deleteDoc is DELETE /{db}/{docid}?rev=: the current revision is needed
// (409 without it or with a stale one: m116, m117).
func (c *Server) deleteDoc(w http.ResponseWriter, r *http.Request, db *couchDatabase, id string, ctx couchUserCtx) {
	rev := r.URL.Query().Get("rev")
	if rev == "" {
		rev = strings.Trim(r.Header.Get("If-Match"), `"`)
	}
	if rev != "" && !couchRevFormat.MatchString(rev) {
		c.fail(w, r, http.StatusBadRequest, "bad_request", couchMsgBadRev)
		return
	}
	old := db.docs[id]
	if old == nil {
		c.fail(w, r, http.StatusNotFound, "not_found", "missing")
		return
	}
	if isDesignDoc(id) && !db.isAdmin(ctx) {
		c.fail(w, r, http.StatusForbidden, "forbidden", couchMsgNotDBAdmin)
		return
	}
	if old.deleted || rev != old.rev {
		c.fail(w, r, http.StatusConflict, "conflict", couchMsgConflict)
		return
	}
	c.removeDoc(w, r, db, id, old)
}

// removeDoc leaves a tombstone and answers.
func (c *Server) removeDoc(w http.ResponseWriter, r *http.Request, db *couchDatabase, id string, old *couchDoc) {
	d := c.storeTombstone(db, id, old)
	w.Header().Set("ETag", `"`+d.rev+`"`)
	c.writeJSON(w, r, http.StatusOK, couchDocReply{OK: true, ID: id, Rev: d.rev})
}

// storeTombstone deletes a document, leaving a tombstone, and in _users
// ends the account.
func (c *Server) storeTombstone(db *couchDatabase, id string, old *couchDoc) *couchDoc {
	d := &couchDoc{rev: revAfter(old, nil), deleted: true}
	db.docs[id] = d
	db.seq++
	if db.name == "_users" {
		c.userDocDeleted(id)
	}
	return d
}
