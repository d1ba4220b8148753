package fakeserver

import (
	"math"
	"strconv"
	"time"

	"github.com/authconform/authconform/fakeserver/internal/core"
)

// logLine is one request of the log. Its JSON is what encoding/json
// writes for the same values in a map: keys in sorted order, strings
// escaped as json.Encoder does (HTML characters included), numbers in
// its format. It is written by hand because encoding a map was most of
// the log's cost per request (a test compares the two).
type logLine struct {
	start         time.Time
	duration      time.Duration
	method, path  string
	remote        string
	status, bytes int
	// hasBody adds content_length, body_read and, when bodyError is not
	// empty, body_error.
	hasBody       bool
	contentLength int64
	bodyRead      int64
	bodyError     string
}

func (l logLine) append(b []byte) []byte {
	b = append(b, '{')
	if l.hasBody {
		if l.bodyError != "" {
			b = appendLogString(append(b, `"body_error":`...), l.bodyError)
			b = append(b, ',')
		}
		b = strconv.AppendInt(append(b, `"body_read":`...), l.bodyRead, 10)
		b = append(b, ',')
	}
	b = strconv.AppendInt(append(b, `"bytes":`...), int64(l.bytes), 10)
	if l.hasBody {
		b = strconv.AppendInt(append(b, `,"content_length":`...), l.contentLength, 10)
	}
	b = appendLogFloat(append(b, `,"duration_ms":`...), float64(l.duration.Microseconds())/1000)
	b = appendLogString(append(b, `,"method":`...), l.method)
	b = appendLogString(append(b, `,"path":`...), l.path)
	b = appendLogString(append(b, `,"remote":`...), l.remote)
	b = strconv.AppendInt(append(b, `,"status":`...), int64(l.status), 10)
	b = append(b, `,"time":"`...)
	b = l.start.UTC().AppendFormat(b, time.RFC3339Nano)
	return append(b, "\"}\n"...)
}

// appendLogFloat is encoding/json's float64: shortest form, exponent
// only for very small or large values.
func appendLogFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if n := len(b); format == 'e' && n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
		b[n-2] = b[n-1] // e-07 becomes e-7
		b = b[:n-1]
	}
	return b
}

// appendLogString is json.Encoder's string, HTML characters escaped.
func appendLogString(b []byte, s string) []byte { return core.AppendJSONString(b, s, true) }
