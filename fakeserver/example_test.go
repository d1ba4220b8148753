package fakeserver_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/authconform/authconform/fakeserver"
)

// A Neo4j 3.3 fake as a fresh install: neo4j/neo4j must change its password.
func ExampleStart() {
	srv, err := fakeserver.Start(fakeserver.Options{Flavor: fakeserver.Neo4j33})
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/db/data/", nil)
	req.SetBasicAuth("neo4j", "neo4j")
	resp, err := srv.Client().Do(req)
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println(resp.Status)
	// Output: 403 Forbidden
}

// A CouchDB fake in process, with no listener, whose clock a test moves.
func ExampleNew() {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	fake, err := fakeserver.New(fakeserver.Options{
		Flavor: fakeserver.CouchDB,
		Users:  []fakeserver.User{{Name: "admin", Password: "secret", Roles: []string{"_admin"}}},
		Clock:  func() time.Time { return start },
	})
	if err != nil {
		panic(err)
	}
	vars, _ := fake.EnterState("logged-in")
	session := func() string {
		req := httptest.NewRequest(http.MethodGet, "/_session", nil)
		req.AddCookie(&http.Cookie{Name: "AuthSession", Value: vars["Cookie"]})
		rec := httptest.NewRecorder()
		fake.ServeHTTP(rec, req)
		body, _ := io.ReadAll(rec.Body)
		return string(body)[:40]
	}
	fmt.Println(session())
	fake.Advance(25 * time.Hour) // past the documented 24 h lifetime
	fmt.Println(session())
	// Output:
	// {"ok":true,"userCtx":{"name":"admin","ro
	// {"ok":true,"userCtx":{"name":null,"roles
}
