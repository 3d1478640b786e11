#!/usr/bin/env bash
# Redis for the queue-mode test (test/e2e/queue.test.ts) and `npm run queue`: Debian's
# redis-server, started by the test itself on 127.0.0.1 (never as a system service).
# Prints the server's path. Installs with apt-get when it is missing (needs root, as in CI).
set -euo pipefail
find_redis() {
	for candidate in "${REDIS_SERVER:-}" /usr/bin/redis-server /usr/local/bin/redis-server; do
		if [ -n "$candidate" ] && [ -x "$candidate" ]; then
			echo "$candidate"
			return 0
		fi
	done
	return 1
}
if find_redis >/dev/null; then
	find_redis
	exit 0
fi
if [ "$(id -u)" != "0" ]; then
	echo "install-redis: redis-server is missing and this is not root; run: sudo apt-get install redis-server" >&2
	exit 1
fi
echo "[install-redis] apt-get install redis-server" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
# policy-rc.d: the package must not start a system-wide Redis; the tests start their own
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
	chmod +x /usr/sbin/policy-rc.d
	trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get install -y -qq --no-install-recommends redis-server >&2
find_redis || {
	echo "install-redis: apt-get finished but no redis-server binary was found" >&2
	exit 1
}
