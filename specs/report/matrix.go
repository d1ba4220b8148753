package report

import (
	"fmt"
	"io"
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
	var ids []string
	seenID := map[string]bool{}
	for _, r := range s.Results {
		c := column{r.Flavor, r.Target}
		if !seen[c] {
			seen[c] = true
			cols = append(cols, c)
		}
		cell[r.Target+"\x00"+r.ID] = r
		if !seenID[r.ID] {
			seenID[r.ID] = true
			ids = append(ids, r.ID)
		}
	}
	for _, flavor := range fixtures.Flavors {
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
		for _, id := range ids {
			if !strings.HasPrefix(id, flavor+"/") {
				continue
			}
			row := []string{id}
			for _, x := range mine {
				r, ok := cell[x.target+"\x00"+id]
				switch {
				case !ok:
					row = append(row, "-")
				case r.Outcome == KnownDeviation:
					row = append(row, "differs")
					notes = append(notes, fmt.Sprintf("  %s on %s: %s", id, x.target, firstLine(r.Reason)))
				default:
					row = append(row, r.Outcome.String())
					if r.Outcome == Failed || r.Outcome == Error {
						notes = append(notes, fmt.Sprintf("  %s on %s: UNEXPLAINED %s: %s", id, x.target, r.Outcome, firstLine(r.Reason)))
					}
				}
			}
			fmt.Fprintln(tw, strings.Join(row, "\t"))
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
