package report

import (
	"reflect"
	"strings"
	"testing"
)

// fillStrings sets every settable string in v (following slices of one
// element and pointers it creates) to "pw", so the test reaches each
// string field Summary has or will have.
func fillStrings(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("pw")
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Field(i); f.CanSet() {
				fillStrings(f)
			}
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fillStrings(v.Index(0))
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillStrings(v.Elem())
	}
}

// stringsOf lists every string reachable in v.
func stringsOf(v reflect.Value, out *[]string) {
	switch v.Kind() {
	case reflect.String:
		*out = append(*out, v.String())
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				stringsOf(v.Field(i), out)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			stringsOf(v.Index(i), out)
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			stringsOf(v.Elem(), out)
		}
	}
}

func TestMaskedReachesEveryStringAndLeavesTheOriginal(t *testing.T) {
	var s Summary
	fillStrings(reflect.ValueOf(&s).Elem())
	masked := s.Masked(func(v string) string { return strings.ReplaceAll(v, "pw", "*") })
	var before, after []string
	stringsOf(reflect.ValueOf(s), &before)
	stringsOf(reflect.ValueOf(masked), &after)
	if len(after) < 20 || len(after) != len(before) {
		t.Fatalf("reached %d strings after and %d before; want the same, at least 20", len(after), len(before))
	}
	for i := range after {
		if after[i] != "*" {
			t.Errorf("string %d not masked: %q", i, after[i])
		}
		if before[i] != "pw" {
			t.Errorf("the original's string %d changed to %q", i, before[i])
		}
	}
}
