package fakeserver

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkServeStack is the in-process half of `make bench-serve`: each
// authentication path served over loopback by the stack `serve` runs
// (NewHTTPServer, LogRequests into a RequestLog on a file) and by a bare net/http server
// writing the same reply, driven by raw keep-alive connections that
// allocate nothing per request. So allocs/op is the server's own
// allocations per request, and a CPU profile (-cpuprofile) shows where
// the server spends its time, neither spoiled by other load on the
// machine as wall-clock throughput is.
func BenchmarkServeStack(b *testing.B) {
	for _, p := range authPaths {
		f, prepare, rec := p.ready(b)
		logFile, err := os.Create(filepath.Join(b.TempDir(), "serve.log"))
		if err != nil {
			b.Fatal(err)
		}
		reqLog := NewRequestLog(logFile)
		stacks := []struct {
			name string
			srv  *http.Server
		}{
			{"bare", &http.Server{Handler: bareLike(rec)}},
			// The fake's whole header set written by a bare handler: the
			// part of the difference that the flavor's reply shape costs.
			{"bare-same-headers", &http.Server{Handler: bareWithHeaders(rec)}},
			{"serve", NewHTTPServer(LogRequests(f, reqLog))},
		}
		for _, clients := range []int{1, 16} {
			for _, s := range stacks {
				b.Run(fmt.Sprintf("%s/c%d/%s", p.name, clients, s.name), func(b *testing.B) {
					rawClients(b, s.srv, clients, rawRequest(b, p.method, p.path, p.body, prepare), p.want)
				})
			}
		}
		_ = reqLog.Close()
		_ = logFile.Close()
	}
}

// bareWithHeaders is bareLike writing every header of the fake's reply
// too (net/http adds Date and Content-Length itself).
func bareWithHeaders(rec *httptest.ResponseRecorder) http.Handler {
	header, body, status := rec.Header().Clone(), rec.Body.Bytes(), rec.Code
	delete(header, "Date")
	delete(header, "Content-Length")
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		for k, v := range header {
			h[k] = v
		}
		w.WriteHeader(status)
		_, _ = w.Write(body)
	})
}

// rawRequest is the bytes of one request, Host and Content-Length
// included.
func rawRequest(b *testing.B, method, path, body string, prepare func(*http.Request)) []byte {
	req := httptest.NewRequest(method, "http://127.0.0.1"+path, strings.NewReader(body))
	prepare(req)
	var buf bytes.Buffer
	if err := req.Write(&buf); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// rawClients serves srv on loopback and sends b.N copies of req over
// keep-alive connections, each answer's status checked.
func rawClients(b *testing.B, srv *http.Server, clients int, req []byte, want int) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go func() { _ = srv.Serve(l) }()
	defer func() { _ = l.Close() }()
	dial := func() *rawConn {
		c, err := net.Dial("tcp", l.Addr().String())
		if err != nil {
			b.Fatal(err)
		}
		return &rawConn{Conn: c, r: bufio.NewReaderSize(c, 8192)}
	}
	b.ReportAllocs()
	if clients == 1 {
		c := dial()
		defer c.Close()
		b.ResetTimer()
		for range b.N {
			c.roundTrip(b, req, want)
		}
		return
	}
	b.SetParallelism((clients + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
	b.RunParallel(func(pb *testing.PB) {
		c := dial()
		defer c.Close()
		for pb.Next() {
			c.roundTrip(b, req, want)
		}
	})
}

// rawConn is one keep-alive connection that writes a request and reads
// the answer's status, headers and Content-Length body in place.
type rawConn struct {
	net.Conn
	r *bufio.Reader
}

var contentLengthKey = []byte("content-length:")

func (c *rawConn) roundTrip(b *testing.B, req []byte, want int) {
	if _, err := c.Write(req); err != nil {
		b.Fatal(err)
	}
	line, err := c.r.ReadSlice('\n')
	if err != nil || len(line) < 12 {
		b.Fatalf("status line %q: %v", line, err)
	}
	if status, _ := strconv.Atoi(string(line[9:12])); status != want {
		b.Fatalf("status line %q, want %d", line, want)
	}
	length := -1
	for {
		line, err = c.r.ReadSlice('\n')
		if err != nil {
			b.Fatal(err)
		}
		if len(line) <= 2 {
			break
		}
		if len(line) > len(contentLengthKey) && bytes.EqualFold(line[:len(contentLengthKey)], contentLengthKey) {
			length, _ = strconv.Atoi(string(bytes.TrimSpace(line[len(contentLengthKey):])))
		}
	}
	if length < 0 {
		b.Fatal("an answer without Content-Length")
	}
	if _, err := c.r.Discard(length); err != nil {
		b.Fatal(err)
	}
}
