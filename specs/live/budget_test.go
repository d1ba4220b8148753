package live

import (
	"path/filepath"
	"testing"
	"time"
)

func TestBudgetKeepsEveryAccountBelowItsLock(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	file := filepath.Join(t.TempDir(), "budget.json")
	b := FailureBudget{Max: 4, Window: 5 * time.Minute, StateFile: file}

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
	// Once the window has passed, the budget is whole again.
	now = now.Add(5 * time.Minute)
	if err := second.spend(4); err != nil {
		t.Fatalf("after the window: %v", err)
	}
	if err := (&budgetTracker{b: FailureBudget{Max: 2}, now: clock}).spend(3); err == nil {
		t.Fatal("a fixture with more failures than the lock threshold was allowed")
	}
}

func TestBudgetResetOnSuccessOnlyBoundsEachFixture(t *testing.T) {
	b := &budgetTracker{b: DefaultBudget("neo4j-3.3"), now: time.Now}
	for range 10 {
		if err := b.spend(2); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.spend(3); err == nil {
		t.Fatal("3 failures in one fixture would lock a Neo4j account")
	}
}
