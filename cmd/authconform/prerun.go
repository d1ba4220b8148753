package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/authconform/authconform/fixtures"
	"github.com/authconform/authconform/specs"
)

// checkCredentialsGiven refuses a live --target without an account: every
// fixture would be skipped, after a full run, for want of one. A serve
// --control target and a server without authentication need none.
func checkCredentialsGiven(f runFlags) error {
	if f.target == "" || f.control || f.creds.AuthDisabled || f.creds.User != "" || f.creds.Token != "" {
		return nil
	}
	return usagef("--target %s needs an account on it: pass --user and --password (or --password-file; AUTHCONFORM_USER, AUTHCONFORM_PASSWORD), or --auth-disabled for a server without authentication", beforeQuery(withoutUserinfo(f.target)))
}

// checkWritable proves, before anything runs, that each report can be
// written: an existing file is opened for writing (not truncated), and in
// its folder a new file can be created.
func checkWritable(flag, path string) error {
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return usagef("%s %s: the folder %s does not exist", flag, path, dir)
	}
	if st, err := os.Stat(path); err == nil {
		if st.IsDir() {
			return usagef("%s %s: a folder, not a file", flag, path)
		}
		out, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return usagef("%s %s: cannot be written: %v", flag, path, unwrapPath(err))
		}
		return out.Close()
	}
	probe, err := os.CreateTemp(dir, ".authconform-write-check-*")
	if err != nil {
		return usagef("%s %s: the folder %s is not writable: %v", flag, path, dir, unwrapPath(err))
	}
	probe.Close()
	return os.Remove(probe.Name())
}

// unwrapPath drops the path an *fs.PathError repeats.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// checkClockWaits refuses a live run whose selected fixtures would wait
// for the server's clock longer than --max-wait allows, before any of them
// runs, naming the longest wait. Without --max-wait nothing waits: those
// fixtures are skipped, saying what to pass.
func checkClockWaits(f runFlags, include func(string) bool) error {
	if f.target == "" || f.control || f.creds.MaxWait <= 0 || f.creds.SessionTTL <= 0 {
		return nil
	}
	all, err := fixtures.All()
	if err != nil {
		return err
	}
	labels, _ := types.ParseLabelFilter(f.labelFilter) // checked by checkOutputs
	var longest time.Duration
	var id string
	for _, fx := range all {
		if !slices.Contains(f.flavors, fx.Flavor) || !fx.NeedsClock() || (include != nil && !include(fx.ID)) ||
			!labels(specs.Labels(fx)) || (fx.Destructive && !f.allowDestructive) || fx.Lockout {
			continue
		}
		if d, ok := specs.ClockTime(fx, f.creds.SessionTTL); ok && d > longest {
			longest, id = d, fx.ID
		}
	}
	if longest > f.creds.MaxWait {
		return usagef("%s would wait %s for the server's clock, more than --max-wait %s allows: raise --max-wait to %s, leave it out to skip the fixtures that wait, or --skip %s",
			id, longest, f.creds.MaxWait, longest.Truncate(time.Second)+time.Second, id)
	}
	return nil
}

// learnedSessionTTL is the session lifetime a live target read from the
// server (CouchDB's cookie Max-Age), when --session-timeout did not give it.
func learnedSessionTTL(ts []specs.Target) (time.Duration, bool) {
	for _, t := range ts {
		if s, ok := t.States.(interface {
			SessionTTL() time.Duration
			SessionTTLFromServer() bool
		}); ok && s.SessionTTLFromServer() {
			return s.SessionTTL(), true
		}
	}
	return 0, false
}
