package couchdb

import (
	"net/http"
	"sync/atomic"
	"time"
)

// httpDates keeps the Date header of the last second asked for: every
// reply carries one, and formatting it was a tenth of a reply's work.
// The value slice is shared (an Add copies it, its capacity being its
// length).
type httpDates struct {
	last atomic.Pointer[httpDate]
}

type httpDate struct {
	unix  int64
	value []string
}

// header is the Date header for now (the fake's clock).
func (d *httpDates) header(now time.Time) []string {
	sec := now.Unix()
	if cur := d.last.Load(); cur != nil && cur.unix == sec {
		return cur.value
	}
	next := &httpDate{unix: sec, value: []string{now.UTC().Format(http.TimeFormat)}}
	d.last.Store(next)
	return next.value
}
