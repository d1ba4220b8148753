package live

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// ErrPrecondition means the target lacks something its Credentials name (a
// database, a document, a second user): a usage error, not a failure of
// the server.
var ErrPrecondition = errors.New("the target lacks what the credentials name")

func preconditionf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrPrecondition, fmt.Sprintf(format, args...))
}

// scratchDBKind marks the journal of a scratch database.
const scratchDBKind = "couchdb-scratch-database"

// couchPreconditions checks, before any fixture, that the CouchDB target
// has what the credentials name: Database readable by the admin and not
// anonymously, Document readable anonymously, OtherUser able to log in.
// With allowDestructive, a missing Document (or Database) is created as a
// scratch database, journaled, and deleted by the returned cleanup.
func couchPreconditions(ctx context.Context, l *States, b failureBudget, allowDestructive bool) (func(context.Context) error, error) {
	c := &l.creds
	if c.AuthDisabled || c.User == "" {
		return nil, nil
	}
	host := l.base
	var cleanups []func(context.Context) error
	cleanup := func(ctx context.Context) error {
		var errs []error
		for _, f := range cleanups {
			errs = append(errs, f(ctx))
		}
		return errors.Join(errs...)
	}
	fail := func(err error) (func(context.Context) error, error) {
		return nil, joinCleanup(err, cleanup(ctx))
	}
	if c.Database == "" && allowDestructive && l.scratch {
		name, done, err := l.scratchDatabase(ctx, false)
		if err != nil {
			return fail(err)
		}
		c.Database, cleanups = name, append(cleanups, done)
	}
	if c.Database != "" {
		path := "/" + url.PathEscape(c.Database)
		if status, _, err := l.adminRequest(ctx, http.MethodGet, path, nil); err != nil || status != http.StatusOK {
			return fail(preconditionf("Credentials.Database %s: GET %s as %s answered %d %v; create it with: curl -u %s -X PUT %s%s (new databases are admin-only)", c.Database, path, c.User, status, errOrEmpty(err), c.User, host, path))
		}
		if status, err := anonymousGet(ctx, l, path); err == nil && status/100 == 2 {
			return fail(preconditionf("Credentials.Database %s is readable anonymously (GET %s answered %d); name one only server admins may read", c.Database, path, status))
		}
	}
	if c.Document == "" && allowDestructive && l.scratch {
		name, done, err := l.scratchDatabase(ctx, true)
		if err != nil {
			return fail(err)
		}
		c.Document, cleanups = name+"/document", append(cleanups, done)
	}
	if c.Document != "" {
		db, doc, _ := strings.Cut(c.Document, "/")
		path := "/" + url.PathEscape(db) + "/" + url.PathEscape(doc)
		if status, err := anonymousGet(ctx, l, path); err != nil || status != http.StatusOK {
			return fail(preconditionf("Credentials.Document %s: anonymous GET %s answered %d %v; create a public one with: curl -u %s -X PUT %s/%s; curl -u %s -X PUT %s/%s/_security -d '{\"members\":{},\"admins\":{}}'; curl -u %s -X PUT %s%s -d '{}' (or set Config.AllowDestructive to let the run create and delete one)",
				c.Document, path, status, errOrEmpty(err), c.User, host, db, c.User, host, db, c.User, host, path))
		}
	}
	if c.OtherUser != "" {
		other := *l
		other.creds.User, other.creds.Password = c.OtherUser, c.OtherPassword
		ob := b
		ob.StateFile = strings.TrimSuffix(b.StateFile, fileKey(l.server, c.User)+".json") + fileKey(l.server, c.OtherUser) + ".json"
		if err := checkCountingFailures(ctx, &other, ob); err != nil {
			return fail(preconditionf("Credentials.OtherUser %s does not log in: %v; create it with: curl -u %s -X PUT %s/_users/org.couchdb.user:%s -d '{\"name\":\"%s\",\"password\":\"...\",\"roles\":[],\"type\":\"user\"}'", c.OtherUser, err, c.User, host, c.OtherUser, c.OtherUser))
		}
	}
	return cleanup, nil
}

func errOrEmpty(err error) string {
	if err == nil {
		return ""
	}
	return "(" + err.Error() + ")"
}

// anonymousGet is the status of a GET without credentials.
func anonymousGet(ctx context.Context, l *States, path string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, l.base+path, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := l.client.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// scratchDatabase creates a database (journaled first) for the run; a
// public one gets empty members and a document "document" anyone may read.
func (l *States) scratchDatabase(ctx context.Context, public bool) (string, func(context.Context) error, error) {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	name := "authconform-scratch-" + hex.EncodeToString(b)
	e := journalEntry{Kind: scratchDBKind, Target: l.server, BaseURL: l.base, Flavor: l.flavor, Fixture: "(run)", User: l.creds.User,
		Vars: map[string]string{"User": l.creds.User, "Password": l.creds.Password, "Scratch": name}, Written: time.Now().UTC()}
	path, err := writeJournal(l.stateDir, e)
	if err != nil {
		return "", nil, err
	}
	done := func(ctx context.Context) error {
		if err := deleteScratchDB(ctx, l.client, l.base, l.creds.User, l.creds.Password, name); err != nil {
			return fmt.Errorf("deleting scratch database %s: %w (journal %s; retry with authconform restore)", name, err, path)
		}
		return os.Remove(path)
	}
	type put struct {
		path, body string
		want       int
	}
	steps := []put{{"/" + name, "", http.StatusCreated}}
	if public {
		steps = append(steps,
			put{"/" + name + "/_security", `{"members":{},"admins":{}}`, http.StatusOK},
			put{"/" + name + "/document", `{"authconform":"a public document for the suite's run"}`, http.StatusCreated})
	}
	for _, st := range steps {
		var body []byte
		if st.body != "" {
			body = []byte(st.body)
		}
		status, _, err := l.adminRequest(ctx, http.MethodPut, st.path, body)
		if err != nil || status != st.want {
			return "", nil, joinCleanup(fmt.Errorf("creating scratch database %s: PUT %s answered %d %v", name, st.path, status, errOrEmpty(err)), done(ctx))
		}
	}
	if public {
		// Anonymous reads only: a cluster's node may not have the new
		// _security yet.
		err := untilSeen(ctx, "the scratch document "+name+"/document, read anonymously", func(ctx context.Context) (bool, error) {
			status, err := anonymousGet(ctx, l, "/"+name+"/document")
			return status == http.StatusOK, err
		})
		if err != nil {
			return "", nil, joinCleanup(err, done(ctx))
		}
	}
	return name, done, nil
}

// deleteScratchDB deletes a scratch database; one never created is gone.
func deleteScratchDB(ctx context.Context, client *http.Client, base, admin, password, name string) error {
	status, _, err := basicRequest(ctx, client, http.MethodDelete, base+"/"+url.PathEscape(name), admin, password, nil)
	switch {
	case err != nil:
		return err
	case status != http.StatusOK && status != http.StatusNotFound:
		return fmt.Errorf("DELETE answered %d", status)
	}
	return nil
}
