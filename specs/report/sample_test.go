package report

import (
	"encoding/json"
	"testing"
	"time"
)

// sample is a realistic run of two targets with every outcome in it, in
// the shapes the engine produces.
func sample() Summary {
	start := time.Date(2026, 12, 2, 0, 40, 0, 0, time.UTC)
	unauthorized := "HTTP/1.1 401 Unauthorized\nContent-Type: application/json; charset=UTF-8\nWww-Authenticate: Basic realm=\"Neo4j\"\n\n{\"errors\":[{\"code\":\"Neo.ClientError.Security.Unauthorized\",\"message\":\"Invalid username or password.\"}]}"
	return Summary{
		SuiteVersion: "v0.3.0",
		Targets: []Target{
			{Name: "neo4j-3.3 documented", Flavor: "neo4j-3.3", Profile: "documented"},
			{Name: "neo4j-query http://127.0.0.1:7474", Flavor: "neo4j-query", URL: "http://127.0.0.1:7474"},
		},
		Started:     start,
		Finished:    start.Add(3*time.Second + 250*time.Millisecond),
		Interrupted: SIGINT,
		Results: []Result{
			{
				Target: "neo4j-3.3 documented", ID: "neo4j-3.3/incorrect-authentication", Flavor: "neo4j-3.3",
				Section: "5.2.1.3. Incorrect authentication", Kind: "documented", Outcome: Passed, Duration: 12 * time.Millisecond,
				Steps: []Step{{
					Method: "POST", Path: "/db/data/", Want: []int{401}, Got: 401,
					Exchange: Exchange{Request: "POST /db/data/ HTTP/1.1\nAuthorization: Basic ******\n", Response: unauthorized},
					Example:  &Exchange{Request: "POST http://localhost:7474/db/data/\nAccept: application/json; charset=UTF-8\nAuthorization: Basic bmVvNGo6aW5jb3JyZWN0", Response: unauthorized},
				}},
			},
			{
				Target: "neo4j-3.3 documented", ID: "neo4j-3.3/non-basic-scheme", Flavor: "neo4j-3.3",
				Section: "5.2.1.2. Authenticate to access the server", Kind: "derived", Outcome: Failed,
				Reason:   "POST /db/data/: status: want 400, got 200",
				Warnings: []string{"Content-Type: want media type application/json, got text/plain (advisory)"},
				Steps: []Step{{
					Method: "POST", Path: "/db/data/", Want: []int{400}, Got: 200,
					Mismatches: []string{"status: want 400, got 200", `json: want errors[0].code "Neo.ClientError.Request.InvalidFormat", got no errors`},
					Warnings:   []string{"Content-Type: want media type application/json, got text/plain (advisory)"},
					Exchange:   Exchange{Request: "POST /db/data/ HTTP/1.1\nAuthorization: Bearer ******\n", Response: "HTTP/1.1 200 OK\nContent-Type: text/plain\n\n{}"},
				}},
			},
			{
				Target: "neo4j-3.3 documented", ID: "neo4j-3.3/change-password", Flavor: "neo4j-3.3",
				Section: "5.2.2.3. Changing the user password", Kind: "documented", Outcome: Skipped,
				Reason: "state default-password is unreachable on this target (--allow-destructive enables it)",
			},
			{
				Target: "neo4j-3.3 documented", ID: "neo4j-3.3/auth-disabled", Flavor: "neo4j-3.3",
				Section: "5.2.3. Access when authentication and authorization are disabled", Kind: "documented", Outcome: Disabled,
				Reason: "switched off (--focus)",
			},
			{
				Target: "neo4j-query http://127.0.0.1:7474", ID: "neo4j-query/bearer-authentication", Flavor: "neo4j-query",
				Section: "Example 2. Bearer authentication", Kind: "documented", Outcome: KnownDeviation,
				Reason: "known deviation (neo4j-5): Neo4j 5 does not base64-decode Bearer credentials\n  evidence: neo4j-auth-from-source.md §4\n  observed: status: want 202, got 401",
				Errata: []string{"bearer-example-trailing-newline"},
				Expectation: &Applied{Profile: "neo4j-5", Reason: "Neo4j 5 does not base64-decode Bearer credentials",
					Evidence: "neo4j-auth-from-source.md §4 'Header parsing' BEARER"},
				Steps: []Step{{
					Method: "POST", Path: "/db/neo4j/query/v2", Want: []int{202}, Got: 401,
					Mismatches: []string{"status: want 202, got 401"},
					Exchange:   Exchange{Request: "POST /db/neo4j/query/v2 HTTP/1.1\nAuthorization: Bearer ******\n\n{\"statement\":\"RETURN 1\"}", Response: "HTTP/1.1 401 Unauthorized\n\n{\"errors\":[{\"code\":\"Neo.ClientError.Security.Unauthorized\",\"message\":\"Invalid credential.\"}]}"},
					Example:    &Exchange{Request: "POST http://localhost:7474/db/neo4j/query/v2\nAuthorization: Bearer eGJoa2pubHZpYW56dGdocXdhd3hxZmUK", Response: "202: Accepted"},
				}},
			},
			{
				Target: "neo4j-query http://127.0.0.1:7474", ID: "neo4j-query/discovery", Flavor: "neo4j-query",
				Section: "Discovery", Kind: "derived", Outcome: Failed,
				Reason:      `stale expectation in neo4j-5: "no discovery" no longer happens; remove it from the file`,
				Expectation: &Applied{Profile: "neo4j-5", Reason: "no discovery", Evidence: "measured", Stale: true},
				Steps:       []Step{{Method: "GET", Path: "/", Want: []int{200}, Got: 200, Exchange: Exchange{Request: "GET / HTTP/1.1\n", Response: "HTTP/1.1 200 OK\n\n{}"}}},
			},
			{
				Target: "neo4j-query http://127.0.0.1:7474", ID: "neo4j-query/incorrect-authentication", Flavor: "neo4j-query",
				Section: "Incorrect authentication", Kind: "documented", Outcome: Error,
				Reason: "POST /db/neo4j/query/v2: Post \"http://127.0.0.1:7474/db/neo4j/query/v2\": context deadline exceeded (--timeout 10s)",
				Steps:  []Step{{Method: "POST", Path: "/db/neo4j/query/v2", Want: []int{401}, Exchange: Exchange{Request: "POST /db/neo4j/query/v2 HTTP/1.1\nAuthorization: Basic ******\n"}}},
			},
			{
				Target: "neo4j-query http://127.0.0.1:7474", ID: "neo4j-query/rate-limit", Flavor: "neo4j-query",
				Section: "Rate limiting", Kind: "derived", Outcome: Interrupted,
				Reason: "interrupted by SIGINT during step 2 of 4",
			},
			{
				Target: "neo4j-query http://127.0.0.1:7474", ID: "neo4j-query/unknown-user", Flavor: "neo4j-query",
				Section: "Incorrect authentication", Kind: "derived", Outcome: NotRun,
				Reason: "not run: the run was interrupted (SIGINT)",
			},
		},
		Errata: []Erratum{
			{ID: "bearer-example-trailing-newline", Fixture: "neo4j-query/bearer-authentication",
				Summary:  "The example's base64 encodes the token followed by a newline, although the text says to use echo -n.",
				Evidence: `echo -n "xbhkjnlvianztghqwawxqfe" | base64 gives eGJoa2pubHZpYW56dGdocXdhd3hxZmU=`},
			{ID: "basic-example-user", Fixture: "neo4j-3.3/incorrect-authentication",
				Summary: "The example authenticates as neo4j:incorrect <b>unquoted</b>.", Evidence: "fixture literal test"},
		},
	}
}

// snapshot serialises every field of s, to compare before and after.
func snapshot(t *testing.T, s Summary) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Tests over sample cover every outcome only if it has each at least once.
func TestSampleHasEveryOutcome(t *testing.T) {
	tot := Count(sample())
	for _, o := range outcomeOrder {
		if tot.Of(o) == 0 {
			t.Errorf("sample has no %s result", o)
		}
	}
}
