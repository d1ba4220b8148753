package report

import (
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	if err := Validate(sample()); err != nil {
		t.Fatalf("sample: %v", err)
	}
	if err := Validate(Summary{}); err != nil {
		t.Fatalf("empty: %v", err)
	}
	for want, breakIt := range map[string]func(*Summary){
		"no id":                              func(s *Summary) { s.Results[0].ID = "" },
		"twice for target":                   func(s *Summary) { s.Results[1].ID = s.Results[0].ID },
		"is not in targets":                  func(s *Summary) { s.Results[0].Target = "elsewhere" },
		"unknown outcome":                    func(s *Summary) { s.Results[0].Outcome = 42 },
		"in a run that was not interrupted":  func(s *Summary) { s.Interrupted = "" },
		"is not described in errata":         func(s *Summary) { s.Errata = s.Errata[1:] },
		"needs a method and a wanted status": func(s *Summary) { s.Results[0].Steps[0].Want = nil },
	} {
		s := sample()
		breakIt(&s)
		if err := Validate(s); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q, got %v", want, err)
		}
	}
}
