#!/usr/bin/env bash
# Run the whole test suite (domain, adapter and emulator tiers) inside the real emulator suite.
# Extra arguments go to pytest, e.g. scripts/test.sh -k sessions -x
# SESSIONBASE_PORT_OFFSET=N shifts every emulator port by N (to run beside another suite).
# The emulators' own log goes to test-results/emulators.log; pytest's output is shown live.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source .cache/env.sh
export GCLOUD_PROJECT=demo-sessionbase
# Runs at different offsets in one checkout keep their own config and logs.
suffix=${SESSIONBASE_PORT_OFFSET:+-$SESSIONBASE_PORT_OFFSET}
config=firebase.json
if [ -n "$suffix" ]; then
  config=firebase.offset$suffix.json
  python scripts/offset_ports.py "$SESSIONBASE_PORT_OFFSET" > "$config"
fi
mkdir -p test-results
pytest_log=test-results/pytest$suffix.log
emulators_log=test-results/emulators$suffix.log
source scripts/storage_server.sh
start_storage_server $((9198 + ${SESSIONBASE_PORT_OFFSET:-0})) demo-sessionbase.appspot.com \
  "test-results/storage-server$suffix.log"
: > "$pytest_log"
tail -n +1 -f "$pytest_log" &
tailer=$!
suite=""
cleanup() {
  kill "$tailer" "$STORAGE_SERVER_PID" 2>/dev/null || true
  # Python function workers can outlive emulators:exec; they share its process group.
  if [ -n "$suite" ]; then
    kill -TERM -- "-$suite" 2>/dev/null || true
    sleep 1
    kill -KILL -- "-$suite" 2>/dev/null || true
  fi
}
trap cleanup EXIT
status=0
# Storage stays out: its rules runtime is downloaded from the internet (README, "Online and offline").
setsid firebase --config "$config" emulators:exec --project demo-sessionbase \
  --only auth,firestore,functions,hosting,tasks \
  "python -m pytest $(printf '%q ' "$@") > $pytest_log 2>&1" \
  < /dev/null > "$emulators_log" 2>&1 &
suite=$!
wait "$suite" || status=$?
sleep 1
if [ "$status" -ne 0 ] && ! grep -qE "(passed|failed|error)" "$pytest_log"; then
  echo "The emulator suite failed before the tests ran; its log:" >&2
  tail -n 60 "$emulators_log" >&2
fi
exit "$status"
