# MongoDB for the tests: SecantusDB, a MongoDB wire-compatible server from
# PyPI (no MongoDB server installs on Debian). Sourced by .ci/run; to run the
# MongoDB tests by hand:
#   . .ci/mongodb.sh && mongodb_start && trap mongodb_stop EXIT
#   cargo test -p data_scheduler mongodb
# mongodb_start installs the pinned version into a venv under target/, starts
# an in-memory server on a free loopback port, waits until it answers a ping,
# and exports WIBM_TEST_MONGODB_URI and WIBM_REQUIRE_MONGODB=1.
# SecantusDB presents itself as the one-member replica set `secantus`, so
# the driver allows the multi-document transactions our store needs.

SECANTUSDB_VERSION="0.7.0b3"
SECANTUSDB_VENV="${SECANTUSDB_VENV:-target/secantusdb-venv}"
SECANTUSDB_PID=""
SECANTUSDB_LOG=""

mongodb_start() {
  if ! "$SECANTUSDB_VENV/bin/python" -c \
    "import importlib.metadata as m, sys; sys.exit(m.version('secantusdb') != sys.argv[1])" \
    "$SECANTUSDB_VERSION" 2>/dev/null || [ ! -x "$SECANTUSDB_VENV/bin/secantusd-py" ]; then
    echo "--- installing SecantusDB $SECANTUSDB_VERSION into $SECANTUSDB_VENV"
    rm -rf "$SECANTUSDB_VENV"
    python3 -m venv "$SECANTUSDB_VENV"
    "$SECANTUSDB_VENV/bin/pip" install --quiet --disable-pip-version-check "secantusdb==$SECANTUSDB_VERSION"
  fi
  local port
  port="$("$SECANTUSDB_VENV/bin/python" -c \
    'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  SECANTUSDB_LOG="$(mktemp -t secantusdb.XXXXXX.log)"
  # --enable-test-commands: the fault tests arm the failCommand fail point
  # (loopback only; mongod needs --setParameter enableTestCommands=1 for it).
  "$SECANTUSDB_VENV/bin/secantusd-py" --host 127.0.0.1 --port "$port" --storage-path :memory: \
    --enable-test-commands --log-level WARNING >"$SECANTUSDB_LOG" 2>&1 &
  SECANTUSDB_PID=$!
  local uri="mongodb://127.0.0.1:$port/?replicaSet=secantus"
  # Poll with a deadline until the server answers as a writable primary.
  if ! "$SECANTUSDB_VENV/bin/python" - "$uri" "$SECANTUSDB_PID" <<'EOF'; then
import os, sys, time
import pymongo
uri, pid = sys.argv[1], int(sys.argv[2])
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit("SecantusDB exited at start")
    try:
        with pymongo.MongoClient(uri, serverSelectionTimeoutMS=500) as c:
            if c.admin.command("hello").get("isWritablePrimary"):
                sys.exit(0)
    except pymongo.errors.PyMongoError:
        time.sleep(0.1)
sys.exit("SecantusDB did not answer within 60 s")
EOF
    cat "$SECANTUSDB_LOG" >&2
    mongodb_stop
    return 1
  fi
  echo "--- SecantusDB $SECANTUSDB_VERSION answers at $uri (pid $SECANTUSDB_PID)"
  export WIBM_TEST_MONGODB_URI="$uri"
  export WIBM_REQUIRE_MONGODB=1
}

mongodb_stop() {
  if [ -n "$SECANTUSDB_PID" ]; then
    kill "$SECANTUSDB_PID" 2>/dev/null || true
    wait "$SECANTUSDB_PID" 2>/dev/null || true
    SECANTUSDB_PID=""
  fi
  if [ -n "$SECANTUSDB_LOG" ]; then rm -f "$SECANTUSDB_LOG"; SECANTUSDB_LOG=""; fi
}
