package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// JUnit writes the verdict as JUnit XML in the dialect of the Jenkins xUnit
// plugin's junit-10.xsd, which GitLab, Jenkins and GitHub test-report
// actions read: one testsuite per target, one testcase per fixture with
// classname = flavor and name = fixture id.
//
//	passed           a testcase with no child
//	known-deviation  passed, the expectation in system-out
//	failed           failure: the mismatches (or the stale expectation)
//	                 and the redacted last exchange
//	error            error: the reason and the redacted last exchange
//	interrupted      error of type "interrupted"
//	skipped, not-run,
//	disabled         skipped with the reason
//
// So failures = Totals.Of(Failed), errors = Error + Interrupted, skipped =
// Skipped + NotRun + Disabled, and tests = Totals.All().
func JUnit(w io.Writer, s Summary) error {
	doc := junitSuites{Name: "authconform"}
	if d := s.Finished.Sub(s.Started); d > 0 {
		doc.Time = seconds(d.Seconds())
	}
	index := map[string]int{}
	for _, r := range s.Results {
		i, ok := index[r.Target]
		if !ok {
			i = len(doc.Suites)
			index[r.Target] = i
			doc.Suites = append(doc.Suites, newSuite(s, r.Target))
		}
		suite := &doc.Suites[i]
		tc := testcase(r)
		suite.Tests++
		doc.Tests++
		switch {
		case tc.Failure != nil:
			suite.Failures++
			doc.Failures++
		case tc.Error != nil:
			suite.Errors++
			doc.Errors++
		case tc.Skipped != nil:
			suite.Skipped++
		}
		suite.Cases = append(suite.Cases, tc)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Time     string       `xml:"time,attr,omitempty"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr,omitempty"`
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr,omitempty"`
	Skipped   *junitMessage `xml:"skipped,omitempty"`
	Error     *junitMessage `xml:"error,omitempty"`
	Failure   *junitMessage `xml:"failure,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitMessage struct {
	Type    string `xml:"type,attr,omitempty"`
	Message string `xml:"message,attr"`
	Body    string `xml:",chardata"`
}

func newSuite(s Summary, target string) junitSuite {
	suite := junitSuite{Name: target}
	if !s.Started.IsZero() {
		suite.Timestamp = s.Started.UTC().Format("2006-01-02T15:04:05")
	}
	if d := s.Finished.Sub(s.Started); d > 0 {
		suite.Time = seconds(d.Seconds())
	}
	add := func(name, value string) {
		if value != "" {
			suite.Properties = append(suite.Properties, junitProperty{name, value})
		}
	}
	add("suite_version", s.SuiteVersion)
	for _, t := range s.Targets {
		if t.Name == target {
			add("flavor", t.Flavor)
			add("url", t.URL)
			add("profile", t.Profile)
		}
	}
	add("interrupted", string(s.Interrupted))
	return suite
}

func testcase(r Result) junitCase {
	tc := junitCase{Name: r.ID, Classname: r.Flavor}
	if r.Duration > 0 {
		tc.Time = seconds(r.Duration.Seconds())
	}
	var out []string
	if r.Section != "" {
		out = append(out, "section: "+r.Section)
	}
	switch r.Outcome {
	case KnownDeviation:
		out = append(out, strings.TrimSpace(r.Reason))
	case Failed:
		kind, message := "mismatch", firstLine(r.Reason)
		if r.Expectation != nil && r.Expectation.Stale {
			kind = "stale-expectation"
		}
		body := r.Mismatches()
		if len(body) > 0 && kind == "mismatch" {
			message = body[0]
		} else {
			body = []string{strings.TrimSpace(r.Reason)}
		}
		tc.Failure = &junitMessage{Type: kind, Message: message, Body: strings.Join(append(body, lastExchange(r)), "\n")}
	case Error, Interrupted:
		tc.Error = &junitMessage{Type: r.Outcome.String(), Message: firstLine(r.Reason), Body: strings.TrimSpace(r.Reason) + "\n" + lastExchange(r)}
	case Skipped, NotRun, Disabled:
		tc.Skipped = &junitMessage{Type: r.Outcome.String(), Message: firstLine(r.Reason)}
	}
	for _, warn := range r.Warnings {
		out = append(out, "warning: "+warn)
	}
	for _, e := range r.Errata {
		out = append(out, "document erratum: "+e)
	}
	tc.SystemOut = strings.Join(out, "\n")
	return tc
}

// lastExchange is the redacted last exchange as text, or "".
func lastExchange(r Result) string {
	x, ok := r.LastExchange()
	if !ok {
		return ""
	}
	text := "\nlast exchange (credentials masked):\n" + indent(x.Request, "> ")
	if x.Response != "" {
		text += indent(x.Response, "< ")
	}
	return text
}

// seconds is a duration in the xsd's SUREFIRE_TIME form, such as "3.250".
func seconds(s float64) string { return fmt.Sprintf("%.3f", s) }
