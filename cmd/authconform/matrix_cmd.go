package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/fixtures"
	"github.com/authconform/authconform/specs"
)

func newMatrixCmd() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "matrix",
		Short: "Run the suite against the fake in every profile and print documented-vs-release differences",
		Long: `Run every flavor's fixtures against the fake in each of its profiles
(documented, and the emulated releases neo4j-3.3.9, neo4j-5, couchdb-3.5),
and print one table per flavor: a row per fixture, a column per profile.
Every cell that differs from the document names the reason and evidence from
the profile's expectation file; an unexplained difference fails the command.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkOutputs(f); err != nil {
				return err
			}
			var fakes fakeTargets
			defer fakes.close()
			exps := map[string]fixtures.Expectations{}
			for _, fl := range fakeserver.Flavors() {
				for _, p := range fakeserver.ProfilesFor(fl) {
					name := fmt.Sprintf("%s %s", fl, p)
					if err := fakes.start(fl, p, name, 0); err != nil {
						return err
					}
					if e, ok, err := fixtures.ProfileExpectations(string(p)); err != nil {
						return err
					} else if ok {
						exps[name] = e
					}
				}
			}
			summary := runSuite(fakes.targets, f)
			for name, e := range exps {
				summary = summary.Apply(e, name)
			}
			summary.Matrix(cmd.OutOrStdout())
			fmt.Fprintf(cmd.OutOrStdout(), "\n%d passed, %d failed, %d skipped\n", summary.Count(specs.Passed)+summary.Count(specs.KnownDeviation), summary.Count(specs.Failed)+summary.Count(specs.Error), summary.Count(specs.Skipped))
			return finish(summary, f)
		},
	}
	cmd.Flags().StringVar(&f.labelFilter, "label-filter", "", "Ginkgo label filter")
	cmd.Flags().StringVar(&f.markdownReport, "markdown-report", "", "also write the Markdown compliance report of every profile")
	cmd.Flags().StringVar(&f.jsonReport, "json-report", "", "also write the JSON report")
	return cmd
}
