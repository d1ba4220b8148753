package main

import (
	"fmt"
	"slices"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/authconform/authconform/fixtures"
)

func newFixturesCmd() *cobra.Command {
	var flavor string
	cmd := &cobra.Command{
		Use:   "fixtures",
		Short: "List the fixtures with their kind and document section",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if flavor != "" && !slices.Contains(fixtures.Flavors, flavor) {
				return usagef("unknown --flavor %q (want one of %v)", flavor, fixtures.Flavors)
			}
			all, err := fixtures.All()
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tKIND\tSTATE\tSECTION")
			n := 0
			for _, fx := range all {
				if flavor == "" || fx.Flavor == flavor {
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", fx.ID, fx.Kind, fx.State, fx.Source.Section)
					n++
				}
			}
			fmt.Fprintf(w, "\n%d fixtures\n", n)
			return w.Flush()
		},
	}
	cmd.Flags().StringVar(&flavor, "flavor", "", "only this flavor: "+fmt.Sprint(fixtures.Flavors))
	return cmd
}
