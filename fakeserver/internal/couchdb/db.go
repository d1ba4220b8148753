package couchdb

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// couchDatabase is a seeded, read-only database.
type couchDatabase struct {
	name    string
	public  bool
	admins  []string
	members []string
	docs    map[string]json.RawMessage // id -> body with _id and _rev first
	revs    map[string]string
}

// couchDBName is CouchDB's rule for database names.
var couchDBName = regexp.MustCompile(`^[a-z][a-z0-9_$()+/-]*$`)

func buildCouchDatabases(seed []Database) (map[string]*couchDatabase, error) {
	dbs := map[string]*couchDatabase{}
	for _, d := range seed {
		if !couchDBName.MatchString(d.Name) {
			return nil, fmt.Errorf("fakeserver: database name %q is not a valid CouchDB name", d.Name)
		}
		if dbs[d.Name] != nil {
			return nil, fmt.Errorf("fakeserver: database %q is listed twice", d.Name)
		}
		db := &couchDatabase{
			name: d.Name, public: d.Public,
			admins: slices.Clone(d.Admins), members: slices.Clone(d.Members),
			docs: map[string]json.RawMessage{}, revs: map[string]string{},
		}
		for id, body := range d.Docs {
			doc, rev, err := buildCouchDoc(id, body)
			if err != nil {
				return nil, fmt.Errorf("fakeserver: database %q, document %q: %w", d.Name, id, err)
			}
			db.docs[id], db.revs[id] = doc, rev
		}
		dbs[d.Name] = db
	}
	return dbs, nil
}

// buildCouchDoc checks a seeded body and puts _id and _rev first; a missing
// _rev becomes "1-" plus the MD5 of the body, shaped like CouchDB's.
func buildCouchDoc(id, body string) (json.RawMessage, string, error) {
	if id == "" {
		return nil, "", fmt.Errorf("empty document id")
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal([]byte(body), &fields); err != nil || fields == nil {
		return nil, "", fmt.Errorf("body must be a JSON object")
	}
	if raw, ok := fields["_id"]; ok {
		var got string
		if json.Unmarshal(raw, &got) != nil || got != id {
			return nil, "", fmt.Errorf("_id %s does not match the id", raw)
		}
	}
	rev := ""
	if raw, ok := fields["_rev"]; ok {
		if json.Unmarshal(raw, &rev) != nil || rev == "" {
			return nil, "", fmt.Errorf("_rev must be a non-empty string")
		}
	} else {
		sum := md5.Sum([]byte(body))
		rev = "1-" + hex.EncodeToString(sum[:])
	}
	delete(fields, "_id")
	delete(fields, "_rev")
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var buf bytes.Buffer
	idJSON, _ := json.Marshal(id)
	revJSON, _ := json.Marshal(rev)
	buf.WriteString(`{"_id":` + string(idJSON) + `,"_rev":` + string(revJSON))
	for _, k := range keys {
		kJSON, _ := json.Marshal(k)
		buf.WriteString("," + string(kJSON) + ":")
		if err := json.Compact(&buf, fields[k]); err != nil {
			return nil, "", err
		}
	}
	buf.WriteString("}")
	return buf.Bytes(), rev, nil
}

// allows is CouchDB's reader check: server admins always; a public database
// anyone; otherwise a user whose name or one of whose roles is listed in
// Admins or Members.
func (d *couchDatabase) allows(ctx couchUserCtx) bool {
	if ctx.isAdmin() || d.public {
		return true
	}
	if ctx.anonymous() {
		return false
	}
	for _, list := range [][]string{d.admins, d.members} {
		for _, entry := range list {
			if entry == ctx.name || slices.Contains(ctx.roles, entry) {
				return true
			}
		}
	}
	return false
}

// serveAllDBs is GET /_all_dbs: server admins only. CouchDB's
// verify_is_server_admin throws "unauthorized", so a signed-in non-admin
// gets 401 too (cases 33, 34).
func (c *Server) serveAllDBs(w http.ResponseWriter, r *http.Request, parts []string, ctx couchUserCtx) {
	if !c.readOnlyEndpoint(w, r, parts) {
		return
	}
	if !ctx.isAdmin() {
		c.fail(w, r, http.StatusUnauthorized, "unauthorized", couchMsgNotAdmin)
		return
	}
	names := make([]string, 0, len(c.dbs))
	for n := range c.dbs {
		names = append(names, n)
	}
	sort.Strings(names)
	c.writeJSON(w, r, http.StatusOK, names)
}

type couchSizes struct {
	File     int `json:"file"`
	External int `json:"external"`
	Active   int `json:"active"`
}

type couchCluster struct {
	Q int `json:"q"`
	N int `json:"n"`
	W int `json:"w"`
	R int `json:"r"`
}

type couchDBInfo struct {
	InstanceStartTime string       `json:"instance_start_time"`
	DBName            string       `json:"db_name"`
	PurgeSeq          string       `json:"purge_seq"`
	UpdateSeq         string       `json:"update_seq"`
	Sizes             couchSizes   `json:"sizes"`
	Props             struct{}     `json:"props"`
	DocDelCount       int          `json:"doc_del_count"`
	DocCount          int          `json:"doc_count"`
	DiskFormatVersion int          `json:"disk_format_version"`
	CompactRunning    bool         `json:"compact_running"`
	Cluster           couchCluster `json:"cluster"`
}

// serveDatabase is /{db} and /{db}/{docid}: read-only. The database must
// exist (404), then the reader check runs (401 anonymous, 403 signed-in
// non-member; cases 25, 26, 30, 32), then the method.
func (c *Server) serveDatabase(w http.ResponseWriter, r *http.Request, parts []string, ctx couchUserCtx) {
	name := parts[0]
	db := c.dbs[name]
	if db == nil {
		if !couchDBName.MatchString(name) {
			c.fail(w, r, http.StatusBadRequest, "illegal_database_name", "Name: '"+name+
				"'. Only lowercase characters (a-z), digits (0-9), and any of the characters _, $, (, ), +, -, and / are allowed. Must begin with a letter.")
			return
		}
		c.fail(w, r, http.StatusNotFound, "not_found", "Database does not exist.")
		return
	}
	if !db.allows(ctx) {
		if ctx.anonymous() {
			c.fail(w, r, http.StatusUnauthorized, "unauthorized", couchMsgNotAuthorized)
		} else {
			c.fail(w, r, http.StatusForbidden, "forbidden", couchMsgNotAllowed)
		}
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		c.methodNotAllowed(w, r, "GET,HEAD") // the fake's databases are read-only
		return
	}
	docID := strings.Join(parts[1:], "/")
	switch {
	case len(parts) == 1:
		c.writeJSON(w, r, http.StatusOK, couchDBInfo{
			InstanceStartTime: strconv.FormatInt(c.started, 10),
			DBName:            name,
			PurgeSeq:          "0-fake",
			UpdateSeq:         strconv.Itoa(len(db.docs)) + "-fake",
			Sizes:             couchSizes{File: 16700},
			DocCount:          len(db.docs),
			DiskFormatVersion: 8,
			Cluster:           couchCluster{Q: 2, N: 1, W: 1, R: 1},
		})
	case len(parts) == 2 || (len(parts) == 3 && (parts[1] == "_design" || parts[1] == "_local")):
		doc, ok := db.docs[docID]
		if !ok {
			c.fail(w, r, http.StatusNotFound, "not_found", "missing")
			return
		}
		w.Header().Set("ETag", `"`+db.revs[docID]+`"`)
		c.writeJSON(w, r, http.StatusOK, doc)
	default:
		c.fail(w, r, http.StatusNotFound, "not_found", "missing")
	}
}
