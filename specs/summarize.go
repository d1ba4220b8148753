package specs

import (
	"encoding/json"
	"regexp"
	"runtime/debug"
	"strings"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/authconform/authconform/specs/report"
)

// interruptedByUser is Ginkgo's suite failure reason for a signal.
const interruptedByUser = "Interrupted by User"

// Summarize turns Ginkgo's report of a run into a report.Summary: the
// targets Register registered, one Result per fixture spec in run order,
// and the errata of the fixtures that were not switched off. Specs that
// Register did not make are left out.
//
// Each fixture's It reports its own typed Result. A spec a label filter
// or focus left out is Disabled. When a signal stopped the run, the fixture
// in flight is Interrupted, the rest NotRun, and Summary.Interrupted is
// SIGINT (Ginkgo does not say which signal came; a caller that caught
// SIGTERM sets it). SuiteVersion is the authconform module's version.
func Summarize(r types.Report) report.Summary {
	s := report.Summary{SuiteVersion: suiteVersion(), Started: r.StartTime, Finished: r.EndTime}
	for _, reason := range r.SpecialSuiteFailureReasons {
		if strings.Contains(reason, interruptedByUser) {
			s.Interrupted = report.SIGINT
		}
	}
	selected := selection(r.SuiteConfig)
	seenTarget := map[string]bool{}
	seenErratum := map[string]bool{}
	for _, sr := range r.SpecReports {
		if sr.LeafNodeType != types.NodeTypeIt || len(sr.ContainerHierarchyTexts) == 0 {
			continue
		}
		reg, ok := registry.lookup(sr.ContainerHierarchyTexts[len(sr.ContainerHierarchyTexts)-1])
		if !ok {
			continue
		}
		res, ok := resultOf(sr, reg, s.Interrupted != "" && selected(sr))
		if !ok {
			continue
		}
		if !seenTarget[reg.target.Name] {
			seenTarget[reg.target.Name] = true
			s.Targets = append(s.Targets, reg.target)
		}
		s.Results = append(s.Results, res)
		cleanups := cleanupResults(sr)
		if res.Outcome == report.Disabled {
			// Errata of fixtures the user switched off are not reported.
			s.Results[len(s.Results)-1].Errata = nil
			s.Results = append(s.Results, cleanups...)
			continue
		}
		for _, e := range reg.fixtures[res.ID].Errata {
			if !seenErratum[e.ID] {
				seenErratum[e.ID] = true
				s.Errata = append(s.Errata, report.Erratum{ID: e.ID, Fixture: res.ID, Summary: e.Summary, Evidence: e.Evidence})
			}
		}
		s.Results = append(s.Results, cleanups...)
	}
	return s
}

// cleanupResults are the results of a failed end-of-target cleanup that
// Ginkgo filed with the target's last spec.
func cleanupResults(sr types.SpecReport) []report.Result {
	var out []report.Result
	for _, e := range sr.ReportEntries {
		if e.Name == entryCleanup {
			if res, ok := typedResult(e); ok {
				out = append(out, res)
			}
		}
	}
	return out
}

// resultOf is the Result of one spec: the one its It reported, or, for a
// spec that never ran, Disabled (or NotRun when an interrupt stopped a
// selected one). False for a spec that is no fixture of reg.
func resultOf(sr types.SpecReport, reg *registration, wouldHaveRun bool) (report.Result, bool) {
	for _, e := range sr.ReportEntries {
		if e.Name != entryResult {
			continue
		}
		res, ok := typedResult(e)
		if !ok {
			break
		}
		if sr.State.Is(types.SpecStateInterrupted) {
			res.Outcome, res.Reason, res.Expectation = report.Interrupted, "interrupted while it ran", nil
		}
		return res, true
	}
	fx, ok := reg.fixtures[sr.LeafNodeText]
	if !ok {
		return report.Result{}, false
	}
	res := report.Result{Target: reg.target.Name, ID: fx.ID, Flavor: fx.Flavor, Section: fx.Source.Section, Kind: string(fx.Kind)}
	for _, e := range fx.Errata {
		res.Errata = append(res.Errata, e.ID)
	}
	switch {
	case sr.State.Is(types.SpecStateInterrupted):
		res.Outcome, res.Reason = report.Interrupted, "interrupted while it ran"
	case sr.State.Is(types.SpecStateFailureStates):
		res.Outcome, res.Reason = report.Error, firstLineOf(sr.Failure.Message)
	case wouldHaveRun:
		res.Outcome, res.Reason = report.NotRun, "not run: the run was interrupted before it started"
	default:
		res.Outcome, res.Reason = report.Disabled, "switched off (--label-filter)"
	}
	return res, true
}

// typedResult reads the Result an It reported: the value itself, or its
// JSON when Ginkgo carried it between processes.
func typedResult(e types.ReportEntry) (report.Result, bool) {
	switch v := e.Value.GetRawValue().(type) {
	case report.Result:
		return v, true
	case string:
		var res report.Result
		return res, json.Unmarshal([]byte(v), &res) == nil
	}
	var res report.Result
	return res, json.Unmarshal([]byte(e.Value.AsJSON), &res) == nil
}

// selection says whether the run's label filter, focus and skip strings
// select a spec, as Ginkgo decides it.
func selection(cfg types.SuiteConfig) func(types.SpecReport) bool {
	labels, err := types.ParseLabelFilter(cfg.LabelFilter)
	if err != nil {
		labels = func([]string) bool { return true }
	}
	focus, skip := anyOf(cfg.FocusStrings), anyOf(cfg.SkipStrings)
	return func(sr types.SpecReport) bool {
		text := sr.FullText()
		return labels(sr.Labels()) && (focus == nil || focus.MatchString(text)) && (skip == nil || !skip.MatchString(text))
	}
}

func anyOf(patterns []string) *regexp.Regexp {
	if len(patterns) == 0 {
		return nil
	}
	re, err := regexp.Compile(strings.Join(patterns, "|"))
	if err != nil {
		return nil
	}
	return re
}

func firstLineOf(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// suiteVersion is the authconform module's version in this binary.
func suiteVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	const module = "github.com/authconform/authconform"
	if info.Main.Path == module {
		return orDefault(info.Main.Version, "(devel)")
	}
	for _, dep := range info.Deps {
		if dep.Path == module {
			return dep.Version
		}
	}
	return "(unknown)"
}
