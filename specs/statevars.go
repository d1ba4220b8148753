package specs

import (
	"fmt"
	"slices"

	"github.com/authconform/authconform/fixtures"
)

// engineVars are the variables the engine sets itself for every fixture.
var engineVars = []string{"BaseURL", "Host", "Scheme", "NewPassword", "Captured"}

// StateVars lists, for each state the fixtures of flavor need, the
// variables a StateProvider's Enter must return for all of them to run,
// sorted: a fixture whose variables are missing or empty is skipped,
// naming them. SessionTTL (a duration such as "10m0s") is listed where
// clock steps are fractions of the session lifetime. The variables the
// engine sets itself (BaseURL, Host, Scheme, NewPassword) are left out.
func StateVars(flavor string) (map[string][]string, error) {
	all, err := fixtures.All()
	if err != nil {
		return nil, err
	}
	if !slices.Contains(fixtures.Flavors(), flavor) {
		return nil, fmt.Errorf("specs: unknown flavor %q (want one of %v)", flavor, fixtures.Flavors())
	}
	out := map[string][]string{}
	for _, fx := range all {
		if fx.Flavor != flavor {
			continue
		}
		vars := out[fx.State]
		if vars == nil {
			vars = []string{}
		}
		for _, text := range fx.Templates() {
			names, _ := fixtures.UsedVars(text) // the loader has parsed every template already
			for _, name := range names {
				if !slices.Contains(engineVars, name) && !slices.Contains(vars, name) {
					vars = append(vars, name)
				}
			}
		}
		if _, ok := ClockTime(fx, 0); !ok && !slices.Contains(vars, "SessionTTL") {
			vars = append(vars, "SessionTTL")
		}
		slices.Sort(vars)
		out[fx.State] = vars
	}
	return out, nil
}
