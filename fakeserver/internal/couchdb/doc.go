// Package couchdb is the fake's CouchDB / Cloudant flavor: the cookie and
// Basic authentication handlers, /_session, and read-only databases.
//
// Comments cite "transcript case N" and "key fact N": they are the cases and
// key facts of docs/reference/couchdb-3.5.0.md, 113 requests measured
// against an unmodified CouchDB 3.5.0.
package couchdb
