package report

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestHTMLShowsEachFixtureAndItsEvidence(t *testing.T) {
	page := render(t, "html", sample())
	for _, r := range sample().Results {
		if !strings.Contains(page, `data-id="`+r.ID+`" data-outcome="`+r.Outcome.String()+`" data-flavor="`+r.Flavor+`"`) {
			t.Errorf("no row for %s (%s)", r.ID, r.Outcome)
		}
	}
	checkHas(t, "page", page,
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
		`<footer id="totals">`+Count(sample()).Line()+`</footer>`,
	)
	if n := strings.Count(page, "warning: Content-Type"); n != 1 {
		t.Errorf("the step's warning shows %d times, want once", n)
	}
	if strings.Contains(page, "<b>unquoted") {
		t.Error("text from the summary is not escaped")
	}
}

// The page must work offline: nothing may be fetched.
func TestHTMLIsSelfContained(t *testing.T) {
	page := render(t, "html", sample())
	for _, ref := range []string{"<link", " src=", "@import", "url(", "fetch(", "XMLHttpRequest", "href=\"http"} {
		if strings.Contains(page, ref) {
			t.Errorf("page refers to an outside resource: %q", ref)
		}
	}
}

func TestHTMLOfAnEmptyRun(t *testing.T) {
	page := render(t, "html", Summary{})
	if !strings.Contains(page, `"results":[]`) || !strings.Contains(page, "0 fixtures") {
		t.Errorf("empty run page lacks its empty data or count")
	}
}

func TestHTMLEscapesTheEmbeddedData(t *testing.T) {
	s := only(Passed)
	s.Results[0].ID = `couchdb/x</script><script>alert(1)</script>`
	s.Results[0].Target = `t"><img onerror=alert(2)>`
	page := render(t, "html", s)
	for _, bad := range []string{"<script>alert(1)", "<img onerror"} {
		if strings.Contains(page, bad) {
			t.Errorf("page carries %q unescaped", bad)
		}
	}
}

// TestHTMLOpensOnWhatNeedsAttention: failures and errors are the first
// rows, a skip's reason shows without opening its row, a lone target is
// named once (in the header), the mismatch comes before the erratum, and
// a failed step whose status was right names what differed.
func TestHTMLOpensOnWhatNeedsAttention(t *testing.T) {
	page := render(t, "html", sample())
	var outcomes []string
	for _, tag := range regexp.MustCompile(`<details class="fixture o-([a-z-]+)"`).FindAllStringSubmatch(page, -1) {
		outcomes = append(outcomes, tag[1])
	}
	if want := []string{"failed", "failed", "error", "interrupted", "known-deviation", "skipped", "not-run", "passed", "disabled"}; !slices.Equal(outcomes, want) {
		t.Errorf("rows in the order %v, want %v", outcomes, want)
	}
	if !strings.Contains(page, `<span class="why">state default-password is unreachable on this target (--allow-destructive enables it)</span></summary>`) {
		t.Error("a skipped row hides its reason until opened")
	}
	row := page[strings.Index(page, `data-id="neo4j-query/bearer-authentication"`):]
	row = row[:strings.Index(row, "</details>")]
	if m, e := strings.Index(row, `class="mismatch"`), strings.Index(row, "Document erratum"); m < 0 || e < 0 || m > e {
		t.Errorf("mismatch at %d, erratum at %d: want the mismatch first", m, e)
	}

	one := sample()
	one.Targets = one.Targets[1:]
	var kept []Result
	for _, r := range one.Results {
		if r.Target == one.Targets[0].Name {
			kept = append(kept, r)
		}
	}
	one.Results = kept
	one.Results[0].Outcome = Failed
	one.Results[0].Steps[0].Got = 202
	one.Results[0].Steps[0].Mismatches = []string{"header WWW-Authenticate: want it absent", `json errors: want [], got [{"code":"x"}]`}
	page = render(t, "html", one)
	visible := regexp.MustCompile(`(?s)<script.*?</script>|data-target="[^"]*"`).ReplaceAllString(page, "")
	if n := strings.Count(visible, one.Targets[0].Name); n != 1 {
		t.Errorf("the one target is named %d times, want once", n)
	}
	if !strings.Contains(page, `status 202 as wanted; <span class="status-bad">differs: header WWW-Authenticate, json errors</span>`) {
		t.Error("the failed step's title does not name what differed")
	}
}
