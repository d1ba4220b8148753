package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/authconform/authconform/specs"
)

// finish writes the report files and turns the outcome into an exit status.
func finish(summary specs.Summary, f runFlags) error {
	version := currentVersion()
	if f.jsonReport != "" {
		data, _ := json.MarshalIndent(struct {
			Authconform buildVersion `json:"authconform"`
			specs.Summary
		}{version, summary}, "", "  ")
		if err := os.WriteFile(f.jsonReport, data, 0o644); err != nil {
			return usagef("writing --json-report: %v", err)
		}
	}
	if f.markdownReport != "" {
		var b strings.Builder
		summary.Markdown(&b)
		fmt.Fprintf(&b, "\nauthconform %s\n", version)
		if err := os.WriteFile(f.markdownReport, []byte(b.String()), 0o644); err != nil {
			return usagef("writing --markdown-report: %v", err)
		}
	}
	if summary.Ran() == 0 {
		return usagef("no fixture ran: --label-filter or --fixture selected none")
	}
	if summary.Failed() {
		return errFailed
	}
	return nil
}

// checkOutputs rejects a bad label filter or an unwritable report path
// before anything runs, rather than after a whole run.
func checkOutputs(f runFlags) error {
	if f.labelFilter != "" {
		if _, err := types.ParseLabelFilter(f.labelFilter); err != nil {
			return usagef("--label-filter %q: %s", f.labelFilter, oneLine(err.Error()))
		}
	}
	for flag, path := range map[string]string{"--json-report": f.jsonReport, "--junit-report": f.junitReport, "--markdown-report": f.markdownReport} {
		if path == "" {
			continue
		}
		if st, err := os.Stat(filepath.Dir(path)); err != nil || !st.IsDir() {
			return usagef("%s %s: the folder %s does not exist", flag, path, filepath.Dir(path))
		}
	}
	return nil
}

var ansiEscape = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// oneLine makes Ginkgo's coloured, multi-line message one plain line,
// without its "Learn more" link.
func oneLine(s string) string {
	s, _, _ = strings.Cut(ansiEscape.ReplaceAllString(s, ""), "Learn more")
	return strings.Join(strings.Fields(s), " ")
}
