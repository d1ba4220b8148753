package live

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authconform/authconform/fakeserver"
)

// TestTargetWithoutStateDirUsesTheDefault: a Config without StateDir keeps
// its ledger in DefaultStateDir (made before anything else happens), and
// when there is no default either, the one-line error names the field.
func TestTargetWithoutStateDirUsesTheDefault(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("HOME", cache)
	t.Setenv("LocalAppData", cache)
	want, err := DefaultStateDir()
	if err != nil || !strings.HasPrefix(want, cache) {
		t.Fatalf("DefaultStateDir() = %q, %v; want a folder in %s", want, err, cache)
	}
	// An unreachable port: Target stops at the probe, after the state dir.
	_, err = Target(context.Background(), Config{BaseURL: "http://127.0.0.1:1", Flavor: "couchdb"})
	if err == nil || errors.Is(err, ErrNoStateDir) {
		t.Fatalf("Target: %v, want a probe error", err)
	}
	if st, serr := os.Stat(want); serr != nil || !st.IsDir() {
		t.Errorf("the default state dir %s was not made: %v", want, serr)
	}

	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("HOME", "")
	t.Setenv("LocalAppData", "")
	_, err = Target(context.Background(), Config{BaseURL: "http://127.0.0.1:1", Flavor: "couchdb"})
	if !errors.Is(err, ErrNoStateDir) || !strings.Contains(err.Error(), "set Config.StateDir") || strings.Contains(err.Error(), "\n") {
		t.Errorf("without any state dir: %v, want one line wrapping ErrNoStateDir naming Config.StateDir", err)
	}
	blocked := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocked, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Target(context.Background(), Config{BaseURL: "http://127.0.0.1:1", Flavor: "couchdb", StateDir: filepath.Join(blocked, "dir")})
	if !errors.Is(err, ErrNoStateDir) || !strings.Contains(err.Error(), "set Config.StateDir") {
		t.Errorf("an unwritable state dir: %v, want ErrNoStateDir naming Config.StateDir", err)
	}
}

// TestTargetSeesJournalsUnderTheOlderName: a journal written before CouchDB
// servers were named by their uuid (under the URL's canonical name) still
// stops a run at that URL.
func TestTargetSeesJournalsUnderTheOlderName(t *testing.T) {
	ctx := context.Background()
	srv, err := fakeserver.Start(fakeserver.Options{Flavor: fakeserver.CouchDB})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	canonical, err := CanonicalTarget(ctx, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	old := journalEntry{Target: canonical, BaseURL: srv.URL, Flavor: "couchdb", Fixture: "couchdb/database-lifecycle", User: "admin", Written: time.Now()}
	if _, err := writeJournal(dir, old); err != nil {
		t.Fatal(err)
	}
	_, err = Target(ctx, Config{BaseURL: srv.URL, Flavor: "couchdb", StateDir: dir, Credentials: Credentials{User: "admin", Password: "secret"}})
	if !errors.Is(err, ErrPendingRestore) {
		t.Errorf("with a journal under %s: %v, want ErrPendingRestore", canonical, err)
	}
}
