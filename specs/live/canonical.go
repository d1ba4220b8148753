package live

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strings"

	"github.com/authconform/authconform/specs"
)

// CanonicalTarget names the server behind a base URL as the server sees
// its clients' accounts: scheme, resolved address and port, so that
// http://localhost:5984/ and http://127.0.0.1:5984 are one server (one
// failed-login ledger, one restore journal). A host that resolves to
// several addresses is named by its lowest IPv4 address (else IPv6).
func CanonicalTarget(ctx context.Context, baseURL string) (string, error) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("%q is not a URL with a host", specs.RedactText(baseURL))
	}
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[scheme]
	}
	host := strings.ToLower(u.Hostname())
	if _, err := netip.ParseAddr(host); err != nil {
		addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		if err != nil || len(addrs) == 0 {
			return "", fmt.Errorf("resolving %s: %v", host, err)
		}
		slices.SortFunc(addrs, func(a, b netip.Addr) int {
			if a.Is4() != b.Is4() {
				if a.Is4() {
					return -1
				}
				return 1
			}
			return a.Compare(b)
		})
		host = addrs[0].Unmap().String()
	}
	return scheme + "://" + net.JoinHostPort(host, port), nil
}

// fileKey turns a canonical target (and more parts) into a file name.
func fileKey(parts ...string) string {
	return strings.NewReplacer("://", "_", "/", "_", ":", "_", "[", "", "]", "").Replace(strings.Join(parts, "_"))
}
