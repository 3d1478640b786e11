#!/usr/bin/env bash
# Every test layer, in CI order. Fails on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== %s ===\n' "$*"; }

step "format (prettier, the n8n starter's formatter)"
npm run --silent format:check
step "lint (community + credentials + nodes rule sets; typescript-eslint for emulator, tests, scripts; zero warnings)"
npm run --silent lint
step "typecheck (sources, emulator, tests)"
npm run --silent typecheck
step "build"
npm run --silent build
step "unit, description and emulator tests"
npx jest --selectProjects unit
step "real n8n, also in queue mode (installs n8n 2.x and 1.x into the cache, and Debian's redis-server and postgresql, on first use)"
bash scripts/install-n8n.sh >/dev/null
bash scripts/install-redis.sh >/dev/null
bash scripts/install-postgres.sh >/dev/null
# the 1.x line the compatibility test uses (N8N_1X_VERSION in test/e2e/harness.ts)
N8N_VERSION=1.123.81 bash scripts/install-n8n.sh >/dev/null
HALOPSA_SKIP_BUILD=1 npx jest --selectProjects e2e --runInBand
step "the n8n editor in headless Chromium (installs Debian's chromium on first use; screenshots in test-results/editor)"
bash scripts/install-chromium.sh >/dev/null
HALOPSA_SKIP_BUILD=1 npx jest --selectProjects editor --runInBand
