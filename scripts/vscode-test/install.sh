#!/usr/bin/env bash
# Installs what the integration tests need to run a real VS Code offline, and prints nothing else
# on success but one line of `KEY=value` paths (see the end) for the runner.
#
#   code-server (npm: VS Code server + web workbench, its Node extension host runs the tests)
#   playwright-core (npm: drives Debian's headless chromium, which hosts the workbench)
#
# Everything goes into one writable cache folder:
#   RNN_LAB_VSCODE_TEST_CACHE, default ${XDG_CACHE_HOME:-$HOME/.cache}/rnn-lab-vscode-test
# Idempotent: a second call only checks marker files (well under a second).
# Debian prerequisites (chromium, ripgrep, libkrb5-dev, g++, make, python3) are installed with
# apt-get when running as root; otherwise the exact apt-get line is printed and the script exits 1.
# VS Code itself is never downloaded.
set -euo pipefail

CACHE="${RNN_LAB_VSCODE_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rnn-lab-vscode-test}"
CODE_SERVER_VERSION="4.100.3"     # declares engines.node 20, like this project
PLAYWRIGHT_VERSION="1.65.1"
log() { echo "[vscode-test install] $*" >&2; }

# ------------------------------------------------------------------ Debian prerequisites
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v rg >/dev/null || need+=(ripgrep)
[ -e /usr/include/gssapi/gssapi.h ] || need+=(libkrb5-dev)          # kerberos native module
{ command -v g++ >/dev/null && command -v make >/dev/null; } || need+=(g++ make)
command -v python3 >/dev/null || need+=(python3)                     # node-gyp
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "apt-get install ${need[*]}"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "Missing Debian packages for the VS Code integration tests. Run:" >&2
    echo "  sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
fi

# ------------------------------------------------------------------ Node 20 with headers
NODE_BIN="$(command -v node)"
NODE_MAJOR="$("$NODE_BIN" -p 'process.versions.node.split(".")[0]')"
if [ "$NODE_MAJOR" != 20 ]; then
  echo "code-server $CODE_SERVER_VERSION needs Node 20; found $("$NODE_BIN" -v) at $NODE_BIN" >&2
  exit 1
fi
NODE_HEADERS="$(dirname "$(dirname "$(readlink -f "$NODE_BIN")")")"   # <prefix>/include/node/node_version.h
if [ ! -e "$NODE_HEADERS/include/node/node_version.h" ]; then
  echo "Node's C headers are missing under $NODE_HEADERS/include/node (node-gyp would download them)." >&2
  exit 1
fi

export TMPDIR="$CACHE/tmp" npm_config_cache="$CACHE/npm-cache"
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
export npm_config_nodedir="$NODE_HEADERS"         # node-gyp builds against local headers, offline
mkdir -p "$TMPDIR"

# ------------------------------------------------------------------ code-server
CS_ROOT="$CACHE/code-server-$CODE_SERVER_VERSION"
CS="$CS_ROOT/node_modules/code-server"
CS_DONE="$CS_ROOT/.installed"
if [ ! -e "$CS_DONE" ]; then
  log "installing code-server@$CODE_SERVER_VERSION (builds native modules locally; 3-4 minutes on 2 cores)"
  mkdir -p "$CS_ROOT"
  [ -e "$CS_ROOT/package.json" ] || echo '{"name":"rnn-lab-code-server","private":true}' > "$CS_ROOT/package.json"
  (
    set -e
    exec > "$CS_ROOT/install.log" 2>&1
    # node-pty's postinstall runs `npx node-gyp@<ver>`: let npx fetch it without asking.
    # code-server's postinstall refuses to run as root unless unsafe-perm is set.
    export npm_config_yes=true npm_config_unsafe_perm=true
    cd "$CS_ROOT" && npm install --ignore-scripts "code-server@$CODE_SERVER_VERSION"
    cd "$CS/lib/vscode" && npm install --omit=dev --ignore-scripts
    # @vscode/ripgrep's postinstall downloads rg; it skips that when bin/rg exists: use Debian's.
    if [ -d node_modules/@vscode/ripgrep ]; then
      mkdir -p node_modules/@vscode/ripgrep/bin && cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
    fi
    npm rebuild --foreground-scripts            # VS Code's native modules (spdlog, node-pty, kerberos, ...)
    # argon2 builds locally when its prebuild is unreachable; this also runs code-server's
    # postinstall (symlinks and the built-in extensions' dependencies).
    cd "$CS_ROOT" && npm rebuild --foreground-scripts
  ) || { tail -40 "$CS_ROOT/install.log" >&2; log "code-server install failed; log: $CS_ROOT/install.log"; exit 1; }
  for f in "$CS/out/node/entry.js" "$CS/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node"; do
    [ -e "$f" ] || { log "code-server install incomplete: $f missing; log: $CS_ROOT/install.log"; exit 1; }
  done
  touch "$CS_DONE"
fi

# ------------------------------------------------------------------ playwright-core
PW_ROOT="$CACHE/playwright-core-$PLAYWRIGHT_VERSION"
if [ ! -e "$PW_ROOT/node_modules/playwright-core/package.json" ]; then
  log "installing playwright-core@$PLAYWRIGHT_VERSION"
  mkdir -p "$PW_ROOT"
  [ -e "$PW_ROOT/package.json" ] || echo '{"name":"rnn-lab-playwright","private":true}' > "$PW_ROOT/package.json"
  (cd "$PW_ROOT" && npm install "playwright-core@$PLAYWRIGHT_VERSION" >/dev/null)
fi

# The runner (test/integration/runTest.ts) reads these and hands them to the shim through the environment.
echo "RNN_LAB_CODE_SERVER=$CS/out/node/entry.js"
echo "RNN_LAB_PLAYWRIGHT=$PW_ROOT/node_modules/playwright-core"
echo "RNN_LAB_CHROMIUM=$(command -v chromium)"
echo "RNN_LAB_NODE=$NODE_BIN"
