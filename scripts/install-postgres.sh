#!/usr/bin/env bash
# PostgreSQL for the queue-mode test (test/e2e/queue.test.ts) and `npm run queue`: n8n supports
# queue mode on Postgres only (on SQLite, main and workers write one file from three processes).
# Debian's postgresql; the tests start a throw-away cluster of their own on 127.0.0.1 (never the
# system service). Prints the server's path; installs it with apt-get when it is missing (needs
# root, as in CI).
set -euo pipefail
exec bash "$(dirname "$0")/apt-tool.sh" \
	"${POSTGRES_SERVER:-} /usr/lib/postgresql/*/bin/postgres" \
	postgresql
