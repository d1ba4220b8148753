package report

import (
	"strings"
	"testing"
)

func TestOutcomeNamesRoundTrip(t *testing.T) {
	if len(Outcomes()) != len(outcomeNames) {
		t.Fatalf("outcomeOrder lists %d outcomes, there are %d", len(outcomeOrder), len(outcomeNames))
	}
	for _, o := range outcomeOrder {
		b, err := o.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Outcome
		if err := back.UnmarshalText(b); err != nil || back != o {
			t.Errorf("%s: round trip gave %v, %v", o, back, err)
		}
	}
	if _, err := ParseOutcome("switched-off"); err == nil {
		t.Error("ParseOutcome accepted an unknown name")
	}
	if _, err := Outcome(99).MarshalText(); err == nil {
		t.Error("MarshalText accepted an unknown outcome")
	}
}

func TestCountAndLine(t *testing.T) {
	tot := Count(sample())
	want := map[Outcome]int{Passed: 1, Failed: 2, KnownDeviation: 1, Error: 1, Skipped: 1, Interrupted: 1, NotRun: 1, Disabled: 1}
	for o, n := range want {
		if tot.Of(o) != n {
			t.Errorf("Of(%s) = %d, want %d", o, tot.Of(o), n)
		}
	}
	if tot.All() != 9 || tot.Warnings != 1 || tot.Tested() != 2 || tot.Broken() != 3 {
		t.Errorf("All %d Warnings %d Tested %d Broken %d, want 9 1 2 3", tot.All(), tot.Warnings, tot.Tested(), tot.Broken())
	}
	line := "1 passed, 2 failed, 1 known deviation, 1 error, 1 skipped, 1 interrupted, 1 not run, 1 switched off"
	if got := tot.Line(); got != line {
		t.Errorf("Line() = %q\nwant      %q", got, line)
	}
	if got := (Totals{}).Line(); got != "0 passed, 0 failed, 0 known deviations, 0 errors, 0 skipped, 0 interrupted, 0 not run, 0 switched off" {
		t.Errorf("empty Line() = %q", got)
	}
}

func only(outcomes ...Outcome) Summary {
	var s Summary
	for i, o := range outcomes {
		s.Results = append(s.Results, Result{ID: "couchdb/f" + string(rune('a'+i)), Outcome: o, Reason: o.String() + " because"})
	}
	return s
}

func TestExitCode(t *testing.T) {
	cases := []struct {
		name       string
		s          Summary
		allowEmpty bool
		want       int
	}{
		{"all passed", only(Passed, Passed), false, 0},
		{"passed and known deviation", only(Passed, KnownDeviation), false, 0},
		{"only known deviations", only(KnownDeviation), false, 0},
		{"passed and skipped", only(Passed, Skipped, Disabled), false, 0},
		{"a failure", only(Passed, Failed), false, 1},
		{"an error", only(Passed, Error), false, 1},
		{"a failure with allow-empty", only(Failed), true, 1},
		{"all skipped", only(Skipped, Skipped), false, 1},
		{"all skipped, allow-empty", only(Skipped, Disabled), true, 0},
		{"nothing at all", Summary{}, false, 1},
		{"nothing at all, allow-empty", Summary{}, true, 0},
		{"SIGINT", Summary{Interrupted: SIGINT, Results: only(Passed, Interrupted, NotRun).Results}, false, 130},
		{"SIGTERM", Summary{Interrupted: SIGTERM, Results: only(Passed, Passed).Results}, false, 143},
		{"SIGHUP", Summary{Interrupted: SIGHUP, Results: only(Passed, Passed).Results}, false, 129},
		{"SIGQUIT", Summary{Interrupted: SIGQUIT, Results: only(Passed, Passed).Results}, false, 131},
		{"another signal", Summary{Interrupted: "SIGUSR2"}, true, 1},
	}
	for _, c := range cases {
		if got := ExitCode(c.s, c.allowEmpty); got != c.want {
			t.Errorf("%s: ExitCode = %d, want %d", c.name, got, c.want)
		}
	}
}

func TestVerdictExplainsAnEmptyRun(t *testing.T) {
	s := only(Skipped, Skipped, Disabled)
	s.Results[1].Reason = s.Results[0].Reason
	code, line := Verdict(s, false)
	want := "no fixture passed: 2 skipped, 1 switched off (skipped because; disabled because)"
	if code != 1 || line != want {
		t.Errorf("Verdict = %d %q\nwant      1 %q", code, line, want)
	}
	if _, line := Verdict(only(Passed, Failed), false); !strings.HasSuffix(line, "1 passed, 1 failed, 0 known deviations, 0 errors, 0 skipped, 0 interrupted, 0 not run, 0 switched off") {
		t.Errorf("failed Verdict line = %q", line)
	}
}
