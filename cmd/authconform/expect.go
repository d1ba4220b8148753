package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/authconform/authconform/specs"
)

// releaseNote says which release a live target said it is and, when the
// run was given no expectation file (or another release's), which shipped
// file fits it. release is what the server said, such as "CouchDB 3.4.3";
// profile is the shipped file for that release, or "".
func releaseNote(w io.Writer, release, profile, expect string) {
	if release == "" {
		return
	}
	switch {
	case profile == "":
		fmt.Fprintf(w, "authconform: judging %s (no shipped expectation file for this release)\n", release)
	case expect == "":
		fmt.Fprintf(w, "authconform: judging %s; its known deviations are in --expect %s\n", release, profile)
	case expectsOther(expect, profile):
		fmt.Fprintf(w, "authconform: judging %s with --expect %s; the shipped file for this release is --expect %s\n", release, expect, profile)
	default:
		fmt.Fprintf(w, "authconform: judging %s\n", release)
	}
}

// expectsOther reports whether --expect names another shipped release
// file than profile (a file of the user's own is never second-guessed).
func expectsOther(expect, profile string) bool {
	for _, name := range releaseProfiles() {
		if expect == name || strings.HasSuffix(expect, "/"+name+".yaml") || expect == name+".yaml" {
			return name != profile
		}
	}
	return false
}

// serverRelease asks a live target what it is (GET /, no credentials):
// the release as the server names it, such as "CouchDB 3.4.3", and the
// shipped expectation file for it, such as "couchdb-3.4" (empty when
// there is none). A server that does not say gives "", "".
func serverRelease(client *http.Client, base, flavor string) (release, profile string) {
	resp, err := client.Get(strings.TrimSuffix(base, "/") + "/")
	if err != nil {
		return "", ""
	}
	defer resp.Body.Close()
	var root struct {
		CouchDB      string                `json:"couchdb"`
		Version      string                `json:"version"`
		Vendor       struct{ Name string } `json:"vendor"`
		Neo4jVersion string                `json:"neo4j_version"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&root) != nil {
		return "", ""
	}
	var name, prefix string
	switch {
	case flavor == "couchdb" && root.CouchDB == "Welcome" && root.Version != "" && root.Vendor.Name == "The Apache Software Foundation":
		name, prefix = "CouchDB", "couchdb-"
	case flavor == "couchdb" && root.CouchDB == "Welcome" && root.Version != "" && root.Vendor.Name != "":
		return root.Vendor.Name + " " + root.Version, ""
	case flavor == "neo4j-query" && root.Neo4jVersion != "":
		name, prefix, root.Version = "Neo4j", "neo4j-", root.Neo4jVersion
	default:
		return "", ""
	}
	release = name + " " + root.Version
	for _, candidate := range []string{prefix + root.Version, prefix + majorMinor(root.Version), prefix + major(root.Version)} {
		if slices.Contains(releaseProfiles(), candidate) {
			return release, candidate
		}
	}
	return release, ""
}

// majorMinor is "3.4" of "3.4.3"; major is "5" of "5.26.0".
func majorMinor(v string) string {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return v
	}
	return parts[0] + "." + parts[1]
}

func major(v string) string {
	head, _, _ := strings.Cut(v, ".")
	return head
}

// releaseClient is a client for the one GET / that names the release:
// the run's TLS settings and timeout, no redirects followed.
func releaseClient(f runFlags) *http.Client {
	transport, err := tlsTransport(f.caFile, f.insecure)
	if err != nil {
		return specs.SafeClient(&http.Client{Timeout: f.timeout})
	}
	return specs.SafeClient(&http.Client{Transport: transport, Timeout: f.timeout})
}
