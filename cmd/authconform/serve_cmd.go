package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/authconform/authconform/fakeserver"
)

func newServeCmd() *cobra.Command {
	var (
		flavor, profile, addr string
		users, tokens, dbs    []string
		o                     fakeserver.Options
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the fake server until SIGINT or SIGTERM",
		Long: `Serve the fake server, logging one JSON line per request to stderr.

--user takes name:password[:role,role...]; the role _admin makes a CouchDB
server admin; "!" after the password (neo4j:neo4j!) marks a Neo4j user who
must change it. --token takes TOKEN=USER. --control mounts /_authconform/
(reset, state, clock) for test harnesses.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Flavor, o.Profile = fakeserver.Flavor(flavor), fakeserver.Profile(profile)
			for _, u := range users {
				user, err := parseUser(u)
				if err != nil {
					return err
				}
				o.Users = append(o.Users, user)
			}
			for _, t := range tokens {
				tok, user, ok := strings.Cut(t, "=")
				if !ok || tok == "" || user == "" {
					return usagef("--token %q must be TOKEN=USER", t)
				}
				o.Tokens = append(o.Tokens, fakeserver.Token{Token: tok, User: user})
			}
			for _, d := range dbs {
				o.Databases = append(o.Databases, fakeserver.Database{Name: d})
			}
			fake, err := fakeserver.New(o)
			if err != nil {
				return usageError{err}
			}
			l, err := net.Listen("tcp", addr)
			if err != nil {
				return usagef("--addr %s: %v", addr, err)
			}
			srv := fakeserver.NewHTTPServer(fakeserver.LogRequests(fake, cmd.ErrOrStderr()))
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			errc := make(chan error, 1)
			go func() { errc <- srv.Serve(l) }()
			fmt.Fprintf(cmd.OutOrStdout(), "authconform: serving %s (%s profile) on http://%s\n", o.Flavor, fake.Options().Profile, l.Addr())
			select {
			case err := <-errc:
				return err
			case <-ctx.Done():
			}
			shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), "authconform: stopped")
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&flavor, "flavor", "neo4j-3.3", "neo4j-3.3, neo4j-query or couchdb")
	fl.StringVar(&profile, "profile", "documented", "documented, neo4j-3.3.9, neo4j-5 or couchdb-3.5")
	fl.StringVar(&addr, "addr", "127.0.0.1:7474", "listen address")
	fl.StringArrayVar(&users, "user", nil, "a user, name:password[:roles] (repeatable); replaces the flavor's default users")
	fl.StringArrayVar(&tokens, "token", nil, "a bearer token, TOKEN=USER (repeatable; neo4j-query)")
	fl.StringArrayVar(&dbs, "db", nil, "a database to create (repeatable; couchdb)")
	fl.BoolVar(&o.AuthDisabled, "auth-disabled", false, "answer every request without authentication (Neo4j)")
	fl.BoolVar(&o.RequireValidUser, "require-valid-user", false, "refuse anonymous requests (CouchDB)")
	fl.DurationVar(&o.SessionTTL, "session-ttl", 0, "cookie session lifetime (CouchDB; default per profile)")
	fl.IntVar(&o.MaxFailedLogins, "max-failed-logins", 0, "failed logins before an account locks (0: flavor default, -1: never)")
	fl.DurationVar(&o.LockDuration, "lock-duration", 0, "how long a locked account stays locked (0: flavor default)")
	fl.BoolVar(&o.ControlPlane, "control", false, "mount the control plane under /_authconform/")
	return cmd
}

// parseUser reads name:password[:role,role]; a password ending in "!"
// marks a pending password change.
func parseUser(s string) (fakeserver.User, error) {
	parts := strings.SplitN(s, ":", 3)
	if len(parts) < 2 || parts[0] == "" {
		return fakeserver.User{}, usagef("--user %q must be name:password[:roles]", s)
	}
	u := fakeserver.User{Name: parts[0], Password: parts[1]}
	if strings.HasSuffix(u.Password, "!") {
		u.Password, u.PasswordChangeRequired = strings.TrimSuffix(u.Password, "!"), true
	}
	if len(parts) == 3 && parts[2] != "" {
		u.Roles = strings.Split(parts[2], ",")
	}
	return u, nil
}
