package report_test

import (
	"fmt"
	"os"
	"time"

	"github.com/authconform/authconform/fixtures"
	"github.com/authconform/authconform/specs/report"
)

// The engine fills a Summary; an expectation file turns the failure it
// explains into a known deviation; every report and the exit code count
// the same way.
func Example() {
	start := time.Date(2026, 12, 2, 1, 0, 0, 0, time.UTC)
	s := report.Summary{
		SuiteVersion: "v0.3.0",
		Targets:      []report.Target{{Name: "neo4j-query neo4j-5", Flavor: "neo4j-query", Profile: "neo4j-5"}},
		Started:      start, Finished: start.Add(2 * time.Second),
		Results: []report.Result{
			{Target: "neo4j-query neo4j-5", ID: "neo4j-query/discovery", Flavor: "neo4j-query", Section: "Discovery", Kind: "derived", Outcome: report.Passed},
			{Target: "neo4j-query neo4j-5", ID: "neo4j-query/invalid-authentication", Flavor: "neo4j-query", Section: "Invalid authentication", Kind: "documented",
				Outcome: report.Failed, Reason: "POST /db/neo4j/query/v2: status: want 401, got 400",
				Steps: []report.Step{{Method: "POST", Path: "/db/neo4j/query/v2", Want: []int{401}, Got: 400, Mismatches: []string{"status: want 401, got 400"}}}},
		},
	}
	exp, _, _ := fixtures.ProfileExpectations("neo4j-5")
	s = report.Apply(s, exp, "")
	_ = report.Text(os.Stdout, s, false)
	code, why := report.Verdict(s, false)
	fmt.Println("exit", code, "-", why)
	// Output:
	//
	// neo4j-query, neo4j-query neo4j-5 (neo4j-query-api-authorize-requests.md)
	//   passed          neo4j-query/discovery                            Discovery
	//   known-deviation neo4j-query/invalid-authentication               Invalid authentication
	//       known deviation (neo4j-5): Neo4j 5 answers a header it cannot decode with 400, not the documented 401
	//
	// 1 passed, 0 failed, 1 known deviation, 0 errors, 0 skipped, 0 interrupted, 0 not run, 0 switched off
	// exit 0 - 1 passed, 0 failed, 1 known deviation, 0 errors, 0 skipped, 0 interrupted, 0 not run, 0 switched off
}
