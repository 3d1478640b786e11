#!/usr/bin/env bash
# Redis for the queue-mode test (test/e2e/queue.test.ts) and `npm run queue`: Debian's
# redis-server, started by them on 127.0.0.1 (never as a system service).
# Prints the server's path; installs it with apt-get when it is missing (needs root, as in CI).
set -euo pipefail
exec bash "$(dirname "$0")/apt-tool.sh" \
	"${REDIS_SERVER:-} /usr/bin/redis-server /usr/local/bin/redis-server" \
	redis-server
