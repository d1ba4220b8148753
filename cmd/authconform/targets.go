package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/fixtures"
	"github.com/authconform/authconform/specs"
	"github.com/authconform/authconform/specs/live"
)

// targets builds one specs.Target per flavor to run, with a cleanup.
func targets(f runFlags) ([]specs.Target, func(), error) {
	if f.timeout <= 0 {
		return nil, nil, usagef("--timeout must be positive")
	}
	if err := checkFlavors(f.flavors); err != nil {
		return nil, nil, err
	}
	if f.target != "" {
		return liveTarget(f)
	}
	if profiles := allProfiles(); !slices.Contains(profiles, f.profile) {
		return nil, nil, usagef("unknown --profile %q (want one of %s)", f.profile, strings.Join(profiles, ", "))
	}
	flavors := f.flavors
	if len(flavors) == 0 {
		for _, fl := range fakeserver.Flavors() {
			if slices.Contains(fakeserver.ProfilesFor(fl), fakeserver.Profile(f.profile)) {
				flavors = append(flavors, string(fl))
			}
		}
	}
	var fakes fakeTargets
	for _, fl := range flavors {
		if err := fakes.start(fakeserver.Flavor(fl), fakeserver.Profile(f.profile), fmt.Sprintf("fake %s (%s profile)", fl, f.profile), f.timeout); err != nil {
			fakes.close()
			return nil, nil, usageError{err}
		}
	}
	return fakes.targets, fakes.close, nil
}

// checkFlavors rejects a --flavor that is not one of fixtures.Flavors().
func checkFlavors(flavors []string) error {
	for _, fl := range flavors {
		if !slices.Contains(fixtures.Flavors(), fl) {
			return usagef("unknown --flavor %q (want one of %s)", fl, strings.Join(fixtures.Flavors(), ", "))
		}
	}
	return nil
}

// allProfiles lists every profile of the embedded fakes, documented first.
func allProfiles() []string {
	var all []string
	for _, fl := range fakeserver.Flavors() {
		for _, p := range fakeserver.ProfilesFor(fl) {
			if !slices.Contains(all, string(p)) {
				all = append(all, string(p))
			}
		}
	}
	return all
}

// orList words a flag's choices for its help: "a, b or c".
func orList[T ~string](items []T) string {
	words := make([]string, len(items))
	for i, item := range items {
		words[i] = string(item)
	}
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// releaseProfiles lists the profiles with shipped expectations, the names
// --expect takes besides a file.
func releaseProfiles() []string {
	var names []string
	for _, p := range allProfiles() {
		if _, ok, _ := fixtures.ProfileExpectations(p); ok {
			names = append(names, p)
		}
	}
	return names
}

// fakeTargets are embedded fakes started for a run, each as a Target whose
// states the fake reaches itself.
type fakeTargets struct {
	targets []specs.Target
	servers []*fakeserver.Server
}

// start serves a fake of flavor in profile and adds it as a Target named
// name whose requests time out after timeout (zero: the default).
func (f *fakeTargets) start(flavor fakeserver.Flavor, profile fakeserver.Profile, name string, timeout time.Duration) error {
	srv, err := fakeserver.Start(fakeserver.Options{Flavor: flavor, Profile: profile})
	if err != nil {
		return err
	}
	f.servers = append(f.servers, srv)
	f.targets = append(f.targets, specs.Target{
		Name:             name,
		Profile:          string(profile),
		BaseURL:          srv.URL,
		Flavor:           string(flavor),
		States:           specs.StateFuncs{EnterFunc: srv.EnterState, AdvanceFunc: srv.Advance},
		Timeout:          timeout,
		AllowDestructive: true,
	})
	return nil
}

func (f *fakeTargets) close() {
	for _, s := range f.servers {
		s.Close()
	}
}

func liveTarget(f runFlags) ([]specs.Target, func(), error) {
	if len(f.flavors) != 1 {
		return nil, nil, usagef("--target needs exactly one --flavor (%s)", strings.Join(fixtures.Flavors(), ", "))
	}
	u, err := url.Parse(f.target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, nil, usagef("--target %q is not an http(s) URL such as http://127.0.0.1:7474", withoutUserinfo(f.target))
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(f.target, "#") {
		// The suite appends paths to the base URL: after a query or a
		// fragment they would go nowhere, and a query may carry a secret.
		return nil, nil, usagef("--target %s has a query or fragment; give the server's base URL, such as http://127.0.0.1:7474", beforeQuery(withoutUserinfo(f.target)))
	}
	for _, n := range f.nodes {
		if u, err := url.Parse(n); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, nil, usagef("--node %q is not an http(s) URL of one node, such as http://127.0.0.1:15984", specs.RedactText(n))
		}
	}
	transport, err := tlsTransport(f.caFile, f.insecure)
	if err != nil {
		return nil, nil, err
	}
	client := &http.Client{Timeout: f.timeout, Transport: transport}
	if f.control {
		if err := live.Probe(client, f.target, f.flavors[0]); err != nil {
			return nil, nil, runError{err}
		}
		return []specs.Target{{
			Name: fmt.Sprintf("%s at %s", f.flavors[0], f.target), BaseURL: f.target, Flavor: f.flavors[0],
			States: specs.ControlPlaneWithToken(f.target, f.controlToken, client), Timeout: f.timeout, AllowDestructive: f.allowDestructive,
			Client: specs.SafeClient(&http.Client{Transport: transport}),
		}}, func() {}, nil
	}
	dir, err := stateDir(f)
	if err != nil {
		return nil, nil, err
	}
	t, err := live.Target(context.Background(), live.Config{
		BaseURL: f.target, Flavor: f.flavors[0], Credentials: f.creds, Client: &http.Client{Transport: transport},
		Timeout: f.timeout, StateDir: dir, AllowDestructive: f.allowDestructive,
		NodeURLs: f.nodes, NodeHeader: f.nodeHeader,
	})
	switch {
	case errors.Is(err, live.ErrNoStateDir), errors.Is(err, live.ErrPendingRestore), errors.Is(err, live.ErrPrecondition):
		return nil, nil, usageError{flagWorded{err}}
	case err != nil:
		return nil, nil, runError{flagWorded{err}}
	}
	return []specs.Target{t}, func() {}, nil
}

// withoutUserinfo is target for an error message or a report: whatever
// follows the scheme up to the last "@" is masked, whether or not the text
// parses as a URL (a forgotten scheme, a password with a space, a slash or
// a "?"), since it may be a password.
func withoutUserinfo(target string) string {
	scheme, rest, found := strings.Cut(target, "://")
	if !found {
		scheme, rest = "", target
	} else {
		scheme += "://"
	}
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		rest = specs.Mask + rest[at:]
	}
	return scheme + rest
}

// beforeQuery is target without its query and fragment.
func beforeQuery(target string) string {
	if i := strings.IndexAny(target, "?#"); i >= 0 {
		return target[:i]
	}
	return target
}

// stateDir is --state-dir, or the default one.
func stateDir(f runFlags) (string, error) {
	if f.stateDir != "" {
		return f.stateDir, nil
	}
	dir, err := live.DefaultStateDir()
	if err != nil {
		return "", usageError{flagWorded{err}}
	}
	return dir, nil
}

// tlsTransport trusts the CA in caFile besides the system's, or, with
// insecure, any certificate.
func tlsTransport(caFile string, insecure bool) (*http.Transport, error) {
	t := http.DefaultTransport.(*http.Transport).Clone()
	if caFile == "" && !insecure {
		return t, nil
	}
	cfg := &tls.Config{InsecureSkipVerify: insecure} //nolint:gosec // the user asked for it, for a test server
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, usagef("--ca-file: %v", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, usagef("--ca-file %s: no PEM certificate in it", caFile)
		}
		cfg.RootCAs = pool
	}
	t.TLSClientConfig = cfg
	return t, nil
}
