package main

import (
	"os"
	"regexp"

	"github.com/spf13/cobra"
)

// useColour: colour only on a terminal, and never with --no-color or
// NO_COLOR (https://no-color.org: set and not empty). The process's
// stdout is asked: the command's writer masks secrets on the way to it.
func useColour(cmd *cobra.Command) bool {
	if off, _ := cmd.Flags().GetBool("no-color"); off || os.Getenv("NO_COLOR") != "" {
		return false
	}
	return isTerminal(os.Stdout)
}

// outcomeWord is the outcome that begins a fixture's line of the summary.
var outcomeWord = regexp.MustCompile(`(?m)^  (passed|failed|error|known-deviation|skipped|interrupted|not run|switched off)\b`)

var outcomeColour = map[string]string{
	"passed": "32", "failed": "31", "error": "31", "known-deviation": "33",
	"interrupted": "35", "skipped": "2", "not run": "2", "switched off": "2",
}

// colourOutcomes colours the outcome word of each fixture's line.
func colourOutcomes(text []byte) []byte {
	return outcomeWord.ReplaceAllFunc(text, func(m []byte) []byte {
		word := string(m[2:])
		return []byte("  \x1b[" + outcomeColour[word] + "m" + word + "\x1b[0m")
	})
}
