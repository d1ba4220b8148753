package core

import (
	"bytes"
	"encoding/json"
	"testing"
)

// encodingJSON is s as json.Encoder writes it, without the newline.
func encodingJSON(s string, escapeHTML bool) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(escapeHTML)
	_ = enc.Encode(s)
	return string(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

var jsonStringSeeds = []string{
	"", "admin", `"quoted" \back\slash/`, "<script>&amp;</script>",
	"\x00\x01\b\f\n\r\t\x1f\x7f", "\u2028\u2029", "é日本😀", "\xff\xfe bad \xc3", "\xe2\x80", "tail\xed\xa0\x80",
}

func TestAppendJSONStringIsEncodingJSON(t *testing.T) {
	for _, s := range jsonStringSeeds {
		for _, html := range []bool{true, false} {
			if got, want := string(AppendJSONString([]byte("x"), s, html)), "x"+encodingJSON(s, html); got != want {
				t.Errorf("%q (escapeHTML %v): got %s, want %s", s, html, got, want)
			}
		}
	}
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range jsonStringSeeds {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, html bool) {
		if got, want := string(AppendJSONString(nil, s, html)), encodingJSON(s, html); got != want {
			t.Errorf("%q (escapeHTML %v): got %s, want %s", s, html, got, want)
		}
	})
}
