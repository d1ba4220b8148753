// Package neo4j33 is the fake's Neo4j 3.3 HTTP API flavor: the
// authentication filter, the service root and the /user resource.
//
// Comments cite "reference §N" and rows such as "U3": they are sections and
// rows of docs/reference/neo4j-auth.md, which records what the Neo4j
// source (tag 3.3.9) and its tests establish.
package neo4j33
