package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/onsi/ginkgo/v2/types"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/authconform/authconform/specs"
	"github.com/authconform/authconform/specs/report"
)

// reportFiles are the report files a run writes, all from one Summary.
type reportFiles struct {
	json, junit, markdown, html string
}

func (r *reportFiles) flags(fl *pflag.FlagSet) {
	fl.StringVar(&r.junit, "junit-report", "", "write a JUnit XML report (one testcase per fixture; failures and errors exactly when the exit status is 1) to this file")
	fl.StringVar(&r.json, "json-report", "", "write the JSON report (schema 1, totals, one result per fixture, credentials masked) to this file")
	fl.StringVar(&r.markdown, "markdown-report", "", "write a Markdown compliance report (one row per fixture) to this file")
	fl.StringVar(&r.html, "html-report", "", "write a self-contained HTML report (readable offline) to this file")
}

// each lists the requested reports: flag, path and writer.
func (r reportFiles) each() []reportFile {
	all := []reportFile{
		{"--json-report", r.json, report.JSON},
		{"--junit-report", r.junit, report.JUnit},
		{"--markdown-report", r.markdown, report.Markdown},
		{"--html-report", r.html, report.HTML},
	}
	var out []reportFile
	for _, f := range all {
		if f.path != "" {
			out = append(out, f)
		}
	}
	return out
}

type reportFile struct {
	flag, path string
	write      func(io.Writer, report.Summary) error
}

// finish prints the summary, writes every requested report and ends with
// the status report.Verdict gives. printText is false when the summary is
// a failure before the run (the error has been printed). Every string of
// the summary is masked with red before any of it is written.
func finish(cmd *cobra.Command, s report.Summary, f runFlags, printText bool, red *specs.Redactor) error {
	s = s.Masked(red.MaskSecrets)
	if printText {
		var text bytes.Buffer
		if err := report.Text(&text, s, f.verbose); err != nil {
			return err
		}
		out := text.Bytes()
		if useColour(cmd) {
			out = colourOutcomes(out)
		}
		if _, err := cmd.OutOrStdout().Write(out); err != nil {
			return err
		}
	}
	if err := writeReports(s, f.reports); err != nil {
		return err
	}
	code, why := report.Verdict(s, f.allowEmpty)
	if code != report.ExitOK && printText && why != report.Count(s).Line() {
		fmt.Fprintf(cmd.ErrOrStderr(), "authconform: %s\n", why)
	}
	if code != report.ExitOK {
		return exitCode(code)
	}
	return nil
}

// writeReports writes each requested report; the first error is a usage
// error naming the flag.
func writeReports(s report.Summary, files reportFiles) error {
	for _, rf := range files.each() {
		out, err := os.Create(rf.path)
		if err != nil {
			return usagef("writing %s: %v", rf.flag, err)
		}
		err = rf.write(out, s)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return usagef("writing %s: %v", rf.flag, err)
		}
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
	for _, rf := range f.reports.each() {
		if err := checkWritable(rf.flag, rf.path); err != nil {
			return err
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
