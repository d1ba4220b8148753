#!/usr/bin/env bash
# The container image, tested: builds it (make image), then
#
#   1. for each flavor, starts the image's default command (serve) with
#      AUTHCONFORM_FLAVOR=F and AUTHCONFORM_CONTROL=true, its port published
#      on loopback, and runs the whole suite against it
#      (`authconform run --target ... --control`, from the host);
#   2. runs the client libraries (.ci/clients/run.sh) against the image's
#      serve, one container per check;
#   3. runs `authconform run` from the image against a `serve` on the host
#      (--network host: the container shares the host's loopback).
#
#   bash .ci/container/run.sh        # or: make container
#
# Runtime: podman with runc (installed with apt-get where it is missing and
# we are root), and a containers.conf with default_ulimits = [] (crun and
# the default ulimits fail on this machine kind; see shared/CONTAINERS.md);
# else docker where its daemon answers. Without either it prints one line,
# "container: skipped: ...", and exits 0. The last line is
# "container: N passed, N failed".
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/authconform-container.XXXXXX")"
image="${IMAGE:-localhost/authconform:ci}"

# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$root/.ci/lib.sh"

skip() {
	echo "container: skipped: $*"
	rm -rf "$tmp"
	exit 0
}

if ! command -v podman >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
	log "installing podman and runc from Debian"
	(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc) >"$tmp/apt.log" 2>&1 ||
		tail -n 3 "$tmp/apt.log"
fi
if command -v podman >/dev/null 2>&1; then
	container_tool=(podman)
	if command -v runc >/dev/null 2>&1; then
		container_tool+=(--runtime runc)
	fi
	if [ -z "${CONTAINERS_CONF:-}" ]; then
		printf '[containers]\ndefault_ulimits = []\n' >"$tmp/containers.conf"
		# runc for plain `podman` too, as the README's recipes call it.
		if command -v runc >/dev/null 2>&1; then
			printf '[engine]\nruntime = "runc"\n' >>"$tmp/containers.conf"
		fi
		export CONTAINERS_CONF="$tmp/containers.conf"
	fi
	build_tool=podman
elif command -v docker >/dev/null 2>&1 && timeout 10 docker info >/dev/null 2>&1; then
	container_tool=(docker)
	build_tool=docker
else
	skip "no container runtime: podman could not be installed and no docker daemon answers"
fi

trap cleanup EXIT
trap 'exit 130' INT TERM

passed=0
failed=0
results=()
record() { # name ok|FAIL detail
	results+=("$(printf '%-56s %-4s %s' "$1" "$2" "$3")")
	if [ "$2" = ok ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}

start=$(date +%s)
log "make image IMAGE=$image (${container_tool[*]})"
if ! (cd "$root" && make --no-print-directory image IMAGE="$image" CONTAINER_TOOL="$build_tool") >"$tmp/image.log" 2>&1; then
	tail -n 20 "$tmp/image.log"
	# A runtime that cannot even build FROM scratch is no runtime.
	skip "${container_tool[*]} could not build the image (log above)"
fi
bin="$root/bin/rootfs/usr/local/bin/authconform"

if out="$("${container_tool[@]}" run --rm "$image" version 2>&1)" && [[ "$out" == "authconform "* ]]; then
	record "image: version" ok "$out"
else
	record "image: version" FAIL "$out"
fi

# The control plane of a serve beyond loopback (0.0.0.0 in the container)
# needs a token: serve refuses --control without one there.
control_token="ci-$$-$RANDOM$RANDOM"

# serve_container FLAVOR: the image's serve, control plane on, its port on a
# free loopback port; sets $url.
serve_container() {
	local flavor="$1" port=7474 name="authconform-ci-$$-${#containers[@]}"
	[ "$flavor" = couchdb ] && port=5984
	containers+=("$name")
	url=""
	# Configured by variables alone, as a CI services: block does it.
	"${container_tool[@]}" run -d --rm --name "$name" -p "127.0.0.1::$port" \
		-e AUTHCONFORM_FLAVOR="$flavor" -e AUTHCONFORM_CONTROL=true \
		-e AUTHCONFORM_CONTROL_TOKEN="$control_token" "$image" >/dev/null || return 1
	local i
	for i in $(seq 1 100); do
		published_url "$name" "$port" /_authconform/healthz -f && return 0
		sleep 0.1
	done
	return 1
}

count_line() { grep -E '^[0-9]+ passed, [0-9]+ failed, ' "$1" | tail -n 1; }

# record_suite NAME RC: a suite run's outcome from its exit status and
# $tmp/run.out (its count line; its last 30 lines too when it failed).
record_suite() {
	if [ "$2" -eq 0 ]; then
		record "$1" ok "$(count_line "$tmp/run.out")"
	else
		tail -n 30 "$tmp/run.out"
		record "$1" FAIL "exit $2: $(count_line "$tmp/run.out")"
	fi
}

# record_script NAME WORD OUT RC: a script's outcome from its exit status
# and its output OUT, which it shows, ending "WORD: N passed, N failed".
record_script() {
	local counts
	cat "$3"
	counts="$(grep "^$2: [0-9]* passed" "$3" | tail -n 1)"
	counts="${counts#"$2: "}"
	if [ "$4" -eq 0 ]; then
		record "$1" ok "$counts"
	else
		record "$1" FAIL "exit $4: $counts"
	fi
}

for flavor in neo4j-3.3 neo4j-query couchdb; do
	name="suite against the image's serve: $flavor"
	log "$name"
	if ! serve_container "$flavor"; then
		record "$name" FAIL "the container did not answer on its published port"
		continue
	fi
	cname="${containers[-1]}"
	# The log may reach `podman logs` a moment after the port answers.
	for i in $(seq 1 50); do
		logs="$("${container_tool[@]}" logs "$cname" 2>&1)"
		[[ "$logs" == *"listening on every interface of the container"* ]] && break
		sleep 0.1
	done
	if [[ "$logs" != *"listening on every interface of the container"* ]]; then
		record "$name" FAIL "serve did not say it listens on every interface"
		continue
	fi
	"$bin" run --flavor "$flavor" --target "$url" --control --control-token "$control_token" --allow-destructive --timeout 5s >"$tmp/run.out" 2>&1
	record_suite "$name" $?
	"${container_tool[@]}" rm -f -t 2 "$cname" >/dev/null 2>&1
done

log "client libraries against the image's serve"
CLIENTS_IMAGE="$image" CLIENTS_CONTAINER="${container_tool[*]}" bash "$root/.ci/clients/run.sh" >"$tmp/clients.out" 2>&1
record_script "client libraries against the image's serve" clients "$tmp/clients.out" $?

# The image's run against a serve on the host, for each flavor.
declare -A creds=(
	[neo4j-3.3]="--user neo4j --password neo4j --allow-destructive"
	[neo4j-query]="--user neo4j --password verysecret --token xbhkjnlvianztghqwawxqfe"
	[couchdb]="--user admin --password secret --other-user alice --other-password alicepw --database authtest --document db/document"
)
for flavor in neo4j-3.3 neo4j-query couchdb; do
	name="the image's run against serve on the host: $flavor"
	log "$name"
	"$bin" serve --flavor "$flavor" --addr 127.0.0.1:0 >"$tmp/serve.out" 2>/dev/null &
	pids+=("$!")
	url=""
	for i in $(seq 1 100); do
		url="$(serving_url "$tmp/serve.out")"
		[ -n "$url" ] && break
		sleep 0.1
	done
	# shellcheck disable=SC2086 # the credentials are words
	"${container_tool[@]}" run --rm --network host "$image" run --flavor "$flavor" --target "$url" ${creds[$flavor]} --timeout 5s >"$tmp/run.out" 2>&1
	record_suite "$name" $?
	kill "${pids[-1]}" 2>/dev/null
	wait "${pids[-1]}" 2>/dev/null
done

# The recipes of README.md and docs/, verbatim, with the image under the
# name they use; podman's socket serves Testcontainers for Node.
log "README and docs container recipes"
if [ "$build_tool" = podman ] && podman tag "$image" localhost/authconform:dev; then
	bash "$here/recipes.sh" >"$tmp/recipes.out" 2>&1
	record_script "README and docs recipes" recipes "$tmp/recipes.out" $?
else
	record "README and docs recipes" FAIL "they need podman (for its Docker-compatible socket) and the image as localhost/authconform:dev"
fi

echo
echo "container checks with ${container_tool[*]} ($(($(date +%s) - start))s):"
for line in "${results[@]}"; do echo "  $line"; done
echo "container: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
