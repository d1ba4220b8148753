package report

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// JSONSchemaVersion is the "schema" number JSON writes; it changes when a
// key is removed or changes meaning, not when one is added.
const JSONSchemaVersion = 1

// JSONSchema is the JSON Schema (draft-07) of what JSON writes.
//
//go:embed report.schema.json
var JSONSchema string

// JSON writes the machine-readable report: the Summary with a "schema"
// version and the totals, snake_case keys throughout (see JSONSchema).
func JSON(w io.Writer, s Summary) error {
	doc := jsonReport{
		Schema: JSONSchemaVersion, SuiteVersion: s.SuiteVersion,
		Targets: nonNil(s.Targets), Started: s.Started, Finished: s.Finished,
		Interrupted: s.Interrupted, Totals: jsonTotalsOf(Count(s)),
		Results: make([]Result, len(s.Results)), Errata: nonNil(s.Errata),
	}
	for i, r := range s.Results {
		// Copies, so that filling in empty lists leaves s as it was.
		r.Steps = append([]Step(nil), r.Steps...)
		for j := range r.Steps {
			r.Steps[j].Want = nonNil(r.Steps[j].Want)
		}
		doc.Results[i] = r
	}
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

type jsonReport struct {
	Schema       int        `json:"schema"`
	SuiteVersion string     `json:"suite_version"`
	Targets      []Target   `json:"targets"`
	Started      time.Time  `json:"started"`
	Finished     time.Time  `json:"finished"`
	Interrupted  Signal     `json:"interrupted,omitempty"`
	Totals       jsonTotals `json:"totals"`
	Results      []Result   `json:"results"`
	Errata       []Erratum  `json:"errata"`
}

// jsonTotals is Totals with one key per outcome.
type jsonTotals struct {
	All            int `json:"all"`
	Passed         int `json:"passed"`
	Failed         int `json:"failed"`
	KnownDeviation int `json:"known_deviation"`
	Error          int `json:"error"`
	Skipped        int `json:"skipped"`
	Interrupted    int `json:"interrupted"`
	NotRun         int `json:"not_run"`
	Disabled       int `json:"disabled"`
	Warnings       int `json:"warnings"`
}

func jsonTotalsOf(t Totals) jsonTotals {
	return jsonTotals{
		All: t.All(), Passed: t.Of(Passed), Failed: t.Of(Failed), KnownDeviation: t.Of(KnownDeviation),
		Error: t.Of(Error), Skipped: t.Of(Skipped), Interrupted: t.Of(Interrupted), NotRun: t.Of(NotRun),
		Disabled: t.Of(Disabled), Warnings: t.Warnings,
	}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// ReadJSON reads a report that JSON wrote back into a Summary (the totals
// are recounted from the results, not read). It refuses another schema
// version and unknown keys.
func ReadJSON(r io.Reader) (Summary, error) {
	var doc jsonReport
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return Summary{}, fmt.Errorf("reading a JSON report: %w", err)
	}
	if doc.Schema != JSONSchemaVersion {
		return Summary{}, fmt.Errorf("reading a JSON report: schema %d, want %d", doc.Schema, JSONSchemaVersion)
	}
	return Summary{
		SuiteVersion: doc.SuiteVersion, Targets: doc.Targets, Started: doc.Started, Finished: doc.Finished,
		Interrupted: doc.Interrupted, Results: doc.Results, Errata: doc.Errata,
	}, nil
}
