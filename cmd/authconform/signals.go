package main

import (
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/authconform/authconform/specs/report"
)

// stopSignals are the signals that stop a run, restoring what the fixture
// in flight changed: Ctrl-C, kill, a closed terminal or dropped SSH
// session, Ctrl-\. Left to their defaults, the last two would end the
// process mid-change with the target's password still the temporary one.
var stopSignals = map[os.Signal]report.Signal{
	os.Interrupt:    report.SIGINT,
	syscall.SIGTERM: report.SIGTERM,
	syscall.SIGHUP:  report.SIGHUP,
	syscall.SIGQUIT: report.SIGQUIT,
}

// signalCatcher remembers the first stop signal and turns SIGHUP and
// SIGQUIT into the SIGTERM that Ginkgo's interrupt handler listens for, so
// that all four stop the run the same way.
type signalCatcher struct {
	ch   chan os.Signal
	done chan struct{}
	wg   sync.WaitGroup

	mu  sync.Mutex
	sig report.Signal
}

func catchSignals() *signalCatcher {
	c := &signalCatcher{ch: make(chan os.Signal, 8), done: make(chan struct{})}
	for s := range stopSignals {
		signal.Notify(c.ch, s)
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		for {
			select {
			case s := <-c.ch:
				c.caught(s)
			case <-c.done:
				return
			}
		}
	}()
	return c
}

func (c *signalCatcher) caught(s os.Signal) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sig != "" {
		return // the SIGTERM sent below, or a second signal: Ginkgo handles it
	}
	c.sig = stopSignals[s]
	if s == syscall.SIGHUP || s == syscall.SIGQUIT {
		if self, err := os.FindProcess(os.Getpid()); err == nil {
			_ = self.Signal(syscall.SIGTERM) // where signals cannot be sent, these are never received either
		}
	}
}

// first is the first stop signal caught, or "".
func (c *signalCatcher) first() report.Signal {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sig
}

func (c *signalCatcher) stop() {
	signal.Stop(c.ch)
	close(c.done)
	c.wg.Wait()
}
