package report

import "reflect"

// Masked returns a deep copy of s with mask applied to every string in it,
// field by field, so that a report written from the copy carries no
// secret mask knows in any encoding the writer then applies (JSON, XML,
// HTML). Strings are found by reflection: a field added to Summary later
// is masked without anyone remembering to.
func (s Summary) Masked(mask func(string) string) Summary {
	v := reflect.ValueOf(&s).Elem()
	maskValue(v, mask)
	return s
}

// maskValue replaces v, which is settable, by a copy that shares nothing
// mutable with the original and has every string masked.
func maskValue(v reflect.Value, mask func(string) string) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(mask(v.String()))
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Field(i); f.CanSet() {
				maskValue(f, mask)
			}
		}
	case reflect.Slice:
		if v.IsNil() {
			return
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(c, v)
		for i := range c.Len() {
			maskValue(c.Index(i), mask)
		}
		v.Set(c)
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		c := reflect.New(v.Type().Elem())
		c.Elem().Set(v.Elem())
		maskValue(c.Elem(), mask)
		v.Set(c)
	case reflect.Map:
		if v.IsNil() {
			return
		}
		c := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			k := reflect.New(v.Type().Key()).Elem()
			k.Set(it.Key())
			maskValue(k, mask)
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(it.Value())
			maskValue(e, mask)
			c.SetMapIndex(k, e)
		}
		v.Set(c)
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		c := reflect.New(v.Elem().Type()).Elem()
		c.Set(v.Elem())
		maskValue(c, mask)
		v.Set(c)
	}
}
