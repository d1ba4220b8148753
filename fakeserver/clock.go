package fakeserver

import (
	"sync"
	"time"
)

// clock is the injected clock plus an offset moved by Fake.Advance.
type clock struct {
	base   func() time.Time
	mu     sync.Mutex
	offset time.Duration
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	d := c.offset
	c.mu.Unlock()
	return c.base().Add(d)
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}
