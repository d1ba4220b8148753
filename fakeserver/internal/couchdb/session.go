package couchdb

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/authconform/authconform/fakeserver/internal/core"
)

// The AuthSession cookie is CouchDB's: unpadded base64url of
// "name:HEXTIME:<HMAC-SHA256(secret + user salt, "name:HEXTIME")>", HEXTIME
// being the issue time in Unix seconds, upper-case hex. Nothing is stored
// per session: the cookie is valid while its time plus the lifetime has not
// passed, and (documented profile) until it is logged out.

func (c *Server) cookieMAC(acct core.Account, data string) []byte {
	return c.appendCookieMAC(nil, acct, []byte(data))
}

// appendCookieMAC appends the HMAC of data to dst, key and state on the
// stack.
func (c *Server) appendCookieMAC(dst []byte, acct core.Account, data []byte) []byte {
	if c.onMAC != nil {
		c.onMAC()
	}
	var keyBuf [64]byte
	key := append(append(keyBuf[:0], c.secret...), c.cookieSalt(acct)...)
	return core.HMACSHA256(dst, key, data)
}

// mintCookie returns a fresh AuthSession value for acct issued at now.
func (c *Server) mintCookie(acct core.Account, now time.Time) string {
	data := acct.Name + ":" + strings.ToUpper(strconv.FormatInt(now.Unix(), 16))
	raw := append([]byte(data+":"), c.cookieMAC(acct, data)...)
	if c.revoked != nil {
		// A cookie names only the user and the second it was issued, so a
		// login in the same second as a logout re-issues the logged-out
		// value: the new session makes it valid again.
		c.revoked.forget(string(raw))
	}
	return base64.RawURLEncoding.EncodeToString(raw)
}

// decodeCouchBase64URL is couch_util:decodeBase64Url: "-" and "_" mapped to
// the standard alphabet, unused trailing bits ignored (so
// changing only those still decodes to the same cookie, transcript case 57).
func decodeCouchBase64URL(s string) ([]byte, error) {
	return appendCouchBase64URL(nil, s)
}

// appendCouchBase64URL is decodeCouchBase64URL appending to dst; a cookie
// of usual size is mapped on the stack.
func appendCouchBase64URL(dst []byte, s string) ([]byte, error) {
	s = strings.TrimRight(s, "=")
	var stack [256]byte
	std := stack[:0]
	if len(s) > len(stack) {
		std = make([]byte, 0, len(s))
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '-':
			std = append(std, '+')
		case '_':
			std = append(std, '/')
		default:
			std = append(std, c)
		}
	}
	if need := len(dst) + base64.RawStdEncoding.DecodedLen(len(std)); need > cap(dst) {
		dst = append(make([]byte, 0, need), dst...)
	}
	n, err := base64.RawStdEncoding.Decode(dst[len(dst):cap(dst)], std)
	return dst[:len(dst)+n], err
}

// verifyCookie is cookie_authentication_handler. A value that does not
// decode into three ":"-separated parts is malformed (transcript cases 55,
// 58); an unknown user, a bad time, an expired or bad-HMAC cookie and (in
// the documented profile) a logged-out one yield the anonymous context
// (cases 56, 112).
func (c *Server) verifyCookie(value string, now time.Time) (ctx couchUserCtx, malformed bool) {
	anon := couchUserCtx{roles: []string{}}
	var rawBuf [192]byte
	raw, err := appendCouchBase64URL(rawBuf[:0], value)
	// CouchDB writes the cookie unpadded and 3.5.0 refuses a padded one
	// as malformed (m147, m153, m156, m158, m160); the document shows only
	// unpadded values, so both profiles do.
	if err != nil || strings.Contains(value, "=") {
		return anon, true
	}
	// name:HEXTIME:MAC, the MAC being everything after the second colon.
	name, rest, found := bytes.Cut(raw, []byte(":"))
	hexTime, mac, found2 := bytes.Cut(rest, []byte(":"))
	if !found || !found2 {
		return anon, true
	}
	// One HMAC and one digest comparison for every well-formed cookie,
	// before anything can refuse it: an unknown user's is checked against
	// a dummy account, so its timing matches a known user's.
	acct, known := c.users.LookupOrDummy(string(name))
	var macBuf [sha256.Size]byte
	macOK := core.SameSecret(c.appendCookieMAC(macBuf[:0], acct, raw[:len(name)+1+len(hexTime)]), mac)
	issued, err := strconv.ParseInt(string(hexTime), 16, 64)
	ttl := c.ttl.Load()
	if !known || !macOK || err != nil || now.Unix() >= issued+ttl {
		return anon, false
	}
	expiry := time.Unix(issued+ttl, 0)
	if c.revoked != nil && c.revoked.has(raw, now) {
		return anon, false
	}
	timeLeft := issued + ttl - now.Unix()
	return couchUserCtx{
		name: acct.Name, roles: contextRoles(acct.Roles), handler: "cookie", acct: acct,
		refresh: 10*timeLeft < 9*ttl, // more than 10% of the lifetime used (case 111)
		cookie:  string(raw), expiry: expiry,
	}, false
}

// Cookie date formats: the document's (RFC 1123) and mochiweb's (dashes).
// net/http's cookie parser reads both.
const (
	couchDocCookieDate = "Mon, 02 Jan 2006 15:04:05 GMT"
	couchCookieDate    = "Mon, 02-Jan-2006 15:04:05 GMT"
)

// sessionSetCookie is the Set-Cookie value for a session cookie. The
// couchdb-3.5 profile writes mochiweb's shape (transcript case 8):
//
//	AuthSession=v; Version=1; Expires=Sun, 22-Nov-2026 14:59:08 GMT; Max-Age=600; Path=/; HttpOnly
//
// and the documented profile the document's:
//
//	AuthSession="v"; Expires=Sat, 12 Nov 2016 12:43:15 GMT; Max-Age=86400; Path=/; HttpOnly; Version=1
//
// Secure is added on TLS requests. net/http's Cookie.String cannot write
// either shape (it has no Version and orders attributes differently).
func (c *Server) sessionSetCookie(r *http.Request, value string, now time.Time) string {
	ttl := c.ttl.Load()
	expires := now.Add(time.Duration(ttl) * time.Second).UTC()
	maxAge := strconv.FormatInt(ttl, 10)
	if c.cfg.Release {
		return "AuthSession=" + value + "; Version=1; Expires=" + expires.Format(couchCookieDate) +
			"; Max-Age=" + maxAge + secureAttr(r) + "; Path=/; HttpOnly"
	}
	return `AuthSession="` + value + `"; Expires=` + expires.Format(couchDocCookieDate) +
		"; Max-Age=" + maxAge + "; Path=/; HttpOnly" + secureAttr(r) + "; Version=1"
}

// clearSetCookie empties the cookie on logout and failed login. CouchDB
// 3.5 sends an empty value that still carries the full lifetime (cases 15,
// 61, 64); the document sets it to "" with an Expires in 1970 and
// Max-Age=0.
func (c *Server) clearSetCookie(r *http.Request, now time.Time) string {
	if c.cfg.Release {
		return c.sessionSetCookie(r, "", now)
	}
	return `AuthSession=""; Expires=Fri, 02 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; HttpOnly` + secureAttr(r) + "; Version=1"
}

func secureAttr(r *http.Request) string {
	if r != nil && r.TLS != nil {
		return "; Secure"
	}
	return ""
}

// couchRevocations remembers logged-out cookies (documented profile: "the
// cookie is considered by the server to have expired") until they would
// have expired anyway, then forgets them, so memory stays bounded by the
// sessions logged out within one lifetime.
type couchRevocations struct {
	mu        sync.Mutex
	until     map[string]time.Time // decoded cookie -> its expiry
	nextSweep int
}

func newCouchRevocations() *couchRevocations {
	return &couchRevocations{until: map[string]time.Time{}, nextSweep: couchSweepMin}
}

func (v *couchRevocations) revoke(cookie string, expiry, now time.Time) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.until[cookie] = expiry
	if len(v.until) >= v.nextSweep {
		for k, t := range v.until {
			if !now.Before(t) {
				delete(v.until, k)
			}
		}
		v.nextSweep = max(couchSweepMin, 2*len(v.until))
	}
}

func (v *couchRevocations) forget(cookie string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	delete(v.until, cookie)
}

func (v *couchRevocations) has(cookie []byte, now time.Time) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	t, ok := v.until[string(cookie)] // looked up without a copy
	if ok && !now.Before(t) {
		delete(v.until, string(cookie))
		return false
	}
	return ok
}

func (v *couchRevocations) size() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return len(v.until)
}

// serveSession is /_session (transcript case 67 for other methods).
func (c *Server) serveSession(w http.ResponseWriter, r *http.Request, parts []string, ctx couchUserCtx) {
	if len(parts) > 1 {
		// 3.5.0 serves /_session/anything to server admins only (m180,
		// m182, m187); the document does not say, so both profiles do.
		if !ctx.isAdmin() {
			c.fail(w, r, http.StatusUnauthorized, "unauthorized", couchMsgNotAdmin)
			return
		}
	}
	w = sessionWriter{w}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		c.sessionInfo(w, r, ctx)
	case http.MethodPost:
		c.login(w, r)
	case http.MethodDelete:
		c.logout(w, r, ctx)
	default:
		c.methodNotAllowed(w, r, "GET,HEAD,POST,DELETE")
	}
}

// sessionInfo is GET /_session (cases 9, 11, 12, 14). The documented
// profile lists the document's handlers and authentication_db.
func (c *Server) sessionInfo(w http.ResponseWriter, r *http.Request, ctx couchUserCtx) {
	if ctx.anonymous() && r.URL.Query().Get("basic") == "true" {
		c.fail(w, r, http.StatusUnauthorized, "unauthorized", couchMsgPleaseLogin)
		return
	}
	c.writeBody(w, r, http.StatusOK, c.appendSessionInfo(make([]byte, 0, 256), ctx))
}

// appendSessionInfo is the body of GET /_session as send_json writes it:
// {"ok":true,"userCtx":{"name":...,"roles":[...]},"info":{...}} and a
// newline. It is written by hand, not through encoding/json, because it is
// the most requested reply of an authenticated client (a test compares the
// two).
func (c *Server) appendSessionInfo(b []byte, ctx couchUserCtx) []byte {
	b = append(b, `{"ok":true,"userCtx":{"name":`...)
	if ctx.anonymous() {
		b = append(b, "null"...)
	} else {
		b = core.AppendJSONString(b, ctx.name, false)
	}
	b = append(b, `,"roles":[`...)
	for i, role := range ctx.roles {
		if i > 0 {
			b = append(b, ',')
		}
		b = core.AppendJSONString(b, role, false)
	}
	b = append(b, `]},"info":{`...)
	if c.cfg.Release {
		b = append(b, `"authentication_handlers":["cookie","default"]`...)
	} else {
		b = append(b, `"authentication_db":"_users","authentication_handlers":["delegated","cookie","default","local"]`...)
	}
	if ctx.handler != "" {
		b = core.AppendJSONString(append(b, `,"authenticated":`...), ctx.handler, false)
	}
	return append(b, "}}\n"...)
}

type couchLoginReply struct {
	OK    bool     `json:"ok"`
	Name  string   `json:"name"`
	Roles []string `json:"roles"`
}

// login is POST /_session: form or JSON credentials; 200 (302 with
// ?next=) and a cookie, or 401 and an emptied cookie (cases 8, 15-23).
func (c *Server) login(w http.ResponseWriter, r *http.Request) {
	// The body is read first: 3.5.0 has read it when it refuses the type,
	// so its 415 keeps the connection open (run 6).
	body, ok := c.readBody(w, r)
	if !ok {
		return
	}
	ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
	ct = strings.ToLower(strings.TrimSpace(ct))
	if ct != "application/x-www-form-urlencoded" && ct != "application/json" {
		c.fail(w, r, http.StatusUnsupportedMediaType, "bad_content_type",
			"Content-Type must be 'application/x-www-form-urlencoded' or 'application/json'")
		return
	}
	fields := map[string]string{}
	if ct == "application/json" {
		if core.JSONTooDeep(body) {
			c.WriteProblem(w, r, core.TooDeep)
			return
		}
		login, valid := parseJSONLogin(body)
		if crash, ok := c.loginCrash(login, valid); ok {
			c.writeCrash(w, r, crash)
			return
		}
		if !valid || login.top != '{' {
			c.fail(w, r, http.StatusBadRequest, "bad_request", "invalid UTF-8 JSON")
			return
		}
		for _, k := range loginKeys {
			s, present, isString := login.text(k)
			if !present {
				continue
			}
			if !isString {
				c.fail(w, r, http.StatusBadRequest, "bad_request", "\""+k+"\" must be a string")
				return
			}
			fields[k] = s
		}
	} else {
		form, _ := url.ParseQuery(string(body)) // lenient like mochiweb: bad pairs are dropped
		for _, k := range loginKeys {
			if vs, present := form[k]; present {
				fields[k] = vs[0]
			}
		}
	}
	// extract_username: "name" or "username", which must agree.
	name, hasName := fields["name"]
	if u, hasUser := fields["username"]; hasUser {
		if hasName && u != name {
			c.fail(w, r, http.StatusBadRequest, "bad_request", "request body contains different usernames")
			return
		}
		name, hasName = u, true
	}
	if !hasName {
		c.fail(w, r, http.StatusBadRequest, "bad_request", "request body must contain a username")
		return
	}
	now := c.cfg.Clock.Now()
	if p := c.loginRefusal(r, name, now); p != nil {
		c.writeProblem(w, r, *p)
		return
	}
	acct, outcome := c.limiter.Attempt(c.users, c.lockKey(r, name), name, fields["password"], now)
	switch outcome {
	case core.LockedOut: // cases 98, 99
		c.fail(w, r, http.StatusForbidden, "forbidden", couchMsgLocked)
		return
	case core.BadLogin:
		status, ok := c.redirectParam(w, r, "fail", http.StatusUnauthorized)
		if !ok {
			return
		}
		// send_json, not send_error: no WWW-Authenticate, no redirect.
		w.Header().Set("Set-Cookie", c.clearSetCookie(r, now))
		c.writeJSON(w, r, status, couchError{Error: "unauthorized", Reason: couchMsgBadPassword})
		return
	}
	c.upgradeHash(name, fields["password"])
	status, ok := c.redirectParam(w, r, "next", http.StatusOK) // case 22
	if !ok {
		return
	}
	w.Header().Set("Set-Cookie", c.sessionSetCookie(r, c.mintCookie(acct, now), now))
	c.writeJSON(w, r, status, couchLoginReply{OK: true, Name: name, Roles: nonNil(acct.Roles)})
}

// redirectParam handles ?next= or ?fail=: with the parameter the answer is
// 302 to that path on this server, otherwise status. A path not starting
// with "/" is refused (no open redirect); ok is false once it has answered.
func (c *Server) redirectParam(w http.ResponseWriter, r *http.Request, param string, status int) (int, bool) {
	target := r.URL.Query().Get(param)
	if target == "" {
		return status, true
	}
	if !strings.HasPrefix(target, "/") {
		c.fail(w, r, http.StatusBadRequest, "bad_request", "path must begin with a /.")
		return 0, false
	}
	w.Header().Set("Location", couchAbsoluteURL(r, target))
	return http.StatusFound, true
}

// logout is DELETE /_session (cases 61, 64). The documented profile revokes
// the cookie the request came with; couchdb-3.5 only tells the client to
// drop it, and the cookie stays valid (cases 62, 63).
func (c *Server) logout(w http.ResponseWriter, r *http.Request, ctx couchUserCtx) {
	now := c.cfg.Clock.Now()
	status, ok := c.redirectParam(w, r, "next", http.StatusOK)
	if !ok {
		return
	}
	if c.revoked != nil && ctx.cookie != "" {
		c.revoked.revoke(ctx.cookie, ctx.expiry, now)
	}
	w.Header().Set("Set-Cookie", c.clearSetCookie(r, now))
	c.writeJSON(w, r, status, struct {
		OK bool `json:"ok"`
	}{OK: true})
}

// readBody reads the whole (bounded) body; ok is false once it has
// answered a body that could not be read.
// A gzip body (Content-Encoding: gzip, which CouchDB accepts and kivik
// sends by default) is unpacked under the same bound as a plain body: a
// few kilobytes of gzip must not become megabytes of work.
func (c *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, p, ok := core.ReadBody(r)
	if !ok {
		c.WriteProblem(w, r, p)
		return nil, false
	}
	if strings.EqualFold(strings.TrimSpace(r.Header.Get("Content-Encoding")), "gzip") {
		var err error
		if body, err = gunzip(body, c.maxBody); err != nil {
			if errors.Is(err, errUnzippedTooLarge) {
				c.WriteProblem(w, r, core.BodyTooLarge)
			} else {
				c.fail(w, r, http.StatusBadRequest, "bad_request", "the gzip request body is broken")
			}
			return nil, false
		}
		r.Header.Del("Content-Encoding") // read once: a second readBody sees plain bytes
	}
	return body, true
}

// readJSON is readBody for a body that must be JSON: one nested deeper
// than core.MaxJSONDepth is refused before any decoder sees it.
func (c *Server) readJSON(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, ok := c.readBody(w, r)
	if ok && core.JSONTooDeep(body) {
		c.WriteProblem(w, r, core.TooDeep)
		return nil, false
	}
	return body, ok
}

var errUnzippedTooLarge = errors.New("the unzipped body is over the body limit")

// gunzip unpacks b, refusing more than limit bytes of output. The gzip
// trailer's size (ISIZE, the last member's size modulo 2^32) sizes the
// buffer, capped at the limit, so a body is unpacked into one allocation
// rather than a growing series; a body whose trailer lies merely grows.
func gunzip(b []byte, limit int64) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	size := int64(0)
	if len(b) >= 4 {
		size = int64(binary.LittleEndian.Uint32(b[len(b)-4:]))
	}
	buf := bytes.NewBuffer(make([]byte, 0, min(size, limit)+1))
	_, err = buf.ReadFrom(io.LimitReader(zr, limit+1))
	if err == nil && int64(buf.Len()) > limit {
		err = errUnzippedTooLarge
	}
	return buf.Bytes(), err
}

// loginCrash is the 500 3.5.0 answers to a JSON login body that is not an
// object or whose name is not a string (m173, m174, m177), if any.
func (c *Server) loginCrash(login jsonLogin, valid bool) (couchCrash, bool) {
	if !c.cfg.Release || !valid {
		return couchCrash{}, false
	}
	switch login.top {
	case 'n':
		return crashLoginNull, true
	case '[':
		return crashLoginArray, true
	case '{':
		for _, k := range []string{"name", "username"} {
			if _, present, isString := login.text(k); present && !isString {
				return crashLoginNotText, true
			}
		}
	}
	return couchCrash{}, false
}
