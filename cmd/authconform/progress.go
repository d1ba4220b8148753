package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/authconform/authconform/specs"
)

// progress prints a line when a fixture waits in real time for a live
// server's clock, and on a terminal counts the wait down.
func progress(w io.Writer, terminal bool) func(line string, wait time.Duration) {
	return func(line string, wait time.Duration) {
		fmt.Fprintln(w, line)
		if terminal && wait > time.Second {
			go countdown(w, wait)
		}
	}
}

// countdown rewrites one line with the seconds left until the wait ends.
func countdown(w io.Writer, wait time.Duration) {
	end := time.Now().Add(wait)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for now := range tick.C {
		left := end.Sub(now).Round(time.Second)
		if left <= 0 {
			fmt.Fprint(w, "\r\033[K")
			return
		}
		fmt.Fprintf(w, "\r\033[K  %s left", left)
	}
}

// isTerminal reports whether w is a terminal (a countdown would only
// clutter a log file or a CI log).
func isTerminal(w io.Writer) bool {
	for {
		u, ok := w.(interface{ Unwrap() io.Writer })
		if !ok {
			break
		}
		w = u.Unwrap()
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// estimate prints, before a live run starts, about how long it will take
// when fixtures will wait for the server's clock in real time.
func estimate(w io.Writer, ts []specs.Target) {
	for _, t := range ts {
		if d := specs.WaitTime(t); d > 0 {
			fmt.Fprintf(w, "%s: estimated duration: about %s, as clock fixtures wait in real time for the server's sessions to expire\n", t.Name, d.Round(time.Second))
		}
	}
}
