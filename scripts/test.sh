#!/usr/bin/env bash
# Run the whole test suite (the unit and emulator tiers) inside the real emulator suite.
# Extra arguments go to pytest, e.g. scripts/test.sh -k sessions -x
# SESSIONBASE_PORT_OFFSET=N shifts every emulator port by N (to run beside another suite).
# SESSIONBASE_COVERAGE=0 runs without measuring coverage.
# The whole suite runs its emulator tier in two emulator suites side by side (a second at the
# offset + 50), each a share of the test files (below).
# The emulators' own log goes to test-results/emulators.log; pytest's output is shown live.
# Coverage of functions/sessionbase (README, "Coverage"): the pytest process measures the unit
# tier, the Functions emulator's Python workers measure the emulator tier; the figures and
# their floors are printed at the end, and a run of the whole suite fails under a floor.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source .cache/env.sh
ROOT=$(pwd)
export GCLOUD_PROJECT=demo-sessionbase
# Runs at different offsets in one checkout keep their own config and logs.
suffix=${SESSIONBASE_PORT_OFFSET:+-$SESSIONBASE_PORT_OFFSET}
config=firebase.json
if [ -n "$suffix" ]; then
  config=firebase.offset$suffix.json
  # Hosting serves a copy of the app as built now (setup.sh, above): runs side by side share this
  # checkout, and another's `npm run build` empties app/dist and renames every chunk.
  site=.cache/site$suffix
  rm -rf "$site.tmp" && cp -r app/dist "$site.tmp" && rm -rf "$site" && mv "$site.tmp" "$site"
  python scripts/offset_ports.py "$SESSIONBASE_PORT_OFFSET" "$site" > "$config"
fi
mkdir -p test-results
pytest_log=test-results/pytest$suffix.log
emulators_log=test-results/emulators$suffix.log
# A share run by a whole suite (SESSIONBASE_SHARE_OF set) measures into that run's directory and
# leaves the figures to it.
coverage_dir=${SESSIONBASE_SHARE_OF:-test-results/coverage$suffix}
source scripts/storage_server.sh
start_storage_server $((9198 + ${SESSIONBASE_PORT_OFFSET:-0})) demo-sessionbase.appspot.com \
  "test-results/storage-server$suffix.log"
functions_port=$(python -c 'import json, sys; print(json.load(open(sys.argv[1]))["emulators"]["functions"]["port"])' "$config")
start_storage_bridge "$functions_port" demo-sessionbase demo-sessionbase.appspot.com \
  "test-results/storage-bridge$suffix.log"
: > "$pytest_log"
tail -n +1 -f "$pytest_log" &
tailer=$!
suite=""
# Python function workers can outlive emulators:exec; they share its process group. They save
# their coverage data when they exit on SIGTERM, so give them time before killing what is left.
stop_workers() {
  [ -n "$suite" ] || return 0
  kill -TERM -- "-$suite" 2>/dev/null || return 0
  for _ in $(seq 1 50); do
    kill -0 -- "-$suite" 2>/dev/null || return 0
    sleep 0.2
  done
  kill -KILL -- "-$suite" 2>/dev/null || true
}
cleanup() {
  kill "$tailer" "$STORAGE_SERVER_PID" "$STORAGE_BRIDGE_PID" 2>/dev/null || true
  wait "$STORAGE_SERVER_PID" "$STORAGE_BRIDGE_PID" 2>/dev/null || true  # their ports are free
  # A share still running (this run interrupted) ends its own suite when told to stop.
  [ -z "${share:-}" ] || { kill -TERM "$share" 2>/dev/null; wait "$share" 2>/dev/null; } || true
  stop_workers
}
trap cleanup EXIT

# Two passes, each in its own emulator suite. The first runs the tiers with the built-in analyzer;
# the second (tests/backend) restarts the suite with an analysis backend configured, which the
# tests play (README, "Tests"). Arguments naming tests/backend select the second pass only;
# arguments that select other tests (-k, -m, paths, --lf...) the first only; the whole suite
# (no arguments, or options such as -q or -x) runs both.
selecting=0
for arg in "$@"; do
  case $arg in
    -k* | -m* | --deselect* | --ignore* | --lf | --last-failed | --sw | --stepwise* | \
      --co | --collect-only | -[!-]*[km]* | [!-]*) selecting=1 ;;
  esac
done
main_args=("$@" --ignore=tests/backend --ignore=tests/pose)
backend_args=("$@" tests/backend)
pose_args=("$@" tests/pose)
unit_args=()
# The whole suite runs the unit tier (no emulators) in a process of its own beside the emulator
# pass, which then leaves it out: its minute of CPU overlaps the emulators' start and the
# browser tier's waiting (docs/decisions.md, "Cold start and local development").
[ "$selecting" -eq 0 ] && { unit_args=("$@" tests/unit); main_args+=(--ignore=tests/unit); }
# The whole suite's log names its slowest tests (CI keeps under 20 minutes: where time goes).
[ "$selecting" -eq 0 ] && main_args+=(--durations=30)
[ "$selecting" -eq 0 ] || { backend_args=(); pose_args=(); }
for arg in "$@"; do
  case $arg in
    *tests/backend*) main_args=(); pose_args=(); unit_args=(); backend_args=("$@") ;;
    *tests/pose*) main_args=(); backend_args=(); unit_args=(); pose_args=("$@") ;;
  esac
done
# The test plays the analysis backend on a port free now (a fixed one could be held by a
# Functions worker of another run); the emulators are told it before they start.
backend_port=$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
hosting_port=$(python -c 'import json, sys; print(json.load(open(sys.argv[1]))["emulators"]["hosting"]["port"])' "$config")

pytest_env="env"
# Tests make many requests as one person (a coach inviting a class): the rate limits are raised
# (tests/emulator/test_rate_limits.py reads them from here). An instance keeps a user's Auth
# record 2 s instead of 30, so that a test of a console change waits that long; a class's
# check-ins are counted every 0.5 s instead of 2, so that the capacity harness's class (its
# check-ins an interval apart) takes 16 s, not 60.
suite_env=("SESSIONBASE_TEST_PASS=main"
  "SESSIONBASE_RATE_LIMITS=uploads=1000/h,invitations=1000/h,poses=10000/h,exports=100/d,reports=1000/h"
  "SESSIONBASE_AUTH_RECORD_SECONDS=2"
  "SESSIONBASE_CHECK_IN_COUNT_SECONDS=0.5")
# Each emulator suite takes its Python workers' ports from a range of its own: the second share's
# suite runs beside the first (scripts/emulator_worker_ports.cjs).
suite_env+=("SESSIONBASE_WORKER_PORTS=$([ -n "${SESSIONBASE_SHARE_OF:-}" ] && echo 22000 || echo 20000)")
if [ "${SESSIONBASE_COVERAGE:-1}" != 0 ]; then
  [ -n "${SESSIONBASE_SHARE_OF:-}" ] || rm -rf "$coverage_dir"
  mkdir -p "$coverage_dir"
  # The workers start coverage from scripts/coverage_hook/sitecustomize.py; only the emulator
  # suite's environment gets it, the pytest process runs under `coverage run` instead.
  pytest_env="env -u COVERAGE_PROCESS_START -u PYTHONPATH"
  [ -z "${PYTHONPATH:-}" ] || pytest_env+=" PYTHONPATH=$(printf '%q' "$PYTHONPATH")"
  pytest_env+=" COVERAGE_FILE=$(printf '%q' "$ROOT/$coverage_dir/fast")"
  suite_env+=(
    "PYTHONPATH=$ROOT/scripts/coverage_hook:$ROOT/.cache/coverage-lib${PYTHONPATH:+:$PYTHONPATH}"
    "COVERAGE_PROCESS_START=$ROOT/pyproject.toml"
    "COVERAGE_FILE=$ROOT/$coverage_dir/emulator"
  )
fi
# The capacity meter (devtools/meter.py, started in each worker by the same sitecustomize) for
# tests/emulator/test_capacity.py: it counts only while that test records an action; otherwise
# a worker writes a line as each invocation starts and ends (the test waits on them for quiet).
meter_dir=$ROOT/test-results/meter$suffix
rm -rf "$meter_dir" && mkdir -p "$meter_dir"
suite_env+=("SESSIONBASE_METER=$meter_dir")
if [ "${SESSIONBASE_COVERAGE:-1}" = 0 ]; then
  suite_env+=("PYTHONPATH=$ROOT/scripts/coverage_hook${PYTHONPATH:+:$PYTHONPATH}")
fi
pytest_cmd() {  # the pytest command line for these arguments
  local runner="python -m pytest"
  [ "${SESSIONBASE_COVERAGE:-1}" = 0 ] || runner="python -m coverage run -m pytest"
  echo "$pytest_env $runner $(printf '%q ' "$@")"
}

status=0
# The pose tier (tests/pose) runs first, without emulators, in the pose codebase's own venv (the
# model's): pytest from .cache/pose-test-lib; coverage, when measured, joins the unit tier's.
if [ ${#pose_args[@]} -gt 0 ]; then
  pose_runner="functions_pose/venv/bin/python -m pytest"
  pose_path="$ROOT/.cache/pose-test-lib:$ROOT/functions:$ROOT"
  if [ "${SESSIONBASE_COVERAGE:-1}" != 0 ]; then
    pose_runner="functions_pose/venv/bin/python -m coverage run -m pytest"
    pose_path="$ROOT/.cache/coverage-lib:$pose_path"
  fi
  # shellcheck disable=SC2086 # the runner is words
  env -u COVERAGE_PROCESS_START PYTHONPATH="$pose_path" COVERAGE_FILE="$ROOT/$coverage_dir/fast" \
    $pose_runner "${pose_args[@]}" >> "$pytest_log" 2>&1 || status=$?
fi
run_pass() {  # run_pass EXTRA_ENV... -- PYTEST_ARGS...
  local extra=()
  while [ "$1" != -- ]; do extra+=("$1"); shift; done
  shift
  # Storage stays out: its rules runtime is downloaded from the internet (README, "Online and offline").
  # scripts/emulator_no_keepalive.cjs: why the emulator's requests to its workers use new sockets.
  env "${suite_env[@]}" "${extra[@]}" \
    NODE_OPTIONS="--require $ROOT/scripts/emulator_no_keepalive.cjs --require $ROOT/scripts/emulator_worker_ports.cjs ${NODE_OPTIONS:-}" \
    setsid firebase --config "$config" emulators:exec \
    --project demo-sessionbase --only auth,firestore,functions,hosting,tasks \
    "$(pytest_cmd "$@") >> $pytest_log 2>&1" \
    < /dev/null >> "$emulators_log" 2>&1 &
  suite=$!
  local pass_status=0
  wait "$suite" || pass_status=$?
  stop_workers
  suite=""
  [ "$pass_status" -eq 0 ] || status=$pass_status
}
: > "$emulators_log"
unit=""
if [ ${#unit_args[@]} -gt 0 ]; then
  unit_log=test-results/pytest-unit$suffix.log
  eval "$(pytest_cmd "${unit_args[@]}")" > "$unit_log" 2>&1 &
  unit=$!
fi
# The whole suite's emulator tier in two shares, each in its own emulator suite, side by side: a
# suite mostly waits (on the emulators, the browser, triggers to settle), so the second one's
# tests run in the time the first leaves idle (CI keeps under 20 minutes). The second share is
# run by this script itself at the offset + 50 (no port of one suite is another's then), with
# its own log, into this run's coverage; the shares balance the times of the run's
# --durations lists.
# The second starts once the first runs its tests: firebase-tools finds the functions of a
# codebase by serving them on the first free port from 8081, and two suites starting at once can
# both take the same one (then one suite gets the other codebase's functions). For the same
# reason the benchmark-cleanup test, which starts a suite of its own, runs last in the second.
share=""
share_log=""
if [ "$selecting" -eq 0 ] && [ ${#main_args[@]} -gt 0 ]; then
  second=(tests/browser tests/rules tests/emulator/test_fuzz.py tests/emulator/test_bench_cleanup.py)
  for path in "${second[@]}"; do main_args+=("--ignore=$path"); done
  share_offset=$((${SESSIONBASE_PORT_OFFSET:-0} + 50))
  share_log=test-results/pytest-$share_offset.log
  (
    for _ in $(seq 1 300); do
      grep -q "Running script" "$emulators_log" 2> /dev/null && break
      grep -q "^Error:" "$emulators_log" 2> /dev/null && exit 1 # the first did not start
      sleep 1
    done
    exec env SESSIONBASE_PORT_OFFSET=$share_offset SESSIONBASE_SHARE_OF="$coverage_dir" \
      bash scripts/test.sh "$@" "${second[@]}" --durations=30
  ) > "$share_log.out" 2>&1 &
  share=$!
fi
if [ ${#main_args[@]} -gt 0 ]; then
  run_pass -- "${main_args[@]}"
fi
if [ -n "$share" ]; then
  share_status=0
  wait "$share" || share_status=$?
  share=""
  cat "$share_log" >> "$pytest_log"
  if [ "$share_status" -ne 0 ]; then
    status=$share_status
    grep -qE "(passed|failed|error)" "$share_log" || tail -n 60 "$share_log.out" >&2
  fi
fi
if [ -n "$unit" ]; then
  unit_status=0
  wait "$unit" || unit_status=$?
  cat "$unit_log" >> "$pytest_log"
  [ "$unit_status" -eq 0 ] || status=$unit_status
fi
if [ ${#backend_args[@]} -gt 0 ]; then
  run_pass "SESSIONBASE_TEST_PASS=backend" \
    "SESSIONBASE_ANALYSIS_BACKEND_URL=http://127.0.0.1:$backend_port/analyze" \
    "SESSIONBASE_CALLBACK_URL=http://127.0.0.1:$hosting_port/api/analysis/callback" \
    "SESSIONBASE_ANALYSIS_RETRY_SECONDS=1" "SESSIONBASE_TEST_BACKEND_PORT=$backend_port" \
    -- "${backend_args[@]}"
fi
sleep 1  # let the tailer print pytest's last lines
kill "$tailer" 2>/dev/null || true
if [ "$status" -ne 0 ] && ! grep -qE "(passed|failed|error)" "$pytest_log"; then
  echo "The emulator suite failed before the tests ran; its log:" >&2
  tail -n 60 "$emulators_log" >&2
  exit "$status"
fi

if [ "${SESSIONBASE_COVERAGE:-1}" != 0 ] && [ -z "${SESSIONBASE_SHARE_OF:-}" ]; then
  # The floors hold for the whole suite: a run that selects tests (-k, -m, paths, --lf...) or
  # failed prints the figures only.
  gate=(--enforce)
  [ "$status" -eq 0 ] && [ "$selecting" -eq 0 ] || gate=()
  coverage_status=0
  python scripts/coverage_gate.py "$coverage_dir" "${gate[@]}" || coverage_status=$?
  [ "$status" -ne 0 ] || status=$coverage_status
  # pytest's closing lines again (one per pass), so that the output ends with the tests' result.
  grep -E "^=*.*[0-9]+ (passed|failed|error)" "$pytest_log" | tail -n 4
fi
exit "$status"
