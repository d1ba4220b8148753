package main

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// counterparts are flags of one command whose like is named otherwise in
// another: run names what exists on the target, serve what to create.
var counterparts = map[string]map[string]string{
	"run":   {"db": "database", "doc": "document", "addr": "target"},
	"serve": {"database": "db", "document": "doc", "target": "addr", "password": "user"},
}

var unknownLongFlag = regexp.MustCompile(`^unknown flag: --([^\s=]+)`)

// suggestFlag turns pflag's "unknown flag: --nme" into a usage error that
// names the flag meant, when one is close (a typo, or another command's
// name for the same thing).
func suggestFlag(cmd *cobra.Command, err error) error {
	m := unknownLongFlag.FindStringSubmatch(err.Error())
	if strings.HasPrefix(err.Error(), "unknown shorthand flag: 'v'") && cmd.Flags().Lookup("verbose") == nil {
		return usagef("%v (-v is run's --verbose; the version is --version)", err)
	}
	if m == nil {
		return usageError{err}
	}
	if hint := flagHint(cmd, m[1]); hint != "" {
		return usagef("%v (%s)", err, hint)
	}
	return usageError{fmt.Errorf("%w (see 'authconform %s --help')", err, cmd.Name())}
}

// flagHint says which flag of cmd a mistyped name probably meant.
func flagHint(cmd *cobra.Command, name string) string {
	if want, ok := counterparts[cmd.Name()][name]; ok && cmd.Flags().Lookup(want) != nil {
		return fmt.Sprintf("%s takes --%s", cmd.Name(), want)
	}
	best, bestDistance := "", 3 // at most two edits away
	cmd.Flags().VisitAll(func(fl *pflag.Flag) {
		if fl.Hidden || fl.Deprecated != "" {
			return
		}
		d := editDistance(name, fl.Name)
		if len(name) >= 3 && strings.HasPrefix(fl.Name, name) {
			d = min(d, 1)
		}
		if d < bestDistance {
			best, bestDistance = fl.Name, d
		}
	})
	if best != "" {
		return "did you mean --" + best + "?"
	}
	for _, other := range cmd.Root().Commands() {
		if other != cmd && other.Flags().Lookup(name) != nil {
			return fmt.Sprintf("--%s is a flag of 'authconform %s', not of %s", name, other.Name(), cmd.Name())
		}
	}
	return ""
}

// editDistance is the Levenshtein distance of a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
