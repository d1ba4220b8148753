package main

import (
	"testing"
)

// BenchmarkSuiteAgainstEmbeddedFakes is the wall time of `authconform run`
// (every flavor, embedded fakes), process start included.
func BenchmarkSuiteAgainstEmbeddedFakes(b *testing.B) {
	for b.Loop() {
		cmd := command("run")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v\n%s", err, out)
		}
	}
}
