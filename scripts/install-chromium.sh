#!/usr/bin/env bash
# Chromium for the editor test (test/editor): Debian's package, driven by playwright-core.
# Prints the browser's path; installs it with apt-get when it is missing (needs root, as in CI).
set -euo pipefail
exec bash "$(dirname "$0")/apt-tool.sh" \
	"${CHROMIUM_PATH:-} /usr/bin/chromium /usr/bin/chromium-browser /usr/lib/chromium/chromium" \
	chromium fonts-liberation
