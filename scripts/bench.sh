#!/usr/bin/env bash
# Benchmarks that print their figures (nothing here asserts timing; the machines are shared):
#   scripts/bench.sh cold_start   import time of functions/main.py vs the bare SDK modules
#   scripts/bench.sh list_pages   reads and time of page 1 vs page 50 (coach, 5,000 sessions)
#   scripts/bench.sh live         check-in -> member's listener latency vs a raw write's
#   scripts/bench.sh stats        cost per counted change at 10 vs 10,000 sessions, coach hot spot
#   scripts/bench.sh api [n]      create/get/list p50/p95 vs a raw write, auth lookup cost,
#                                 throughput with 1 and 16 clients
#   scripts/bench.sh rules [n]    client reads through firestore.rules, before vs after the
#                                 profile look-up (role and revocation from users/{uid})
#   scripts/bench.sh analysis     analyzer frames/s vs a naive baseline, peak memory 10 s vs 60 s,
#                                 upload -> completed latency vs the analyzer's own time
#   scripts/bench.sh pose [n]     pose (functions_pose/venv): analyzer with pose vs the model alone
#                                 on the same frames, a 10 s clip's analysis time, photo endpoint
#                                 p50/p95 through Hosting vs in-process, peak RSS, cold start of
#                                 the API and of the pose codebase vs their bare SDK imports
#   scripts/bench.sh review [n]   video review, side by side: analyzer with poster and thumbnails
#                                 vs without, GET .../analysis?points=500 p95 vs a raw read of the
#                                 session, comment add -> athlete's listener vs a raw write's
#   scripts/bench.sh notify [n]   notifications: invitation -> invitee's inbox listener vs a raw
#                                 write's (p95 ratio), a class of 200 started -> all 200 inbox docs
#                                 (time) and the Firestore writes of a start and an end, counted
#   scripts/bench.sh delete [n]   deleting an account with 10,000 sessions: time, runs of the
#                                 task's budget, Firestore reads/writes/deletes counted in-process
#   scripts/bench.sh audit [n]    the audit trail's cost: create/update p95 with the entry in the
#                                 same batch vs without, in-process against the emulator
#   scripts/bench.sh capacity [id...] every user action counted (devtools/capacity.py: Firestore
#                                 reads/writes, listeners, Auth, Tasks, Storage, invocations)
#                                 -> docs/capacity/counts.json -> docs/capacity.md
#   scripts/bench.sh load [args]  the reference deployment's mix through Hosting at 1, 2, 4, 8, 16
#                                 clients: per step requests/s, p50/p95/p99 per action, errors by
#                                 status; stops by itself (args: scripts/bench_load.py --help)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source .cache/env.sh

emulator_config() {  # the emulators' config: firebase.json, or one at SESSIONBASE_PORT_OFFSET
  if [ -n "${SESSIONBASE_PORT_OFFSET:-}" ]; then
    python scripts/offset_ports.py "$SESSIONBASE_PORT_OFFSET" \
      > "firebase.offset-$SESSIONBASE_PORT_OFFSET.json"
    echo "firebase.offset-$SESSIONBASE_PORT_OFFSET.json"
  else
    echo firebase.json
  fi
}

start_storage() {  # start_storage CONFIG: the local GCS server and its bridge to the functions
  source scripts/storage_server.sh
  local bucket=demo-sessionbase.appspot.com functions_port
  start_storage_server $((9198 + ${SESSIONBASE_PORT_OFFSET:-0})) "$bucket" .cache/bench-storage.log
  functions_port=$(python -c 'import json, sys; print(json.load(open(sys.argv[1]))["emulators"]["functions"]["port"])' "$1")
  start_storage_bridge "$functions_port" demo-sessionbase "$bucket" .cache/bench-bridge.log
}

# The Functions emulator's chatter: the SDK's discovery servers, a metadata-lookup warning, the
# development server's banner, our functions' INFO log lines (one per request: a load run would
# print thousands; warnings and errors stay); with the pose codebase loaded, mediapipe's C++
# start-up lines, google.api_core's FutureWarning and a discovery GET its task-queue handler refuses.
emulator_noise='^(>  )?(\{"severity": "INFO", |\(node:|\(Use `node|MetadataLookupWarning|    at | \* |127\.0\.0\.1 - - |Terminated$|.*WARNING: This is a development server|.*Press CTRL\+C|$)'
pose_noise='^(>  )?(W0000 |I0000 |INFO: Created TensorFlow|WARNING: All log messages before absl|.*SymbolDatabase.GetPrototype|  warnings.warn\(|.*FutureWarning: You are using a Python version|WARNING:root:Request has invalid method\. GET|ERROR:root:Invalid request, unable to process\.)'
status_lines='^(i |⚠|✔|\[hosting\])'

# Everything a benchmark starts ends with it, as in scripts/test.sh: the emulators run in their
# own session and process group, with the Functions emulator's Python workers (which outlive
# emulators:exec); on exit the group gets SIGTERM, then SIGKILL, and the storage servers go.
# tests/emulator/test_bench_cleanup.py proves that no worker outlives a benchmark.
group=""
cleanup() {
  kill "${STORAGE_SERVER_PID:-}" "${STORAGE_BRIDGE_PID:-}" 2>/dev/null || true
  [ -n "$group" ] || return 0
  kill -TERM -- "-$group" 2>/dev/null || return 0
  for _ in $(seq 1 50); do
    kill -0 -- "-$group" 2>/dev/null || return 0
    sleep 0.2
  done
  kill -KILL -- "-$group" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

suite() {  # suite EMULATORS COMMAND: run COMMAND inside those emulators, their chatter filtered
  local config status=0
  config=$(emulator_config)
  export GCLOUD_PROJECT=demo-sessionbase
  # As scripts/test.sh and scripts/start.sh: the emulator's requests to its Python workers use new
  # sockets (scripts/emulator_no_keepalive.cjs); without it a request can meet a socket gunicorn
  # is closing (a 500, "socket hang up", seen in `load` runs) and the figures are another stack's.
  # Its Python workers' ports come from a range of its own (scripts/emulator_worker_ports.cjs): a
  # benchmark may run beside the test suite's emulators (tests/emulator/test_bench_cleanup.py).
  SESSIONBASE_WORKER_PORTS=24000 \
  NODE_OPTIONS="--require $PWD/scripts/emulator_no_keepalive.cjs --require $PWD/scripts/emulator_worker_ports.cjs ${NODE_OPTIONS:-}" \
    setsid firebase --config "$config" emulators:exec --project demo-sessionbase --only "$1" "$2" \
    < /dev/null > >(grep -vE "$status_lines" | grep -vE "$pose_noise" | grep -vE "$emulator_noise") 2>&1 &
  group=$!
  wait "$group" || status=$?
  cleanup
  group=""
  return "$status"
}

with_functions=auth,firestore,functions,hosting
unset SESSIONBASE_METER  # only `capacity` meters its workers (a suite's test may run a benchmark)
case "${1:-}" in
  cold_start) exec python scripts/bench_cold_start.py ;;
  list_pages) suite firestore "python scripts/bench_list_pages.py" ;;
  rules) suite firestore "env PYTHONPATH=. python scripts/bench_rules.py ${2:+-n $2}" ;;
  audit) suite auth,firestore "env PYTHONPATH=. python scripts/bench_audit.py ${2:+-n $2}" ;;
  live|stats|api) suite "$with_functions" "python scripts/bench_$1.py ${2:+-n $2}" ;;
  analysis)
    python scripts/bench_analysis.py analyzer ${2:+-n $2}
    start_storage "$(emulator_config)"
    suite "$with_functions,tasks" "python scripts/bench_analysis.py pipeline ${2:+-n $2}" ;;
  pose)
    # The pose codebase's interpreter runs it all (the model's venv).
    pose_python="env PYTHONPATH=functions:. functions_pose/venv/bin/python"
    $pose_python scripts/bench_pose.py local ${2:+-n $2} 2>&1 | grep -vE "$pose_noise"
    echo
    suite "$with_functions" "$pose_python scripts/bench_pose.py photo" ;;
  review)
    start_storage "$(emulator_config)"
    suite "$with_functions,tasks" "env PYTHONPATH=. python -u scripts/bench_review.py ${2:+-n $2}" ;;
  load)
    shift
    args=""
    [ $# -eq 0 ] || args=$(printf '%q ' "$@")
    suite "$with_functions,tasks" "env PYTHONPATH=. python -u scripts/bench_load.py $args" ;;
  capacity)
    # The workers count what they do (devtools/meter.py, started by the hook's sitecustomize)
    # into .cache/meter; the rate limits are raised as scripts/test.sh raises them.
    shift
    rm -rf .cache/meter && mkdir -p .cache/meter
    export SESSIONBASE_METER="$PWD/.cache/meter"
    export PYTHONPATH="$PWD/scripts/coverage_hook${PYTHONPATH:+:$PYTHONPATH}"
    export SESSIONBASE_RATE_LIMITS="uploads=1000/h,invitations=1000/h,poses=10000/h,exports=100/d,reports=1000/h"
    start_storage "$(emulator_config)"
    only=""
    [ $# -eq 0 ] || only="--only $(printf '%q ' "$@")"
    suite "$with_functions,tasks" "env PYTHONPATH=. python -u -m devtools.capacity $only"
    python -m devtools.capacity_doc ;;
  notify)
    suite "$with_functions,tasks" "env PYTHONPATH=. python -u scripts/bench_notify.py ${2:+-n $2}" ;;
  delete)
    start_storage "$(emulator_config)"
    suite auth,firestore "env PYTHONPATH=. python -u scripts/bench_delete.py ${2:+--sessions $2}" ;;
  *) echo "usage: scripts/bench.sh cold_start|list_pages|live [n]|stats|api [n]|rules [n]|audit [n]|analysis [n]|pose [n]|review [n]|notify [n]|delete [n]|load [args]|capacity [id...]" >&2; exit 2 ;;
esac
