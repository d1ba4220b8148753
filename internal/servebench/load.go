package main

import (
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// load is a set of keep-alive clients, one connection each, that send one
// path's request to one server.
type load struct {
	p       authPath
	base    string
	extra   map[string]string
	clients []*http.Client
}

func newLoad(p authPath, base string, extra map[string]string, clients int) *load {
	l := &load{p: p, base: base, extra: extra}
	for range clients {
		l.clients = append(l.clients, &http.Client{Transport: &http.Transport{
			MaxIdleConnsPerHost: 1, DisableCompression: true,
		}})
	}
	return l
}

func (l *load) close() {
	for _, c := range l.clients {
		c.CloseIdleConnections()
	}
}

// run sends requests from every client until d has passed and returns how
// many were answered with the expected status; any other answer stops it.
func (l *load) run(d time.Duration) (int64, error) {
	var (
		done     atomic.Int64
		wg       sync.WaitGroup
		firstErr error
		errOnce  sync.Once
	)
	deadline := time.Now().Add(d)
	for _, c := range l.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if err := l.once(c); err != nil {
					errOnce.Do(func() { firstErr = err })
					return
				}
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	return done.Load(), firstErr
}

func (l *load) once(c *http.Client) error {
	req, err := l.p.request(l.base, l.extra)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != l.p.want {
		return fmt.Errorf("%s %s: status %d, want %d", l.p.method, l.base+l.p.path, resp.StatusCode, l.p.want)
	}
	return nil
}
