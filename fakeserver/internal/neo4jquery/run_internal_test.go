package neo4jquery

import (
	"reflect"
	"testing"
)

// bindCases are bodies on both sides of onlyStatement's shortcut.
var bindCases = []string{
	`{"statement":"RETURN 1 AS n"}`,
	`{"statement":"RETURN 1 AS n"}` + " \n",
	` {"statement":"RETURN 1 AS n"}`,
	`{"statement":"   "}`,
	`{"statement":""}`,
	`{"statement":"RETURN 'é' AS s"}`,
	`{"statement":"RETURN \u00e9"}`,
	`{"statement":"RETURN \"x\""}`,
	"{\"statement\":\"RETURN \xff\"}",
	"{\"statement\":\"RETURN\t1\"}",
	`{"statement":"RETURN 1","statement":"RETURN 2"}`,
	`{"statement":"RETURN $x","parameters":{"x":1}}`,
	`{"statement":"RETURN 1"}}`,
	`{"statement":"RETURN 1"`,
	`{"Statement":"RETURN 1"}`,
	`null`, ``,
}

func sameBinding(t *testing.T, body string, typed bool) {
	t.Helper()
	got, gotErr := bindQueryRequest([]byte(body), typed)
	want, wantErr := bindQueryBody([]byte(body), typed)
	if gotErr != wantErr && (gotErr == nil || wantErr == nil || gotErr.Error() != wantErr.Error()) {
		t.Errorf("%q: error %v, want %v", body, gotErr, wantErr)
	}
	if gotErr == nil && !reflect.DeepEqual(got, want) {
		t.Errorf("%q: bound %+v, want %+v", body, got, want)
	}
}

func TestBindQueryRequestShortcutIsTheFullDecode(t *testing.T) {
	for _, body := range bindCases {
		for _, typed := range []bool{false, true} {
			sameBinding(t, body, typed)
		}
	}
	if _, ok := onlyStatement([]byte(bindCases[0])); !ok {
		t.Error("the commonest body does not take the shortcut")
	}
}

func FuzzBindQueryRequest(f *testing.F) {
	for _, body := range bindCases {
		f.Add(body, false)
	}
	f.Fuzz(func(t *testing.T, body string, typed bool) { sameBinding(t, body, typed) })
}
