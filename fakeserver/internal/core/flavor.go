package core

import (
	"fmt"
	"net/http"
	"time"
)

// Flavor is one API implementation, built fresh for every reset.
type Flavor interface {
	http.Handler
	// EnterState moves a freshly built flavor into a named state and
	// returns the values a client needs there (User, Password, Token, ...).
	EnterState(name string) (map[string]string, error)
	// States lists the state names EnterState accepts.
	States() []string
	// WriteProblem renders a problem the core found in the flavor's own
	// status, error shape and wording.
	WriteProblem(w http.ResponseWriter, r *http.Request, p Problem)
}

// Problem is a kind of bad request that the core refuses before a flavor
// sees it; each flavor maps it to its own code and wording.
type Problem int

// The problems the core finds.
const (
	HeaderTooLarge Problem = iota + 1 // the header block is over MaxHeaderBytes: 431
	BodyTooLarge                      // the declared or read body is over the limit: 413
	BodyTimeout                       // the body did not arrive within the body deadline: 408
	BodyIncomplete                    // the body was cut off or badly framed: 400
	TooDeep                           // a JSON body or statement nests deeper than MaxJSONDepth: 400
)

// Status is the HTTP status of the problem.
func (p Problem) Status() int {
	switch p {
	case HeaderTooLarge:
		return http.StatusRequestHeaderFieldsTooLarge
	case BodyTooLarge:
		return http.StatusRequestEntityTooLarge
	case BodyTimeout:
		return http.StatusRequestTimeout
	}
	return http.StatusBadRequest
}

// MaxHeaderBytes bounds the request's header block. The listener allows
// more, so that an oversized header gets the flavor's own error rather than
// net/http's plain-text 431.
const MaxHeaderBytes = 64 << 10

// ServeLimited refuses an oversized header block or declared body with
// fl's own problem, caps the body at maxBody, gives its reading bodyTimeout,
// and lets fl answer.
func ServeLimited(fl Flavor, maxBody int64, bodyTimeout time.Duration, w http.ResponseWriter, r *http.Request) {
	if headerSize(r) > MaxHeaderBytes {
		fl.WriteProblem(w, r, HeaderTooLarge)
		return
	}
	if r.ContentLength > maxBody {
		// Refused before reading: waiting for a body that will be refused
		// anyway would hang a client that sent "Expect: 100-continue" or
		// declared more than it sends.
		fl.WriteProblem(w, r, BodyTooLarge)
		return
	}
	if r.ContentLength != 0 && r.Body != nil && r.Body != http.NoBody {
		// The body's own deadline, shorter than the listener's ReadTimeout:
		// a body that stops half-way (or never follows "Expect:
		// 100-continue") fails its read with os.ErrDeadlineExceeded while
		// the connection can still carry the flavor's 408. Writers without
		// deadlines (httptest.ResponseRecorder) refuse it, harmlessly.
		_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(bodyTimeout))
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	fl.ServeHTTP(w, r)
}

func headerSize(r *http.Request) int {
	n := len(r.RequestURI)
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	return n
}

// UnknownState is EnterState's error for a name it does not know.
func UnknownState(name string, known []string) error {
	return fmt.Errorf("fakeserver: unknown state %q (this flavor knows %v)", name, known)
}

// Clustered is a flavor that can stand for the nodes of a cluster sharing
// its state; the first node is the flavor itself.
type Clustered interface {
	ClusterNodes() []Flavor
}
