package couchdb

import (
	"net/http"
	"strconv"
	"strings"
)

// How CouchDB 3.5.0's Basic handler reads an Authorization header, for the
// couchdb-3.5 profile: MochiWeb joins repeated headers with ", ", and
// couch_httpd_auth:basic_name_pw gives what follows "Basic " to Erlang/OTP
// 25's base64:decode/1, catching only function_clause (a 400). Its other
// errors escape as 500s whose body and X-Couch-Stack-Hash depend on where
// in base64.erl they are raised (docs/reference/couchdb-3.5.0.md m166-m168
// and run 6).

// Values of one base64 character, as base64.erl's b64d/1 table has them.
const (
	b64Bad int8 = -1 // not in the alphabet
	b64Eq  int8 = -2 // '='
	b64WS  int8 = -3 // tab, LF, CR, space: skipped
)

func b64d(ch byte) int8 {
	switch {
	case ch >= 'A' && ch <= 'Z':
		return int8(ch - 'A')
	case ch >= 'a' && ch <= 'z':
		return int8(ch-'a') + 26
	case ch >= '0' && ch <= '9':
		return int8(ch-'0') + 52
	case ch == '+':
		return 62
	case ch == '/':
		return 63
	case ch == '=':
		return b64Eq
	case ch == '\t' || ch == '\n' || ch == '\r' || ch == ' ':
		return b64WS
	}
	return b64Bad
}

// erlangError is an error raised inside base64:decode/1: its class and,
// for case_clause, the value as CouchDB prints it; at names the place,
// which decides CouchDB's stack hash.
type erlangError struct {
	class, value, at string
}

// Where base64.erl (stdlib 4.2, OTP 25) raises them.
const (
	atPadTwo   = "decode_list/5:356" // "xx==": <<B1:6,(B2 bsr 4):2>>
	atPadOne   = "decode_list/5:357" // "xxx=": <<B1:6,B2:6,(B3 bsr 2):4>>
	atQuad     = "decode_list/5:358" // four characters: <<B1:6,B2:6,B3:6,B4:6>>
	atNUL      = "b64d/1:447"        // element(0, ...): a NUL byte
	atAfterPad = "only_ws/2:435"     // a character after the padding
)

// erlangBase64Decode is base64:decode/1 on a string.
func erlangBase64Decode(s string) ([]byte, *erlangError) {
	var out []byte
	var quad [3]int8
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return nil, &erlangError{class: "badarg", at: atNUL}
		}
		v := b64d(s[i])
		if v == b64WS {
			continue
		}
		if n < 3 {
			quad[n], n = v, n+1
			continue
		}
		b1, b2, b3 := quad[0], quad[1], quad[2]
		n = 0
		switch {
		case v == b64Eq && b3 == b64Eq:
			// (B2 bsr 4) is evaluated before the binary is built.
			if b2 < 0 {
				return nil, &erlangError{class: "badarith", at: atPadTwo}
			}
			if b1 < 0 {
				return nil, &erlangError{class: "badarg", at: atPadTwo}
			}
			return onlyWhitespace(s[i+1:], append(out, byte(b1)<<2|byte(b2)>>4))
		case v == b64Eq:
			if b3 < 0 {
				return nil, &erlangError{class: "badarith", at: atPadOne}
			}
			if b1 < 0 || b2 < 0 {
				return nil, &erlangError{class: "badarg", at: atPadOne}
			}
			return onlyWhitespace(s[i+1:], append(out, byte(b1)<<2|byte(b2)>>4, byte(b2)<<4|byte(b3)>>2))
		case b1 < 0 || b2 < 0 || b3 < 0 || v < 0:
			return nil, &erlangError{class: "badarg", at: atQuad}
		}
		out = append(out, byte(b1)<<2|byte(b2)>>4, byte(b2)<<4|byte(b3)>>2, byte(b3)<<6|byte(v))
	}
	if n != 0 {
		return nil, &erlangError{class: "function_clause"} // no clause for a short last group
	}
	return out, nil
}

// onlyWhitespace is only_ws/2: after the padding only whitespace may
// follow; anything else is a case_clause on its b64d value.
func onlyWhitespace(rest string, out []byte) ([]byte, *erlangError) {
	for i := 0; i < len(rest); i++ {
		if rest[i] == 0 {
			return nil, &erlangError{class: "badarg", at: atNUL}
		}
		switch v := b64d(rest[i]); v {
		case b64WS:
		case b64Bad:
			return nil, &erlangError{class: "case_clause", value: "bad", at: atAfterPad}
		case b64Eq:
			return nil, &erlangError{class: "case_clause", value: "eq", at: atAfterPad}
		default:
			return nil, &erlangError{class: "case_clause", value: strconv.Itoa(int(v)), at: atAfterPad}
		}
	}
	return out, nil
}

// crashStackHashes are the X-Couch-Stack-Hash values 3.5.0 sent for an
// error raised at each place (m166-m168, run 6).
var crashStackHashes = map[string]int64{
	atQuad:                 2650020842,
	atAfterPad:             1236979948,
	atPadTwo + " badarith": 3250022585,
	atPadTwo + " badarg":   1699836774,
	atPadOne + " badarith": 4009739386,
	// Measured for a NUL starting a group; a NUL elsewhere is raised from
	// another caller of b64d/1 with a hash not measured. net/http refuses
	// NUL in a header value before any handler, so only tests reach it.
	atNUL: 1281303532,
}

// stackHash is the measured hash for e, by place and, where one place
// raises two errors, by class.
func (e *erlangError) stackHash() int64 {
	if h, ok := crashStackHashes[e.at+" "+e.class]; ok {
		return h
	}
	return crashStackHashes[e.at]
}

// releaseBasicCredentials is basic_name_pw as 3.5.0 runs it: no
// credentials unless the (joined) header starts with "Basic "; a problem
// for what its decoding trips over; none for a value without a colon or
// for the logout credentials "_:_".
func releaseBasicCredentials(r *http.Request) (name, password string, present bool, p *problem) {
	header := strings.Join(r.Header.Values("Authorization"), ", ")
	payload, ok := strings.CutPrefix(header, "Basic ")
	if !ok {
		return "", "", false, nil
	}
	raw, err := erlangBase64Decode(payload)
	if err != nil {
		return "", "", false, err.problem()
	}
	name, password, found := strings.Cut(string(raw), ":")
	if !found || (name == "_" && password == "_") {
		return "", "", false, nil
	}
	return name, password, true, nil
}

// problem is CouchDB's answer to the error: function_clause is caught as
// a 400; the rest are 500s, error_info's shape.
func (e *erlangError) problem() *problem {
	if e.class == "function_clause" {
		return &problem{status: http.StatusBadRequest, couch: "bad_request", msg: couchMsgBadBase64}
	}
	crash := couchCrash{Error: "unknown_error", Reason: e.class, Ref: e.stackHash()}
	if e.class == "case_clause" {
		crash.Error, crash.Reason = "case_clause", e.value
	}
	return &problem{crash: &crash}
}
