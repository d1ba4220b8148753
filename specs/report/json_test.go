package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/xeipuuv/gojsonschema"
)

// validate checks a JSON report against JSONSchema.
func validate(t *testing.T, report []byte) []string {
	t.Helper()
	res, err := gojsonschema.Validate(gojsonschema.NewStringLoader(JSONSchema), gojsonschema.NewBytesLoader(report))
	if err != nil {
		t.Fatalf("validating: %v", err)
	}
	var errs []string
	for _, e := range res.Errors() {
		errs = append(errs, e.String())
	}
	return errs
}

func TestJSONIsValidAgainstItsSchema(t *testing.T) {
	for name, s := range map[string]Summary{
		"sample":      sample(),
		"empty":       {},
		"only skips":  only(Skipped, Disabled),
		"nil want":    {Results: []Result{{ID: "couchdb/x", Outcome: Error, Steps: []Step{{Method: "GET", Path: "/"}}}}},
		"one outcome": only(Passed),
	} {
		var b bytes.Buffer
		if err := JSON(&b, s); err != nil {
			t.Fatal(err)
		}
		if errs := validate(t, b.Bytes()); len(errs) > 0 {
			t.Errorf("%s: not valid against report.schema.json:\n%s\n%s", name, strings.Join(errs, "\n"), b.String())
		}
	}
}

// The schema must reject what is not a report, or the test above proves
// nothing.
func TestJSONSchemaRejects(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, sample()); err != nil {
		t.Fatal(err)
	}
	good := b.String()
	for name, bad := range map[string]string{
		"another schema version": strings.Replace(good, `"schema": 1`, `"schema": 2`, 1),
		"an unknown outcome":     strings.Replace(good, `"outcome": "passed"`, `"outcome": "switched off"`, 1),
		"a camelCase key":        strings.Replace(good, `"suite_version"`, `"suiteVersion"`, 1),
		"no totals":              strings.Replace(good, `"totals"`, `"total"`, 1),
		"a negative count":       strings.Replace(good, `"passed": 1`, `"passed": -1`, 1),
	} {
		if bad == good {
			t.Fatalf("%s: the replacement did not apply", name)
		}
		if errs := validate(t, []byte(bad)); len(errs) == 0 {
			t.Errorf("the schema accepts %s", name)
		}
	}
}

func TestJSONCarriesTotalsAndMetadata(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, sample()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Schema       int            `json:"schema"`
		SuiteVersion string         `json:"suite_version"`
		Started      string         `json:"started"`
		Interrupted  string         `json:"interrupted"`
		Totals       map[string]int `json:"totals"`
		Targets      []Target       `json:"targets"`
		Results      []Result       `json:"results"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	tot := Count(sample())
	want := map[string]int{"all": tot.All(), "passed": tot.Of(Passed), "failed": tot.Of(Failed), "known_deviation": tot.Of(KnownDeviation),
		"error": tot.Of(Error), "skipped": tot.Of(Skipped), "interrupted": tot.Of(Interrupted), "not_run": tot.Of(NotRun),
		"disabled": tot.Of(Disabled), "warnings": tot.Warnings}
	for k, v := range want {
		if doc.Totals[k] != v {
			t.Errorf("totals.%s = %d, want %d", k, doc.Totals[k], v)
		}
	}
	if doc.Schema != 1 || doc.SuiteVersion != "v0.3.0" || doc.Started != "2026-12-02T00:40:00Z" || doc.Interrupted != "SIGINT" || len(doc.Targets) != 2 {
		t.Errorf("metadata: %+v", doc)
	}
	// Results read back equal what was written: every outcome, in order.
	for i, r := range doc.Results {
		if w := sample().Results[i]; r.ID != w.ID || r.Outcome != w.Outcome || len(r.Steps) != len(w.Steps) {
			t.Errorf("result %d: %s %s, want %s %s", i, r.ID, r.Outcome, w.ID, w.Outcome)
		}
	}
}

func TestJSONReadsBackWhatItWrote(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, sample()); err != nil {
		t.Fatal(err)
	}
	back, err := ReadJSON(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := snapshot(t, back), snapshot(t, sample()); got != want {
		t.Errorf("read back:\n%s\nwant\n%s", got, want)
	}
	for name, bad := range map[string]string{
		"schema 2":    strings.Replace(b.String(), `"schema": 1`, `"schema": 2`, 1),
		"unknown key": strings.Replace(b.String(), `"suite_version"`, `"suiteVersion"`, 1),
		"bad outcome": strings.Replace(b.String(), `"outcome": "passed"`, `"outcome": "ok"`, 1),
	} {
		if _, err := ReadJSON(strings.NewReader(bad)); err == nil {
			t.Errorf("ReadJSON accepts %s", name)
		}
	}
}
