package report

import (
	_ "embed"
	"html/template"
	"io"
	"slices"
	"strings"
)

//go:embed report.html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("report").Parse(htmlSource))

// HTML writes the report as one self-contained page (inline CSS and JS, no
// network), readable offline and without JS: a summary bar naming the
// target(s), then one row per fixture coloured by outcome with its section
// and, for a fixture not tested, its reason; failures and errors come
// first and start open. Opening a row shows each step's document example
// beside the observed exchange (credentials masked, as the engine recorded
// it), the mismatches highlighted, then the expectation and errata that
// apply. The page's script counts the outcomes
// from the data embedded in it and filters rows by outcome and flavor
// (also from the address: #outcome=failed&flavor=couchdb).
func HTML(w io.Writer, s Summary) error {
	return htmlTemplate.Execute(w, newHTMLView(s))
}

type htmlView struct {
	S Summary
	// ManyTargets: rows name their target only when there is more than
	// one; the header names them all.
	ManyTargets bool
	Totals      Totals
	Outcomes    []Outcome
	Flavors     []string
	Rows        []htmlRow
	// Data is what the page's script counts and filters from.
	Data htmlData
}

type htmlData struct {
	Outcomes []string     `json:"outcomes"`
	Results  []htmlResult `json:"results"`
}

type htmlResult struct {
	ID      string `json:"id"`
	Target  string `json:"target"`
	Flavor  string `json:"flavor"`
	Outcome string `json:"outcome"`
}

type htmlRow struct {
	Result
	N int
	// Open rows (failures and errors) start expanded: they are what a
	// reader looks for first.
	Open bool
	// ShowReason is false when the reason only repeats the mismatches
	// that the steps show.
	ShowReason bool
	// Warnings are the result's warnings that no step already shows.
	Warnings []string
	Errata   []Erratum
	Steps    []htmlStep
}

type htmlStep struct {
	Step
	N int
	// StatusOK is false when the status received is not one wanted.
	StatusOK bool
	// StatusLine and ResponseRest split the observed response so that a
	// wrong status line can be highlighted.
	StatusLine, ResponseRest string
	// Differs names what differed when the status was the one wanted
	// ("header WWW-Authenticate, json"), for the step's title.
	Differs string
}

// attention orders the rows: what needs a reader's attention first.
var attention = []Outcome{Failed, Error, Interrupted, KnownDeviation, Skipped, NotRun, Passed, Disabled}

// differs names the checks of mismatches: the words before their colon.
func differs(mismatches []string) string {
	var names []string
	for _, m := range mismatches {
		name, _, _ := strings.Cut(m, ":")
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	return strings.Join(names, ", ")
}

func newHTMLView(s Summary) htmlView {
	v := htmlView{S: s, Totals: Count(s), Outcomes: Outcomes(), ManyTargets: len(s.Targets) > 1}
	for _, o := range outcomeOrder {
		v.Data.Outcomes = append(v.Data.Outcomes, o.String())
	}
	errata := map[string]Erratum{}
	for _, e := range s.Errata {
		errata[e.ID] = e
	}
	v.Data.Results = []htmlResult{}
	for i, r := range s.Results {
		if !slices.Contains(v.Flavors, r.Flavor) {
			v.Flavors = append(v.Flavors, r.Flavor)
		}
		v.Data.Results = append(v.Data.Results, htmlResult{r.ID, r.Target, r.Flavor, r.Outcome.String()})
		row := htmlRow{Result: r, N: i + 1, Open: r.Outcome == Failed || r.Outcome == Error}
		row.ShowReason = r.Reason != "" && r.Outcome != Passed && !(r.Outcome == Failed && r.Expectation == nil && len(r.Mismatches()) > 0)
		for _, id := range r.Errata {
			e, ok := errata[id]
			if !ok {
				e = Erratum{ID: id}
			}
			row.Errata = append(row.Errata, e)
		}
		for _, warn := range r.Warnings {
			if !slices.ContainsFunc(r.Steps, func(st Step) bool { return slices.Contains(st.Warnings, warn) }) {
				row.Warnings = append(row.Warnings, warn)
			}
		}
		for j, st := range r.Steps {
			hs := htmlStep{Step: st, N: j + 1, StatusOK: slices.Contains(st.Want, st.Got)}
			if hs.StatusOK {
				hs.Differs = differs(st.Mismatches)
			}
			hs.StatusLine, hs.ResponseRest, _ = strings.Cut(st.Exchange.Response, "\n")
			row.Steps = append(row.Steps, hs)
		}
		v.Rows = append(v.Rows, row)
	}
	slices.SortStableFunc(v.Rows, func(a, b htmlRow) int {
		return slices.Index(attention, a.Outcome) - slices.Index(attention, b.Outcome)
	})
	return v
}
