package report

import (
	"errors"
	"fmt"
)

// Validate reports every way s breaks the contract the writers rely on,
// so an engine can check what it filled in: each result names a listed
// target (when targets are listed) and a known outcome; ids are unique
// per target; each step has a method and a wanted status; interrupted and
// not-run results appear only in an interrupted run; each erratum id a
// result cites is described in s.Errata.
func Validate(s Summary) error {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	targets := map[string]bool{}
	for _, t := range s.Targets {
		targets[t.Name] = true
	}
	errata := map[string]bool{}
	for _, e := range s.Errata {
		errata[e.ID] = true
	}
	seen := map[string]bool{}
	for i, r := range s.Results {
		where := fmt.Sprintf("results[%d] %s", i, r.ID)
		switch {
		case r.ID == "":
			fail("results[%d]: no id", i)
		case seen[r.Target+"\x00"+r.ID]:
			fail("%s: twice for target %q", where, r.Target)
		}
		seen[r.Target+"\x00"+r.ID] = true
		if len(s.Targets) > 0 && !targets[r.Target] {
			fail("%s: target %q is not in targets", where, r.Target)
		}
		if _, err := r.Outcome.MarshalText(); err != nil {
			fail("%s: %v", where, err)
		}
		if (r.Outcome == Interrupted || r.Outcome == NotRun) && s.Interrupted == "" {
			fail("%s: %s in a run that was not interrupted", where, r.Outcome)
		}
		for _, id := range r.Errata {
			if !errata[id] {
				fail("%s: erratum %s is not described in errata", where, id)
			}
		}
		for j, st := range r.Steps {
			if st.Method == "" || len(st.Want) == 0 {
				fail("%s: steps[%d]: needs a method and a wanted status", where, j)
			}
		}
	}
	return errors.Join(errs...)
}
