// Package specs turns the fixtures into Ginkgo specs and runs them against a
// Target: the bundled fake, or any server reachable over HTTP.
//
// From another project's go test:
//
//	var _ = specs.Register(specs.Target{
//		BaseURL: "http://127.0.0.1:7474",
//		Flavor:  "neo4j-3.3",
//		States:  specs.ControlPlane("http://127.0.0.1:7474", nil),
//	})
//
//	func TestConformance(t *testing.T) {
//		var summary report.Summary
//		ginkgo.ReportAfterSuite("summary", func(r types.Report) { summary = specs.Summarize(r) })
//		gomega.RegisterFailHandler(ginkgo.Fail)
//		ginkgo.RunSpecs(t, "conformance")
//		if code, why := report.Verdict(summary, false); code != report.ExitOK {
//			t.Error(why)
//		}
//	}
//
// Each target is one Ordered, ContinueOnFailure container, with one It per
// fixture in the order they must run (see Register); labels carry the
// flavor, the kind, the state and the section (see Labels). Each It runs
// the fixture's steps, checks every answer with gomega matchers (a step
// reports all its mismatches at once), restores what it changed through
// DeferCleanup, and reports one typed report.Result. Summarize collects
// them into the report.Summary that package report writes as text,
// Markdown, JSON, JUnit, HTML and a matrix.
//
// Secrets: every recorded text (exchanges, mismatches, warnings, reasons)
// is masked by a Redactor that knows the fixture's passwords, token,
// cookies and the temporary password, each whole and in its JSON, URL,
// HTML and base64 user:password forms, before any pattern runs. The
// Target's Redactor learns each temporary password too, so whoever prints
// the summary or writes a report can mask it: the CLI passes every line,
// error and report through it (Summary.Masked). A failed restore names the
// account, never the temporary password; the Guard's journal keeps it. A
// failed end-of-target cleanup is its own Result (report.CleanupID).
package specs
