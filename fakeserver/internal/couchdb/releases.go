package couchdb

import "fmt"

// The CouchDB releases the fake's profiles follow, and what an app's tests
// would see differ between them (docs/reference/couchdb-releases.md). What
// the three share (the 500s on malformed Basic, MochiWeb's limits, the
// stateless logout) is Config.Release; the documented profile follows 3.5
// where the document says nothing.

// The release versions Config.Version takes.
const (
	Version333 = "3.3.3"
	Version343 = "3.4.3"
	Version350 = "3.5.0"
)

// release is one CouchDB release's identity and authentication traits.
type release struct {
	version, gitSHA string
	// features is GET /'s feature list.
	features []string
	// lockout is [chttpd_auth_lockout], first in 3.4.0: without it no
	// number of failed logins locks an account.
	lockout bool
	// upgradeHash is [chttpd_auth] upgrade_hash_on_auth: on by default
	// from 3.5.0 (3.4 has the code, off by default).
	upgradeHash bool
	// schemes are the password_scheme values _users accepts: 3.3.3 lists
	// bcrypt (which it cannot verify), 3.4.3 drops it, 3.5.0 adds
	// simple+pbkdf2.
	schemes []string
	// prf is the pbkdf2_prf of the hashes the release writes; "" writes
	// none and means SHA-1 (3.3).
	prf string
	// crashes replace 3.5.0's 500s (release.go) by this release's: the
	// same Erlang errors under other stack hashes. A 500 not listed is
	// answered as 3.5.0 does (not measured on the release).
	crashes map[couchCrash]couchCrash
}

var releases = map[string]release{
	Version333: {
		version: Version333, gitSHA: "40afbcf",
		features: []string{"access-ready", "partitioned", "pluggable-storage-engines", "reshard", "scheduler"},
		schemes:  []string{"simple", "pbkdf2", "bcrypt"},
		crashes:  releaseCrashes(3327471441, 3445472471, 2389025105),
	},
	Version343: {
		version: Version343, gitSHA: "e12b967",
		features: []string{"quickjs", "access-ready", "partitioned", "pluggable-storage-engines", "reshard", "scheduler"},
		lockout:  true,
		schemes:  []string{"simple", "pbkdf2"},
		prf:      "sha256",
		crashes:  releaseCrashes(2028335178, 2585218030, 1860866502),
	},
	Version350: {
		version: Version350, gitSHA: "11f0d36",
		features:    []string{"quickjs", "access-ready", "partitioned", "pluggable-storage-engines", "reshard", "scheduler"},
		lockout:     true,
		upgradeHash: true,
		schemes:     []string{"simple", "pbkdf2", "simple+pbkdf2"},
		prf:         "sha256",
	},
}

// releaseOf returns the release a Config.Version names; empty is 3.5.0.
func releaseOf(version string) (release, error) {
	if version == "" {
		version = Version350
	}
	r, ok := releases[version]
	if !ok {
		return release{}, fmt.Errorf("fakeserver: CouchDB version %q is not one of %s, %s, %s", version, Version333, Version343, Version350)
	}
	return r, nil
}

// serverHeader is the Server header the release sends (OTP 25, as built
// for the measurements).
func (r release) serverHeader() []string {
	return []string{"CouchDB/" + r.version + " (Erlang OTP/25)"}
}

// releaseCrashes maps 3.5.0's 500s to a release's, given its stack hashes
// for a Basic value with a character outside base64 (two Authorization
// headers give the same: MochiWeb joins them with ", "), for a JSON login
// body that is null or a list, and for a name that is not a string.
func releaseCrashes(basicBadArg, loginBadMatch, loginBadArg int64) map[couchCrash]couchCrash {
	return map[couchCrash]couchCrash{
		{"unknown_error", "badarg", crashStackHashes[atQuad]}: {"unknown_error", "badarg", basicBadArg},
		crashLoginNull:    {"unknown_error", "badmatch", loginBadMatch},
		crashLoginArray:   {"badmatch", "", loginBadMatch},
		crashLoginNotText: {"unknown_error", "badarg", loginBadArg},
	}
}
