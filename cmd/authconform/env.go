package main

import (
	"errors"
	"os"
	"regexp"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// envHelp says, in every command's help, how flags come from the environment.
const envHelp = `
Every flag can also be set by an environment variable: AUTHCONFORM_ and the
flag's name in upper case with - as _ (AUTHCONFORM_FLAVOR=couchdb,
AUTHCONFORM_SESSION_TIMEOUT=600s). A flag on the command line wins over its
variable. A repeatable flag takes one value per line of its variable.
serve's --user and --token, which mean users and tokens to create rather
than run's account on the target, are AUTHCONFORM_SERVE_USER and
AUTHCONFORM_SERVE_TOKEN, so that one CI job can set both commands' variables.`

const (
	// envAnnotation on a flag names its variable where the rule would give
	// a variable another command's flag of other meaning reads.
	envAnnotation = "authconform-env"
	// fromEnvAnnotation marks a flag set from its variable, so that an
	// error about its value can name the variable.
	fromEnvAnnotation = "authconform-from-env"
)

// envName is the environment variable of a flag by the rule:
// --session-timeout is AUTHCONFORM_SESSION_TIMEOUT.
func envName(flag string) string {
	return "AUTHCONFORM_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// flagEnv is fl's variable: its annotation, else envName.
func flagEnv(fl *pflag.Flag) string {
	if name := fl.Annotations[envAnnotation]; len(name) == 1 {
		return name[0]
	}
	return envName(fl.Name)
}

// ownEnv gives flag of fs the variable name instead of the rule's.
func ownEnv(fs *pflag.FlagSet, flag, name string) {
	if err := fs.SetAnnotation(flag, envAnnotation, []string{name}); err != nil {
		panic(err) // a flag this program defines
	}
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
		name := flagEnv(fl)
		value, ok := lookup(name)
		if !ok {
			return
		}
		values := []string{value}
		if _, repeatable := fl.Value.(pflag.SliceValue); repeatable {
			values = strings.FieldsFunc(value, func(r rune) bool { return r == '\n' })
		}
		for _, v := range values {
			if e := fl.Value.Set(v); e != nil {
				err = usagef("%s=%q (--%s): %v", name, v, fl.Name, e)
				return
			}
		}
		fl.Changed = true
		if fl.Annotations == nil {
			fl.Annotations = map[string][]string{}
		}
		fl.Annotations[fromEnvAnnotation] = []string{name}
	})
	return err
}

// nameEnvSources rewrites a usage error about a flag whose value came from
// its variable, so that it names the variable: "--user (from
// AUTHCONFORM_SERVE_USER) "admin" must be ...". Others pass unchanged.
func nameEnvSources(err error, cmd *cobra.Command) error {
	var ue usageError
	if cmd == nil || !errors.As(err, &ue) {
		return err
	}
	msg := err.Error()
	cmd.Flags().VisitAll(func(fl *pflag.Flag) {
		from := fl.Annotations[fromEnvAnnotation]
		if len(from) != 1 {
			return
		}
		mention := regexp.MustCompile(`--` + regexp.QuoteMeta(fl.Name) + `([^-\w]|$)`)
		if loc := mention.FindStringSubmatchIndex(msg); loc != nil {
			end := loc[2] // after the flag's name
			msg = msg[:end] + " (from " + from[0] + ")" + msg[end:]
		}
	})
	return usageError{errors.New(msg)}
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
