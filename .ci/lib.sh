# shellcheck shell=bash
# What the .ci scripts share; each sources it once it has made its
# temporary folder, $tmp, and sets its own traps:
#
#   trap cleanup EXIT
#   trap 'exit 130' INT TERM

# Background processes to end on exit, and containers to remove then (with
# ${container_tool[@]}, by name).
pids=()
containers=()

log() { printf '== %s\n' "$*"; }

# cleanup: kills and waits for $pids, removes $containers, then $tmp.
# shellcheck disable=SC2154 # tmp and container_tool are the script's
cleanup() {
	local pid
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${pids[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	# One at a time: a bulk rm stops at the first that is already gone.
	local name
	for name in "${containers[@]}"; do
		"${container_tool[@]}" rm -f -t 2 "$name" >/dev/null 2>&1 || true
	done
	rm -rf "$tmp"
}

# serving_url FILE: the URL of the "authconform: serving ... on URL" line
# `authconform serve` wrote to FILE; nothing while there is none.
serving_url() {
	sed -n 's#^authconform: serving .* on \(http://[^ ]*\)$#\1#p' "$1" | head -n 1
}

# published_url NAME PORT PROBE [CURL_OPTION]: sets $url to where
# ${container_tool[@]} published container NAME's PORT on loopback, once a
# GET of PROBE there answers (with -f: with a success status); returns 1
# while it does not.
published_url() {
	local hostport
	hostport="$("${container_tool[@]}" port "$1" "$2" 2>/dev/null | head -n 1)"
	[ -n "$hostport" ] && curl -s ${4:+"$4"} -o /dev/null --max-time 2 "http://$hostport$3" || return 1
	# shellcheck disable=SC2034 # for the caller
	url="http://$hostport"
}
