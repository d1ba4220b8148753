package core

import (
	"testing"
	"time"
)

func TestClockAdvance(t *testing.T) {
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := NewClock(func() time.Time { return base })
	if !c.Now().Equal(base) {
		t.Fatalf("Now %v", c.Now())
	}
	c.Advance(90 * time.Second)
	c.Advance(30 * time.Second)
	if got := c.Now().Sub(base); got != 2*time.Minute {
		t.Fatalf("after 90 s and 30 s: %v", got)
	}
	real := NewClock(nil)
	if d := time.Since(real.Now()); d < 0 || d > time.Minute {
		t.Fatalf("a nil base is not time.Now: %v off", d)
	}
}
