package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// junitElement is the part of the Jenkins xUnit plugin's junit-10.xsd
// (jenkinsci/xunit-plugin, src/main/resources/org/jenkinsci/plugins/xunit/
// types/model/xsd/junit-10.xsd) that constrains one element: its
// attributes and the elements it may contain. No XSD validator exists in
// Go's standard library or this module's dependencies, so the test checks
// the schema's structure by hand.
type junitElement struct {
	required, optional []string
	children           []string // nil: text only (xs:string or mixed without elements)
}

var surefireTime = regexp.MustCompile(`^(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\.[0-9]*)?$`)

var junit10 = map[string]junitElement{
	"testsuites": {optional: []string{"name", "time", "tests", "failures", "errors"}, children: []string{"testsuite"}},
	"testsuite": {required: []string{"name", "tests", "failures", "errors"},
		optional: []string{"group", "time", "skipped", "timestamp", "hostname", "id", "package", "file", "log", "url"},
		children: []string{"testsuite", "properties", "testcase", "system-out", "system-err"}},
	"properties": {children: []string{"property"}},
	"property":   {required: []string{"name", "value"}, children: []string{}},
	"testcase": {required: []string{"name"}, optional: []string{"time", "classname", "group"},
		children: []string{"skipped", "error", "failure", "rerunFailure", "rerunError", "flakyFailure", "flakyError", "system-out", "system-err"}},
	"failure":    {optional: []string{"type", "message"}},
	"error":      {optional: []string{"type", "message"}},
	"skipped":    {optional: []string{"type", "message"}},
	"system-out": {},
	"system-err": {},
}

// validateJUnit returns every way doc departs from junit-10.xsd.
func validateJUnit(doc []byte) []string {
	var errs []string
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var stack []string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return append(errs, "not well-formed XML: "+err.Error())
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			name := tok.Name.Local
			where := strings.Join(append(stack, name), "/")
			rule, known := junit10[name]
			switch {
			case !known:
				errs = append(errs, where+": element not in the schema")
			case len(stack) == 0 && name != "testsuites":
				errs = append(errs, where+": the root must be testsuites")
			case len(stack) > 0:
				if parent := junit10[stack[len(stack)-1]]; !slices.Contains(parent.children, name) {
					errs = append(errs, where+": not allowed inside "+stack[len(stack)-1])
				}
			}
			seen := map[string]bool{}
			for _, a := range tok.Attr {
				seen[a.Name.Local] = true
				if !slices.Contains(rule.required, a.Name.Local) && !slices.Contains(rule.optional, a.Name.Local) {
					errs = append(errs, fmt.Sprintf("%s: attribute %s not in the schema", where, a.Name.Local))
				}
				if a.Name.Local == "time" && (name == "testsuite" || name == "testsuites") && !surefireTime.MatchString(a.Value) {
					errs = append(errs, fmt.Sprintf("%s: time %q is not SUREFIRE_TIME", where, a.Value))
				}
			}
			for _, r := range rule.required {
				if !seen[r] {
					errs = append(errs, fmt.Sprintf("%s: required attribute %s missing", where, r))
				}
			}
			stack = append(stack, name)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	return errs
}

func TestJUnitValidatorRejects(t *testing.T) {
	for _, bad := range []string{
		`<testsuite name="a" tests="1" failures="0" errors="0"></testsuite>`,
		`<testsuites skipped="1"></testsuites>`,
		`<testsuites><testsuite name="a" tests="1" failures="0"></testsuite></testsuites>`,
		`<testsuites><testsuite name="a" tests="1" failures="0" errors="0"><testcase classname="x"/></testsuite></testsuites>`,
		`<testsuites><testsuite name="a" tests="1" failures="0" errors="0"><testcase name="x"><failure><b/></failure></testcase></testsuite></testsuites>`,
		`<testsuites><testsuite name="a" tests="1" failures="0" errors="0" time="1s"></testsuite></testsuites>`,
		`<testsuites><testcase name="x"/></testsuites>`,
		`<testsuites><testsuite`,
	} {
		if len(validateJUnit([]byte(bad))) == 0 {
			t.Errorf("validator accepts %s", bad)
		}
	}
}

type parsedJUnit struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Errors   int `xml:"errors,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Errors   int    `xml:"errors,attr"`
		Skipped  int    `xml:"skipped,attr"`
		Cases    []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			Skipped   *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
			Failure *struct {
				Type    string `xml:"type,attr"`
				Message string `xml:"message,attr"`
				Body    string `xml:",chardata"`
			} `xml:"failure"`
			Error *struct {
				Type    string `xml:"type,attr"`
				Message string `xml:"message,attr"`
				Body    string `xml:",chardata"`
			} `xml:"error"`
			SystemOut string `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func writeJUnit(t *testing.T, s Summary) (parsedJUnit, []byte) {
	t.Helper()
	var b bytes.Buffer
	if err := JUnit(&b, s); err != nil {
		t.Fatal(err)
	}
	var doc parsedJUnit
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	return doc, b.Bytes()
}

func TestJUnitIsValidAndCountsEqualTotals(t *testing.T) {
	for name, s := range map[string]Summary{
		"sample":           sample(),
		"empty":            {},
		"only skips":       only(Skipped, NotRun, Disabled),
		"stale and errors": only(Failed, Error, Interrupted, KnownDeviation, Passed),
	} {
		doc, raw := writeJUnit(t, s)
		if errs := validateJUnit(raw); len(errs) > 0 {
			t.Errorf("%s: not valid against junit-10.xsd:\n%s", name, strings.Join(errs, "\n"))
		}
		tot := Count(s)
		skipped, cases := 0, 0
		for _, suite := range doc.Suites {
			skipped += suite.Skipped
			cases += len(suite.Cases)
			if suite.Tests != len(suite.Cases) {
				t.Errorf("%s: suite %s says tests=%d, has %d testcases", name, suite.Name, suite.Tests, len(suite.Cases))
			}
		}
		if doc.Tests != tot.All() || cases != tot.All() || doc.Failures != tot.Of(Failed) ||
			doc.Errors != tot.Of(Error)+tot.Of(Interrupted) || skipped != tot.Of(Skipped)+tot.Of(NotRun)+tot.Of(Disabled) {
			t.Errorf("%s: tests %d (%d cases) failures %d errors %d skipped %d; totals: %s", name, doc.Tests, cases, doc.Failures, doc.Errors, skipped, tot.Line())
		}
	}
}

func TestJUnitTestcases(t *testing.T) {
	doc, _ := writeJUnit(t, sample())
	if len(doc.Suites) != 2 || doc.Suites[0].Name != "neo4j-3.3 documented" || doc.Suites[1].Name != "neo4j-query http://127.0.0.1:7474" {
		t.Fatalf("want one testsuite per target, got %+v", doc.Suites)
	}
	i := 0
	for _, suite := range doc.Suites {
		for _, tc := range suite.Cases {
			r := sample().Results[i]
			i++
			if tc.Name != r.ID || tc.Classname != r.Flavor {
				t.Errorf("testcase %s/%s, want classname %s name %s", tc.Classname, tc.Name, r.Flavor, r.ID)
			}
			verdicts := 0
			for _, v := range []bool{tc.Skipped != nil, tc.Failure != nil, tc.Error != nil} {
				if v {
					verdicts++
				}
			}
			if verdicts > 1 {
				t.Errorf("%s: more than one of skipped, failure, error", r.ID)
			}
			switch r.Outcome {
			case Passed:
				if verdicts != 0 {
					t.Errorf("%s: passed, but not a passing testcase", r.ID)
				}
			case KnownDeviation:
				if verdicts != 0 || !strings.Contains(tc.SystemOut, "known deviation (neo4j-5): Neo4j 5 does not base64-decode") || !strings.Contains(tc.SystemOut, "document erratum: bearer-example-trailing-newline") {
					t.Errorf("%s: known deviation as %+v", r.ID, tc)
				}
			case Failed:
				switch {
				case tc.Failure == nil:
					t.Errorf("%s: failed, no failure element", r.ID)
				case r.Expectation != nil && r.Expectation.Stale:
					if tc.Failure.Type != "stale-expectation" || !strings.HasPrefix(tc.Failure.Message, "stale expectation in neo4j-5") {
						t.Errorf("%s: stale expectation as %+v", r.ID, tc.Failure)
					}
				default:
					if tc.Failure.Message != "POST /db/data/: status: want 400, got 200" ||
						!strings.Contains(tc.Failure.Body, `json: want errors[0].code`) ||
						!strings.Contains(tc.Failure.Body, "> Authorization: Bearer ******\n") ||
						!strings.Contains(tc.Failure.Body, "< HTTP/1.1 200 OK\n") {
						t.Errorf("%s: failure %+v", r.ID, tc.Failure)
					}
				}
			case Error, Interrupted:
				if tc.Error == nil || tc.Error.Type != r.Outcome.String() || tc.Error.Message != firstLine(r.Reason) {
					t.Errorf("%s: %s as %+v", r.ID, r.Outcome, tc.Error)
				}
			case Skipped, NotRun, Disabled:
				if tc.Skipped == nil || tc.Skipped.Message != r.Reason {
					t.Errorf("%s: %s as %+v", r.ID, r.Outcome, tc.Skipped)
				}
			}
		}
	}
	if i != len(sample().Results) {
		t.Errorf("%d testcases for %d results", i, len(sample().Results))
	}
}

// Bytes that XML cannot carry (a NUL, an escape) in a reason or an
// exchange must not break the file.
func TestJUnitSurvivesControlCharacters(t *testing.T) {
	s := only(Failed, Error)
	s.Results[0].Reason = "bad\x00body\x1b[31m"
	s.Results[1].Steps = []Step{{Method: "GET", Path: "/", Want: []int{200}, Exchange: Exchange{Request: "GET / HTTP/1.1\n", Response: "HTTP/1.1 200 OK\n\n\x00\x01\ufffe"}}}
	doc, raw := writeJUnit(t, s)
	if errs := validateJUnit(raw); len(errs) > 0 || doc.Failures != 1 || doc.Errors != 1 {
		t.Errorf("%v failures %d errors %d\n%s", errs, doc.Failures, doc.Errors, raw)
	}
}
