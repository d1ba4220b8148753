// Package couchdb is the fake's CouchDB / Cloudant flavor: the cookie and
// Basic authentication handlers, /_session, _users, databases with
// _security objects, documents, _bulk_docs and _all_docs, and the node
// endpoints apps use to manage server admins and auth settings at run time
// (/_membership, /_node/{node}/_config).
//
// Comments cite "transcript case N" and "key fact N": they are the cases and
// key facts of docs/reference/couchdb-3.5.0.md, requests measured against an
// unmodified CouchDB 3.5.0; run 5 cases are mN, run 6 cases cN (node and
// config), dN (bulk documents), hN (ready hashes) and bN (bad input).
//
// Where the fake departs from 3.5.0 on purpose: it hashes the passwords it
// stores with 10 PBKDF2 iterations (3.5.0: 600000), so hashes it shows end
// in ",10"; a server admin made through config logs in at once (3.5.0
// hashes it in the background first); a stored hash asking for more than
// 6000000 iterations is refused as 3.5.0 refuses one over its
// max_iterations; config keeps only [admins], [chttpd]
// require_valid_user(_except_for_up), [chttpd_auth] timeout and
// [chttpd_auth_lockout] mode, threshold and max_lifetime, and answers the
// rest, like _all_docs' view options and _bulk_docs' new_edits and
// all_or_nothing, with a 404 that names what it leaves out; changes to
// users apply at once, where 3.5.0's auth cache can lag for seconds.
package couchdb
