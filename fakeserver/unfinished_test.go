package fakeserver

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/authconform/authconform/fakeserver/internal/testkit"
)

// lineWriter hands each log line to a channel, so a test can wait for it.
type lineWriter chan string

func (l lineWriter) Write(p []byte) (int, error) {
	l <- string(p)
	return len(p), nil
}

// bodyEndpoint is one endpoint per flavor that reads a body.
var bodyEndpoints = map[Flavor]struct{ path, auth, contentType string }{
	Neo4j33:    {"/user/neo4j/password", testkit.Basic("neo4j", "neo4j"), "application/json"},
	Neo4jQuery: {"/db/neo4j/query/v2", testkit.Basic("neo4j", "verysecret"), "application/json"},
	CouchDB:    {"/_session", "", "application/json"},
}

// TestUnfinishedBodies: a body that stops (declared and short, chunked and
// unterminated, or never sent after "Expect: 100-continue") gets the
// flavor's 408 once BodyTimeout passes, on the still-open connection, and
// the log line says what was sent. The client waits for the answer, with a
// guard far above the timeout; it never sleeps.
func TestUnfinishedBodies(t *testing.T) {
	cases := []struct {
		name, header, body string
		declared, read     int64
	}{
		{"declared 1000, sent 5", "Content-Length: 1000\r\n", `{"pas`, 1000, 5},
		{"chunked, stops", "Transfer-Encoding: chunked\r\n", "5\r\n{\"pas\r\n", -1, 5},
		{"100-continue, then silence", "Content-Length: 20\r\nExpect: 100-continue\r\n", "", 20, 0},
	}
	for fl, ep := range bodyEndpoints {
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s/%s", fl, c.name), func(t *testing.T) {
				f, err := New(Options{Flavor: fl, BodyTimeout: 200 * time.Millisecond})
				if err != nil {
					t.Fatal(err)
				}
				logs := make(lineWriter, 4)
				ts := httptest.NewUnstartedServer(nil)
				ts.Config = NewHTTPServer(LogRequests(f, logs))
				ts.Start()
				defer ts.Close()
				conn, err := net.Dial("tcp", ts.Listener.Addr().String())
				if err != nil {
					t.Fatal(err)
				}
				defer conn.Close()
				_ = conn.SetDeadline(time.Now().Add(20 * time.Second)) // a guard only: the answer comes after 200 ms
				auth := ""
				if ep.auth != "" {
					auth = "Authorization: " + ep.auth + "\r\n"
				}
				fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: %s\r\n%s%s\r\n%s", ep.path, ep.contentType, auth, c.header, c.body)
				br := bufio.NewReader(conn)
				resp, err := http.ReadResponse(br, nil)
				if err == nil && resp.StatusCode == http.StatusContinue {
					resp, err = http.ReadResponse(br, nil)
				}
				if err != nil {
					t.Fatalf("no answer before the connection closed: %v", err)
				}
				body, _ := io.ReadAll(resp.Body)
				req := httptest.NewRequest("POST", ep.path, nil)
				if resp.StatusCode != http.StatusRequestTimeout {
					t.Errorf("status %d, want 408 (body %s)", resp.StatusCode, body)
				}
				if err := checkReply(fl, ProfileDocumented, req, resp.StatusCode, resp.Header, body); err != nil {
					t.Error(err)
				}
				var line struct {
					Status        int    `json:"status"`
					ContentLength int64  `json:"content_length"`
					BodyRead      int64  `json:"body_read"`
					BodyError     string `json:"body_error"`
				}
				if err := json.Unmarshal([]byte(<-logs), &line); err != nil {
					t.Fatal(err)
				}
				if line.Status != http.StatusRequestTimeout || line.ContentLength != c.declared || line.BodyRead != c.read || !strings.Contains(line.BodyError, "timeout") {
					t.Errorf("log line %+v, want status 408, content_length %d, body_read %d and a timeout", line, c.declared, c.read)
				}
			})
		}
	}
}
