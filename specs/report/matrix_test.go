package report_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/authconform/authconform/specs/report"
)

// TestMatrixColumnOrder: the documented profile comes first and the
// releases follow by name, whatever order the results arrived in.
func TestMatrixColumnOrder(t *testing.T) {
	s := report.Summary{
		Targets: []report.Target{
			{Name: "couchdb couchdb-3.4", Flavor: "couchdb", Profile: "couchdb-3.4"},
			{Name: "couchdb couchdb-3.3", Flavor: "couchdb", Profile: "couchdb-3.3"},
			{Name: "couchdb documented", Flavor: "couchdb", Profile: "documented"},
		},
	}
	for _, target := range []string{"couchdb couchdb-3.4", "couchdb documented", "couchdb couchdb-3.3"} {
		s.Results = append(s.Results, report.Result{Target: target, ID: "couchdb/get-session", Flavor: "couchdb", Outcome: report.Passed})
	}
	var b bytes.Buffer
	if err := report.Matrix(&b, s); err != nil {
		t.Fatal(err)
	}
	var header string
	for _, line := range strings.Split(b.String(), "\n") {
		if strings.HasPrefix(line, "fixture") {
			header = line
		}
	}
	want := []string{"couchdb documented", "couchdb couchdb-3.3", "couchdb couchdb-3.4"}
	at := -1
	for _, name := range want {
		i := strings.Index(header, name)
		if i <= at {
			t.Fatalf("header %q: want the columns %q in that order", header, want)
		}
		at = i
	}
}
