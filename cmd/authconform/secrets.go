package main

import (
	"errors"
	"net/url"
	"os"
	"strings"

	"github.com/authconform/authconform/specs"
)

// secretFlags are the files a secret may come from instead of a flag,
// which `ps` would show (environment variables come through flagsFromEnv:
// AUTHCONFORM_PASSWORD, AUTHCONFORM_TOKEN, AUTHCONFORM_OTHER_PASSWORD).
type secretFlags struct {
	passwordFile, tokenFile, otherPasswordFile string
}

// resolveSecrets fills f.creds from --password-file, --token-file and
// --other-password-file, and moves user info out of --target into
// --user/--password, so that the URL never carries it into a request,
// a report or an error. A secret given twice, differently, is refused.
func resolveSecrets(f *runFlags) error {
	for _, s := range []struct {
		flag, file string
		value      *string
	}{
		{"--password", f.secrets.passwordFile, &f.creds.Password},
		{"--token", f.secrets.tokenFile, &f.creds.Token},
		{"--other-password", f.secrets.otherPasswordFile, &f.creds.OtherPassword},
	} {
		if s.file == "" {
			continue
		}
		if *s.value != "" {
			return usagef("%s and %s-file are both given; pass one", s.flag, s.flag)
		}
		data, err := os.ReadFile(s.file)
		if err != nil {
			return usagef("%s-file: %v", s.flag, err)
		}
		*s.value = strings.TrimRight(string(data), "\r\n")
		if *s.value == "" {
			return usagef("%s-file %s is empty", s.flag, s.file)
		}
	}
	return takeUserinfo(f)
}

// redactor knows every secret of the command line: the passwords, with
// the Basic forms of each user's, the token and the control token.
func (f runFlags) redactor() *specs.Redactor {
	red := specs.NewRedactor()
	red.Credentials(f.creds.User, f.creds.Password)
	red.Credentials(f.creds.OtherUser, f.creds.OtherPassword)
	red.Secret(f.creds.Token, f.controlToken)
	return red
}

// maskError masks red's secrets in err's text, keeping what kind of error
// it is (a usage error exits 2, an exit code is a status).
func maskError(err error, red *specs.Redactor) error {
	var code exitCode
	var ue usageError
	switch {
	case err == nil, errors.As(err, &code):
		return err
	case errors.As(err, &ue):
		return usageError{errors.New(red.MaskSecrets(err.Error()))}
	}
	return errors.New(red.MaskSecrets(err.Error()))
}

// takeUserinfo moves http://user:pw@host's user info into the
// credentials; it is refused when --user or --password say otherwise.
func takeUserinfo(f *runFlags) error {
	if f.target == "" {
		return nil
	}
	u, err := url.Parse(f.target)
	if err != nil || u.User == nil {
		return nil // targets() reports a malformed URL, without user info to print
	}
	user := u.User.Username()
	pass, hasPass := u.User.Password()
	u.User = nil
	f.target = u.String()
	if (f.creds.User != "" && f.creds.User != user) || (hasPass && f.creds.Password != "" && f.creds.Password != pass) {
		return usagef("--target %s has user info that differs from --user/--password; give the credentials once", f.target)
	}
	f.creds.User = user
	if hasPass {
		f.creds.Password = pass
	}
	return nil
}
