package neo4jquery

import (
	"math"
	"testing"
)

func TestJavaDouble(t *testing.T) {
	cases := []struct {
		in   float64
		want string
	}{
		{0, "0.0"},
		{math.Copysign(0, -1), "-0.0"},
		{1, "1.0"},
		{1.5, "1.5"},
		{-2, "-2.0"},
		{0.001, "0.001"},
		{0.0001, "1.0E-4"},
		{1.5e-4, "1.5E-4"},
		{9999999, "9999999.0"},
		{1e7, "1.0E7"},
		{1.2345e10, "1.2345E10"},
		{1e100, "1.0E100"},
		{0.1, "0.1"},
		{math.NaN(), "NaN"},
		{math.Inf(1), "Infinity"},
		{math.Inf(-1), "-Infinity"},
	}
	for _, c := range cases {
		if got := javaDouble(c.in); got != c.want {
			t.Errorf("javaDouble(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCypherValueJSON(t *testing.T) {
	cases := []struct {
		v            cypherValue
		plain, typed string
	}{
		{nullValue(), `null`, `{"$type":"Null","_value":null}`},
		{boolValue(true), `true`, `{"$type":"Boolean","_value":true}`},
		{intValue(-3), `-3`, `{"$type":"Integer","_value":"-3"}`},
		{floatValue(2), `2.0`, `{"$type":"Float","_value":"2.0"}`},
		{floatValue(math.NaN()), `"NaN"`, `{"$type":"Float","_value":"NaN"}`},
		{stringValue(`<"é">`), `"<\"é\">"`, `{"$type":"String","_value":"<\"é\">"}`},
		{listValue(), `[]`, `{"$type":"List","_value":[]}`},
		{cypherValue{kind: cypherMap, m: map[string]cypherValue{"b": intValue(1), "a": nullValue()}},
			`{"a":null,"b":1}`, `{"$type":"Map","_value":{"a":{"$type":"Null","_value":null},"b":{"$type":"Integer","_value":"1"}}}`},
	}
	for _, c := range cases {
		if got := string(c.v.appendJSON(nil, false)); got != c.plain {
			t.Errorf("plain %s, want %s", got, c.plain)
		}
		if got := string(c.v.appendJSON(nil, true)); got != c.typed {
			t.Errorf("typed %s, want %s", got, c.typed)
		}
	}
}

func TestNegotiateAccept(t *testing.T) {
	cases := []struct {
		accept string
		ct     string // "" means 406
		typed  bool
	}{
		{"", "application/json", false},
		{"application/json", "application/json", false},
		{"application/json; charset=UTF-8", "application/json", false},
		{"*/*", "application/json", false},
		{"application/*", "application/json", false},
		{"APPLICATION/JSON", "application/json", false},
		{"application/vnd.neo4j.query", "application/vnd.neo4j.query", true},
		{"application/vnd.neo4j.query.v1.0", "application/vnd.neo4j.query.v1.0", true},
		{"application/vnd.neo4j.query.v1.1", "application/vnd.neo4j.query.v1.1", true},
		{"text/html, application/vnd.neo4j.query;q=0.9, */*;q=0.1", "application/vnd.neo4j.query", true},
		{"application/json;q=0.5, application/vnd.neo4j.query", "application/vnd.neo4j.query", true},
		{"application/json;q=0", "", false},
		{"application/vnd.neo4j.query.v9.9", "", false},
		{"application/jsonl", "", false},
		{"nonsense-value", "", false},
		{"text/plain", "", false},
	}
	for _, c := range cases {
		ct, typed, ok := negotiateAccept(c.accept)
		if ok != (c.ct != "") || ct != c.ct || typed != c.typed {
			t.Errorf("negotiateAccept(%q) = %q %v %v, want %q %v", c.accept, ct, typed, ok, c.ct, c.typed)
		}
	}
}

func TestQueryContentType(t *testing.T) {
	cases := []struct {
		ct        string
		typed, ok bool
	}{
		{"application/json", false, true},
		{"application/json; charset=utf-8", false, true},
		{"Application/JSON", false, true},
		{"application/vnd.neo4j.query", true, true},
		{"application/vnd.neo4j.query.v1.2", true, true},
		{"", false, false},
		{"text/csv", false, false},
		{"application/doesnt-exist", false, false},
		{"application/vnd.neo4j.query.v2.0", false, false},
		{";;;", false, false},
	}
	for _, c := range cases {
		typed, ok := queryContentType(c.ct)
		if ok != c.ok || ok && typed != c.typed {
			t.Errorf("queryContentType(%q) = %v %v, want %v %v", c.ct, typed, ok, c.typed, c.ok)
		}
	}
}
