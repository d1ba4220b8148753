package core

import (
	"errors"
	"io"
	"net/http"
	"os"
)

// MaxJSONDepth bounds the nesting of every JSON body and of every
// statement the fake parses. Nothing the documents show nests deeper than
// a few levels; the bound keeps the work and memory of one request
// proportional to its size, where an unbounded recursive parser would
// spend a stack and hundreds of megabytes on one megabyte of brackets.
const MaxJSONDepth = 64

// ReadBody reads r's whole body (ServeLimited has bounded its size and set
// its read deadline) and names the problem when it could not: too large,
// not sent in time, or cut off. It allocates about the body's size once
// when the size is declared and at most three times it when chunked, where
// io.ReadAll's growth would allocate five.
func ReadBody(r *http.Request) ([]byte, Problem, bool) {
	if r.ContentLength > 0 {
		// The declared size, which ServeLimited has checked against the
		// limit; one byte more, so the read that meets EOF needs no growth.
		buf := make([]byte, 0, r.ContentLength+1)
		for {
			n, err := r.Body.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			if err == io.EOF {
				return buf, 0, true
			}
			if err != nil {
				return nil, BodyProblem(err), false
			}
			if len(buf) == cap(buf) { // more than declared: MaxBytesReader or net/http will refuse it
				buf = append(buf, 0)[:len(buf)]
			}
		}
	}
	// Chunks that double in size, joined once at the end.
	var chunks [][]byte
	total := 0
	for chunk := make([]byte, 0, 512); ; {
		n, err := r.Body.Read(chunk[len(chunk):cap(chunk)])
		chunk, total = chunk[:len(chunk)+n], total+n
		if err == io.EOF {
			chunks = append(chunks, chunk)
			break
		}
		if err != nil {
			return nil, BodyProblem(err), false
		}
		if len(chunk) == cap(chunk) {
			chunks = append(chunks, chunk)
			chunk = make([]byte, 0, min(2*cap(chunk), 1<<20))
		}
	}
	buf := make([]byte, 0, total)
	for _, c := range chunks {
		buf = append(buf, c...)
	}
	return buf, 0, true
}

// BodyProblem is the problem of an error from reading a request body.
func BodyProblem(err error) Problem {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return BodyTooLarge
	case errors.Is(err, os.ErrDeadlineExceeded):
		return BodyTimeout
	}
	return BodyIncomplete
}

// JSONTooDeep reports whether b nests arrays and objects deeper than
// MaxJSONDepth. It only counts brackets outside strings, so it runs before
// any decoder and costs one pass and no allocation; malformed JSON is left
// for the decoder to refuse.
func JSONTooDeep(b []byte) bool {
	depth, inString, escaped := 0, false, false
	for _, c := range b {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			if depth++; depth > MaxJSONDepth {
				return true
			}
		case c == ']' || c == '}':
			depth--
		}
	}
	return false
}
