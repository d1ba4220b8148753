// Command authconform checks servers against the documented HTTP
// authentication of Neo4j 3.3, the Neo4j 5 Query API and CouchDB/Cloudant,
// and serves a fake of them.
//
//	authconform run                       # every flavor against embedded fakes
//	authconform run --flavor couchdb --target http://127.0.0.1:5984 --user admin --password secret
//	authconform serve --flavor neo4j-3.3 --addr 127.0.0.1:7474
//	authconform fixtures --flavor neo4j-query
//	authconform version                   # also --version
//
// Exit status (see docs/commands-and-flags.md, "Exit codes"): 0 when nothing failed or errored
// and at least one fixture passed, 1 when a fixture failed or errored, the
// target could not be judged (unreachable, another flavor, refused
// credentials) or nothing passed, 2 on a usage error, 130, 143, 129 and
// 131 when SIGINT, SIGTERM, SIGHUP or SIGQUIT stopped the run.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

// usageError is a mistake on the command line or in what it points at;
// it exits with status 2.
type usageError struct{ error }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// runError is a failure before any fixture could run against the target
// (unreachable, another flavor, refused credentials): the reports are
// still written, each with one error entry, and the exit status is 1.
type runError struct{ error }

// exitCode ends a run whose summary has said why, with this status.
type exitCode int

func (c exitCode) Error() string { return fmt.Sprintf("exit status %d", int(c)) }

func main() {
	os.Exit(execute(os.Args[1:]))
}

func execute(args []string) int {
	root := &cobra.Command{
		Use:           "authconform",
		Short:         "Conformance suite and fake server for Neo4j and CouchDB HTTP authentication",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       currentVersion().String(),
	}
	root.SetVersionTemplate("authconform {{.Version}}\n")
	// --version without cobra's -v shorthand: -v is run's --verbose.
	root.Flags().Bool("version", false, "print the version (as 'authconform version' does)")
	root.PersistentFlags().Bool("no-color", false, "no colour in the output (also NO_COLOR=1; colour is used only on a terminal)")
	root.SetFlagErrorFunc(suggestFlag)
	root.AddCommand(newRunCmd(), newRestoreCmd(), newServeCmd(), newFixturesCmd(), newMatrixCmd(), newVersionCmd())
	withEnv(root)
	root.SetArgs(args)
	cmd, err := root.ExecuteC()
	err = nameEnvSources(err, cmd)
	var ue usageError
	var code exitCode
	switch {
	case err == nil:
		return 0
	case errors.As(err, &code):
		return int(code) // the summary has said why
	case errors.As(err, &ue):
		fmt.Fprintf(os.Stderr, "authconform: %v\n", err)
		return 2
	default:
		// cobra's own argument errors ("unknown command") are usage errors too.
		fmt.Fprintf(os.Stderr, "authconform: %v\n", err)
		return 2
	}
}
