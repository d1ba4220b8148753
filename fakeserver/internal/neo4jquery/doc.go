// Package neo4jquery is the fake's Neo4j 5 Query API v2 flavor: the
// Bearer-era authentication filter, POST /db/{database}/query/v2 with a
// tiny statement evaluator, and the discovery document.
//
// Comments cite "reference §N" and rows such as "F5" or "Q4": they are
// sections and rows of docs/reference/neo4j-auth.md, which records what the
// Neo4j 5.x source and its tests establish.
package neo4jquery
