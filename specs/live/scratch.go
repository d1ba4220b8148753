package live

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"time"

	"github.com/authconform/authconform/fixtures"
	"github.com/authconform/authconform/specs"
)

// Scratch users take a fixture's failed logins on CouchDB with a server
// admin: a user created in _users for the one fixture and deleted after it.
// CouchDB locks per (address, user, salt), so locking that user harms
// nobody.

// scratchKind marks a journal entry for a scratch user (not a password).
const scratchKind = "couchdb-scratch-user"

// scratchAccounts is true when Target found the credentials to be a
// CouchDB server admin on a server with a _users database.
func (l *States) scratchAccounts() bool { return l.scratch }

// enterScratch creates a scratch user (random name and password) as the
// admin, journaled before the request so that a killed run's user is
// deleted by the next run or by restore, and enters state as that user.
func (l *States) enterScratch(ctx context.Context, fixture, state string) (fixtures.Vars, func(context.Context) error, error) {
	b := make([]byte, 14)
	_, _ = rand.Read(b)
	name, password := "authconform-scratch-"+hex.EncodeToString(b[:5]), hex.EncodeToString(b[5:])
	e := journalEntry{Kind: scratchKind, Target: l.server, BaseURL: l.base, Flavor: l.flavor, Fixture: fixture, User: l.creds.User,
		Vars: map[string]string{"User": l.creds.User, "Password": l.creds.Password, "Scratch": name}, Written: time.Now().UTC()}
	path, err := writeJournal(l.stateDir, e)
	if err != nil {
		return nil, nil, err
	}
	cleanup := func(ctx context.Context) error {
		if err := deleteScratch(ctx, l.client, l.base, l.creds.User, l.creds.Password, name); err != nil {
			return fmt.Errorf("deleting scratch user %s: %w (journal %s; retry with authconform restore)", name, err, path)
		}
		return os.Remove(path)
	}
	doc, _ := json.Marshal(map[string]any{"name": name, "password": password, "roles": []string{}, "type": "user"})
	status, _, err := l.adminRequest(ctx, http.MethodPut, "/_users/"+url.PathEscape("org.couchdb.user:"+name), doc)
	if err != nil || status != http.StatusCreated {
		cerr := cleanup(ctx) // an unknown outcome may have created it
		return nil, nil, fmt.Errorf("creating scratch user %s in _users: status %d, %v (cleanup: %v)", name, status, err, cerr)
	}
	if err := l.untilScratchKnown(ctx, name, password); err != nil {
		return nil, nil, joinCleanup(err, cleanup(ctx))
	}
	as := *l
	as.creds.User, as.creds.Password = name, password
	vars, err := as.Enter(ctx, state)
	if err != nil {
		// The error may quote an answer that echoes the scratch password.
		red := specs.NewRedactor()
		red.Credentials(name, password)
		red.Credentials(l.creds.User, l.creds.Password)
		return nil, nil, maskError(joinCleanup(err, cleanup(ctx)), red)
	}
	return vars, cleanup, nil
}

// untilScratchKnown waits until the new scratch user logs in where the
// fixture will send it (the target's URL, and the node of per-node rules):
// a cluster's node may not have the new _users document yet, and a
// fixture's first wrong password must count on a node that knows the
// user. It logs in with the user's only password, so no answer can count
// as a failure (CouchDB counts none for a name it does not know).
func (l *States) untilScratchKnown(ctx context.Context, name, password string) error {
	urls := []string{l.base}
	if l.nodeURL != "" && l.nodeURL != l.base {
		urls = append(urls, l.nodeURL)
	}
	for _, u := range urls {
		err := untilSeen(ctx, "scratch user "+name+" at "+specs.RedactText(u), func(ctx context.Context) (bool, error) {
			status, body, err := basicRequest(ctx, l.client, http.MethodGet, u+"/_session", name, password, nil)
			return status == http.StatusOK && bytes.Contains(body, []byte(`"name":"`+name+`"`)), err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func joinCleanup(err, cerr error) error {
	if cerr != nil {
		return fmt.Errorf("%w (and %w)", err, cerr)
	}
	return err
}

// adminRequest sends a request as the given admin and returns status and
// body.
func (l *States) adminRequest(ctx context.Context, method, path string, body []byte) (int, []byte, error) {
	return basicRequest(ctx, l.client, method, l.base+path, l.creds.User, l.creds.Password, body)
}

func basicRequest(ctx context.Context, client *http.Client, method, u, user, password string, body []byte) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return 0, nil, err
	}
	req.SetBasicAuth(user, password)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body) // capped by safeClient
	return resp.StatusCode, data, err
}

// deleteScratch deletes the scratch user and verifies it is gone (404);
// one that never was created is gone already.
func deleteScratch(ctx context.Context, client *http.Client, base, admin, password, name string) error {
	doc := base + "/_users/" + url.PathEscape("org.couchdb.user:"+name)
	for range 3 { // a concurrent update would change the rev; none is expected
		status, body, err := basicRequest(ctx, client, http.MethodGet, doc, admin, password, nil)
		switch {
		case err != nil:
			return err
		case status == http.StatusNotFound:
			return nil
		case status != http.StatusOK:
			return fmt.Errorf("GET its _users document: status %d", status)
		}
		var d struct {
			Rev string `json:"_rev"`
		}
		if err := json.Unmarshal(body, &d); err != nil || d.Rev == "" {
			return fmt.Errorf("its _users document has no _rev: %.80q", body)
		}
		if status, _, err = basicRequest(ctx, client, http.MethodDelete, doc+"?rev="+url.QueryEscape(d.Rev), admin, password, nil); err != nil {
			return err
		} else if status != http.StatusOK && status != http.StatusConflict {
			return fmt.Errorf("DELETE: status %d", status)
		}
	}
	return fmt.Errorf("still there after three deletes")
}

// detectScratch enables scratch users when the credentials are a CouchDB
// server admin's and the server has a _users database.
func (l *States) detectScratch(ctx context.Context) error {
	if l.flavor != "couchdb" || l.creds.User == "" || l.creds.AuthDisabled {
		return nil
	}
	status, body, err := l.adminRequest(ctx, http.MethodGet, "/_session", nil)
	if err != nil {
		return fmt.Errorf("asking /_session for the user's roles: %w", err)
	}
	var s struct {
		UserCtx struct{ Roles []string } `json:"userCtx"`
	}
	if status != http.StatusOK || json.Unmarshal(body, &s) != nil || !slices.Contains(s.UserCtx.Roles, "_admin") {
		return nil
	}
	if status, _, err := l.adminRequest(ctx, http.MethodGet, "/_users", nil); err != nil || status != http.StatusOK {
		return nil
	}
	l.scratch = true
	return nil
}
