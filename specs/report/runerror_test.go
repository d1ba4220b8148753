package report

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestWithRunErrorIsReportedEverywhere(t *testing.T) {
	in := Summary{Targets: []Target{{Name: "couchdb http://127.0.0.1:5984", Flavor: "couchdb", URL: "http://127.0.0.1:5984"}}}
	before := snapshot(t, in)
	s := WithRunError(in, in.Targets[0], errors.New("GET http://127.0.0.1:5984/: connection refused"))
	if snapshot(t, in) != before {
		t.Fatal("WithRunError changed its argument")
	}
	if code := ExitCode(s, true); code != 1 {
		t.Errorf("exit code %d, want 1 even with allowEmpty", code)
	}
	if Count(s).Of(Error) != 1 {
		t.Errorf("totals: %s", Count(s).Line())
	}
	for name, write := range writers {
		var b bytes.Buffer
		if err := write(&b, s); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), "connection refused") {
			t.Errorf("%s does not say the run failed:\n%s", name, b.String())
		}
	}
	doc, raw := writeJUnit(t, s)
	if errs := validateJUnit(raw); len(errs) > 0 || doc.Errors != 1 || doc.Tests != 1 {
		t.Errorf("junit: %v, errors %d tests %d", errs, doc.Errors, doc.Tests)
	}
	var b bytes.Buffer
	if err := JSON(&b, s); err != nil {
		t.Fatal(err)
	}
	if errs := validate(t, b.Bytes()); len(errs) > 0 {
		t.Errorf("json: %v", errs)
	}
}
