package specs

import "time"

// SetSettlePause sets the pause between repeats of a settle step, for the
// tests of package specs_test, and returns the undo.
func SetSettlePause(d time.Duration) func() {
	old := settlePause
	settlePause = d
	return func() { settlePause = old }
}
