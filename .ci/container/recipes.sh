#!/usr/bin/env bash
# The container recipes of README.md and docs/, run verbatim: each file's
# blocks marked "```sh runnable-container" as one script, then each block
# marked "```js runnable-node" as an ES module with testcontainers from npm,
# against podman's Docker-compatible socket. Each runs in a fresh folder
# outside the checkout.
#
#   bash .ci/container/recipes.sh    # .ci/container/run.sh calls it
#
# Needs the image as localhost/authconform:dev (the name the recipes use;
# run.sh tags its image so), podman (or docker) as the recipes call it, and
# for the Node recipes node and npm. The last line is
# "recipes: N passed, N failed"; exit status 1 when one failed.
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/authconform-recipes.XXXXXX")"
testcontainers="${TESTCONTAINERS_VERSION:-11.14.0}" # 12.x needs Node 22

# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$root/.ci/lib.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM

passed=0
failed=0
record() { # name ok|FAIL detail
	printf '  %-60s %-4s %s\n' "$1" "$2" "$3" >>"$tmp/results"
	if [ "$2" = ok ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}

# record_run NAME RC: a recipe's outcome from its exit status and $tmp/out
# (its last line when it passed, all of it when it failed).
record_run() {
	if [ "$2" -eq 0 ]; then
		record "$1" ok "$(tail -n 1 "$tmp/out")"
	else
		cat "$tmp/out"
		record "$1" FAIL "exit $2"
	fi
}

# blocks FILE MARK: the bodies of FILE's code blocks whose info string is
# MARK, separated by a NUL.
blocks() {
	awk -v mark="$2" '
		$0 == "```" mark { inside = 1; next }
		inside && $0 == "```" { inside = 0; printf "%c", 0; next }
		inside { print }
	' "$1"
}

docs=("$root/README.md" "$root"/docs/*.md)

for doc in "${docs[@]}"; do
	script="$(blocks "$doc" "sh runnable-container" | tr '\0' '\n')"
	[ -n "$script" ] || continue
	name="${doc#"$root"/}: container recipes"
	dir="$tmp/sh-$(basename "$doc" .md)"
	mkdir -p "$dir"
	printf 'set -euo pipefail\n%s\n' "$script" >"$tmp/recipe.sh"
	(cd "$dir" && timeout 300 bash "$tmp/recipe.sh") >"$tmp/out" 2>&1
	record_run "$name" $?
done

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	record "Node recipes" FAIL "node and npm are needed"
elif ! command -v podman >/dev/null 2>&1; then
	record "Node recipes" FAIL "podman is needed for its Docker-compatible socket"
else
	sock="$tmp/podman.sock"
	podman system service --time=0 "unix://$sock" >"$tmp/service.log" 2>&1 &
	pids+=("$!")
	for _ in $(seq 1 100); do [ -S "$sock" ] && break; sleep 0.1; done
	npmdir="$tmp/node"
	mkdir -p "$npmdir"
	if ! (cd "$npmdir" && npm init -y >/dev/null && npm install --no-audit --no-fund "testcontainers@$testcontainers") >"$tmp/npm.log" 2>&1; then
		tail -n 20 "$tmp/npm.log"
		record "npm install testcontainers@$testcontainers" FAIL "see above"
	else
		n=0
		for doc in "${docs[@]}"; do
			while IFS= read -r -d '' block; do
				n=$((n + 1))
				printf '%s\n' "$block" >"$npmdir/recipe-$n.mjs"
				name="${doc#"$root"/}: Node recipe $n (testcontainers $testcontainers, node $(node --version))"
				(cd "$npmdir" && DOCKER_HOST="unix://$sock" TESTCONTAINERS_RYUK_DISABLED=true \
					timeout 300 node "recipe-$n.mjs") >"$tmp/out" 2>&1
				record_run "$name" $?
			done < <(blocks "$doc" "js runnable-node")
		done
	fi
fi

echo "recipes of README.md and docs/:"
cat "$tmp/results"
echo "recipes: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
