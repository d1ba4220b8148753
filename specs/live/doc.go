// Package live judges a real server without harming it: Target checks
// the server and the credentials before any fixture and returns a
// specs.Target whose Guard keeps the run safe, in the order it runs:
//
//   - before the run: the state directory is writable, earlier runs'
//     scratch users and databases are deleted, no other restore journal is
//     pending, the server looks like its flavor (Probe), the credentials
//     log in once, counted in the failed-login ledger (so that a wrong
//     password stops the run before a lockout; the ledger of a CouchDB
//     server is keyed by its uuid, one for every URL of a cluster), and
//     what they name exists;
//   - on a CouchDB cluster (with a server admin): its nodes
//     and whether a balancer spreads requests over them go into
//     specs.Target.Cluster, each of Config.NodeURLs must be one node of it,
//     and a cookie preflight (one login, its cookie sent to every node) stops a run
//     whose nodes hold different password hashes with one line; rules
//     each node keeps on its own (the lockout) are then judged on one node
//     or reported as not judgeable through the balancer (docs/cluster.md);
//   - for a fixture that fails logins: a scratch user takes them (CouchDB
//     with a server admin), else the ledger spends them, one failure below
//     the server's lock (Neo4j locks after 3 failures, a success resetting
//     the count; CouchDB after 5 per user within 5 minutes);
//   - before a request that changes the target: a restore journal is
//     written, so that `authconform restore` (PendingRestores) undoes the
//     change even after the run is killed;
//   - after the restore: a login with the original password verifies it
//     before the journal goes;
//   - after the last fixture: the run's scratch databases are deleted.
//
// One server is one ledger and one set of journals however its URL is
// spelled (CanonicalTarget: case, a path, a port with leading zeros, an
// IPv4-mapped IPv6 address), and a CouchDB server that tells its uuid is
// named by it, so that every URL of a cluster (a node's own, a
// balancer's) shares them. The ledger is written to a new file renamed
// over its path, never through a link planted in a shared state
// directory. A refused credential check says the failed login it spent,
// what the ledger counts and after how many the server locks; a ledger in
// a state directory that does not outlive the run (a fresh CI runner)
// cannot count earlier runs, so the message never claims the account is
// safe. The Target's Redactor knows the credentials, and Target's errors
// are masked with it.
//
// States reaches the fixtures' states on a real server from the
// Credentials given for it; it never allows a fixture that locks an
// account.
package live
