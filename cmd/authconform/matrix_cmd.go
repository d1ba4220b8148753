package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/fixtures"
	"github.com/authconform/authconform/specs/report"
)

func newMatrixCmd() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "matrix",
		Short: "Run the suite against the fake in every profile and print documented-vs-release differences",
		Long: `Run every flavor's fixtures against the fake in each of its profiles
(documented, and the emulated releases neo4j-3.3.9, neo4j-5, couchdb-3.3,
couchdb-3.4, couchdb-3.5),
and print one table per flavor: a row per fixture, a column per profile.
Every cell that differs from the document names the reason and evidence from
the profile's expectation file; an unexplained difference fails the command,
with the exit codes of run.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkOutputs(f); err != nil {
				return err
			}
			var fakes fakeTargets
			defer fakes.close()
			for _, fl := range fakeserver.Flavors() {
				for _, p := range fakeserver.ProfilesFor(fl) {
					if err := fakes.start(fl, p, fmt.Sprintf("%s %s", fl, p), 0); err != nil {
						return err
					}
					t := &fakes.targets[len(fakes.targets)-1]
					if e, ok, err := fixtures.ProfileExpectations(string(p)); err != nil {
						return err
					} else if ok {
						t.Expectations = &e
					}
				}
			}
			summary := runSuite(fakes.targets, f)
			if err := report.Matrix(cmd.OutOrStdout(), summary); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "\n%s\n", report.Count(summary).Line())
			if err := writeReports(summary, f.reports); err != nil {
				return err
			}
			if code, why := report.Verdict(summary, false); code != report.ExitOK {
				fmt.Fprintf(cmd.ErrOrStderr(), "authconform: %s\n", why)
				return exitCode(code)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&f.labelFilter, "label-filter", "", "Ginkgo label filter")
	f.reports.flags(cmd.Flags())
	return cmd
}
