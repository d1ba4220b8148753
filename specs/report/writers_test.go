package report

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

// writers are every report writer, for the tests they share.
var writers = map[string]func(io.Writer, Summary) error{
	"text":         func(w io.Writer, s Summary) error { return Text(w, s, false) },
	"text verbose": func(w io.Writer, s Summary) error { return Text(w, s, true) },
	"markdown":     Markdown,
	"matrix":       Matrix,
	"json":         JSON,
	"junit":        JUnit,
	"html":         HTML,
}

func TestWritersDoNotChangeTheSummary(t *testing.T) {
	for name, write := range writers {
		s := sample()
		// Out of order on purpose: a writer that sorts would show.
		s.Errata[0], s.Errata[1] = s.Errata[1], s.Errata[0]
		s.Results[0], s.Results[4] = s.Results[4], s.Results[0]
		before := snapshot(t, s)
		if err := write(io.Discard, s); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if snapshot(t, s) != before {
			t.Errorf("%s changed the summary it wrote", name)
		}
	}
}

type brokenWriter struct{}

func (brokenWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWritersReportWriteErrors(t *testing.T) {
	for name, write := range writers {
		if err := write(brokenWriter{}, sample()); err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("%s: error %v, want disk full", name, err)
		}
	}
}

func TestWritersEndWithTheCountLine(t *testing.T) {
	line := Count(sample()).Line()
	for _, name := range []string{"text", "text verbose", "markdown", "matrix"} {
		var b bytes.Buffer
		if err := writers[name](&b, sample()); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
		if last := lines[len(lines)-1]; last != line {
			t.Errorf("%s: last line %q, want %q", name, last, line)
		}
	}
}

func render(t *testing.T, name string, s Summary) string {
	t.Helper()
	var b bytes.Buffer
	if err := writers[name](&b, s); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// checkHas fails t for each of wants that out, the report named name,
// lacks, and then shows out.
func checkHas(t *testing.T, name, out string, wants ...string) {
	t.Helper()
	lacks := false
	for _, want := range wants {
		if !strings.Contains(out, want) {
			t.Errorf("%s lacks %q", name, want)
			lacks = true
		}
	}
	if lacks {
		t.Logf("%s:\n%s", name, out)
	}
}

// Each writer shows every outcome of the sample with what explains it;
// the verbose text adds the evidence and the switched-off fixtures.
func TestWritersShowEachOutcome(t *testing.T) {
	for writer, wants := range map[string][]string{
		"text": {
			"neo4j-3.3, neo4j-3.3 documented (neo4j-3.3-http-api-authentication.md)",
			"  passed          neo4j-3.3/incorrect-authentication",
			"  failed          neo4j-3.3/non-basic-scheme",
			"      POST /db/data/: status: want 400, got 200\n",
			"      warning: Content-Type: want media type application/json, got text/plain (advisory)\n",
			"      last exchange (credentials masked):\n        > POST /db/data/ HTTP/1.1\n        > Authorization: Bearer ******\n        < HTTP/1.1 200 OK\n",
			"  skipped         neo4j-3.3/change-password",
			"      state default-password is unreachable on this target (--allow-destructive enables it)\n",
			"  known-deviation neo4j-query/bearer-authentication",
			"      known deviation (neo4j-5): Neo4j 5 does not base64-decode Bearer credentials\n  ",
			"  failed          neo4j-query/discovery",
			`      stale expectation in neo4j-5: "no discovery" no longer happens`,
			"  error           neo4j-query/incorrect-authentication",
			"context deadline exceeded (--timeout 10s)",
			"  interrupted     neo4j-query/rate-limit",
			"  not-run         neo4j-query/unknown-user",
			"\nDocument errata (2):\n  bearer-example-trailing-newline (neo4j-query/bearer-authentication): The example's base64",
			"\ninterrupted by SIGINT\n1 warning\n",
		},
		"text verbose": {
			"  disabled        neo4j-3.3/auth-disabled",
			"      evidence: echo -n \"xbhkjnlvianztghqwawxqfe\" | base64",
			"      step POST /db/data/: want 400, got 200\n",
			"      step POST /db/neo4j/query/v2: want 401, got no answer\n",
			"  evidence: neo4j-auth-from-source.md §4\n",
		},
		"markdown": {
			"authconform v0.3.0, 2026-12-02 00:40:00Z to 00:40:03Z",
			"**Interrupted by SIGINT**",
			"## neo4j-3.3: neo4j-3.3 documented\n\nDocument: `neo4j-3.3-http-api-authentication.md`",
			"| `neo4j-3.3/incorrect-authentication` | 5.2.1.3. Incorrect authentication | 401 | 401 | passed |  |",
			"| `neo4j-3.3/non-basic-scheme` | 5.2.1.2. Authenticate to access the server | 400 | 200 | failed; 1 warning(s) | POST /db/data/: status: want 400, got 200; Content-Type",
			"| `neo4j-3.3/change-password` | 5.2.2.3. Changing the user password |  | not run | skipped | state default-password",
			"| `neo4j-3.3/auth-disabled` |",
			"| 202 | 401 | known deviation; document erratum | known deviation (neo4j-5): Neo4j 5 does not base64-decode Bearer credentials evidence: neo4j-auth-from-source.md §4; errata: bearer-example-trailing-newline |",
			"| failed; stale expectation |",
			"| 401 | no answer | error |",
			"| interrupted | interrupted by SIGINT",
			"| not run | not run | not run:",
			"- **bearer-example-trailing-newline** (`neo4j-query/bearer-authentication`):",
		},
	} {
		checkHas(t, writer, render(t, writer, sample()), wants...)
	}
}

func TestTextWithoutVerboseHidesEvidence(t *testing.T) {
	out := render(t, "text", sample())
	for _, not := range []string{"neo4j-3.3/auth-disabled", "evidence:", "step POST"} {
		if strings.Contains(out, not) {
			t.Errorf("text without -v shows %q", not)
		}
	}
	if strings.Contains(out, "GET / HTTP/1.1\n") && !strings.Contains(out, "neo4j-query/discovery") {
		t.Error("exchange without its fixture")
	}
}

func TestMarkdownEscapesCells(t *testing.T) {
	s := Summary{Results: []Result{{ID: "couchdb/x", Flavor: "couchdb", Section: "a | b", Outcome: Failed, Reason: "line one\nline | two\nline three"}}}
	out := render(t, "markdown", s)
	if !strings.Contains(out, "| a \\| b |") || !strings.Contains(out, "line one line \\| two |") {
		t.Errorf("cells not escaped:\n%s", out)
	}
}

func TestMatrix(t *testing.T) {
	s := sample()
	// A second column for neo4j-query, as matrix runs each profile.
	extra := s.Results[4]
	extra.Target, extra.Outcome, extra.Reason = "neo4j-query documented", Passed, ""
	s.Results = append(s.Results, extra)
	out := render(t, "matrix", s)
	checkHas(t, "matrix", out,
		"\nneo4j-3.3\nfixture                             neo4j-3.3 documented\n",
		"neo4j-3.3/incorrect-authentication  passed\n",
		"neo4j-query/bearer-authentication     differs                            passed\n",
		"neo4j-query/discovery                 failed                             -\n",
		"  neo4j-query/bearer-authentication on neo4j-query http://127.0.0.1:7474: known deviation (neo4j-5): Neo4j 5 does not base64-decode Bearer credentials\n",
		"  neo4j-query/discovery on neo4j-query http://127.0.0.1:7474: UNEXPLAINED failed: stale expectation",
		"  neo4j-query/incorrect-authentication on neo4j-query http://127.0.0.1:7474: UNEXPLAINED error:",
		"neo4j-query/rate-limit                interrupted",
		"neo4j-query/unknown-user              not-run",
	)
}
