package main

import (
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// envHelp says, in every command's help, how flags come from the environment.
const envHelp = `
Every flag can also be set by an environment variable: AUTHCONFORM_ and the
flag's name in upper case with - as _ (AUTHCONFORM_FLAVOR=couchdb,
AUTHCONFORM_SESSION_TIMEOUT=600s). A flag on the command line wins over its
variable. A repeatable flag takes one value per line of its variable.`

// envName is the environment variable of a flag: --session-timeout is
// AUTHCONFORM_SESSION_TIMEOUT.
func envName(flag string) string {
	return "AUTHCONFORM_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// flagsFromEnv sets every flag of cmd that the command line did not set
// from its environment variable, as if given there; lookup reads the
// environment. Deprecated aliases have none, so a variable sets one flag.
func flagsFromEnv(cmd *cobra.Command, lookup func(string) (string, bool)) error {
	var err error
	cmd.Flags().VisitAll(func(fl *pflag.Flag) {
		if err != nil || fl.Changed || fl.Deprecated != "" || fl.Name == "help" || fl.Name == "version" {
			return
		}
		value, ok := lookup(envName(fl.Name))
		if !ok {
			return
		}
		values := []string{value}
		if _, repeatable := fl.Value.(pflag.SliceValue); repeatable {
			values = strings.FieldsFunc(value, func(r rune) bool { return r == '\n' })
		}
		for _, v := range values {
			if e := fl.Value.Set(v); e != nil {
				err = usagef("%s=%q: %v", envName(fl.Name), v, e)
				return
			}
		}
		fl.Changed = true
	})
	return err
}

// withEnv makes every command read its unset flags from the environment.
func withEnv(root *cobra.Command) {
	root.Long = root.Short + ".\n" + envHelp
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		return flagsFromEnv(cmd, os.LookupEnv)
	}
	for _, c := range root.Commands() {
		if c.Long == "" {
			c.Long = c.Short + "."
		}
		c.Long += "\n" + envHelp
	}
}
