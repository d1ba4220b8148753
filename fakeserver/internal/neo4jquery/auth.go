package neo4jquery

import (
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"github.com/authconform/authconform/fakeserver/internal/core"
	"github.com/authconform/authconform/fakeserver/internal/neo4jwire"
)

// principal is who a request runs as.
type principal struct {
	name string
	// native users log in with Basic and can change their password.
	native     bool
	changeReqd bool
}

// authenticate is the filter; on failure it has written the answer.
func (n *Server) authenticate(w http.ResponseWriter, r *http.Request) (principal, bool) {
	if n.authOff {
		return principal{name: "neo4j"}, true // AuthorizationDisabledFilter's principal
	}
	values, present := r.Header["Authorization"]
	if !present {
		n.unauthorized(w, r, neo4jwire.MsgNoHeader)
		return principal{}, false
	}
	cred, ok := n.parseAuthorization(values[0])
	if !ok || len(values) > 1 {
		msg := neo4jwire.MsgBadHeader
		if cred.notBase64 && len(values) == 1 {
			msg = msgRawBearer // most clients send the token raw: say what to send
		}
		n.badHeader(w, r, msg)
		return principal{}, false
	}
	now := n.cfg.Clock.Now()
	if cred.bearer {
		user, ok := n.checkToken(cred.token, now)
		if !ok {
			n.unauthorized(w, r, n.badCredentialMsg())
			return principal{}, false
		}
		return principal{name: user}, true
	}
	acct, outcome := n.limiter.Attempt(n.users, cred.user, cred.user, cred.password, now)
	switch outcome {
	case core.LockedOut:
		n.fail(w, n.filterContentType(), http.StatusTooManyRequests, neo4jwire.CodeRateLimit, neo4jwire.MsgRateLimited)
		return principal{}, false
	case core.BadLogin:
		n.unauthorized(w, r, n.badCredentialMsg())
		return principal{}, false
	}
	return principal{name: acct.Name, native: true, changeReqd: acct.ChangeRequired}, true
}

func (n *Server) badCredentialMsg() string {
	if n.release() {
		return msgBadCredential5
	}
	return neo4jwire.MsgBadCredential
}

// unauthorized is a 401 from the filter, with the Bearer-era challenge in
// both profiles: the document shows no WWW-Authenticate, but a 401 without
// a challenge breaks HTTP (RFC 9110 §15.5.2) and the release sends it.
func (n *Server) unauthorized(w http.ResponseWriter, r *http.Request, msg string) {
	w.Header().Set("WWW-Authenticate", neo4jwire.AuthenticateHeader(r, wwwAuthenticate5))
	n.fail(w, n.filterContentType(), http.StatusUnauthorized, neo4jwire.CodeUnauthorized, msg)
}

// badHeader answers a malformed Authorization header: the document says 401
// (an erratum, reference §8.1), the release 400 without a challenge.
func (n *Server) badHeader(w http.ResponseWriter, r *http.Request, msg string) {
	if n.release() {
		n.fail(w, n.filterContentType(), http.StatusBadRequest, neo4jwire.CodeInvalidFormat, msg)
		return
	}
	w.Header().Set("WWW-Authenticate", neo4jwire.AuthenticateHeader(r, wwwAuthenticate5))
	n.fail(w, n.filterContentType(), http.StatusUnauthorized, neo4jwire.CodeInvalidFormat, msg)
}

// credential is a parsed Authorization header.
type credential struct {
	bearer         bool
	user, password string
	token          string
	// notBase64: one Bearer credential that is not base64, which the
	// documented profile refuses (a raw token, most likely).
	notBase64 bool
}

// parseAuthorization is the Bearer-era AuthorizationHeaders.decode: trim,
// split on single spaces, the scheme (any case) must be Basic or Bearer.
func (n *Server) parseAuthorization(header string) (credential, bool) {
	parts := strings.Split(strings.TrimSpace(header), " ")
	switch upperScheme(parts[0]) {
	case "BASIC":
		if !n.release() {
			user, password, ok := core.ParseBasic(header)
			return credential{user: user, password: password}, ok
		}
		// The release decodes the last token with java.util.Base64 (padding
		// optional) as UTF-8 and splits once on the first colon.
		last := parts[len(parts)-1]
		if len(parts) < 2 || strings.TrimSpace(last) == "" {
			return credential{}, false
		}
		raw, ok := decodeJavaBase64(last)
		if !ok || len(raw) == 0 {
			return credential{}, false
		}
		user, password, ok := strings.Cut(string(raw), ":")
		return credential{user: user, password: password}, ok
	case "BEARER":
		if len(parts) != 2 || parts[1] == "" {
			return credential{}, false
		}
		token, ok := n.bearerToken(parts[1])
		return credential{bearer: true, token: token, notBase64: !ok}, ok
	}
	return credential{}, false
}

// upperScheme is strings.ToUpper(scheme), without a copy for the two
// schemes in any ASCII case (a rune such as "ſ" still upper-cases to "S").
func upperScheme(scheme string) string {
	switch {
	case len(scheme) == len("BASIC") && strings.EqualFold(scheme, "BASIC"):
		return "BASIC"
	case len(scheme) == len("BEARER") && strings.EqualFold(scheme, "BEARER"):
		return "BEARER"
	}
	return strings.ToUpper(scheme)
}

// bearerToken turns the header's credential into the token to check.
//
// neo4j-5: the release passes the credential on as is, never decoded
// (reference §4 "BEARER", §8.3).
//
// documented: the document's format is `Bearer <base64(token)>`, so the
// credential must be standard padded base64 (as `base64` prints it) and the
// token is what it decodes to. A raw token is NOT also accepted: that is the
// release's behaviour, and the documented profile exists to show where the
// document and the release differ; accepting both would hide exactly that
// difference, and would be ambiguous besides, since many raw tokens are
// themselves valid base64 (the example token's 23 characters are valid
// unpadded base64). A raw token therefore gets the document's answer to a
// header that is not properly base64-encoded (401 InvalidFormat) or, if it
// happens to decode, to an unknown credential (401). One trailing "\n" in
// the decoded value is dropped: the document's own example
// eGJoa2pubHZpYW56dGdocXdhd3hxZmUK is `echo` output and decodes to the token
// plus a newline (an erratum, reported by the fixtures), and the documented
// profile must accept the document's own example as the document says it
// works. A token never contains a newline, so nothing else is admitted.
func (n *Server) bearerToken(cred string) (string, bool) {
	if n.release() {
		return cred, true
	}
	raw, err := base64.StdEncoding.Strict().DecodeString(cred)
	if err != nil || strings.ContainsAny(cred, "\r\n") {
		return "", false
	}
	token := strings.TrimSuffix(string(raw), "\n")
	return token, token != ""
}

// decodeJavaBase64 is java.util.Base64.getDecoder(): the standard alphabet,
// padding optional but correct if present.
func decodeJavaBase64(s string) ([]byte, bool) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, false
	}
	if raw, err := base64.StdEncoding.DecodeString(s); err == nil {
		return raw, true
	}
	if strings.Contains(s, "=") {
		return nil, false
	}
	raw, err := base64.RawStdEncoding.DecodeString(s)
	return raw, err == nil
}

// checkToken finds token among the configured tokens. It compares with
// every one, by digest (core.SameSecret), whatever the token and whether it
// matched, so that neither a match nor the token's length changes the work.
// An expired token (now at or after Expires) is invalid.
func (n *Server) checkToken(token string, now time.Time) (string, bool) {
	user, found := "", false
	for _, t := range n.tokens {
		if n.sameToken(t.Token, token) && !found {
			if t.Expires.IsZero() || now.Before(t.Expires) {
				user, found = t.User, true
			}
		}
	}
	return user, found
}

// msgRawBearer answers, in the documented profile only, a Bearer credential
// that is not base64: the document's message, then what to send instead
// (not in the document: authconform's own hint).
const msgRawBearer = neo4jwire.MsgBadHeader + " This server follows the document: send Authorization: Bearer <base64 of the token> (echo -n TOKEN | base64); the neo4j-5 profile (serve --profile neo4j-5) takes the raw token, as Neo4j 5 does."
