// Package report holds the typed result of a conformance run and every
// report written from it.
//
// The engine fills a Summary: one Result per fixture and target, in run
// order, with its Outcome and typed Steps (method, rendered path, wanted
// and received status, mismatches, warnings, the redacted exchange and the
// document's example). Apply turns an expectation file into known
// deviations, and stale expectations into failures. Count is the one
// counting rule: every writer and ExitCode use it, so no two of them can
// disagree about a run.
//
// The reports:
//
//   - Text: the terminal summary. One line per fixture, what went wrong
//     below it, each document erratum on one line, and last the line that
//     counts every outcome (Totals.Line); verbose adds every step, the full
//     reasons and the errata's evidence.
//   - Markdown: per target a table of fixture, section, expected and
//     observed statuses, class and evidence; then the errata.
//   - JSON: the Summary with "schema": 1 and the totals, snake_case keys,
//     described by JSONSchema (report.schema.json).
//   - JUnit: one testcase per fixture, classname = flavor, name = fixture
//     id, in the dialect of the Jenkins xUnit plugin's junit-10.xsd. A run
//     exits 0 only if its JUnit file has no failure and no error.
//   - Matrix: per flavor, fixtures against targets (the fake in each
//     profile), every difference explained or marked UNEXPLAINED.
//   - HTML: one self-contained page to read offline: a summary bar, a row
//     per fixture, the document's example beside the observed exchange,
//     filters by outcome and flavor.
//
// Exit codes (ExitCode, Verdict):
//
//	0    nothing failed or errored and at least one fixture passed (or was
//	     a known deviation); with allowEmpty, also when nothing passed
//	1    a fixture failed or errored, an expectation is stale, a failure
//	     before any fixture ran (WithRunError), or nothing passed
//	130  interrupted by SIGINT (the fixture in flight "interrupted", the
//	     rest "not run")
//	143  interrupted by SIGTERM
//	129  interrupted by SIGHUP (a closed terminal or dropped SSH session)
//	131  interrupted by SIGQUIT
//
// Writers are side-effect free: they never sort or change the Summary
// they are given, and write nothing but their report.
package report
