package couchdb

import (
	"bytes"
	"encoding/json"
)

// loginKeys are the members of a JSON login body CouchDB reads, in the
// order their types are checked.
var loginKeys = []string{"name", "username", "password"}

// jsonLogin is a JSON login body as far as POST /_session reads it: the
// first byte of its top-level value and, for an object, the raw value of
// each login key (the last one when a key repeats, as in a decoded map).
type jsonLogin struct {
	top    byte
	values map[string][]byte
}

// parseJSONLogin reads body without decoding what it does not need: a
// body of a million keys costs one pass over its bytes and no allocation
// per key, where decoding it into a map cost some 25 times its size. ok is
// false when body is not JSON.
func parseJSONLogin(body []byte) (login jsonLogin, ok bool) {
	if !json.Valid(body) {
		return jsonLogin{}, false
	}
	i := skipJSONSpace(body, 0)
	login = jsonLogin{top: body[i], values: map[string][]byte{}}
	if login.top != '{' {
		return login, true
	}
	for i = skipJSONSpace(body, i+1); body[i] != '}'; {
		keyEnd := jsonValueEnd(body, i)
		key := body[i:keyEnd]
		i = skipJSONSpace(body, skipJSONSpace(body, keyEnd)+1) // past the colon
		end := jsonValueEnd(body, i)
		if k, wanted := loginKey(key); wanted {
			login.values[k] = body[i:end]
		}
		if i = skipJSONSpace(body, end); body[i] == ',' {
			i = skipJSONSpace(body, i+1)
		}
	}
	return login, true
}

// loginKey names the login key a quoted JSON key is, if any.
func loginKey(quoted []byte) (string, bool) {
	var key string
	if bytes.IndexByte(quoted, '\\') < 0 {
		key = string(quoted[1 : len(quoted)-1])
	} else if json.Unmarshal(quoted, &key) != nil {
		return "", false
	}
	for _, k := range loginKeys {
		if k == key {
			return k, true
		}
	}
	return "", false
}

// text returns a login key's value when it is a JSON string; present is
// false when the key is absent.
func (l jsonLogin) text(key string) (s string, present, isString bool) {
	raw, present := l.values[key]
	if !present {
		return "", false, false
	}
	if raw[0] != '"' {
		return "", true, false
	}
	_ = json.Unmarshal(raw, &s) // a valid JSON string
	return s, true, true
}

func skipJSONSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// jsonValueEnd is the index just past the JSON value starting at b[i], in
// a document json.Valid has accepted.
func jsonValueEnd(b []byte, i int) int {
	switch b[i] {
	case '"':
		for j := i + 1; ; j++ {
			switch b[j] {
			case '\\':
				j++
			case '"':
				return j + 1
			}
		}
	case '{', '[':
		depth, inString := 0, false
		for j := i; ; j++ {
			c := b[j]
			switch {
			case inString && c == '\\':
				j++
			case c == '"':
				inString = !inString
			case inString:
			case c == '{' || c == '[':
				depth++
			case c == '}' || c == ']':
				if depth--; depth == 0 {
					return j + 1
				}
			}
		}
	}
	j := i // a number, true, false or null
	for j < len(b) && !isJSONDelimiter(b[j]) {
		j++
	}
	return j
}

func isJSONDelimiter(c byte) bool {
	switch c {
	case ',', '}', ']', ' ', '\t', '\r', '\n':
		return true
	}
	return false
}
