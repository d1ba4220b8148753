package fakeserver

import (
	"slices"
	"testing"
	"time"

	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

func TestFakeStatesResetAndClock(t *testing.T) {
	f := newControlFake(t, CouchDB)
	states := f.States()
	if !slices.Contains(states, "user-exists") || !slices.Contains(states, "logged-in") {
		t.Errorf("States %v", states)
	}
	for _, s := range states {
		if _, err := f.EnterState(s); err != nil {
			t.Errorf("EnterState(%q) of States: %v", s, err)
		}
	}
	f.Advance(time.Hour)
	if !f.Now().Equal(testkit.TranscriptDay().Add(time.Hour)) {
		t.Errorf("Now after an hour: %v", f.Now())
	}
	if err := f.Reset(); err != nil || !f.Now().Equal(testkit.TranscriptDay()) {
		t.Errorf("Reset: %v, Now %v", err, f.Now())
	}
	if _, err := f.EnterState("nope"); err == nil {
		t.Error("EnterState of an unknown state")
	}
	if got := f.Options(); got.Flavor != CouchDB || got.Profile != ProfileDocumented || got.MaxBodyBytes != 1<<20 {
		t.Errorf("Options %+v", got)
	}
}
