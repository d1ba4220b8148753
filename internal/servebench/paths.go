package main

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// authPath is one authenticated request of the table: the serve flags
// that set the fake up and the request a client repeats.
type authPath struct {
	name      string
	serveArgs []string
	method    string
	path      string
	body      string
	headers   map[string]string
	want      int
	// login, when set, runs once against serve and returns more headers
	// (the cookie path's session cookie).
	login func(base string) (map[string]string, error)
}

func basic(user, password string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
}

// docToken is the Neo4j Query API document's example token, serve's
// default for neo4j-query.
const docToken = "xbhkjnlvianztghqwawxqfe"

// authPaths are the table's rows, as the issue names them.
var authPaths = []authPath{
	{
		name: "CouchDB Basic GET /_session", serveArgs: []string{"--flavor", "couchdb"},
		method: http.MethodGet, path: "/_session", want: http.StatusOK,
		headers: map[string]string{"Authorization": basic("admin", "secret")},
	},
	{
		name: "CouchDB cookie GET /_session", serveArgs: []string{"--flavor", "couchdb"},
		method: http.MethodGet, path: "/_session", want: http.StatusOK,
		login: couchLogin,
	},
	{
		name: "Neo4j 3.3 Basic GET /db/data/", serveArgs: []string{"--flavor", "neo4j-3.3", "--user", "neo4j:secret"},
		method: http.MethodGet, path: "/db/data/", want: http.StatusOK,
		headers: map[string]string{"Authorization": basic("neo4j", "secret")},
	},
	{
		name: "Query API Bearer POST RETURN 1 AS n", serveArgs: []string{"--flavor", "neo4j-query"},
		method: http.MethodPost, path: "/db/neo4j/query/v2", body: `{"statement":"RETURN 1 AS n"}`, want: http.StatusAccepted,
		headers: map[string]string{
			"Authorization": "Bearer " + base64.StdEncoding.EncodeToString([]byte(docToken)),
			"Content-Type":  "application/json",
		},
	},
}

// couchLogin logs admin in with a form POST /_session and returns the
// session cookie.
func couchLogin(base string) (map[string]string, error) {
	resp, err := http.Post(base+"/_session", "application/x-www-form-urlencoded", strings.NewReader("name=admin&password=secret"))
	if err != nil {
		return nil, fmt.Errorf("login: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	for _, c := range resp.Cookies() {
		if c.Name == "AuthSession" && c.Value != "" && resp.StatusCode == http.StatusOK {
			return map[string]string{"Cookie": "AuthSession=" + c.Value}, nil
		}
	}
	return nil, fmt.Errorf("login: status %d and no AuthSession cookie", resp.StatusCode)
}

// request builds one request of p against base.
func (p authPath) request(base string, extra map[string]string) (*http.Request, error) {
	var body io.Reader
	if p.body != "" {
		body = strings.NewReader(p.body)
	}
	req, err := http.NewRequest(p.method, base+p.path, body)
	if err != nil {
		return nil, err
	}
	for k, v := range p.headers {
		req.Header.Set(k, v)
	}
	for k, v := range extra {
		req.Header.Set(k, v)
	}
	return req, nil
}
