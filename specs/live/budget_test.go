package live

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestBudgetKeepsEveryAccountBelowItsLock(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	file := filepath.Join(t.TempDir(), "budget.json")
	b := failureBudget{Max: 4, Window: 5 * time.Minute, StateFile: file}

	first := &budgetTracker{b: b, now: clock}
	for _, n := range []int{2, 1, 1} {
		if err := first.spend(n); err != nil {
			t.Fatalf("spending %d: %v", n, err)
		}
	}
	if err := first.spend(1); err == nil {
		t.Fatal("a fifth failure within the window was allowed")
	}
	// A second run right after the first must see the failures already spent.
	second := &budgetTracker{b: b, now: clock}
	if err := second.spend(1); err == nil {
		t.Fatal("a second run added to the first run's failures")
	}
	// A failure counts for the whole window, to its last second.
	now = now.Add(5*time.Minute - time.Second)
	if err := second.spend(1); err == nil {
		t.Fatal("the failures stopped counting before their window ended")
	}
	// Once the window has passed, the budget is whole again.
	now = now.Add(time.Second)
	if err := second.spend(4); err != nil {
		t.Fatalf("after the window: %v", err)
	}
	if err := (&budgetTracker{b: failureBudget{Max: 2}, now: clock}).spend(3); err == nil {
		t.Fatal("a fixture with more failures than the lock threshold was allowed")
	}
}

func TestBudgetResetOnSuccessOnlyBoundsEachFixture(t *testing.T) {
	b := &budgetTracker{b: defaultBudget("neo4j-3.3"), now: time.Now}
	for range 10 {
		if err := b.spend(2); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.spend(3); err == nil {
		t.Fatal("3 failures in one fixture would lock a Neo4j account")
	}
}

// The ledger is written without following a symbolic link planted where
// it goes: the link is replaced, the file it points to is untouched.
func TestLedgerNeverWritesThroughASymlink(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(victim, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	ledger := filepath.Join(dir, "budget", "target.json")
	if err := os.MkdirAll(filepath.Dir(ledger), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(victim, ledger); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	b := &budgetTracker{b: failureBudget{Max: 4, Window: time.Minute, StateFile: ledger}, now: time.Now}
	if err := b.spend(1); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(victim); string(data) != "keep me" {
		t.Fatalf("the link's target was written: %q", data)
	}
	st, err := os.Lstat(ledger)
	if err != nil || !st.Mode().IsRegular() || st.Mode().Perm() != 0o600 {
		t.Fatalf("the ledger is %v (%v), want a regular file of mode 0600", st.Mode(), err)
	}
	// A linked folder on the way is refused.
	linked := filepath.Join(dir, "linked")
	if err := os.Symlink(t.TempDir(), linked); err != nil {
		t.Fatal(err)
	}
	b.b.StateFile = filepath.Join(linked, "target.json")
	if err := b.spend(1); err == nil {
		t.Fatal("the ledger was written into a linked folder")
	}
}
