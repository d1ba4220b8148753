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
//   - on a CouchDB cluster (DetectCluster, with a server admin): its nodes
//     and whether a balancer spreads requests over them go into
//     specs.Target.Cluster, each --node URL (Config.NodeURLs) must be one
//     node of it, and the cookie preflight (CookiePreflight) stops a run
//     whose nodes hold different password hashes with one line; rules
//     each node keeps on its own (the lockout) are then judged on one node
//     or reported as not judgeable through the balancer (docs/cluster.md);
//   - for a fixture that fails logins: a scratch user takes them (CouchDB
//     with a server admin), else the ledger spends them, one failure below
//     the server's lock (DefaultBudget);
//   - before a request that changes the target: a restore journal is
//     written, so that `authconform restore` (PendingRestores) undoes the
//     change even after the run is killed;
//   - after the restore: a login with the original password verifies it
//     before the journal goes;
//   - after the last fixture: the run's scratch databases are deleted.
//
// States reaches the fixtures' states on a real server from the
// Credentials given for it; it never allows a fixture that locks an
// account.
package live
