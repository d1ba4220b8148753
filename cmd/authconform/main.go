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
// Exit status: 0 when nothing failed, 1 when a fixture failed or errored,
// 2 on a usage error or an unreachable target.
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

// errFailed means the run completed and found failures; exit status 1.
var errFailed = errors.New("conformance failures")

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
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(newRunCmd(), newServeCmd(), newFixturesCmd(), newMatrixCmd(), newVersionCmd())
	withEnv(root)
	root.SetArgs(args)
	err := root.Execute()
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errFailed):
		return 1 // the summary has said why
	case errors.As(err, &ue):
		fmt.Fprintf(os.Stderr, "authconform: %v\n", err)
		return 2
	default:
		// cobra's own argument errors ("unknown command") are usage errors too.
		fmt.Fprintf(os.Stderr, "authconform: %v\n", err)
		return 2
	}
}
