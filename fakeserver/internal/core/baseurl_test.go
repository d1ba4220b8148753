package core

import (
	"crypto/tls"
	"net/http/httptest"
	"testing"
)

// TestBaseURLFromProxyHeaders is XForwardUtil.externalUri as the Neo4j
// reference (§1 "The password_change URL") describes it.
func TestBaseURLFromProxyHeaders(t *testing.T) {
	for _, tc := range []struct {
		name, host, proto, fwdHost string
		tls                        bool
		want                       string
	}{
		{"plain", "bar.baz:7474", "", "", false, "http://bar.baz:7474"},
		{"TLS", "bar.baz:7473", "", "", true, "https://bar.baz:7473"},
		{"proto https", "bar.baz:7474", "HTTPS", "", false, "https://bar.baz:7474"},
		{"proto http over TLS", "bar.baz:7473", "http", "", true, "http://bar.baz:7473"},
		{"proto not http(s)", "bar.baz:7474", "ftp", "", false, "http://bar.baz:7474"},
		{"forwarded host", "bar.baz:7474", "", "proxy.example:80", false, "http://proxy.example:80"},
		{"first of several", "bar.baz:7474", "", " one.example , two.example", false, "http://one.example"},
		{"no port", "bar.baz:7474", "", "proxy.example", false, "http://proxy.example"},
		{"a path", "bar.baz:7474", "", "evil.example/x", false, "http://bar.baz:7474"},
		{"userinfo", "bar.baz:7474", "", "me@evil.example", false, "http://bar.baz:7474"},
		{"a space", "bar.baz:7474", "", "a b", false, "http://bar.baz:7474"},
		{"a query", "bar.baz:7474", "", "a?b", false, "http://bar.baz:7474"},
		{"a fragment", "bar.baz:7474", "", "a#b", false, "http://bar.baz:7474"},
		{"port only", "bar.baz:7474", "", ":80", false, "http://bar.baz:7474"},
		{"empty", "bar.baz:7474", "", ",x.example", false, "http://bar.baz:7474"},
	} {
		r := httptest.NewRequest("GET", "http://"+tc.host+"/", nil)
		if tc.tls {
			r.TLS = &tls.ConnectionState{}
		}
		if tc.proto != "" {
			r.Header.Set("X-Forwarded-Proto", tc.proto)
		}
		if tc.fwdHost != "" {
			r.Header.Set("X-Forwarded-Host", tc.fwdHost)
		}
		if got := BaseURL(r); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
