// Package report holds the typed result of a conformance run and every
// report written from it.
//
// The engine fills a Summary: one Result per fixture and target, with its
// Outcome and typed Steps. Apply turns an expectation file into known
// deviations (and stale expectations into failures). Totals is the one
// counting rule; every writer (Text, Markdown, JSON, JUnit, Matrix, HTML)
// and ExitCode use it, so no two of them can disagree about a run.
//
// Writers are side-effect free: they never sort or change the Summary
// they are given, and write nothing but their report.
package report
