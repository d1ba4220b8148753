package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/authconform/authconform/fakeserver"
)

func newServeCmd() *cobra.Command {
	var (
		f    serveFlags
		addr string
	)
	cmd := &cobra.Command{
		Use:   "serve --flavor F",
		Short: "Serve the fake server until SIGINT, SIGTERM or SIGHUP",
		Long: `Serve the fake server, logging one JSON line per request to stderr
(written in batches: a line appears at most 0.1 s after its request).

--user takes name:password[:role,role...]; the role _admin makes a CouchDB
server admin; "!" after the password (neo4j:neo4j!) marks a Neo4j user who
must change it. --token takes TOKEN=USER. --db takes NAME[:public]
[:members=NAME,...][:admins=NAME,...] (members and admins are user names or
roles; without them a database is for server admins only), --security
DB=JSON gives a --db database its exact _security object instead
('shop={"admins":{"names":["bob"]},"members":{"roles":["staff"]}}'), and
--doc DB/ID=JSON seeds a document. --user and --db replace the flavor's
defaults; CouchDB users without the role _admin are also _users documents,
and clients can create more users, databases and documents as on CouchDB.

--nodes N (CouchDB) stands for a cluster behind a load balancer: N nodes
that share users, databases, sessions and the cookie secret, each with its
own failed-login counter and node name (GET /_node/_local, GET
/_membership), listen on the N ports after --addr's, and --addr is a
round-robin balancer in front of them that passes X-Forwarded-For on as
the client wrote it. --own-admin-salts gives each node its own salt for
the server admins, the mistake the run's cluster preflight catches (see
docs/cluster.md).

--addr defaults to the flavor's usual port on loopback: 127.0.0.1:7474 for
Neo4j, 127.0.0.1:5984 for CouchDB. Where AUTHCONFORM_CONTAINER=1 is set, as
the container image does, it defaults to 0.0.0.0 on that port instead, so
that a published port reaches it; it says so when it starts.

--control mounts the control plane for test harnesses. It refuses browsers
(any Origin header, any POST that is not application/json); --control-token
(or AUTHCONFORM_CONTROL_TOKEN) makes it require "Authorization: Bearer
TOKEN", and is required when serve listens beyond loopback, since reset
returns passwords and cookies:
` + controlHelp(),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f.flavor == "" {
				return usagef("serve needs a flavor: --flavor (or AUTHCONFORM_FLAVOR) %s", strings.Join(flavorNames(), ", "))
			}
			o, err := f.options(time.Now())
			if err != nil {
				return err
			}
			fake, err := fakeserver.New(o)
			if err != nil {
				return usageError{err}
			}
			inContainer := os.Getenv("AUTHCONFORM_CONTAINER") == "1"
			if addr == "" {
				addr = defaultAddr(o.Flavor, inContainer)
			}
			if o.ControlPlane && o.ControlToken == "" && !loopbackOnly(addr) {
				return usagef("--control on %s, beyond loopback: set --control-token (or AUTHCONFORM_CONTROL_TOKEN)", addr)
			}
			ls, err := listen(addr, fake.NodeCount())
			if err != nil {
				return err
			}
			if host, port, _ := net.SplitHostPort(addr); inContainer && host == "0.0.0.0" {
				fmt.Fprintf(cmd.OutOrStdout(), "authconform: listening on every interface of the container (AUTHCONFORM_CONTAINER=1); publish the port on loopback only, such as -p 127.0.0.1:%s:%s\n", port, port)
			}
			handlers := []http.Handler{fake}
			if len(ls) > 1 {
				if handlers, err = clusterHandlers(fake, ls); err != nil {
					closeAll(ls)
					return err
				}
			}
			reqLog := fakeserver.NewRequestLog(cmd.ErrOrStderr())
			defer reqLog.Close()
			servers := make([]*http.Server, len(ls))
			errc := make(chan error, len(ls))
			for i, l := range ls {
				servers[i] = fakeserver.NewHTTPServer(fakeserver.LogRequests(handlers[i], reqLog))
				go func() { errc <- servers[i].Serve(l) }()
			}
			// A closed terminal (SIGHUP) stops it as Ctrl-C and kill do: the
			// request log's last lines are written, not lost.
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
			defer stop()
			fmt.Fprintf(cmd.OutOrStdout(), "authconform: serving %s (%s profile) on http://%s\n", o.Flavor, fake.Options().Profile, shownAddr(ls[0].Addr()))
			if len(ls) > 1 {
				fmt.Fprintf(cmd.OutOrStdout(), "authconform: that is a round-robin balancer in front of %d nodes:\n", len(ls)-1)
				for i, l := range ls[1:] {
					fmt.Fprintf(cmd.OutOrStdout(), "authconform: node %d on http://%s\n", i+1, shownAddr(l.Addr()))
				}
			}
			for _, line := range loginHint(fake.Options(), f) {
				fmt.Fprintf(cmd.OutOrStdout(), "authconform: %s\n", line)
			}
			select {
			case err := <-errc:
				return err
			case <-ctx.Done():
			}
			shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			for _, srv := range servers {
				if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
					return err
				}
			}
			_ = reqLog.Close() // every line written before "stopped"
			fmt.Fprintln(cmd.OutOrStdout(), "authconform: stopped")
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.flavor, "flavor", "", "the fake to serve (required): "+orList(fakeserver.Flavors()))
	fl.StringVar(&f.profile, "profile", string(fakeserver.ProfileDocumented), orList(allProfiles()))
	fl.StringVar(&addr, "addr", "", "listen address (default 127.0.0.1:7474 for Neo4j, 127.0.0.1:5984 for CouchDB)")
	fl.StringArrayVar(&f.users, "user", nil, "a user, name:password[:roles] (repeatable; variable AUTHCONFORM_SERVE_USER); replaces the flavor's default users")
	fl.StringArrayVar(&f.tokens, "token", nil, "a bearer token, TOKEN=USER (repeatable; neo4j-query; variable AUTHCONFORM_SERVE_TOKEN)")
	// Not AUTHCONFORM_USER and AUTHCONFORM_TOKEN: run's, the account on a target.
	ownEnv(fl, "user", "AUTHCONFORM_SERVE_USER")
	ownEnv(fl, "token", "AUTHCONFORM_SERVE_TOKEN")
	fl.DurationVar(&f.tokenTTL, "token-ttl", 0, "bearer tokens expire this long after start (0: never)")
	fl.StringArrayVar(&f.dbs, "db", nil, "a database, NAME[:public][:members=a,b][:admins=c] (repeatable; couchdb)")
	fl.StringArrayVar(&f.docs, "doc", nil, "a document, DB/ID=JSON (repeatable; couchdb)")
	fl.StringArrayVar(&f.security, "security", nil, "a database's _security object, DB=JSON (repeatable; couchdb; the DB must be a --db)")
	fl.StringVar(&f.cookieSecret, "cookie-secret", "", "secret that signs session cookies (couchdb; default: random per start)")
	fl.BoolVar(&f.o.AuthDisabled, "auth-disabled", false, "answer every request without authentication (Neo4j)")
	fl.BoolVar(&f.o.RequireValidUser, "require-valid-user", false, "refuse anonymous requests (CouchDB)")
	fl.BoolVar(&f.o.RequireValidUserExceptForUp, "require-valid-user-except-for-up", false, "refuse anonymous requests except GET /_up, without a challenge (CouchDB)")
	fl.DurationVar(&f.o.SessionTTL, "session-timeout", 0, "cookie session lifetime, CouchDB's [chttpd_auth] timeout (CouchDB; default per profile)")
	fl.DurationVar(&f.o.SessionTTL, "session-ttl", 0, "")
	_ = fl.MarkDeprecated("session-ttl", "use --session-timeout, as run does")
	fl.IntVar(&f.o.MaxFailedLogins, "max-failed-logins", 0, "failed logins before an account locks (0: flavor default, -1: never)")
	fl.DurationVar(&f.o.LockDuration, "lock-duration", 0, "how long a locked account stays locked (0: flavor default)")
	fl.Int64Var(&f.o.MaxBodyBytes, "max-body-bytes", 0, "largest request body accepted (0: 1 MiB; at most 16 MiB)")
	fl.DurationVar(&f.o.BodyTimeout, "body-timeout", 0, "how long a request may take to send its body, then 408 (0: 10s)")
	fl.IntVar(&f.o.Nodes, "nodes", 0, "stand for a cluster of N nodes (CouchDB): --addr is a round-robin balancer, the nodes listen on the N ports after it")
	fl.BoolVar(&f.o.OwnAdminSalts, "own-admin-salts", false, "each node salts the server admins' hashes its own way, as before a cluster set-up (CouchDB, with --nodes)")
	fl.BoolVar(&f.o.ControlPlane, "control", false, "mount the control plane under /_authconform/")
	fl.StringVar(&f.o.ControlToken, "control-token", "", "bearer token the control plane requires (default $AUTHCONFORM_CONTROL_TOKEN; required off loopback)")
	return cmd
}

// listen opens addr, and for a cluster of nodes (more than one) the nodes'
// listeners on the ports after addr's (any free ports when addr's is 0).
func listen(addr string, nodes int) ([]net.Listener, error) {
	first, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, usagef("--addr %s: %v", addr, err)
	}
	ls := []net.Listener{first}
	if nodes <= 1 {
		return ls, nil
	}
	host, port, _ := net.SplitHostPort(addr)
	base, _ := strconv.Atoi(port)
	for i := 1; i <= nodes; i++ {
		nodeAddr := net.JoinHostPort(host, "0")
		if base != 0 {
			nodeAddr = net.JoinHostPort(host, strconv.Itoa(base+i))
		}
		l, err := net.Listen("tcp", nodeAddr)
		if err != nil {
			closeAll(ls)
			return nil, usagef("--nodes %d: node %d on %s: %v", nodes, i, nodeAddr, err)
		}
		ls = append(ls, l)
	}
	return ls, nil
}

func closeAll(ls []net.Listener) {
	for _, l := range ls {
		_ = l.Close()
	}
}

// clusterHandlers are a round-robin balancer for ls[0] and the fake's
// nodes for the rest.
func clusterHandlers(fake *fakeserver.Fake, ls []net.Listener) ([]http.Handler, error) {
	urls := make([]string, 0, len(ls)-1)
	handlers := []http.Handler{nil}
	for i, l := range ls[1:] {
		urls = append(urls, "http://"+l.Addr().String())
		handlers = append(handlers, fake.Node(i+1))
	}
	balancer, err := fakeserver.RoundRobin(urls)
	handlers[0] = balancer
	return handlers, err
}

// defaultAddr is the flavor's usual port on loopback, or in a container on
// every interface.
func defaultAddr(flavor fakeserver.Flavor, inContainer bool) string {
	host, port := "127.0.0.1", "7474"
	if flavor == fakeserver.CouchDB {
		port = "5984"
	}
	if inContainer {
		host = "0.0.0.0"
	}
	return net.JoinHostPort(host, port)
}

// shownAddr is a listener's address as a URL host; every interface is
// 0.0.0.0 (net reports a dual-stack listener as [::]).
func shownAddr(a net.Addr) string {
	if tcp, ok := a.(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		return net.JoinHostPort("0.0.0.0", strconv.Itoa(tcp.Port))
	}
	return a.String()
}

// loopbackOnly reports whether addr's host is a loopback address or
// localhost; an empty host listens on every interface.
func loopbackOnly(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host == "" {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// controlHelp lists the control plane's routes for serve --help.
func controlHelp() string {
	var b strings.Builder
	for _, r := range fakeserver.ControlRoutes() {
		fmt.Fprintf(&b, "  %-4s %-21s %-29s %s\n", r.Method, r.Path, r.Body, r.Does)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// serveFlags are serve's flags before they become fakeserver.Options.
type serveFlags struct {
	flavor, profile    string
	users, tokens, dbs []string
	docs, security     []string
	tokenTTL           time.Duration
	cookieSecret       string
	o                  fakeserver.Options
}

// options turns the flags into fakeserver.Options; start dates token expiry.
func (f serveFlags) options(start time.Time) (fakeserver.Options, error) {
	o := f.o
	o.Flavor, o.Profile = fakeserver.Flavor(f.flavor), fakeserver.Profile(f.profile)
	if f.cookieSecret != "" {
		o.CookieSecret = []byte(f.cookieSecret)
	}
	for _, u := range f.users {
		user, err := parseUser(u)
		if err != nil {
			return o, err
		}
		o.Users = append(o.Users, user)
	}
	for _, t := range f.tokens {
		tok, user, ok := strings.Cut(t, "=")
		if !ok || tok == "" || user == "" {
			return o, usagef("--token %q must be TOKEN=USER", t)
		}
		var expires time.Time
		if f.tokenTTL > 0 {
			expires = start.Add(f.tokenTTL)
		}
		o.Tokens = append(o.Tokens, fakeserver.Token{Token: tok, User: user, Expires: expires})
	}
	index := map[string]int{}
	for _, d := range f.dbs {
		db, err := parseDatabase(d)
		if err != nil {
			return o, err
		}
		index[db.Name] = len(o.Databases)
		o.Databases = append(o.Databases, db)
	}
	for _, d := range f.docs {
		path, body, ok := strings.Cut(d, "=")
		db, id, ok2 := strings.Cut(path, "/")
		if !ok || !ok2 || id == "" || !json.Valid([]byte(body)) {
			return o, usagef("--doc %q must be DB/ID=JSON, with valid JSON", d)
		}
		i, known := index[db]
		if !known {
			return o, usagef("--doc %q: no --db %s", d, db)
		}
		if o.Databases[i].Docs == nil {
			o.Databases[i].Docs = map[string]string{}
		}
		o.Databases[i].Docs[id] = body
	}
	for _, s := range f.security {
		db, obj, ok := strings.Cut(s, "=")
		var shape map[string]any
		if !ok || json.Unmarshal([]byte(obj), &shape) != nil || shape == nil {
			return o, usagef("--security %q must be DB=JSON, the JSON an object", s)
		}
		i, known := index[db]
		if !known {
			return o, usagef("--security %q: no --db %s", s, db)
		}
		d := &o.Databases[i]
		if d.Public || len(d.Members) > 0 || len(d.Admins) > 0 || d.Security != "" {
			return o, usagef("--security %q: --db %s already says who may use it (public, members=, admins= or another --security)", s, db)
		}
		d.Security = obj
	}
	return o, nil
}

// parseDatabase reads NAME[:public][:members=a,b][:admins=c].
func parseDatabase(s string) (fakeserver.Database, error) {
	parts := strings.Split(s, ":")
	db := fakeserver.Database{Name: parts[0]}
	if db.Name == "" {
		return db, usagef("--db %q needs a name", s)
	}
	for _, p := range parts[1:] {
		key, list, _ := strings.Cut(p, "=")
		switch key {
		case "public":
			db.Public = true
		case "members":
			db.Members = strings.Split(list, ",")
		case "admins":
			db.Admins = strings.Split(list, ",")
		default:
			return db, usagef("--db %q: %q is not public, members=... or admins=...", s, p)
		}
	}
	return db, nil
}

// parseUser reads name:password[:role,role]; a password ending in "!"
// marks a pending password change.
func parseUser(s string) (fakeserver.User, error) {
	parts := strings.SplitN(s, ":", 3)
	if len(parts) < 2 || parts[0] == "" {
		return fakeserver.User{}, usagef("--user %q must be name:password[:roles]", s)
	}
	u := fakeserver.User{Name: parts[0], Password: parts[1]}
	if strings.HasSuffix(u.Password, "!") {
		u.Password, u.PasswordChangeRequired = strings.TrimSuffix(u.Password, "!"), true
	}
	if len(parts) == 3 && parts[2] != "" {
		u.Roles = strings.Split(parts[2], ",")
	}
	return u, nil
}
