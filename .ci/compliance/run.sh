#!/usr/bin/env bash
# Compliance check of a real third-party CouchDB-compatible server:
# pouchdb-server 4.2.0 (npm), judged by `authconform run --flavor couchdb`.
#
#   bash .ci/compliance/run.sh
#
# Steps, all in a temporary folder (mktemp -d; nothing is written to the
# repository, everything is removed on exit):
#   1. npm install pouchdb-server@4.2.0 (--ignore-scripts: the native LevelDB
#      and SQLite modules are not needed, since the server runs --in-memory, and
#      their install scripts would fetch prebuilt binaries from GitHub);
#   2. start it on a free port of 127.0.0.1 (in memory, its config.json and
#      log.txt in the temporary folder) and wait until it answers (bounded);
#   3. set it up through its HTTP API (setup.mjs below): server admin
#      admin/secret (PUT /_config/admins/admin), a non-admin user alice/alicepw
#      in _users, a database "admin-only" whose members are the _admin role, and
#      a public database "db" with a document "document";
#   4. build the CLI from this tree (or use $AUTHCONFORM_BIN, a prebuilt
#      authconform) and run the couchdb suite against the server with the
#      known deviations of .ci/compliance/pouchdb-server-4.2.0.yaml;
#   5. print the report's summary, stop the server, exit with the run's status
#      (0: nothing failed; 1: a fixture failed, an expectation is stale or
#      the target could not be judged; 2: a usage error; see docs/commands-and-flags.md "Exit codes").
#
# Without node or npm it prints "compliance: skipped: node/npm not found" and
# exits 0. Failed logins are budgeted by the CLI (user cache dir, keyed by the
# target URL, so by this run's port); pouchdb-server has no account lockout.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
expect="$here/pouchdb-server-4.2.0.yaml"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "compliance: skipped: node/npm not found"
	exit 0
fi
if ! node -e 'process.exit(typeof fetch === "function" ? 0 : 1)'; then
	echo "compliance: skipped: node $(node --version) found, node >= 18 (global fetch) needed"
	exit 0
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/authconform-compliance.XXXXXX")"

# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$root/.ci/lib.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- 1. install ---------------------------------------------------------------
log "npm install pouchdb-server@4.2.0 (node $(node --version), npm $(npm --version 2>/dev/null))"
mkdir -p "$tmp/npm" "$tmp/server"
(cd "$tmp/npm" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error \
	--prefix "$tmp/npm" pouchdb-server@4.2.0 >"$tmp/npm.log" 2>&1) || {
	echo "compliance: npm install pouchdb-server@4.2.0 failed:"
	tail -n 30 "$tmp/npm.log"
	exit 1
}
start=$(date +%s)

# --- 2. start -------------------------------------------------------------------
port="$(node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')"
url="http://127.0.0.1:$port"
log "starting pouchdb-server --in-memory on $url"
(cd "$tmp/server" && exec node "$tmp/npm/node_modules/pouchdb-server/bin/pouchdb-server" \
	--in-memory --host 127.0.0.1 --port "$port" --config "$tmp/server/config.json" \
	--no-stdout-logs --no-color >"$tmp/server.out" 2>&1) &
server_pid=$!
pids+=("$server_pid")

# --- 3. wait and set up -----------------------------------------------------------
cat >"$tmp/setup.mjs" <<'EOF'
// Waits for pouchdb-server (bounded), then creates the accounts and data the
// suite needs through the HTTP API, and checks them.
const [url, pid] = [process.argv[2], Number(process.argv[3])];
const admin = 'Basic ' + Buffer.from('admin:secret').toString('base64');
const alice = 'Basic ' + Buffer.from('alice:alicepw').toString('base64');

async function req(method, path, { body, auth } = {}) {
  const headers = { Accept: 'application/json' };
  if (auth) headers.Authorization = auth;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(url + path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10000),
  });
  return { status: r.status, text: (await r.text()).trim() };
}

async function step(what, method, path, opts, want) {
  const r = await req(method, path, opts);
  if (!want.includes(r.status)) {
    throw new Error(`${what}: ${method} ${path} answered ${r.status} ${r.text}`);
  }
  console.log(`   ${what}: ${method} ${path} -> ${r.status}`);
  return r;
}

let ready = false;
for (let i = 0; i < 100 && !ready; i++) {           // at most ~30 s
  try { process.kill(pid, 0); } catch { throw new Error('pouchdb-server exited'); }
  try {
    const r = await req('GET', '/');
    ready = r.status === 200 && JSON.parse(r.text)['express-pouchdb'] !== undefined;
  } catch { /* not listening yet */ }
  if (!ready) await new Promise((res) => setTimeout(res, 300));
}
if (!ready) throw new Error(`no answer from ${url} within 30 s`);
console.log(`   ${url} answers`);

await step('server admin admin', 'PUT', '/_config/admins/admin', { body: 'secret' }, [200]);
await step('user alice', 'PUT', '/_users/org.couchdb.user:alice',
  { auth: admin, body: { _id: 'org.couchdb.user:alice', name: 'alice', password: 'alicepw', roles: [], type: 'user' } }, [201]);
await step('admin-only database', 'PUT', '/admin-only', { auth: admin }, [201]);
await step('its members: role _admin', 'PUT', '/admin-only/_security',
  { auth: admin, body: { admins: { names: [], roles: ['_admin'] }, members: { names: [], roles: ['_admin'] } } }, [200]);
await step('public database', 'PUT', '/db', { auth: admin }, [201]);
await step('public document', 'PUT', '/db/document', { auth: admin, body: { authconform: 'a document anyone may read' } }, [201]);

// The set-up the suite relies on.
await step('check: admin-only refuses anonymous', 'GET', '/admin-only', {}, [401]);
await step('check: admin-only admits the admin', 'GET', '/admin-only', { auth: admin }, [200]);
await step('check: document is public', 'GET', '/db/document', {}, [200]);
const s = await step('check: alice logs in', 'GET', '/_session', { auth: alice }, [200]);
if (JSON.parse(s.text).userCtx.name !== 'alice') throw new Error(`alice is not authenticated: ${s.text}`);
EOF
log "setting up users and data"
if ! node "$tmp/setup.mjs" "$url" "$server_pid"; then
	echo "compliance: setting up pouchdb-server failed; its output:"
	tail -n 30 "$tmp/server.out" "$tmp/server/log.txt" 2>/dev/null || true
	exit 1
fi

# --- 4. run the suite -------------------------------------------------------------
if [ -n "${AUTHCONFORM_BIN:-}" ]; then
	bin="$AUTHCONFORM_BIN"
	log "using $bin"
else
	bin="$tmp/authconform"
	log "building the CLI"
	(cd "$root" && go build -o "$bin" ./cmd/authconform)
fi

log "authconform run --flavor couchdb --target $url"
rc=0
"$bin" run --flavor couchdb --target "$url" \
	--user admin --password secret --other-user alice --other-password alicepw \
	--database admin-only --document db/document \
	--expect "$expect" --markdown-report "$tmp/report.md" || rc=$?

# --- 5. summary ---------------------------------------------------------------------
echo
if [ -s "$tmp/report.md" ]; then
	echo "compliance report summary (pouchdb-server 4.2.0 at $url):"
	awk -F'|' '/^\| `/ { f = $2; c = $6; gsub(/^ +| +$|`/, "", f); gsub(/^ +| +$/, "", c); printf "  %-42s %s\n", f, c }' "$tmp/report.md"
	tail -n 1 "$tmp/report.md" | sed 's/^/  /'
else
	echo "compliance: no report was written"
fi
echo "compliance: pouchdb-server 4.2.0: exit status $rc ($(($(date +%s) - start))s after npm install)"
exit "$rc"
