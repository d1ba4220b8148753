package main

import (
	"context"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/authconform/authconform/specs/live"
)

// goWords are the library's names for options, which the CLI's messages
// must not show.
var goWords = regexp.MustCompile(`\b(Credentials|Config|Target)\.[A-Z]\w*|AdvanceLimit|StateVars|the var SessionTTL`)

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
		if c.err == nil {
			t.Fatalf("no error where one naming %s was due", c.flag)
		}
		got := inFlagWords(c.err.Error())
		if !strings.Contains(got, c.flag) || goWords.MatchString(got) {
			t.Errorf("%q in the CLI's words: %q, want %s and no Go name", c.err, got, c.flag)
		}
	}
	wrapped := flagWorded{noStateDir}
	if !errors.Is(wrapped, live.ErrNoStateDir) || !strings.Contains(wrapped.Error(), "--state-dir") {
		t.Errorf("flagWorded(%v) = %q: want errors.Is to see ErrNoStateDir and --state-dir in the text", noStateDir, wrapped)
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
