package live

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/authconform/authconform/fixtures"
	"github.com/authconform/authconform/specs"
)

// A restore journal is written to the state directory before any request
// that may change the target (a password change, a scratch account), so
// that a run killed in flight (SIGKILL, a power cut, a lost connection)
// can still be undone by `authconform restore`. It is removed only after a
// restore that was verified by logging in with the original password.

// journalEntry is one pending change, in a 0600 file.
type journalEntry struct {
	Kind    string            `json:"kind,omitempty"` // scratchKind, or empty: a fixture's change
	Target  string            `json:"target"`         // the server, see serverKey
	BaseURL string            `json:"base_url"`
	Flavor  string            `json:"flavor"`
	Fixture string            `json:"fixture"`
	User    string            `json:"user"`
	Vars    map[string]string `json:"vars"` // the fixture's variables, new password included
	Written time.Time         `json:"written"`
}

const journalPrefix = "restore-"

// writeJournal records e in dir before the change is made and returns the
// file's path.
func writeJournal(dir string, e journalEntry) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("restore journal: %w", err)
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	path := filepath.Join(dir, journalPrefix+fileKey(e.Target)+"-"+hex.EncodeToString(b)+".json")
	data, _ := json.MarshalIndent(e, "", "  ")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return "", fmt.Errorf("restore journal: %w", err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync() // on disk before the change goes out
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return "", fmt.Errorf("restore journal: %w", err)
	}
	return path, nil
}

// PendingRestore is a journal left by a run that did not verify its
// restore.
type PendingRestore struct {
	// Path is the journal file.
	Path string
	// Target names the server: a CouchDB server's uuid (one for every URL
	// of a cluster), else its CanonicalTarget (journals written before
	// CouchDB servers were named by uuid hold that too). Flavor is its
	// flavor, Fixture the fixture that made the change, User the account.
	Target, Flavor, Fixture, User string
	// Written is when the change was about to be made.
	Written time.Time
	entry   journalEntry
}

// PendingRestores lists the journals in dir, oldest first; a missing dir
// has none. With targets, it keeps those whose Target is one of them.
func PendingRestores(dir string, targets ...string) ([]PendingRestore, error) {
	paths, err := filepath.Glob(filepath.Join(dir, journalPrefix+"*.json"))
	if err != nil {
		return nil, err
	}
	var out []PendingRestore
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("restore journal %s: %w", p, err)
		}
		var e journalEntry
		if err := json.Unmarshal(data, &e); err != nil {
			return nil, fmt.Errorf("restore journal %s: %w", p, err)
		}
		if len(targets) > 0 && !slices.Contains(targets, e.Target) {
			continue
		}
		out = append(out, PendingRestore{Path: p, Target: e.Target, Flavor: e.Flavor, Fixture: e.Fixture, User: e.User, Written: e.Written, entry: e})
	}
	return out, nil
}

// Restore undoes the journal's change on its target and removes the
// journal once a login with the original password succeeds. The change's
// outcome was unknown, so the restore tries both passwords: the fixture's
// restore steps (with the temporary password), then the original password
// alone, which works when the change never took effect. client may be nil.
func (p PendingRestore) Restore(ctx context.Context, client *http.Client, timeout time.Duration) error {
	if p.Scratch() {
		return p.deleteScratch(ctx, client, timeout)
	}
	all, err := fixtures.All()
	if err != nil {
		return err
	}
	var fx *fixtures.Fixture
	for i := range all {
		if all[i].ID == p.entry.Fixture {
			fx = &all[i]
		}
	}
	if fx == nil {
		return fmt.Errorf("restore journal %s: no fixture %q in this version of the suite", p.Path, p.entry.Fixture)
	}
	g := &guard{journals: map[string]string{fx.ID: p.Path}}
	t := specs.Target{BaseURL: p.entry.BaseURL, Flavor: p.entry.Flavor, Client: client, Timeout: timeout, Guard: g}
	return specs.RestoreChange(ctx, t, *fx, p.entry.Vars)
}

// journalChange writes the journal of fx's change before its first
// mutating request and says where it is.
func (g *guard) journalChange(fx fixtures.Fixture, vars map[string]string) (string, error) {
	e := journalEntry{Target: g.server, BaseURL: g.base, Flavor: fx.Flavor, Fixture: fx.ID, Vars: vars, Written: time.Now().UTC()}
	e.User = e.Vars["User"]
	path, err := writeJournal(g.stateDir, e)
	if err != nil {
		return "", err
	}
	g.mu.Lock()
	g.journals[fx.ID] = path
	g.mu.Unlock()
	return fmt.Sprintf("%s: changing the target; restore journal %s (if this run dies, run: authconform restore --state-dir %s)", fx.ID, path, g.stateDir), nil
}

// deleteScratch deletes a scratch user a run left behind.
func (p PendingRestore) deleteScratch(ctx context.Context, client *http.Client, timeout time.Duration) error {
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	c := specs.SafeClient(client)
	c.Timeout = timeout
	v := p.entry.Vars
	base := strings.TrimSuffix(p.entry.BaseURL, "/")
	if p.entry.Kind == scratchDBKind {
		if err := deleteScratchDB(ctx, c, base, v["User"], v["Password"], v["Scratch"]); err != nil {
			return fmt.Errorf("deleting scratch database %s: %w", v["Scratch"], err)
		}
	} else if err := deleteScratch(ctx, c, base, v["User"], v["Password"], v["Scratch"]); err != nil {
		return fmt.Errorf("deleting scratch user %s: %w", v["Scratch"], err)
	}
	return os.Remove(p.Path)
}

// Scratch reports whether the journal is a scratch user's (which any run
// may clean up at its start) rather than a changed password.
func (p PendingRestore) Scratch() bool {
	return p.entry.Kind == scratchKind || p.entry.Kind == scratchDBKind
}
