// Package core is what every flavor of the fake shares and nothing more:
// accounts with hashed passwords, a failed-login limiter whose Attempt owns
// the lock/check/count sequence, the movable clock, strict Basic parsing,
// the request's base URL, and the Flavor interface with the problem kinds
// that each flavor renders in its own shape. It knows no flavor's
// vocabulary: no Neo4j code, no CouchDB error word.
package core
