package live

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// failureBudget bounds the failed logins a run may cause on a live target,
// so that the suite never locks an account out.
type failureBudget struct {
	// Max is how many failed logins may happen within Window.
	Max int
	// Window is how long a failure counts against Max.
	Window time.Duration
	// ResetOnSuccess: a successful login clears the count (Neo4j), and the
	// runner logs in successfully before every fixture.
	ResetOnSuccess bool
	// StateFile, when set, keeps the failures spent across runs, so that
	// two runs in a row cannot add up to a lockout.
	StateFile string
}

// defaultBudget is one failure below each server's own lock threshold:
// Neo4j locks after 3 failures (a success resets the count), CouchDB after
// 5 per user and client address within 5 minutes. An unknown flavor gets
// no failed login at all.
func defaultBudget(flavor string) failureBudget {
	if fl, err := flavorOf(flavor); err == nil {
		return fl.budget
	}
	return failureBudget{Max: 0, Window: time.Hour}
}

// budgetTracker spends a failureBudget over one run.
type budgetTracker struct {
	b   failureBudget
	now func() time.Time

	mu    sync.Mutex
	spent []time.Time
}

// spend reserves n failures, or says why the fixture must be skipped.
func (t *budgetTracker) spend(n int) error {
	if n == 0 {
		return nil
	}
	if n > t.b.Max {
		return fmt.Errorf("causes %d failed logins, more than the %d this server allows before it locks the account", n, t.b.Max)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.b.ResetOnSuccess {
		return nil // the runner's own successful login before each fixture resets the count
	}
	now := t.now()
	t.load()
	live := t.recent()
	if len(live)+n > t.b.Max {
		return fmt.Errorf("would bring the failed logins on this account to %d within %s (this run's and recent runs'), over the budget of %d that keeps it from locking; run it again later, or alone (Target.Include)", len(live)+n, t.b.Window, t.b.Max)
	}
	for range n {
		t.spent = append(t.spent, now)
	}
	return t.save()
}

func (t *budgetTracker) load() {
	if t.b.StateFile == "" {
		return
	}
	if st, err := os.Lstat(t.b.StateFile); err != nil || !st.Mode().IsRegular() {
		return // none yet, or a link someone planted: save replaces it
	}
	data, err := os.ReadFile(t.b.StateFile)
	if err != nil {
		return
	}
	var stored []time.Time
	if json.Unmarshal(data, &stored) == nil {
		t.spent = stored // the file holds this run's failures too: it is saved after each spend
	}
}

func (t *budgetTracker) save() error {
	if t.b.StateFile == "" {
		return nil
	}
	data, _ := json.Marshal(t.spent)
	if err := writeStateFile(t.b.StateFile, data); err != nil {
		return fmt.Errorf("keeping the failed-login budget: %w", err)
	}
	return nil
}

// writeStateFile replaces path with data without following a link: the
// data goes to a new file made with O_EXCL (mode 0600) beside it, which is
// then renamed over path, so a symbolic link planted at path (in a shared
// state directory) is replaced, never written through. A folder on the way
// that is a link is refused.
func writeStateFile(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if st, err := os.Lstat(dir); err != nil {
		return err
	} else if st.Mode()&os.ModeSymlink != 0 {
		return fmt.Errorf("%s is a symbolic link; the state directory must hold its own folders", dir)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		_ = os.Remove(f.Name())
	}
	return err
}

// reserve records one failed login before a login whose outcome is not
// known yet (the credential check), counting it even for flavors whose
// successes reset the server's count, since a wrong password never
// succeeds: five runs with it must not add up to a lock.
func (t *budgetTracker) reserve() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.load()
	if t.b.ResetOnSuccess {
		// Neo4j forgets failures only on a success, never with time.
		if len(t.spent)+1 > t.b.Max {
			return fmt.Errorf("the failed-login ledger %s holds %d failed logins on this account since its last successful one, the most that keeps it from locking; check the password by hand, then delete that file", t.b.StateFile, len(t.spent))
		}
		t.spent = append(t.spent, t.now())
		return t.save()
	}
	live := t.recent()
	if len(live)+1 > t.b.Max {
		return fmt.Errorf("the failed-login ledger %s holds %d recent failed logins on this account, the most that keeps it from locking; wait until %s", t.b.StateFile, len(live), live[0].Add(t.b.Window).Format(time.RFC3339))
	}
	t.spent = append(live, t.now())
	return t.save()
}

// giveBack undoes the last reserve after the login succeeded (or got no
// answer); clear also forgets every failure, for servers where a success
// resets the count.
func (t *budgetTracker) giveBack(clear bool) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.load()
	switch {
	case clear:
		t.spent = nil
	case len(t.spent) > 0:
		t.spent = t.spent[:len(t.spent)-1]
	}
	return t.save()
}

// spentNote says what a refused credential check cost and what the server
// does after how many, and never that the account is safe: the ledger
// knows only the failures it saw.
func (t *budgetTracker) spentNote() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	counted, lock := len(t.spent), fmt.Sprintf("the server locks the account after %d failed logins within %s", t.b.Max+1, t.b.Window)
	if t.b.ResetOnSuccess {
		lock = fmt.Sprintf("the server locks the account after %d failed logins with no successful one between", t.b.Max+1)
	} else {
		counted = len(t.recent())
	}
	return fmt.Sprintf("this check spent 1 failed login; the ledger %s counts %d on this account, and %s. "+
		"Failures from other clients, and from earlier runs whose state directory is gone (a fresh CI runner), are not counted: "+
		"keep Config.StateDir on storage that outlives the run, so that the suite stops before the lock", t.b.StateFile, counted, lock)
}

// recent keeps the failures still inside the window.
func (t *budgetTracker) recent() []time.Time {
	now := t.now()
	live := t.spent[:0]
	for _, at := range t.spent {
		if now.Sub(at) < t.b.Window {
			live = append(live, at)
		}
	}
	t.spent = live
	return live
}
