#!/usr/bin/env bash
# Start Sessionbase locally: set up (idempotent), start the emulator suite, wait until the REST API
# answers through Hosting, seed demo data, print the URLs and accounts, then stay in the foreground
# until Ctrl-C, which stops the emulators.
#   SESSIONBASE_PORT_OFFSET=N   shift every emulator port by N (to run beside another suite)
#   SESSIONBASE_WITH_STORAGE=1  also start the Storage emulator (needs internet: README, "Online and offline")
#   SESSIONBASE_NO_SEED=1       skip the demo data
#   SESSIONBASE_START_TIMEOUT=S seconds to wait for the API (default 120)
# The emulators' log goes to .cache/emulators.log.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s.%N)
say() { printf '[start] %s\n' "$*" >&2; }
die() { printf '[start] ERROR: %s\n' "$*" >&2; exit 1; }
elapsed() { python -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" \
  "$started" "$(date +%s.%N)"; }

bash scripts/setup.sh
source .cache/env.sh
PROJECT=demo-sessionbase
export GCLOUD_PROJECT=$PROJECT

config=firebase.json
if [ -n "${SESSIONBASE_PORT_OFFSET:-}" ]; then
  # Gitignored (*.local) and apart from test.sh's firebase.offset.json, so a test run with another
  # offset in this checkout cannot rewrite it. firebase-tools takes the directory of --config as
  # the project root, so it must sit here.
  config=firebase.start.local
  python scripts/offset_ports.py "$SESSIONBASE_PORT_OFFSET" > "$config.tmp"
  mv "$config.tmp" "$config"
fi
port() {
  python -c 'import json, sys; print(json.load(open(sys.argv[1]))["emulators"][sys.argv[2]]["port"])' \
    "$config" "$1"
}
HOSTING_PORT=$(port hosting)
HUB_PORT=$(port hub)
GCS_PORT=$((9198 + ${SESSIONBASE_PORT_OFFSET:-0}))

only=auth,firestore,functions,hosting,tasks
if [ "${SESSIONBASE_WITH_STORAGE:-}" = 1 ]; then
  only=$only,storage
fi

# A suite already listening here would answer our readiness check: refuse instead of mixing them up.
for p in "$HOSTING_PORT" "$HUB_PORT" "$GCS_PORT"; do
  if python -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' \
    "$p" 2>/dev/null; then
    die "port $p is in use (another emulator suite?): stop it or set SESSIONBASE_PORT_OFFSET."
  fi
done

mkdir -p .cache
log=.cache/emulators.log
emulators=""  # firebase-tools' pid, leader of its own process group
detached=""   # its children outside that group (the Firestore java)

stop() {
  trap - INT TERM EXIT
  if [ -n "$emulators" ] && kill -0 "$emulators" 2>/dev/null; then
    say "stopping the emulators..."
    kill -INT "$emulators" 2>/dev/null || true
    for _ in $(seq 1 60); do
      kill -0 "$emulators" 2>/dev/null || break
      sleep 0.5
    done
    kill -TERM -- "-$emulators" 2>/dev/null || true
  fi
  # Whatever of ours is left goes too: function workers stay in the group; the Firestore java has
  # a group of its own and outlives a firebase-tools that crashed.
  [ -z "$emulators" ] || kill -KILL -- "-$emulators" 2>/dev/null || true
  for pid in $detached; do
    case $(ps -o ppid= -p "$pid" 2>/dev/null | tr -d ' ') in
      1 | "$emulators") kill -TERM "$pid" 2>/dev/null || true ;;
    esac
  done
  [ -z "${STORAGE_SERVER_PID:-}" ] || kill "$STORAGE_SERVER_PID" 2>/dev/null || true
  [ -z "${STORAGE_BRIDGE_PID:-}" ] || kill "$STORAGE_BRIDGE_PID" 2>/dev/null || true
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

if [ "${SESSIONBASE_WITH_STORAGE:-}" != 1 ]; then
  # Offline: a GCS-compatible server holds object bytes; the functions inherit STORAGE_EMULATOR_HOST.
  source scripts/storage_server.sh
  start_storage_server "$GCS_PORT" "$PROJECT.appspot.com" \
    .cache/storage-server.log || die "the GCS-compatible storage server did not start"
  start_storage_bridge "$(port functions)" "$PROJECT" "$PROJECT.appspot.com" .cache/storage-bridge.log
fi

say "starting emulators ($only) with $config; log: $log"
# Own session and process group: stop() can reach the workers it spawns, and Ctrl-C reaches
# firebase-tools only through stop(), once.
# scripts/emulator_no_keepalive.cjs: why the emulator's requests to its workers use new sockets.
NODE_OPTIONS="--require $(pwd)/scripts/emulator_no_keepalive.cjs --require $(pwd)/scripts/emulator_worker_ports.cjs ${NODE_OPTIONS:-}" \
  setsid firebase --config "$config" emulators:start --project "$PROJECT" --only "$only" \
  < /dev/null > "$log" 2>&1 &
emulators=$!

remember_detached() {
  local found
  found=$(ps -eo pid=,ppid=,pgid= | awk -v p="$emulators" '$2 == p && $3 != p { print $1 }')
  detached=$(printf '%s\n' $detached $found | sort -u | tr '\n' ' ')
}

failed() {
  say "$1; the end of $log:"
  tail -n 40 "$log" >&2
  exit 1
}

# Ready = the Hosting rewrite reaches the api function, which refuses a request without a token.
api="http://127.0.0.1:$HOSTING_PORT/api/sessions"
deadline=$(( $(date +%s) + ${SESSIONBASE_START_TIMEOUT:-120} ))
until python - "$api" <<'EOF' 2>/dev/null
import json, sys, urllib.error, urllib.request
try:
    urllib.request.urlopen(sys.argv[1], timeout=5)
except urllib.error.HTTPError as reply:
    sys.exit(not (reply.code == 401 and json.load(reply).get("code") == "unauthenticated"))
sys.exit(1)
EOF
do
  kill -0 "$emulators" 2>/dev/null || failed "the emulators exited during start-up"
  [ "$(date +%s)" -lt "$deadline" ] || failed "GET $api did not answer 401 in time"
  remember_detached
  sleep 0.5
done
say "REST API ready after $(elapsed) s"
remember_detached

export FIREBASE_EMULATOR_HUB=127.0.0.1:$HUB_PORT
if [ "${SESSIONBASE_NO_SEED:-}" != 1 ]; then
  python -m devtools.seed || failed "seeding failed"
  say "seeded; a seeded user's GET /api/sessions answered within $(elapsed) s of start"
fi

# Print every origin as the hub lists it (the Tasks port and any port firebase-tools picked itself).
python - "$PROJECT" <<'EOF'
import json, os, sys, urllib.request

from devtools.seed import DOMAIN, PASSWORD

project = sys.argv[1]
listing = json.load(urllib.request.urlopen(f"http://{os.environ['FIREBASE_EMULATOR_HUB']}/emulators"))
url = {name: f"http://{info['host']}:{info['port']}" for name, info in listing.items()}
rows = [
    ("Hosting (web origin)", url["hosting"]),
    ("REST API", f"{url['hosting']}/api"),
    ("Callables", f"{url['functions']}/{project}/us-central1/<name>"),
    ("Auth", url["auth"]),
    ("Firestore", url["firestore"]),
    ("Functions", url["functions"]),
    ("Cloud Tasks", url["tasks"]),
    ("Storage", url.get("storage", "emulator not started (SESSIONBASE_WITH_STORAGE=1, online)")),
    ("GCS server (offline)", os.environ.get("STORAGE_EMULATOR_HOST", "-")),
    ("Emulator hub", url["hub"]),
]
print()
for label, value in rows:
    print(f"  {label:<21} {value}")
print(f"""
  Project {project}. An ID token, then the API:
    curl -s '{url['auth']}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=any' \\
      -H 'Content-Type: application/json' \\
      -d '{{"email": "athlete.ben@{DOMAIN}", "password": "{PASSWORD}", "returnSecureToken": true}}'
    curl -H 'Authorization: Bearer <idToken>' {url['hosting']}/api/sessions""")
EOF
echo
say "running; Ctrl-C stops the emulators (log: $log)"
status=0
wait "$emulators" || status=$?
failed "the emulators exited (status $status)"
