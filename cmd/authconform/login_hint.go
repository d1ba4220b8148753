package main

import (
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/authconform/authconform/fakeserver"
)

// The documents' own accounts, which serve starts with unless --user or
// --token replace them (fakeserver.Options.Users, Tokens). Their passwords
// are printed because the documents print them; --user passwords never are.
const (
	documentedToken = "xbhkjnlvianztghqwawxqfe"
)

// flavorNames lists the flavors serve takes.
func flavorNames() []string {
	var names []string
	for _, fl := range fakeserver.Flavors() {
		names = append(names, string(fl))
	}
	return names
}

// loginHint says, when serve starts, how a client logs in: the default
// accounts with their documented passwords, or the names of the users and
// tokens given (never their secrets), and the Bearer form the profile takes.
func loginHint(o fakeserver.Options, f serveFlags) []string {
	if o.AuthDisabled {
		return []string{"authentication is disabled: every request is answered without credentials"}
	}
	var lines []string
	switch {
	case len(f.users) > 0:
		var names []string
		for _, u := range o.Users {
			names = append(names, u.Name)
		}
		lines = append(lines, fmt.Sprintf("users (from --user; their passwords are the ones you gave): %s", strings.Join(names, ", ")))
	case o.Flavor == fakeserver.Neo4j33:
		lines = append(lines, "log in as neo4j:neo4j (Basic); the password must be changed first (POST /user/neo4j/password), as on a fresh install")
	case o.Flavor == fakeserver.Neo4jQuery:
		lines = append(lines, "log in as neo4j:verysecret (Basic)")
	case o.Flavor == fakeserver.CouchDB:
		lines = append(lines, "log in as admin:secret (server admin) or as alice:alicepw (Basic or POST /_session); database authtest is for admins only, db/document is public")
	}
	if o.Flavor != fakeserver.Neo4jQuery {
		return lines
	}
	raw := o.Profile == fakeserver.ProfileNeo4j5
	if len(f.tokens) > 0 {
		users := make([]string, len(o.Tokens))
		for i, t := range o.Tokens {
			users[i] = t.User
		}
		form := "Authorization: Bearer <base64 of the token>, as the document says (--profile neo4j-5 takes the raw token)"
		if raw {
			form = "Authorization: Bearer <the raw token>, as Neo4j 5 takes it"
		}
		return append(lines, fmt.Sprintf("bearer tokens (from --token) for: %s; send %s", strings.Join(users, ", "), form))
	}
	if raw {
		return append(lines, fmt.Sprintf("or send Authorization: Bearer %s (the raw token, as Neo4j 5 takes it)", documentedToken))
	}
	return append(lines, fmt.Sprintf("or send Authorization: Bearer %s (base64 of the token %s, as the document says; --profile neo4j-5 takes it raw)",
		base64.StdEncoding.EncodeToString([]byte(documentedToken)), documentedToken))
}
