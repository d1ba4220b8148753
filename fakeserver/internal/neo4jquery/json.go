package neo4jquery

// Values of the neo4j-query flavor and their two JSON encodings (plain and
// typed), the request's parameters in both encodings, and media-type
// negotiation. The formats follow Neo4j's Query API (DefaultResponseModule,
// CypherTypes; docs "Result formats" and "Typed JSON"):
//
//	plain:  1, 1.5, "x", true, null, [1, "x"], {"k": 1}
//	typed:  {"$type":"Integer","_value":"1"}, {"$type":"Float","_value":"1.5"},
//	        {"$type":"String","_value":"x"}, {"$type":"Boolean","_value":true},
//	        {"$type":"Null","_value":null}, {"$type":"List","_value":[...]},
//	        {"$type":"Map","_value":{"k":...}}
//
// Integers and floats are strings in the typed format; floats are written as
// Java's Double.toString writes them (1.0, 1.0E10), in both formats, since
// Jackson does the same for plain JSON.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"mime"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/authconform/authconform/fakeserver/internal/core"
)

// Media types of the Query API (QueryMimeTypes).
const (
	mimeJSON  = "application/json"
	mimeTyped = "application/vnd.neo4j.query"
)

// typedMimes are the typed-JSON media types the fake reads and writes.
var typedMimes = []string{mimeTyped, mimeTyped + ".v1.0", mimeTyped + ".v1.1", mimeTyped + ".v1.2"}

type cypherKind int

const (
	cypherNull cypherKind = iota
	cypherBool
	cypherInt
	cypherFloat
	cypherString
	cypherList
	cypherMap
)

// cypherValue is one value the fake can return: the literal types plus maps
// (which only parameters can supply).
type cypherValue struct {
	kind cypherKind
	b    bool
	i    int64
	f    float64
	s    string
	list []cypherValue
	m    map[string]cypherValue
}

func nullValue() cypherValue                 { return cypherValue{kind: cypherNull} }
func boolValue(b bool) cypherValue           { return cypherValue{kind: cypherBool, b: b} }
func intValue(i int64) cypherValue           { return cypherValue{kind: cypherInt, i: i} }
func floatValue(f float64) cypherValue       { return cypherValue{kind: cypherFloat, f: f} }
func stringValue(s string) cypherValue       { return cypherValue{kind: cypherString, s: s} }
func listValue(l ...cypherValue) cypherValue { return cypherValue{kind: cypherList, list: l} }

var typeNames = map[cypherKind]string{
	cypherNull: "Null", cypherBool: "Boolean", cypherInt: "Integer", cypherFloat: "Float",
	cypherString: "String", cypherList: "List", cypherMap: "Map",
}

// appendJSON encodes v in the plain or typed format.
func (v cypherValue) appendJSON(buf []byte, typed bool) []byte {
	if typed {
		buf = append(buf, `{"$type":"`...)
		buf = append(buf, typeNames[v.kind]...)
		buf = append(buf, `","_value":`...)
	}
	switch v.kind {
	case cypherNull:
		buf = append(buf, "null"...)
	case cypherBool:
		buf = strconv.AppendBool(buf, v.b)
	case cypherInt:
		if typed {
			buf = appendJSONString(buf, strconv.FormatInt(v.i, 10))
		} else {
			buf = strconv.AppendInt(buf, v.i, 10)
		}
	case cypherFloat:
		s := javaDouble(v.f)
		if typed || math.IsNaN(v.f) || math.IsInf(v.f, 0) { // Jackson quotes NaN and Infinity
			buf = appendJSONString(buf, s)
		} else {
			buf = append(buf, s...)
		}
	case cypherString:
		buf = appendJSONString(buf, v.s)
	case cypherList:
		buf = append(buf, '[')
		for i, e := range v.list {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = e.appendJSON(buf, typed)
		}
		buf = append(buf, ']')
	case cypherMap:
		keys := make([]string, 0, len(v.m))
		for k := range v.m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		buf = append(buf, '{')
		for i, k := range keys {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendJSONString(buf, k)
			buf = append(buf, ':')
			buf = v.m[k].appendJSON(buf, typed)
		}
		buf = append(buf, '}')
	}
	if typed {
		buf = append(buf, '}')
	}
	return buf
}

// appendJSONString quotes s as Jackson does: no HTML escaping of <, >, &
// (core.AppendJSONString without escapeHTML; json_test.go checks it
// against encoding/json). It writes straight into buf, where the encoder
// would allocate twice the string's size on the way.
func appendJSONString(buf []byte, s string) []byte {
	return core.AppendJSONString(slices.Grow(buf, len(s)+2), s, false)
}

// javaDouble formats f as Java's Double.toString: plain decimal with at
// least one fractional digit for 1e-3 <= |f| < 1e7, otherwise d.dddEn.
func javaDouble(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	if a := math.Abs(f); a >= 1e-3 && a < 1e7 {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	mant, exp, _ := strings.Cut(strconv.FormatFloat(f, 'E', -1, 64), "E")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}

// errBadParameters is a parameters object that does not bind: the Query API
// answers it with 400 Request.Invalid "Bad Request".
var errBadParameters = errors.New("parameters do not bind")

// decodeParameters reads the request's "parameters" object, plain or typed.
func decodeParameters(raw json.RawMessage, typed bool) (map[string]cypherValue, error) {
	out := map[string]cypherValue{}
	if len(raw) == 0 || string(raw) == "null" {
		return out, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		return nil, errBadParameters
	}
	convert := fromPlainJSON
	if typed {
		convert = fromTypedJSON
	}
	return convertEach(obj, convert)
}

// convertEach converts every value of fields with convert: the converted
// map, or the first error convert returns.
func convertEach(fields map[string]any, convert func(any) (cypherValue, error)) (map[string]cypherValue, error) {
	m := make(map[string]cypherValue, len(fields))
	for k, x := range fields {
		v, err := convert(x)
		if err != nil {
			return nil, err
		}
		m[k] = v
	}
	return m, nil
}

// convertList is a Cypher list of items, each converted with convert, or
// the first error convert returns.
func convertList(items []any, convert func(any) (cypherValue, error)) (cypherValue, error) {
	l := make([]cypherValue, 0, len(items))
	for _, x := range items {
		v, err := convert(x)
		if err != nil {
			return cypherValue{}, err
		}
		l = append(l, v)
	}
	return listValue(l...), nil
}

// convertMap is a Cypher map of fields, each value converted with convert,
// or the first error convert returns.
func convertMap(fields map[string]any, convert func(any) (cypherValue, error)) (cypherValue, error) {
	m, err := convertEach(fields, convert)
	if err != nil {
		return cypherValue{}, err
	}
	return cypherValue{kind: cypherMap, m: m}, nil
}

func fromPlainJSON(x any) (cypherValue, error) {
	switch t := x.(type) {
	case nil:
		return nullValue(), nil
	case bool:
		return boolValue(t), nil
	case string:
		return stringValue(t), nil
	case json.Number:
		s := t.String()
		if !strings.ContainsAny(s, ".eE") {
			if i, err := strconv.ParseInt(s, 10, 64); err == nil {
				return intValue(i), nil
			}
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return cypherValue{}, errBadParameters
		}
		return floatValue(f), nil
	case []any:
		return convertList(t, fromPlainJSON)
	case map[string]any:
		return convertMap(t, fromPlainJSON)
	}
	return cypherValue{}, errBadParameters
}

// errUnsupportedType is a typed parameter of a type the fake cannot hold
// (Date, Point, ...).
type errUnsupportedType string

func (e errUnsupportedType) Error() string {
	return fmt.Sprintf("the authconform fake does not support parameters of type %s", string(e))
}

func fromTypedJSON(x any) (cypherValue, error) {
	obj, ok := x.(map[string]any)
	if !ok {
		return cypherValue{}, errBadParameters
	}
	typ, ok := obj["$type"].(string)
	val, present := obj["_value"]
	if !ok || !present {
		return cypherValue{}, errBadParameters
	}
	str, isString := val.(string)
	switch typ {
	case "Null":
		return nullValue(), nil
	case "Boolean":
		if b, ok := val.(bool); ok {
			return boolValue(b), nil
		}
	case "Integer":
		if i, err := strconv.ParseInt(str, 10, 64); isString && err == nil {
			return intValue(i), nil
		}
	case "Float":
		if f, err := strconv.ParseFloat(str, 64); isString && err == nil {
			return floatValue(f), nil
		}
	case "String":
		if isString {
			return stringValue(str), nil
		}
	case "List":
		if items, ok := val.([]any); ok {
			return convertList(items, fromTypedJSON)
		}
	case "Map":
		if fields, ok := val.(map[string]any); ok {
			return convertMap(fields, fromTypedJSON)
		}
	case "Base64", "Date", "Time", "LocalTime", "OffsetDateTime", "ZonedDateTime", "LocalDateTime", "Duration", "Point":
		return cypherValue{}, errUnsupportedType(typ)
	}
	return cypherValue{}, errBadParameters
}

// queryContentType reads the request's Content-Type: ok is false (415) when
// it is missing or not a Query API type; typed is true for the typed format.
func queryContentType(header string) (typed, ok bool) {
	switch header {
	case "":
		return false, false
	case mimeJSON: // what ParseMediaType would read, without its map
		return false, true
	}
	mt, _, err := mime.ParseMediaType(header)
	if err != nil {
		return false, false
	}
	if mt == mimeJSON {
		return false, true
	}
	return true, slices.Contains(typedMimes, mt)
}

// negotiateAccept picks the response media type from an Accept header, as
// JAX-RS does over the resource's @Produces list: the most preferred range
// (q-value, then order) that matches; */* and application/* get plain JSON.
// ok is false (406) when nothing matches. JSON Lines is not offered.
func negotiateAccept(header string) (contentType string, typed, ok bool) {
	if strings.TrimSpace(header) == "" {
		return mimeJSON, false, true
	}
	type rng struct {
		mt string
		q  float64
	}
	var ranges []rng
	for _, part := range strings.Split(header, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if qs, has := params["q"]; has {
			if q, err = strconv.ParseFloat(qs, 64); err != nil {
				continue
			}
		}
		if q > 0 {
			ranges = append(ranges, rng{mt, q})
		}
	}
	sort.SliceStable(ranges, func(i, j int) bool { return ranges[i].q > ranges[j].q })
	for _, r := range ranges {
		switch {
		case r.mt == "*/*" || r.mt == "application/*" || r.mt == mimeJSON:
			return mimeJSON, false, true
		case slices.Contains(typedMimes, r.mt):
			return r.mt, true, true
		}
	}
	return "", false, false
}
