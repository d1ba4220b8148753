package report

import (
	"bytes"
	"strings"
	"testing"
)

func renderHTML(t *testing.T, s Summary) string {
	t.Helper()
	var b bytes.Buffer
	if err := HTML(&b, s); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestHTMLShowsEachFixtureAndItsEvidence(t *testing.T) {
	page := renderHTML(t, sample())
	for _, r := range sample().Results {
		if !strings.Contains(page, `data-id="`+r.ID+`" data-outcome="`+r.Outcome.String()+`" data-flavor="`+r.Flavor+`"`) {
			t.Errorf("no row for %s (%s)", r.ID, r.Outcome)
		}
	}
	for _, want := range []string{
		// The document's example beside the observed exchange.
		"<h4>Document's example</h4><pre>POST http://localhost:7474/db/neo4j/query/v2\nAuthorization: Bearer eGJoa2pubHZpYW56dGdocXdhd3hxZmUK</pre>",
		"<h4>Observed (credentials masked)</h4><pre>POST /db/data/ HTTP/1.1\nAuthorization: Bearer ******\n</pre>",
		// A wrong status is highlighted, a right one is not.
		`<pre><span class="hl">HTTP/1.1 200 OK</span>`,
		`<pre>HTTP/1.1 401 Unauthorized`,
		`got <span class="status-bad">200</span>`,
		`<div class="mismatch">status: want 400, got 200</div>`,
		`<strong>Stale expectation (neo4j-5):</strong> no discovery`,
		`<strong>Expectation (neo4j-5):</strong> Neo4j 5 does not base64-decode Bearer credentials`,
		`<strong>Document erratum bearer-example-trailing-newline:</strong> The example&#39;s base64`,
		`Interrupted by SIGINT`,
		// Escaped, never markup.
		"neo4j:incorrect &lt;b&gt;unquoted&lt;/b&gt;.",
		// Failures and errors start open.
		`<details class="fixture o-failed" open id="fixture-2"`,
		`<details class="fixture o-passed" id="fixture-1"`,
		`<footer id="totals">` + Count(sample()).Line() + `</footer>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if n := strings.Count(page, "warning: Content-Type"); n != 1 {
		t.Errorf("the step's warning shows %d times, want once", n)
	}
	if strings.Contains(page, "<b>unquoted") {
		t.Error("text from the summary is not escaped")
	}
}

// The page must work offline: nothing may be fetched.
func TestHTMLIsSelfContained(t *testing.T) {
	page := renderHTML(t, sample())
	for _, ref := range []string{"<link", " src=", "@import", "url(", "fetch(", "XMLHttpRequest", "href=\"http"} {
		if strings.Contains(page, ref) {
			t.Errorf("page refers to an outside resource: %q", ref)
		}
	}
}

func TestHTMLOfAnEmptyRun(t *testing.T) {
	page := renderHTML(t, Summary{})
	if !strings.Contains(page, `"results":[]`) || !strings.Contains(page, "0 fixtures") {
		t.Errorf("empty run page lacks its empty data or count")
	}
}

func TestHTMLEscapesTheEmbeddedData(t *testing.T) {
	s := only(Passed)
	s.Results[0].ID = `couchdb/x</script><script>alert(1)</script>`
	s.Results[0].Target = `t"><img onerror=alert(2)>`
	page := renderHTML(t, s)
	for _, bad := range []string{"<script>alert(1)", "<img onerror"} {
		if strings.Contains(page, bad) {
			t.Errorf("page carries %q unescaped", bad)
		}
	}
}
