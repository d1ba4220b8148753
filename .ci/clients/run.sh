#!/usr/bin/env bash
# Client-library checks: existing, unmodified client libraries against
# `authconform serve`.
#
#   bash .ci/clients/run.sh
#
# Builds the CLI once, then for each check starts its own fresh fake
# (`authconform serve --flavor F --addr 127.0.0.1:0`, the URL read from the
# "serving ... on http://ADDR" line) and runs the check with the URL in an
# environment variable; every server is killed on exit. Each check gets its own
# server so that one check's password change or failed logins (CouchDB locks an
# account after repeated failures) cannot leak into another.
#
#   node (node --test, packages pinned in node/package-lock.json, installed with
#   `npm ci` into a temporary copy of node/, so no node_modules is left here):
#     neo4j-3.3    neo4j 2.0.0-RC2 (node-neo4j)          node/neo4j33.test.cjs
#     neo4j-query  @neo4j-labs/experimental-query-api-wrapper 0.0.1-alpha07
#                                                         node/neo4j-query.test.mjs
#     couchdb      nano 11.0.7 (also: a test creates its own database, user
#                  and document and logs in as that user) node/couchdb-nano.test.cjs
#     couchdb      pouchdb-core + pouchdb-adapter-http 9.0.0
#                                                         node/couchdb-pouchdb.test.cjs
#     couchdb      nano 11.0.7 and fetch: a server admin made through
#                  /_node/{node}/_config logs in     node/couchdb-admins.test.cjs
#   go (go test, module go/):
#     couchdb      github.com/go-kivik/kivik/v4 v4.5.2    go/couchdb_kivik_test.go
#
# With CLIENTS_IMAGE set (as .ci/container/run.sh does), each fake is that
# image's `serve` in a container instead, run by $CLIENTS_CONTAINER (default
# podman) with the flavor's port published on a free loopback port.
#
# Without node or npm the node checks are skipped ("skipped: node/npm not
# found") and the Go check still runs. Exit status: 0 when every check that ran
# passed, 1 otherwise. The last line is "clients: N passed, N failed".
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/authconform-clients.XXXXXX")"
image="${CLIENTS_IMAGE:-}"
read -r -a container_tool <<<"${CLIENTS_CONTAINER:-podman}"

# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$root/.ci/lib.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM

slug() { printf '%s' "$1" | tr -c 'A-Za-z0-9.-' '_'; }

summary=()   # one line per check
total_pass=0
total_fail=0
failed=0

record() { # name status pass fail
	summary+=("$(printf '%-44s %-7s %3s passed, %3s failed' "$1" "$2" "$3" "$4")")
	total_pass=$((total_pass + $3))
	total_fail=$((total_fail + $4))
	if [ "$2" = FAIL ]; then failed=1; fi
}

# start_server NAME FLAVOR [serve flags...]: starts a fake, sets $url.
start_server() {
	local name="$1" flavor="$2"
	shift 2
	local out err
	out="$tmp/$(slug "$name").serve.out"
	err="$tmp/$(slug "$name").serve.log"
	if [ -n "$image" ]; then
		start_container "$flavor" "$out" "$err" "$@" && return 0
		echo "could not start the $flavor fake's container for $name:" >&2
		cat "$out" "$err" >&2
		return 1
	fi
	"$tmp/authconform" serve --flavor "$flavor" --addr 127.0.0.1:0 "$@" >"$out" 2>"$err" &
	local pid=$!
	pids+=("$pid")
	url=""
	local i
	for i in $(seq 1 100); do
		url="$(serving_url "$out")"
		[ -n "$url" ] && return 0
		if ! kill -0 "$pid" 2>/dev/null; then break; fi
		sleep 0.1
	done
	echo "could not start the $flavor fake for $name:" >&2
	cat "$out" "$err" >&2
	return 1
}

# start_container FLAVOR OUT ERR [serve flags...]: the image's serve with
# the flavor's port published on a free loopback port; sets $url once the
# published port answers.
start_container() {
	local flavor="$1" out="$2" err="$3"
	shift 3
	local port=7474 name="authconform-clients-$$-${#containers[@]}"
	[ "$flavor" = couchdb ] && port=5984
	containers+=("$name")
	"${container_tool[@]}" run --rm --name "$name" -p "127.0.0.1::$port" "$image" \
		serve --flavor "$flavor" "$@" >"$out" 2>"$err" &
	pids+=("$!")
	url=""
	local i
	for i in $(seq 1 100); do
		if grep -q '^authconform: serving ' "$out" 2>/dev/null && published_url "$name" "$port" /; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

server_log_tail() { # name
	echo "-- last requests the fake for $1 logged:"
	tail -n 20 "$tmp/$(slug "$1").serve.log" 2>/dev/null || true
}

# start_check NAME FLAVOR: says which check starts, and starts its fake
# (sets $url); a fake that does not start fails the check.
start_check() {
	log "$1 ($2)"
	start_server "$1" "$2" && return 0
	record "$1" FAIL 0 1
	return 1
}

# record_check NAME RC PASS FAIL: the check's outcome from its exit status
# and its counts of passed and failed tests; a failed run counts one failure
# at least, and shows what its fake logged last.
record_check() {
	local name="$1" rc="$2" pass="$3" fail="$4"
	if [ "$rc" -ne 0 ]; then
		[ "$fail" -eq 0 ] && fail=1
		server_log_tail "$name"
		record "$name" FAIL "$pass" "$fail"
	else
		record "$name" ok "$pass" "$fail"
	fi
}

# run_node NAME FLAVOR ENVVAR FILE
run_node() {
	local name="$1" flavor="$2" var="$3" file="$4"
	start_check "$name" "$flavor" || return
	local tap rc
	tap="$tmp/$(slug "$name").tap"
	(cd "$tmp/node" && env "$var=$url" timeout 120 node --import ./esm-hook.mjs --test \
		--test-reporter=spec --test-reporter-destination=stdout \
		--test-reporter=tap --test-reporter-destination="$tap" "$file")
	rc=$?
	local pass fail
	pass="$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$tap" 2>/dev/null | tail -n 1)"
	fail="$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$tap" 2>/dev/null | tail -n 1)"
	record_check "$name" "$rc" "${pass:-0}" "${fail:-0}"
}

# run_go NAME FLAVOR ENVVAR DIR
run_go() {
	local name="$1" flavor="$2" var="$3" dir="$4"
	start_check "$name" "$flavor" || return
	local out rc
	out="$tmp/$(slug "$name").gotest"
	(cd "$dir" && env "$var=$url" timeout 300 go test -count=1 -v ./...) | tee "$out"
	rc=${PIPESTATUS[0]}
	local pass fail
	pass="$(grep -c -- '--- PASS:' "$out")"
	fail="$(grep -c -- '--- FAIL:' "$out")"
	record_check "$name" "$rc" "$pass" "$fail"
}

start=$(date +%s)

if [ -n "$image" ]; then
	log "fakes: $image in containers (${container_tool[*]})"
elif ! log "building the CLI" || ! (cd "$root" && go build -o "$tmp/authconform" ./cmd/authconform); then
	echo "clients: go build ./cmd/authconform failed"
	echo "clients: 0 passed, 1 failed"
	exit 1
fi

# --- node clients ---------------------------------------------------------
node_skip=""
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	node_skip="skipped: node/npm not found"
elif ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=6)?0:1)'; then
	node_skip="skipped: node $(node --version) found, node >= 20.6 needed"
fi

if [ -n "$node_skip" ]; then
	log "node clients $node_skip"
	summary+=("$(printf '%-44s %s' "node clients" "$node_skip")")
else
	log "npm ci (node $(node --version), npm $(npm --version 2>/dev/null))"
	mkdir -p "$tmp/node"
	cp "$here"/node/package.json "$here"/node/package-lock.json "$here"/node/*.mjs "$here"/node/*.cjs "$tmp/node/"
	if ! (cd "$tmp/node" && npm ci --no-audit --no-fund --loglevel=error); then
		record "npm ci" FAIL 0 1
	else
		run_node "node neo4j (node-neo4j 2.0.0-RC2)" neo4j-3.3 AUTHCONFORM_NEO4J33_URL neo4j33.test.cjs
		run_node "node query-api-wrapper 0.0.1-alpha07" neo4j-query AUTHCONFORM_NEO4J_QUERY_URL neo4j-query.test.mjs
		run_node "node nano 11.0.7" couchdb AUTHCONFORM_COUCHDB_URL couchdb-nano.test.cjs
		run_node "node pouchdb-adapter-http 9.0.0" couchdb AUTHCONFORM_COUCHDB_URL couchdb-pouchdb.test.cjs
		run_node "node nano 11.0.7 + fetch: server admins" couchdb AUTHCONFORM_COUCHDB_URL couchdb-admins.test.cjs
	fi
fi

# --- go clients -----------------------------------------------------------
run_go "go kivik v4.5.2" couchdb AUTHCONFORM_COUCHDB_URL "$here/go"

echo
echo "client library checks against authconform serve ($(($(date +%s) - start))s):"
for line in "${summary[@]}"; do
	echo "  $line"
done
if [ "$failed" -ne 0 ]; then
	echo "clients: FAILED"
else
	echo "clients: all checks that ran passed"
fi
echo "clients: $total_pass passed, $total_fail failed"
exit "$failed"
