// Package specs turns the fixtures into Ginkgo specs and runs them against a
// Target: the bundled fake, your own handler, or any server reachable over
// HTTP.
//
// From another project's go test, one call judges a server and fails the
// test when a fixture fails or errors, or none passes:
//
//	func TestConformance(t *testing.T) {
//		srv, err := fakeserver.Start(fakeserver.Options{Flavor: fakeserver.CouchDB, ControlPlane: true})
//		if err != nil {
//			t.Fatal(err)
//		}
//		defer srv.Close()
//		specs.Run(t, specs.Target{
//			BaseURL: srv.URL,
//			Flavor:  "couchdb",
//			States:  specs.ControlPlane(srv.URL, srv.Client()),
//		})
//	}
//
// A Target's States put the server into the state each fixture needs
// (StateProvider): ControlPlane for a fake started with `authconform serve
// --control`, StateFuncs for a fake or handler of your own in the same
// process (see the Run example), and package specs/live for a real server,
// whose accounts it keeps safe (no lockout, every change restored).
//
// Run registers the targets, runs Ginkgo once (one suite per test binary),
// writes the text summary to the test log and returns it. To wire Ginkgo
// yourself, call Register for each target and Summarize in a
// ReportAfterSuite, then judge the summary with report.Verdict.
//
// Each target is one Ordered, ContinueOnFailure container, with one It per
// fixture in the order they must run (see Register), located at the
// fixture's file and line; labels carry the flavor, the kind, the state and
// the section (see Labels). Each It runs the fixture's steps, checks every
// answer with gomega matchers (a step reports all its mismatches at once),
// restores what it changed through DeferCleanup, and reports one typed
// report.Result; a failure or an error fails the spec. Summarize collects
// the results into the report.Summary that package report writes as text,
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
