package report

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/authconform/authconform/fixtures"
)

// Matrix writes, per flavor, one row per fixture and one column per target
// (such as the fake in each profile), so documented and release behaviour
// sit side by side; below each table every difference with its reason, and
// last the count line (Totals.Line). A known deviation shows as "differs";
// a failure or error is an UNEXPLAINED difference.
func Matrix(w io.Writer, s Summary) error {
	p := &printer{w: w}
	type column struct{ flavor, target string }
	var cols []column
	seen := map[column]bool{}
	cell := map[string]Result{}
	type row struct{ flavor, id string }
	var rows []row
	seenRow := map[row]bool{}
	for _, r := range s.Results {
		c := column{r.Flavor, r.Target}
		if !seen[c] {
			seen[c] = true
			cols = append(cols, c)
		}
		cell[r.Target+"\x00"+r.ID] = r
		if k := (row{r.Flavor, r.ID}); !seenRow[k] {
			seenRow[k] = true
			rows = append(rows, k)
		}
	}
	// When every column is a fake's profile (as in `authconform matrix`),
	// the columns come in a stable order: the documented profile first,
	// then the others by name (the releases oldest first), whatever order
	// the results arrived in.
	profile := map[string]string{}
	for _, t := range s.Targets {
		profile[t.Name] = t.Profile
	}
	allProfiles := true
	for _, c := range cols {
		allProfiles = allProfiles && profile[c.target] != ""
	}
	if allProfiles {
		slices.SortStableFunc(cols, func(a, b column) int {
			if da, db := profile[a.target] == "documented", profile[b.target] == "documented"; da != db {
				if da {
					return -1
				}
				return 1
			}
			return strings.Compare(a.target, b.target)
		})
	}
	for _, flavor := range fixtures.Flavors() {
		var mine []column
		for _, x := range cols {
			if x.flavor == flavor {
				mine = append(mine, x)
			}
		}
		if len(mine) == 0 {
			continue
		}
		p.printf("\n%s\n", flavor)
		var table strings.Builder
		tw := tabwriter.NewWriter(&table, 0, 4, 2, ' ', 0)
		header := []string{"fixture"}
		for _, x := range mine {
			header = append(header, x.target)
		}
		fmt.Fprintln(tw, strings.Join(header, "\t"))
		var notes []string
		for _, k := range rows {
			if k.flavor != flavor {
				continue
			}
			id, line := k.id, []string{k.id}
			for _, x := range mine {
				r, ok := cell[x.target+"\x00"+id]
				switch {
				case !ok:
					line = append(line, "-")
				case r.Outcome == KnownDeviation:
					line = append(line, "differs")
					notes = append(notes, fmt.Sprintf("  %s on %s: %s", id, x.target, firstLine(r.Reason)))
				default:
					line = append(line, r.Outcome.String())
					if r.Outcome == Failed || r.Outcome == Error {
						notes = append(notes, fmt.Sprintf("  %s on %s: UNEXPLAINED %s: %s", id, x.target, r.Outcome, firstLine(r.Reason)))
					}
				}
			}
			fmt.Fprintln(tw, strings.Join(line, "\t"))
		}
		_ = tw.Flush() // into a strings.Builder: cannot fail
		p.printf("%s", table.String())
		if len(notes) > 0 {
			p.printf("differences:\n%s\n", strings.Join(notes, "\n"))
		}
	}
	p.printf("\n%s\n", Count(s).Line())
	return p.err
}
