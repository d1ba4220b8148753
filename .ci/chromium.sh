#!/usr/bin/env bash
# Installs Debian's chromium for the HTML report's browser test
# (specs/report TestHTMLInChromium), when it is missing and we may.
# Never fails the build: without chromium that test skips itself, and this
# script says why in one line.
set -uo pipefail
if [ -x /usr/bin/chromium ]; then
	echo "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo present)"
	exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
	echo "chromium: not installed and cannot install it here (needs root and apt-get); the HTML browser test will skip"
	exit 0
fi
log=$(mktemp)
if DEBIAN_FRONTEND=noninteractive apt-get update >"$log" 2>&1 &&
	DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >>"$log" 2>&1; then
	echo "chromium: installed $(/usr/bin/chromium --version 2>/dev/null)"
else
	echo "chromium: apt-get install chromium failed (last line: $(tail -n 1 "$log")); the HTML browser test will skip"
fi
rm -f "$log"
exit 0
