package main

import (
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/authconform/authconform/fixtures"
	"github.com/authconform/authconform/specs"
)

func newFixturesCmd() *cobra.Command {
	var flavors []string
	cmd := &cobra.Command{
		Use:   "fixtures",
		Short: "List the fixtures with their kind, state, document section and labels (for --label-filter)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFlavors(flavors); err != nil {
				return err
			}
			all, err := fixtures.All()
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tKIND\tSTATE\tSECTION\tLABELS")
			n := 0
			for _, fx := range all {
				if len(flavors) == 0 || slices.Contains(flavors, fx.Flavor) {
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", fx.ID, fx.Kind, fx.State, fx.Source.Section, strings.Join(specs.Labels(fx), ","))
					n++
				}
			}
			fmt.Fprintf(w, "\n%d fixtures\n", n)
			return w.Flush()
		},
	}
	cmd.Flags().StringSliceVar(&flavors, "flavor", nil, "only these flavors (repeatable or comma-separated): "+strings.Join(fixtures.Flavors(), ", "))
	return cmd
}
