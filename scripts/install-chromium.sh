#!/usr/bin/env bash
# Chromium for the editor test (test/editor): Debian's package, driven by playwright-core.
# Prints the browser's path. Installs with apt-get when it is missing (needs root, as in CI).
set -euo pipefail
find_chromium() {
	for candidate in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser /usr/lib/chromium/chromium; do
		if [ -n "$candidate" ] && [ -x "$candidate" ]; then
			echo "$candidate"
			return 0
		fi
	done
	return 1
}
if find_chromium >/dev/null; then
	find_chromium
	exit 0
fi
if [ "$(id -u)" != "0" ]; then
	echo "install-chromium: Chromium is missing and this is not root; run: sudo apt-get install chromium" >&2
	exit 1
fi
echo "[install-chromium] apt-get install chromium" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends chromium fonts-liberation >&2
find_chromium || {
	echo "install-chromium: apt-get finished but no chromium binary was found" >&2
	exit 1
}
