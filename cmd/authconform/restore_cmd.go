package main

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/authconform/authconform/specs/live"
)

func newRestoreCmd() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "restore",
		Short: "Undo the changes a killed run left on live targets, from the restore journals in --state-dir",
		Long: `Undo what an interrupted live run may have changed.

Before any request that changes a live target (a password change, a scratch
account), run writes a restore journal to its state directory. A run that
ends normally, or by SIGINT, SIGTERM, SIGHUP or SIGQUIT, undoes the change and removes the
journal once a login with the original password succeeds. After a SIGKILL,
a crash or a lost connection the journal stays, and run refuses that target
until this command has restored it: it replays each journal (the fixture's
restore steps with the temporary password, then a login with the original
one) and removes the journals it verified. Exit status 1 when any remains.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := stateDir(f)
			if err != nil {
				return err
			}
			pending, err := live.PendingRestores(dir)
			if err != nil {
				return usageError{err}
			}
			if len(pending) == 0 {
				fmt.Fprintf(cmd.OutOrStdout(), "nothing to restore in %s\n", dir)
				return nil
			}
			transport, err := tlsTransport(f.caFile, f.insecure)
			if err != nil {
				return err
			}
			left := 0
			for _, p := range pending {
				err := p.Restore(context.Background(), &http.Client{Transport: transport}, f.timeout)
				if err != nil {
					left++
					fmt.Fprintf(cmd.ErrOrStderr(), "authconform: %s (%s, %s as %q): %v\n", p.Path, p.Target, p.Fixture, p.User, err)
					continue
				}
				fmt.Fprintf(cmd.OutOrStdout(), "restored %s: %s (%s as %q), verified by logging in with the original password\n", p.Target, p.Fixture, p.Flavor, p.User)
			}
			if left > 0 {
				return exitCode(1)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.stateDir, "state-dir", "", "the state directory of the runs to undo (default: the user cache directory's authconform folder)")
	fl.DurationVar(&f.timeout, "timeout", 10*time.Second, "timeout of each request")
	fl.StringVar(&f.caFile, "ca-file", "", "trust the CA certificate(s) in this PEM file for an https target")
	fl.BoolVar(&f.insecure, "insecure", false, "accept any TLS certificate of an https target (test servers only)")
	return cmd
}
