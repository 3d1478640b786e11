#!/usr/bin/env bash
# Finds a program that comes from Debian's packages, or installs it with apt-get (needs root,
# as in CI). Used by install-chromium.sh, install-redis.sh and install-postgres.sh.
# Usage: apt-tool.sh "<candidate paths>" <package> [more packages]. Prints the program's path.
set -euo pipefail
candidates="$1"
shift
find_tool() {
	for candidate in $candidates; do
		if [ -x "$candidate" ]; then
			echo "$candidate"
			return 0
		fi
	done
	return 1
}
if find_tool; then
	exit 0
fi
if [ "$(id -u)" != "0" ]; then
	echo "apt-tool: none of $candidates exists and this is not root; run: sudo apt-get install $*" >&2
	exit 1
fi
echo "[apt-tool] apt-get install $*" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
# policy-rc.d: a package must not start a system-wide service (Redis); the tests start their own
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
	chmod +x /usr/sbin/policy-rc.d
	trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get install -y -qq --no-install-recommends "$@" >&2
find_tool || {
	echo "apt-tool: apt-get finished but none of $candidates exists" >&2
	exit 1
}
