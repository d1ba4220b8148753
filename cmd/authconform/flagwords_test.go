package main

import (
	"context"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/specs"
	"github.com/authconform/authconform/specs/live"
)

// goWords are the library's names for options, which the CLI's messages
// must not show.
var goWords = regexp.MustCompile(`\b(Credentials|Config|Target|Options)\.[A-Z]\w*|AdvanceLimit|StateVars|the var SessionTTL|ControlPlaneWithToken`)

// wantFlagWorded: err, in the CLI's words, says want and no Go name.
func wantFlagWorded(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error where one saying %q was due", want)
	}
	got := inFlagWords(err.Error())
	if !strings.Contains(got, want) || goWords.MatchString(got) {
		t.Errorf("%q in the CLI's words: %q, want %q and no Go name", err, got, want)
	}
}

// TestLibraryMessagesNameFlags: messages the library gives in Go words
// reach the CLI's user with the flags that set those options.
func TestLibraryMessagesNameFlags(t *testing.T) {
	ctx := context.Background()
	states := live.NewStates("couchdb", "http://127.0.0.1:1", live.Credentials{}, nil)
	withUser := live.NewStates("couchdb", "http://127.0.0.1:1", live.Credentials{User: "admin", Password: "secret"}, nil)
	_, noUser := states.Enter(ctx, "user-exists")
	_, authOn := withUser.Enter(ctx, "auth-disabled")
	_, anonymous := withUser.Enter(ctx, "require-valid-user")
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("HOME", "")
	_, noStateDir := live.DefaultStateDir()
	for _, c := range []struct {
		err  error
		flag string
	}{
		{states.Advance(ctx, 1), "pass --max-wait"},
		{noUser, "pass --user and --password"},
		{authOn, "pass --auth-disabled"},
		{anonymous, "pass --require-valid-user"},
		{noStateDir, "pass --state-dir"},
	} {
		wantFlagWorded(t, c.err, c.flag)
	}
	wrapped := flagWorded{noStateDir}
	if !errors.Is(wrapped, live.ErrNoStateDir) || !strings.Contains(wrapped.Error(), "--state-dir") {
		t.Errorf("flagWorded(%v) = %q: want errors.Is to see ErrNoStateDir and --state-dir in the text", noStateDir, wrapped)
	}
}

// TestClusterAndControlPlaneMessagesNameFlags: the cluster and control
// plane errors, which name Config fields and fakeserver options, reach
// the CLI's user with --node, --node-header and --control-token.
func TestClusterAndControlPlaneMessagesNameFlags(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cluster, err := fakeserver.Start(fakeserver.Options{Flavor: fakeserver.CouchDB, Nodes: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer cluster.Close()
	other, err := fakeserver.Start(fakeserver.Options{Flavor: fakeserver.CouchDB, Nodes: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	config := func(c live.Credentials, nodes ...string) live.Config {
		return live.Config{BaseURL: cluster.URL, Flavor: "couchdb", StateDir: t.TempDir(), Credentials: c, NodeURLs: nodes}
	}
	admin := live.Credentials{User: "admin", Password: "secret"}
	_, noAdmin := live.Target(ctx, config(live.Credentials{AuthDisabled: true}, cluster.NodeURLs[0]))
	_, foreignNode := live.Target(ctx, config(admin, other.NodeURLs[0]))
	locked, err := fakeserver.Start(fakeserver.Options{Flavor: fakeserver.CouchDB, ControlPlane: true, ControlToken: "s3cret-token"})
	if err != nil {
		t.Fatal(err)
	}
	defer locked.Close()
	_, noToken := specs.ControlPlane(locked.URL, nil).Enter(ctx, "default-password")
	for _, c := range []struct {
		err  error
		want string
	}{
		{noAdmin, "--node and --node-header judge the nodes of a CouchDB cluster, and need --flavor couchdb with a server admin's --user"},
		{foreignNode, "--node " + other.NodeURLs[0] + " belongs to another server"},
		{noToken, "is its --control-token given?"},
	} {
		wantFlagWorded(t, c.err, c.want)
	}
}

// TestMissingVarsNameTheirFlags: the engine's skip for variables a state
// lacks names the flags that give them, and none for a variable no flag
// gives.
func TestMissingVarsNameTheirFlags(t *testing.T) {
	for in, want := range map[string]string{
		"needs the vars Database, Document, which state user-exists did not provide (see StateVars)": "needs Database, Document, which this target does not provide (pass --database, --document)",
		"needs the vars Cookie, which state logged-in did not provide (see StateVars)":               "needs Cookie, which this target does not provide",
	} {
		if got := inFlagWords(in); got != want {
			t.Errorf("inFlagWords(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRunNamesTheFlagOfAMissingVar: against a live CouchDB given no
// --database, a fixture that needs one is skipped naming the flag.
func TestRunNamesTheFlagOfAMissingVar(t *testing.T) {
	t.Parallel()
	_, url := startServe(t, io.Discard, "couchdb")
	r := cli(t, "run", "--flavor", "couchdb", "--target", url, "--timeout", "5s", "--user", "admin", "--password", "secret", "--fixture", "couchdb/database-anonymous")
	if !strings.Contains(r.stdout, "skipped") || !strings.Contains(r.stdout, "needs Database, which this target does not provide (pass --database)") || goWords.MatchString(r.stdout+r.stderr) {
		t.Errorf("exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
}
