package main

import (
	"io"
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

// BenchmarkSuiteAgainstServe is the same suite over loopback against three
// `serve --control` processes, one per flavor, run one flavor at a time.
func BenchmarkSuiteAgainstServe(b *testing.B) {
	urls := map[string]string{}
	for _, flavor := range []string{"neo4j-3.3", "neo4j-query", "couchdb"} {
		_, urls[flavor] = startServe(b, io.Discard, flavor, "--control")
	}
	for b.Loop() {
		for flavor, url := range urls {
			cmd := command("run", "--flavor", flavor, "--target", url, "--control", "--allow-destructive")
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("%s: %v\n%s", flavor, err, out)
			}
		}
	}
}
