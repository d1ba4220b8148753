package live

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/authconform/authconform/specs"
)

// CanonicalTarget names the server behind a base URL as the server sees
// its clients' accounts: scheme, resolved address and port, so that
// http://localhost:5984/, http://127.0.0.1:05984/db and
// http://[::ffff:127.0.0.1]:5984 are one server (one failed-login ledger,
// one restore journal): case, a trailing dot, a path, leading zeros of
// the port, the default port and an IPv4-mapped IPv6 address do not make
// another. A host that resolves to several addresses is named by its
// lowest IPv4 address (else IPv6).
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
	// "017616" is port 17616 to every client: one number, one server.
	n, err := strconv.ParseUint(port, 10, 16)
	if err != nil || n == 0 {
		return "", fmt.Errorf("%q has no valid port", specs.RedactText(baseURL))
	}
	port = strconv.FormatUint(n, 10)
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if addr, err := netip.ParseAddr(host); err == nil {
		// [::ffff:127.0.0.1] is 127.0.0.1; netip also writes IPv6 one way.
		host = addr.Unmap().WithZone("").String()
	} else {
		addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		if err != nil || len(addrs) == 0 {
			return "", fmt.Errorf("resolving %s: %w", host, err)
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
