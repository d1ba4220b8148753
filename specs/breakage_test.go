package specs_test

import (
	"bytes"
	"fmt"

	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"

	"github.com/authconform/authconform/fakeserver"
)

// answer is a response of the fake, open to one rule's breakage before it
// is sent on.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// breakage breaks one rule of a flavor's documented behaviour, through the
// fake's public API only: a wrapper that rewrites its answers, options, or
// a clock that does not move.
type breakage struct {
	rule string
	// edit rewrites an answer (nil: answers pass unchanged).
	edit func(r *http.Request, a *answer)
	// options changes how the fake is set up (nil: the defaults).
	options func(*fakeOptions)
	// frozenClock makes moving the target's clock do nothing.
	frozenClock bool
	// fails are the fixtures (ids without the flavor) that must fail;
	// every other fixture of the flavor must still pass.
	fails []string
	// failsOverLoopback must fail too when the fake is reached over
	// loopback (the couchdb-3.5 profile believes X-Forwarded-For from a
	// 127.0.0.1 peer only).
	failsOverLoopback []string
	// before changes each request before the fake sees it (nil: none).
	before func(*http.Request)
}

// rewriting serves h and lets edit change each answer before it is sent.
func rewriting(h http.Handler, edit func(*http.Request, *answer)) http.Handler {
	if edit == nil {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		a := &answer{status: rec.Code, header: rec.Header().Clone(), body: rec.Body.Bytes()}
		edit(r, a)
		for k, v := range a.header {
			w.Header()[k] = v
		}
		if w.Header().Get("Content-Length") != "" {
			w.Header().Set("Content-Length", strconv.Itoa(len(a.body)))
		}
		w.WriteHeader(a.status)
		_, _ = w.Write(a.body)
	})
}

// The building blocks of the breakage tables.

func status(from, to int) func(*http.Request, *answer) {
	return func(_ *http.Request, a *answer) {
		if a.status == from {
			a.status = to
		}
	}
}

func statusOn(method, pathPrefix string, from, to int) func(*http.Request, *answer) {
	return func(r *http.Request, a *answer) {
		if r.Method == method && strings.HasPrefix(r.URL.Path, pathPrefix) && a.status == from {
			a.status = to
		}
	}
}

func dropHeader(name string) func(*http.Request, *answer) {
	return func(_ *http.Request, a *answer) { a.header.Del(name) }
}

func replaceHeader(name, from, to string) func(*http.Request, *answer) {
	return func(_ *http.Request, a *answer) {
		if a.header.Get(name) == from {
			a.header.Set(name, to)
		}
	}
}

func addHeader(name, value string) func(*http.Request, *answer) {
	return func(_ *http.Request, a *answer) { a.header.Add(name, value) }
}

func replaceBody(pattern, to string) func(*http.Request, *answer) {
	re := regexp.MustCompile(pattern)
	return func(_ *http.Request, a *answer) { a.body = re.ReplaceAll(a.body, []byte(to)) }
}

func bodyOn(method, pathPrefix string, st int, body string) func(*http.Request, *answer) {
	return func(r *http.Request, a *answer) {
		if r.Method == method && strings.HasPrefix(r.URL.Path, pathPrefix) && a.status == st {
			a.body = []byte(body)
		}
	}
}

// editCookie rewrites the attributes of every Set-Cookie of the answer.
func editCookie(pattern, to string) func(*http.Request, *answer) {
	re := regexp.MustCompile(pattern)
	return func(_ *http.Request, a *answer) {
		cookies := a.header.Values("Set-Cookie")
		a.header.Del("Set-Cookie")
		for _, c := range cookies {
			a.header.Add("Set-Cookie", re.ReplaceAllString(c, to))
		}
	}
}

// dropCookieOn removes Set-Cookie from answers to method path other than
// the login.
func dropCookieOn(method, path string) func(*http.Request, *answer) {
	return func(r *http.Request, a *answer) {
		if r.Method == method && r.URL.Path == path {
			a.header.Del("Set-Cookie")
		}
	}
}

// onSuccess applies edit to 2xx answers only.
func onSuccess(edit func(*http.Request, *answer)) func(*http.Request, *answer) {
	return func(r *http.Request, a *answer) {
		if a.status/100 == 2 {
			edit(r, a)
		}
	}
}

// extraJSONKey adds a key to every JSON object body: fixtures comparing
// exactly must notice, subset ones must not.
func extraJSONKey(_ *http.Request, a *answer) {
	if b := bytes.TrimSpace(a.body); len(b) > 1 && b[0] == '{' {
		a.body = append([]byte(`{"authconform_extra":1,`), b[1:]...)
		if bytes.Equal(b, []byte("{}")) {
			a.body = []byte(`{"authconform_extra":1}`)
		}
	}
}

// keepCookieOnLogout answers DELETE /_session with the request's own
// session cookie set again, as a server that does not log out would.
func keepCookieOnLogout(r *http.Request, a *answer) {
	if r.Method != http.MethodDelete {
		return
	}
	a.header.Del("Set-Cookie")
	for _, c := range r.Cookies() {
		if c.Name == "AuthSession" {
			a.header.Add("Set-Cookie", "AuthSession="+c.Value+"; Path=/; HttpOnly")
		}
	}
}

// otherUserStatusServed answers GET /user/{name} for the second account of
// the Neo4j 3.3 fake's states with that account's status, as a server
// would that looks the name up instead of comparing it with the caller
// first: unknown names still get 404, so only asking for an existing
// other user catches it.
func otherUserStatusServed() func(*http.Request, *answer) {
	fake, err := fakeserver.New(fakeserver.Options{Flavor: fakeserver.Neo4j33})
	if err != nil {
		panic(err)
	}
	vars, err := fake.EnterState("password-changed")
	if err != nil || vars["OtherUser"] == "" {
		panic(fmt.Sprintf("the neo4j-3.3 fake's password-changed state names no OtherUser (%v)", err))
	}
	other := vars["OtherUser"]
	return func(r *http.Request, a *answer) {
		if r.Method == http.MethodGet && r.URL.Path == "/user/"+other && a.status == http.StatusNotFound {
			a.status = http.StatusOK
			a.header.Set("Content-Type", "application/json; charset=UTF-8")
			a.body = []byte(`{"password_change_required":false,"password_change":"http://` + r.Host + `/user/` + other + `/password","username":"` + other + `"}`)
		}
	}
}

// beforeServing lets change edit each request before h sees it.
func beforeServing(h http.Handler, change func(*http.Request)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		change(r)
		h.ServeHTTP(w, r)
	})
}

// peerFromForwardedFor makes the client's last X-Forwarded-For address
// the request's peer, as a server that believes the header does.
func peerFromForwardedFor(r *http.Request) {
	if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
		hosts := strings.Split(xff[len(xff)-1], ",")
		r.RemoteAddr = strings.TrimSpace(hosts[len(hosts)-1]) + ":1"
	}
}
