// Package fakeserver is an in-memory reference implementation of the HTTP
// authentication of Neo4j 3.3 (HTTP API), Neo4j 5 (Query API v2) and
// CouchDB/Cloudant (Basic and cookie sessions), written from their
// documentation.
//
// It is shaped like net/http/httptest:
//
//	srv, err := fakeserver.Start(fakeserver.Options{Flavor: fakeserver.Neo4j33})
//	if err != nil { ... }
//	defer srv.Close()
//	resp, err := srv.Client().Get(srv.URL + "/db/data/")
//
// Options.Flavor is required (New refuses an empty one rather than guess),
// and New refuses an Options field that the flavor would ignore, naming it.
//
// New returns the bare http.Handler (a *Fake) for in-process use without a
// listener. Every Fake is independent: there is no package state, and a Fake
// is safe for concurrent use.
//
// The fake never reads the conformance fixtures: it is an independent
// implementation that the fixtures judge.
package fakeserver
