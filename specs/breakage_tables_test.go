package specs_test

import (
	"net/http"

	"github.com/authconform/authconform/fakeserver"
)

// breakages lists, per flavor, one breakage for each rule a documented
// fixture checks (statuses, documented headers and bodies, cookie
// attributes, logout, forced password change, lockout, refresh, expiry).
func breakages() map[fakeserver.Flavor][]breakage {
	return map[fakeserver.Flavor][]breakage{
		fakeserver.Neo4j33:    neo4j33Breakages(),
		fakeserver.Neo4jQuery: neo4jQueryBreakages(),
		fakeserver.CouchDB:    couchDBBreakages(),
	}
}

func neo4j33Breakages() []breakage {
	return []breakage{
		{rule: "401 answered as 403", edit: status(401, 403), fails: []string{"browser-auth-header", "incorrect-authentication", "missing-authorization", "rate-limit", "unknown-user"}},
		{rule: "200 answered as 201", edit: statusOn(http.MethodGet, "/", 200, 201), fails: []string{"auth-disabled", "authenticate", "change-password", "rate-limit", "root-exempt", "user-status", "user-status-first-access"}},
		{rule: "no WWW-Authenticate challenge", edit: dropHeader("WWW-Authenticate"), fails: []string{"browser-auth-header", "incorrect-authentication", "missing-authorization", "unknown-user"}},
		{rule: "the realm is not Neo4j", edit: replaceHeader("WWW-Authenticate", `Basic realm="Neo4j"`, `Basic realm="neo4j"`), fails: []string{"incorrect-authentication", "missing-authorization", "unknown-user"}},
		{rule: "Content-Type without charset=UTF-8", edit: replaceHeader("Content-Type", "application/json; charset=UTF-8", "application/json"), fails: []string{"authenticate", "incorrect-authentication", "missing-authorization", "required-password-change", "user-status", "user-status-first-access"}},
		{rule: "Content-Type text/plain", edit: replaceHeader("Content-Type", "application/json; charset=UTF-8", "text/plain; charset=UTF-8"), fails: []string{"auth-disabled", "authenticate", "incorrect-authentication", "missing-authorization", "required-password-change", "user-status", "user-status-first-access"}},
		{rule: "the Unauthorized error code", edit: replaceBody(`Neo\.ClientError\.Security\.Unauthorized`, "Neo.ClientError.Security.AuthorizationExpired"), fails: []string{"browser-auth-header", "incorrect-authentication", "missing-authorization", "unknown-user"}},
		{rule: "the wrong-password message", edit: replaceBody(`Invalid username or password\.`, "Invalid credentials."), fails: []string{"incorrect-authentication", "unknown-user"}},
		{rule: "the missing-header message", edit: replaceBody(`No authentication header supplied\.`, "Authentication required."), fails: []string{"browser-auth-header", "missing-authorization"}},
		{rule: "the InvalidFormat error code", edit: replaceBody(`Neo\.ClientError\.Request\.InvalidFormat`, "Neo.ClientError.Request.Invalid"), fails: []string{"invalid-json", "malformed-authorization", "missing-password", "non-basic-scheme", "non-string-password"}},
		{rule: "the password-change-required error", edit: replaceBody(`User is required to change their password\.`, "Password expired."), fails: []string{"required-password-change"}},
		{rule: "the forced password change is not enforced", edit: statusOn(http.MethodGet, "/db/data", 403, 200), fails: []string{"change-password", "password-change-url-follows-host", "required-password-change"}},
		{rule: "the user status hides a required change", edit: replaceBody(`("password_change_required"\s*:\s*)true`, "${1}false"), fails: []string{"user-status-first-access"}},
		{rule: "the user status invents a required change", edit: replaceBody(`("password_change_required"\s*:\s*)false`, "${1}true"), fails: []string{"authenticate", "change-password", "user-status"}},
		{rule: "the password_change link", edit: replaceBody(`(/user/[^/"]+)/password"`, `$1/pw"`), fails: []string{"authenticate", "change-password", "password-change-url-follows-host", "required-password-change", "user-status", "user-status-first-access"}},
		{rule: "the user status names another user", edit: replaceBody(`("username"\s*:\s*)"[^"]*"`, `$1"someone"`), fails: []string{"authenticate", "change-password", "user-status", "user-status-first-access"}},
		{rule: "a body on the password change answer", edit: bodyOn(http.MethodPost, "/user/", 200, "{}"), fails: []string{"change-password"}},
		{rule: "another user's status is served", edit: statusOn(http.MethodGet, "/user/", 404, 200), fails: []string{"other-user-status"}},
		{rule: "an existing other user's status is served, an unknown one's is 404", edit: otherUserStatusServed(), fails: []string{"other-user-status"}},
		{rule: "a body on the 404 of another user", edit: bodyOn(http.MethodGet, "/user/", 404, `{"errors":[]}`), fails: []string{"other-user-status"}},
		{rule: "no lockout after failed logins", options: func(o *fakeOptions) { o.MaxFailedLogins = -1 }, fails: []string{"rate-limit"}},
		{rule: "with auth disabled, still a challenge", edit: onSuccess(addHeader("WWW-Authenticate", `Basic realm="Neo4j"`)), fails: []string{"auth-disabled", "options-exempt"}},
		{rule: "an extra key in JSON bodies", edit: extraJSONKey, fails: []string{"authenticate", "browser-auth-header", "change-password", "empty-password", "incorrect-authentication", "malformed-authorization", "missing-authorization", "missing-password", "non-basic-scheme", "non-string-password", "rate-limit", "required-password-change", "same-password", "unknown-user", "user-status", "user-status-first-access"}},
	}
}

func neo4jQueryBreakages() []breakage {
	return []breakage{
		{rule: "401 answered as 403", edit: status(401, 403), fails: []string{"bearer-empty", "bearer-multiple-tokens", "browser-auth-header", "expired-token", "incorrect-authentication", "invalid-authentication", "invalid-token", "missing-authorization", "rate-limit", "unknown-database", "unknown-user", "wrong-scheme", "www-authenticate"}},
		{rule: "202 answered as 200", edit: status(202, 200), fails: []string{"auth-disabled", "basic-authentication", "basic-scheme-case", "bearer-authentication", "expired-token", "include-counters", "rate-limit", "typed-json"}},
		{rule: "400 answered as 401", edit: status(400, 401), fails: []string{"credentials-expired", "invalid-json"}},
		{rule: "no WWW-Authenticate challenge", edit: dropHeader("WWW-Authenticate"), fails: []string{"browser-auth-header", "www-authenticate"}},
		{rule: "a challenge without Bearer", edit: replaceHeader("WWW-Authenticate", `Basic realm="Neo4j", Bearer realm="Neo4j"`, `Basic realm="Neo4j"`), fails: []string{"www-authenticate"}},
		{rule: "Content-Type text/plain", edit: replaceHeader("Content-Type", "application/json", "text/plain"), fails: []string{"auth-disabled", "basic-authentication", "bearer-authentication", "bearer-empty", "bearer-multiple-tokens", "credentials-expired", "discovery", "incorrect-authentication", "invalid-authentication", "invalid-json", "invalid-token", "method-not-allowed", "missing-authorization", "not-acceptable", "rate-limit", "unknown-database", "unknown-user", "unsupported-content-type", "wrong-scheme"}},
		{rule: "the Unauthorized error code", edit: replaceBody(`Neo\.ClientError\.Security\.Unauthorized`, "Neo.ClientError.Security.Forbidden"), fails: []string{"browser-auth-header", "expired-token", "incorrect-authentication", "invalid-token", "missing-authorization", "unknown-database", "unknown-user"}},
		{rule: "the InvalidFormat error code", edit: replaceBody(`Neo\.ClientError\.Request\.InvalidFormat`, "Neo.ClientError.Request.Invalid"), fails: []string{"bearer-empty", "bearer-multiple-tokens", "invalid-authentication", "wrong-scheme"}},
		{rule: "the wrong-password message", edit: replaceBody(`Invalid username or password\.`, "Invalid credential."), fails: []string{"incorrect-authentication", "unknown-user"}},
		{rule: "the missing-header message", edit: replaceBody(`No authentication header supplied\.`, "Authentication required."), fails: []string{"browser-auth-header", "missing-authorization"}},
		{rule: "the invalid-header message", edit: replaceBody(`Invalid authentication header\.`, "Bad header."), fails: []string{"bearer-empty", "bearer-multiple-tokens", "invalid-authentication", "wrong-scheme"}},
		{rule: "the query result", edit: replaceBody(`"values":\[\[1\]\]`, `"values":[[2]]`), fails: []string{"auth-disabled", "basic-authentication", "basic-scheme-case", "bearer-authentication", "include-counters", "rate-limit"}},
		{rule: "the credentials-expired code", edit: replaceBody(`CredentialsExpired`, "Unauthorized"), fails: []string{"credentials-expired"}},
		{rule: "no lockout after failed logins", options: func(o *fakeOptions) { o.MaxFailedLogins = -1 }, fails: []string{"rate-limit"}},
		{rule: "with auth disabled, still a challenge", edit: onSuccess(addHeader("WWW-Authenticate", `Basic realm="Neo4j"`)), fails: []string{"discovery"}},
		{rule: "an extra key in JSON bodies", edit: extraJSONKey, fails: []string{"bearer-empty", "bearer-multiple-tokens", "browser-auth-header", "incorrect-authentication", "invalid-authentication", "invalid-json", "method-not-allowed", "missing-authorization", "not-acceptable", "rate-limit", "unknown-database", "unknown-user", "unsupported-content-type", "wrong-scheme"}},
		{rule: "tokens never expire", frozenClock: true, fails: []string{"expired-token", "rate-limit"}},
	}
}

func couchDBBreakages() []breakage {
	return []breakage{
		{rule: "401 answered as 403", edit: status(401, 403), fails: []string{"all-dbs-admin-only", "basic-no-colon", "basic-unknown-scheme", "basic-unknown-user", "basic-wrong-password", "cookie-bad-signature", "cookie-expired", "database-anonymous", "database-lifecycle", "lockout", "lockout-forwarded-for", "login-missing-password", "login-unknown-user", "login-wrong-password", "python-login-logout", "request-id", "require-valid-user", "require-valid-user-except-for-up", "session-basic-param", "session-path-variants", "users-db-admin-only"}},
		{rule: "200 answered as 201", edit: status(200, 201), fails: []string{"all-dbs-admin-only", "basic-auth-curl", "basic-auth-header", "basic-auth-python", "basic-no-colon", "basic-unknown-scheme", "cookie-bad-signature", "cookie-expired", "cookie-issued-to-user-now", "cookie-padded", "cookie-refresh", "cookie-wins-over-basic", "database-anonymous", "database-lifecycle", "database-non-member", "delete-session", "delete-session-curl", "get-session", "get-session-curl", "hash-upgrade-on-login", "lockout", "login-json", "login-next-redirect", "password-scheme-simple-pbkdf2", "python-login-logout", "request-cookie", "request-cookie-curl", "request-id", "require-valid-user", "require-valid-user-except-for-up", "session-anonymous", "session-basic-auth", "session-basic-param", "session-path-variants", "user-lifecycle", "users-db-admin-only"}},
		{rule: "403 answered as 401", edit: status(403, 401), fails: []string{"database-lifecycle", "database-non-member", "lockout", "lockout-forwarded-for", "users-db-admin-only"}},
		{rule: "400 answered as 401", edit: status(400, 401), fails: []string{"basic-bad-base64", "cookie-malformed", "cookie-padded", "login-empty-body", "malformed-credentials-400"}},
		{rule: "no Cache-Control: must-revalidate", edit: dropHeader("Cache-Control"), fails: []string{"delete-session", "request-cookie"}},
		{rule: "Content-Type text/plain", edit: replaceHeader("Content-Type", "application/json", "text/plain; charset=utf-8"), fails: []string{"database-anonymous", "delete-session", "get-session", "session-anonymous"}},
		{rule: "the login reply's ok", edit: replaceBody(`"ok":true`, `"ok":"true"`), fails: []string{"basic-auth-curl", "basic-no-colon", "basic-unknown-scheme", "cookie-bad-signature", "cookie-expired", "cookie-padded", "cookie-refresh", "cookie-wins-over-basic", "database-lifecycle", "database-non-member", "delete-session", "delete-session-curl", "get-session", "get-session-curl", "hash-upgrade-on-login", "lockout", "login-json", "login-next-redirect", "password-scheme-simple-pbkdf2", "python-login-logout", "request-cookie", "request-cookie-curl", "session-anonymous", "session-basic-auth", "session-basic-param", "session-path-variants", "user-lifecycle"}},
		{rule: "the login reply names another user", edit: bodyOn(http.MethodPost, "/_session", 200, `{"ok":true,"name":"someone","roles":[]}`), fails: []string{"database-non-member", "login-json", "python-login-logout", "request-cookie", "request-cookie-curl", "user-lifecycle"}},
		{rule: "the session's authentication method", edit: replaceBody(`"authenticated":"cookie"`, `"authenticated":"default"`), fails: []string{"cookie-refresh", "cookie-wins-over-basic", "get-session", "get-session-curl", "request-cookie-curl"}},
		{rule: "the wrong-password reason", edit: replaceBody(`Name or password is incorrect\.`, "Wrong password."), fails: []string{"basic-unknown-user", "basic-wrong-password", "lockout", "lockout-forwarded-for", "login-missing-password", "login-unknown-user", "login-wrong-password", "request-id"}},
		{rule: "the admin-only reason", edit: replaceBody(`You are not a server admin\.`, "Forbidden."), fails: []string{"all-dbs-admin-only", "database-lifecycle", "python-login-logout", "session-path-variants", "users-db-admin-only"}},
		{rule: "the error name unauthorized", edit: replaceBody(`"error":"unauthorized"`, `"error":"forbidden"`), fails: []string{"all-dbs-admin-only", "basic-no-colon", "basic-unknown-scheme", "basic-unknown-user", "basic-wrong-password", "cookie-bad-signature", "cookie-expired", "database-anonymous", "database-lifecycle", "lockout", "lockout-forwarded-for", "login-missing-password", "login-unknown-user", "login-wrong-password", "python-login-logout", "request-id", "require-valid-user", "require-valid-user-except-for-up", "session-basic-param", "session-path-variants", "users-db-admin-only"}},
		{rule: "no HttpOnly on the cookie", edit: editCookie(`; ?HttpOnly`, ""), fails: []string{"cookie-refresh", "delete-session", "delete-session-curl", "login-json", "login-next-redirect", "request-cookie", "request-cookie-curl"}},
		{rule: "the cookie's Path", edit: editCookie(`Path=/`, "Path=/_session"), fails: []string{"cookie-refresh", "delete-session", "delete-session-curl", "login-json", "login-next-redirect", "request-cookie", "request-cookie-curl"}},
		{rule: "no Expires on the cookie", edit: editCookie(`; ?Expires=[^;]*`, ""), fails: []string{"cookie-issued-to-user-now", "cookie-refresh", "delete-session", "login-json", "request-cookie", "request-cookie-curl"}},
		{rule: "logout keeps the cookie value", edit: keepCookieOnLogout, fails: []string{"delete-session", "delete-session-curl", "python-login-logout"}},
		{rule: "the session survives logout", options: func(o *fakeOptions) { o.Profile = "couchdb-3.5" }, fails: []string{"delete-session", "malformed-credentials-400", "python-login-logout"}, failsOverLoopback: []string{"lockout-forwarded-for"}},
		{rule: "the lockout believes the client's X-Forwarded-For", before: peerFromForwardedFor, fails: []string{"lockout-forwarded-for"}},
		{rule: "no hash upgrade on login, no simple+pbkdf2 (CouchDB 3.4)", options: func(o *fakeOptions) { o.Profile = "couchdb-3.4" }, fails: []string{"delete-session", "hash-upgrade-on-login", "malformed-credentials-400", "password-scheme-simple-pbkdf2", "python-login-logout"}, failsOverLoopback: []string{"lockout-forwarded-for"}},
		{rule: "no lockout, SHA-1 hashes without pbkdf2_prf (CouchDB 3.3)", options: func(o *fakeOptions) { o.Profile = "couchdb-3.3" }, fails: []string{"delete-session", "hash-upgrade-on-login", "lockout", "lockout-forwarded-for", "malformed-credentials-400", "password-scheme-simple-pbkdf2", "python-login-logout", "user-lifecycle"}},
		{rule: "the logout cookie is not expired", edit: editCookie(`Expires=[^;]*; Max-Age=0`, "Expires=Fri, 01 Jan 2100 00:00:00 GMT; Max-Age=600"), fails: []string{"delete-session"}},
		{rule: "Max-Age is not the session lifetime", edit: editCookie(`Max-Age=86400`, "Max-Age=600"), fails: []string{"cookie-issued-to-user-now", "cookie-refresh", "request-cookie", "request-cookie-curl"}},
		{rule: "sessions are not refreshed", edit: dropCookieOn(http.MethodGet, "/_session"), fails: []string{"cookie-refresh"}},
		{rule: "sessions never expire", frozenClock: true, fails: []string{"cookie-expired", "cookie-refresh"}},
		{rule: "no lockout after failed logins", options: func(o *fakeOptions) { o.MaxFailedLogins = -1 }, fails: []string{"lockout", "lockout-forwarded-for"}},
		{rule: "an extra key in JSON bodies", edit: extraJSONKey, fails: []string{"all-dbs-admin-only", "basic-bad-base64", "basic-no-colon", "basic-unknown-scheme", "basic-unknown-user", "basic-wrong-password", "cookie-bad-signature", "cookie-expired", "cookie-malformed", "cookie-padded", "cookie-refresh", "database-anonymous", "database-lifecycle", "database-non-member", "delete-session", "delete-session-curl", "hash-upgrade-on-login", "lockout", "lockout-forwarded-for", "login-empty-body", "login-json", "login-missing-password", "login-next-redirect", "login-unknown-user", "login-unsupported-content-type", "login-wrong-password", "password-scheme-simple-pbkdf2", "python-login-logout", "request-cookie", "request-cookie-curl", "request-id", "require-valid-user", "require-valid-user-except-for-up", "session-anonymous", "session-basic-param", "session-path-variants", "user-lifecycle", "users-db-admin-only"}},
		{rule: "the document is readable by anyone", edit: statusOn(http.MethodGet, "/authtest", 401, 200), fails: []string{"basic-no-colon", "basic-unknown-scheme", "basic-unknown-user", "basic-wrong-password", "cookie-bad-signature", "cookie-expired", "database-anonymous"}},
	}
}
