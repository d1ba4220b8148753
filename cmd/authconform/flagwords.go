package main

import (
	"regexp"
	"strings"

	"github.com/authconform/authconform/specs/report"
)

// flagWords turns the library's words for an option (the Go field that
// sets it, as Credentials.Database or Config.StateDir) into the run flag
// that sets it, so that the CLI's messages name its own flags.
var flagWords = strings.NewReplacer(
	"set Config.StateDir", "pass --state-dir",
	"Config.StateDir", "--state-dir",
	"set Credentials.MaxWait to ", "pass --max-wait ",
	"set Credentials.MaxWait", "pass --max-wait",
	"Credentials.MaxWait", "--max-wait",
	"AdvanceLimit", "--max-wait",
	"set Credentials.SessionTTL", "pass --session-timeout",
	"Credentials.SessionTTL", "--session-timeout",
	"set Credentials.AuthDisabled", "pass --auth-disabled",
	"Credentials.AuthDisabled", "--auth-disabled",
	"set Credentials.User and Credentials.Password", "pass --user and --password",
	"Credentials.User and Credentials.Password", "--user/--password",
	"set Credentials.RequireValidUser", "pass --require-valid-user",
	"Credentials.RequireValidUser", "--require-valid-user",
	"set Config.AllowDestructive so that", "run with --allow-destructive so that",
	"set Config.AllowDestructive", "pass --allow-destructive",
	"set Target.AllowDestructive to run it", "enable with --allow-destructive",
	"Config.BaseURL", "--target",
	"set Config.NodeURLs", "pass --node URL",
	"Config.NodeURLs", "--node",
	"Config.NodeHeader", "--node-header",
	"Config.Flavor couchdb", "--flavor couchdb",
	"a server admin as Credentials.User", "a server admin's --user",
	"node URL ", "--node ",
	"(does the fake serve its control plane (fakeserver.Options.ControlPlane), and does ControlPlaneWithToken give its ControlToken?)",
	"(is the target 'authconform serve --control', and is its --control-token given?)",
	"Credentials.Database", "--database",
	"Credentials.Document", "--document",
	"Credentials.OtherUser", "--other-user",
	"alone (Target.Include)", "alone with --fixture",
	"its state must give the var SessionTTL", "pass --session-timeout",
	"which the state did not give (its var SessionTTL)", "which this target does not give (--session-timeout)",
	"switched off (a label filter)", "switched off (--label-filter)",
)

// varFlags are the run flags that give a state's variables.
var varFlags = map[string]string{
	"User": "--user", "Password": "--password", "Token": "--token",
	"OtherUser": "--other-user", "OtherPassword": "--other-password",
	"Database": "--database", "Document": "--document", "SessionTTL": "--session-timeout",
}

// missingVars is the engine's skip reason for variables a state lacks.
var missingVars = regexp.MustCompile(`needs the vars ([A-Za-z, ]+), which state \S+ did not provide \(see StateVars\)`)

// inFlagWords is s in the CLI's words (see flagWords).
func inFlagWords(s string) string {
	s = missingVars.ReplaceAllStringFunc(s, func(m string) string {
		names := strings.Split(missingVars.FindStringSubmatch(m)[1], ", ")
		var flags []string
		for _, n := range names {
			if f, ok := varFlags[n]; ok {
				flags = append(flags, f)
			}
		}
		out := "needs " + strings.Join(names, ", ") + ", which this target does not provide"
		if len(flags) > 0 {
			out += " (pass " + strings.Join(flags, ", ") + ")"
		}
		return out
	})
	return flagWords.Replace(s)
}

// flagWorded is an error whose text is in the CLI's words; errors.Is and
// errors.As still see the library's error.
type flagWorded struct{ err error }

func (e flagWorded) Error() string { return inFlagWords(e.err.Error()) }
func (e flagWorded) Unwrap() error { return e.err }

// summaryInFlagWords rewrites the reasons and warnings of every result.
func summaryInFlagWords(s *report.Summary) {
	for i := range s.Results {
		r := &s.Results[i]
		r.Reason = inFlagWords(r.Reason)
		for j := range r.Warnings {
			r.Warnings[j] = inFlagWords(r.Warnings[j])
		}
		for j := range r.Steps {
			for k := range r.Steps[j].Warnings {
				r.Steps[j].Warnings[k] = inFlagWords(r.Steps[j].Warnings[k])
			}
		}
	}
}
