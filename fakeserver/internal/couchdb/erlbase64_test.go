package couchdb

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
)

// TestErlangBase64Decode: each want was printed by Erlang/OTP 25
// (stdlib 4.2) running base64:decode/1 on the input, with the class,
// case_clause value and base64.erl function/line of the error.
func TestErlangBase64Decode(t *testing.T) {
	tests := []struct {
		in, out, class, value, at string
	}{
		{in: "YW Jj\tZG\r\nVm", out: "abcdef"},
		{in: "YWI=", out: "ab"},
		{in: "YWI= ", out: "ab"},
		{in: "YQ==", out: "a"},
		{in: "", out: ""},
		{in: "  ", out: ""},
		{in: "ab", class: "function_clause"},
		{in: "YWJj=", class: "function_clause"},
		{in: "YWJj!", class: "function_clause"},
		{in: "ab!=", class: "badarith", at: "decode_list/5:357"},
		{in: "a!==", class: "badarith", at: "decode_list/5:356"},
		{in: "====", class: "badarith", at: "decode_list/5:356"},
		{in: "a===", class: "badarith", at: "decode_list/5:356"},
		{in: "!b==", class: "badarg", at: "decode_list/5:356"},
		{in: "ab=c", class: "badarg", at: "decode_list/5:358"},
		{in: "not-base64!!!", class: "badarg", at: "decode_list/5:358"},
		{in: "YWRtaW46c2VjcmV0, Basic YWRtaW46c2VjcmV0", class: "badarg", at: "decode_list/5:358"},
		{in: "XX=, Basic YWRtaW46c2VjcmV0", class: "badarg", at: "decode_list/5:358"},
		{in: "ab==x", class: "case_clause", value: "49", at: "only_ws/2:435"},
		{in: "abc=d", class: "case_clause", value: "29", at: "only_ws/2:435"},
		{in: "ab==\x01", class: "case_clause", value: "bad", at: "only_ws/2:435"},
		{in: "YQ==YQ==", class: "case_clause", value: "24", at: "only_ws/2:435"},
		{in: "YWxpY2U6YWxpY2Vwdw== extra", class: "case_clause", value: "30", at: "only_ws/2:435"},
		{in: "YWxpY2U6YWxpY2Vwdw==, Basic YWRtaW46c2VjcmV0", class: "case_clause", value: "bad", at: "only_ws/2:435"},
	}
	for _, tc := range tests {
		out, err := erlangBase64Decode(tc.in)
		switch {
		case tc.class == "" && (err != nil || string(out) != tc.out):
			t.Errorf("decode(%q) = %q, %+v; want %q", tc.in, out, err, tc.out)
		case tc.class == "":
		case err == nil:
			t.Errorf("decode(%q) = %q, want error %s", tc.in, out, tc.class)
		case err.class != tc.class || err.value != tc.value || (tc.at != "" && err.at != tc.at):
			t.Errorf("decode(%q): error %+v, want %s %q at %s", tc.in, *err, tc.class, tc.value, tc.at)
		}
	}
}

// FuzzErlangBase64Decode: any string decodes or fails without a panic, a
// failure is one of the classes base64.erl raises, and canonical base64
// (as Go's encoder writes it, with whitespace anywhere) decodes to the
// bytes it encodes.
func FuzzErlangBase64Decode(f *testing.F) {
	f.Add([]byte("alice:alicepw"), " ")
	f.Add([]byte{}, "")
	f.Add([]byte{0, 0xff}, "\t\r\n")
	f.Add([]byte{0, 0, 0}, "") // "AAAA": every character of a quad decodes to 0
	f.Fuzz(func(t *testing.T, data []byte, ws string) {
		if _, err := erlangBase64Decode(string(data) + ws); err != nil {
			switch err.class {
			case "function_clause", "badarg", "badarith", "case_clause":
			default:
				t.Fatalf("%q: unexpected class %q", data, err.class)
			}
		}
		enc := base64.StdEncoding.EncodeToString(data)
		spaced := strings.Map(func(r rune) rune {
			if strings.ContainsRune(" \t\r\n", r) {
				return r
			}
			return -1
		}, ws) // ws's whitespace only
		cut := len(enc) / 2
		in := enc[:cut] + spaced + enc[cut:]
		got, err := erlangBase64Decode(in)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("decode(%q) = %q, %+v; want %q", in, got, err, data)
		}
	})
}
