package neo4jquery_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

func TestNeo4jQueryStatements(t *testing.T) {
	cases := []struct {
		stmt   string
		params string // the request's "parameters" object, plain JSON
		fields string // JSON of data.fields
		plain  string // JSON of data.values
		typed  string
		code   string // an error code instead
	}{
		{stmt: "RETURN 1 AS n", fields: `["n"]`, plain: `[[1]]`, typed: `[[{"$type":"Integer","_value":"1"}]]`},
		{stmt: "RETURN 1", fields: `["1"]`, plain: `[[1]]`},
		{stmt: "  return   1   ;  ", fields: `["1"]`, plain: `[[1]]`},
		{stmt: "Return 1 aS `my field`", fields: `["my field"]`, plain: `[[1]]`},
		{stmt: "RETURN 1 AS `a``b`", fields: `["a` + "`" + `b"]`, plain: `[[1]]`},
		{stmt: "RETURN -42 AS n, 0x1F AS h, -0x10 AS nh", fields: `["n","h","nh"]`, plain: `[[-42,31,-16]]`,
			typed: `[[{"$type":"Integer","_value":"-42"},{"$type":"Integer","_value":"31"},{"$type":"Integer","_value":"-16"}]]`},
		{stmt: "RETURN 9223372036854775807 AS max, -9223372036854775808 AS min", fields: `["max","min"]`, plain: `[[9223372036854775807,-9223372036854775808]]`},
		{stmt: "RETURN 9223372036854775808 AS n", code: codeSyntaxError},
		{stmt: "RETURN 1.5 AS f, 1.0 AS g, .5 AS h, 1e10 AS big, 1.5E-4 AS small, -2.0 AS neg", fields: `["f","g","h","big","small","neg"]`,
			plain: `[[1.5,1.0,0.5,1.0E10,1.5E-4,-2.0]]`,
			typed: `[[{"$type":"Float","_value":"1.5"},{"$type":"Float","_value":"1.0"},{"$type":"Float","_value":"0.5"},{"$type":"Float","_value":"1.0E10"},{"$type":"Float","_value":"1.5E-4"},{"$type":"Float","_value":"-2.0"}]]`},
		{stmt: "RETURN 1e400 AS f", code: codeSyntaxError},
		{stmt: `RETURN 'it''s' AS a`, code: codeArgumentError},
		{stmt: `RETURN 'x' AS s, "y" AS t, 'a\'b\n<&>' AS u, '\u00e9' AS v`, fields: `["s","t","u","v"]`,
			plain: `[["x","y","a'b\n<&>","é"]]`,
			typed: `[[{"$type":"String","_value":"x"},{"$type":"String","_value":"y"},{"$type":"String","_value":"a'b\n<&>"},{"$type":"String","_value":"é"}]]`},
		{stmt: "RETURN 'x'", fields: `["'x'"]`, plain: `[["x"]]`},
		{stmt: "RETURN TRUE AS t, false AS f, NULL AS n", fields: `["t","f","n"]`, plain: `[[true,false,null]]`,
			typed: `[[{"$type":"Boolean","_value":true},{"$type":"Boolean","_value":false},{"$type":"Null","_value":null}]]`},
		{stmt: "RETURN [1, 'a', [true, null], []] AS l", fields: `["l"]`, plain: `[[[1,"a",[true,null],[]]]]`,
			typed: `[[{"$type":"List","_value":[{"$type":"Integer","_value":"1"},{"$type":"String","_value":"a"},{"$type":"List","_value":[{"$type":"Boolean","_value":true},{"$type":"Null","_value":null}]},{"$type":"List","_value":[]}]}]]`},
		{stmt: "RETURN [1,2]", fields: `["[1,2]"]`, plain: `[[[1,2]]]`},
		{stmt: "RETURN $x AS x, $y AS y, [$x] AS l", params: `{"x":1,"y":{"k":[1.5,"s"]}}`, fields: `["x","y","l"]`,
			plain: `[[1,{"k":[1.5,"s"]},[1]]]`,
			typed: `[[{"$type":"Integer","_value":"1"},{"$type":"Map","_value":{"k":{"$type":"List","_value":[{"$type":"Float","_value":"1.5"},{"$type":"String","_value":"s"}]}}},{"$type":"List","_value":[{"$type":"Integer","_value":"1"}]}]]`},
		{stmt: "RETURN $x", params: `{"x":"v"}`, fields: `["$x"]`, plain: `[["v"]]`},
		{stmt: "RETURN $missing AS m", code: codeParameterMissing},
		{stmt: "CALL db.ping()", fields: `["success"]`, plain: `[[true]]`, typed: `[[{"$type":"Boolean","_value":true}]]`},
		{stmt: "call db.ping ( ) ;", fields: `["success"]`, plain: `[[true]]`},
		{stmt: "// a comment\nRETURN 1 AS n /* another */", fields: `["n"]`, plain: `[[1]]`},
		{stmt: "RETURN 1 AS a, 2 AS a", code: codeSyntaxError},
		// Lists nest at most 64 deep (core.MaxJSONDepth): at the limit they
		// run, one more is a syntax error rather than unbounded recursion.
		{stmt: "RETURN " + strings.Repeat("[", 64) + "1" + strings.Repeat("]", 64) + " AS l", fields: `["l"]`,
			plain: "[[" + strings.Repeat("[", 64) + "1" + strings.Repeat("]", 64) + "]]"},
		{stmt: "RETURN " + strings.Repeat("[", 65) + "1" + strings.Repeat("]", 65) + " AS l", code: codeSyntaxError},
		{stmt: "RETURN [" + strings.Repeat("[],", 1000) + "[]] AS l", fields: `["l"]`, plain: "[[[" + strings.Repeat("[],", 1000) + "[]]]]"},
		{stmt: "CALL db.labels()", code: codeArgumentError},
		{stmt: "CALL db.ping() YIELD success", code: codeArgumentError},
		{stmt: "RETURN 1 + 1 AS n", code: codeArgumentError},
		{stmt: "RETURN 1 AS n; RETURN 2 AS m", code: codeArgumentError},
		{stmt: "RETURN", code: codeArgumentError},
		{stmt: "RETURN 1 AS", code: codeArgumentError},
		{stmt: "RETURN 1abc", code: codeArgumentError},
		{stmt: "RETURN 'unterminated", code: codeArgumentError},
		{stmt: "RETURN [1, 2", code: codeArgumentError},
		{stmt: "RETURNS 1", code: codeArgumentError},
		{stmt: "MATCH (n) RETURN n", code: codeArgumentError},
		{stmt: "CREATE (n:Person {name: 'x'}) RETURN 1 AS n", code: codeArgumentError},
		{stmt: "RETURN {a: 1} AS m", code: codeArgumentError},
		{stmt: "RETURN 1 AS n /* unterminated", code: codeArgumentError},
	}
	auth := map[string]string{"Authorization": testkit.Basic("neo4j", "verysecret")}
	f := nqFake(t, fakeserver.ProfileNeo4j5, nil)
	for _, c := range cases {
		t.Run(c.stmt, func(t *testing.T) {
			stmt, _ := json.Marshal(c.stmt)
			body := `{"statement":` + string(stmt)
			if c.params != "" {
				body += `,"parameters":` + c.params
			}
			body += "}"
			for _, typed := range []bool{false, true} {
				h := map[string]string{"Authorization": auth["Authorization"]}
				if typed {
					h["Accept"] = "application/vnd.neo4j.query"
				}
				w := nqDo(f, nqReq{body: body, headers: h})
				if c.code != "" {
					if e := nqError(t, w); w.Code != http.StatusBadRequest || e.Code != c.code {
						t.Errorf("%d %+v, want 400 %s", w.Code, e, c.code)
					}
					continue
				}
				want := c.plain
				if typed {
					if c.typed == "" {
						continue
					}
					want = c.typed
				}
				prefix := `{"data":{"fields":` + c.fields + `,"values":` + want + `},"bookmarks":["FB:`
				if w.Code != http.StatusAccepted || !strings.HasPrefix(w.Body.String(), prefix) {
					t.Errorf("typed=%v: %d %s\nwant prefix %s", typed, w.Code, w.Body, prefix)
				}
			}
		})
	}
}

func TestNeo4jQueryTypedParameters(t *testing.T) {
	cases := []struct {
		params string
		status int
		values string
	}{
		{`{"x":{"$type":"Integer","_value":"7"}}`, 202, `[[7]]`},
		{`{"x":{"$type":"Float","_value":"7.25"}}`, 202, `[[7.25]]`},
		{`{"x":{"$type":"String","_value":"s"}}`, 202, `[["s"]]`},
		{`{"x":{"$type":"Boolean","_value":false}}`, 202, `[[false]]`},
		{`{"x":{"$type":"Null","_value":null}}`, 202, `[[null]]`},
		{`{"x":{"$type":"List","_value":[{"$type":"Integer","_value":"1"}]}}`, 202, `[[[1]]]`},
		{`{"x":{"$type":"Map","_value":{"k":{"$type":"String","_value":"v"}}}}`, 202, `[[{"k":"v"}]]`},
		{`{"x":7}`, 400, ""},
		{`{"x":{"$type":"Integer","_value":7}}`, 400, ""},
		{`{"x":{"$type":"Integer"}}`, 400, ""},
		{`{"x":{"$type":"Banana","_value":"7"}}`, 400, ""},
		{`{"x":{"$type":"Date","_value":"2024-01-01"}}`, 400, ""},
	}
	f := nqFake(t, fakeserver.ProfileDocumented, nil)
	for _, c := range cases {
		w := nqDo(f, nqReq{body: `{"statement":"RETURN $x AS x","parameters":` + c.params + `}`,
			headers: map[string]string{"Authorization": nqAuth, "Content-Type": "application/vnd.neo4j.query"}})
		if w.Code != c.status {
			t.Errorf("%s: status %d, want %d; %s", c.params, w.Code, c.status, w.Body)
			continue
		}
		if c.values != "" && !strings.Contains(w.Body.String(), `"values":`+c.values+`}`) {
			t.Errorf("%s: body %s, want values %s", c.params, w.Body, c.values)
		}
	}
}

func TestNeo4jQueryCountersAndBookmarks(t *testing.T) {
	f := nqFake(t, fakeserver.ProfileDocumented, nil)
	auth := map[string]string{"Authorization": testkit.Basic("neo4j", "verysecret")}
	w := nqDo(f, nqReq{headers: auth, body: `{"statement":"RETURN 1 AS n","includeCounters":true}`})
	want := `{"data":{"fields":["n"],"values":[[1]]},"counters":{"containsUpdates":false,"nodesCreated":0,"nodesDeleted":0,` +
		`"propertiesSet":0,"relationshipsCreated":0,"relationshipsDeleted":0,"labelsAdded":0,"labelsRemoved":0,` +
		`"indexesAdded":0,"indexesRemoved":0,"constraintsAdded":0,"constraintsRemoved":0,"containsSystemUpdates":false,` +
		`"systemUpdates":0},"bookmarks":["FB:`
	if !strings.HasPrefix(w.Body.String(), want) {
		t.Errorf("body %s\nwant prefix %s", w.Body, want)
	}
	first := nqDo(f, nqReq{headers: auth, body: nqReturn1}).Body.String()
	again := nqDo(f, nqReq{headers: auth, body: nqReturn1}).Body.String()
	if first != again {
		t.Errorf("a read changed the bookmark: %s vs %s", first, again)
	}
	nqDo(f, nqReq{path: "/db/system/query/v2", headers: auth, body: `{"statement":"ALTER CURRENT USER SET PASSWORD FROM 'verysecret' TO 'evenmoresecret'"}`})
	auth["Authorization"] = testkit.Basic("neo4j", "evenmoresecret")
	if after := nqDo(f, nqReq{headers: auth, body: nqReturn1}).Body.String(); after == first {
		t.Errorf("a write left the bookmark as it was: %s", after)
	}
}
