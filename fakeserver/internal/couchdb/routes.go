package couchdb

import (
	"maps"
	"slices"
	"strings"
)

// topLevelRoutes are the first path segments the router serves itself;
// any other segment names a database.
var topLevelRoutes = []string{"_up", "_session", "_all_dbs"}

// databaseRoutes are the paths under /{db} the router tells apart, with
// {doc} and {att} standing for a document id and an attachment name.
var databaseRoutes = []string{
	"", "/_security", "/_security/x", "/_all_docs", "/_all_docs/x",
	"/_design", "/_design/{doc}", "/_design/{doc}/_view/v", "/_design/{doc}/{att}",
	"/_local", "/_local/{doc}", "/_local/{doc}/{att}",
	"/{doc}", "/{doc}/{att}", "/_changes", "/_find",
}

// RoutePaths is one path for every branch of the router: each database
// route under every kind of database the default seed has (public,
// admin-only, a system database, a missing one, a missing "_" one), with
// documents that exist and do not, and every path also cut short at each
// of its segments and with a trailing slash. Fuzz seeds start from it, so
// a branch that mishandles a short or odd path (the bare /db/_design once
// panicked) is met by plain `go test`.
func RoutePaths() []string {
	var paths []string
	for _, top := range append(slices.Clone(topLevelRoutes), slices.Sorted(maps.Keys(unimplementedEndpoints))...) {
		paths = append(paths, "/"+top+"/x/y")
	}
	for _, db := range []string{"db", "authtest", "_users", "nope", "_nope"} {
		for _, route := range databaseRoutes {
			for _, doc := range []string{"document", "missing", "_auth"} {
				for _, att := range []string{"a", "a/b"} {
					r := strings.NewReplacer("{doc}", doc, "{att}", att).Replace(route)
					paths = append(paths, "/"+db+r)
				}
			}
		}
	}
	out := []string{"/"}
	for _, p := range paths {
		for i := 1; i <= len(p); i++ {
			if i == len(p) || p[i] == '/' {
				out = append(out, p[:i], p[:i]+"/")
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
