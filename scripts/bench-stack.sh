#!/usr/bin/env bash
# Load figures of docs/benchmarks.md through the single-process stack with
# the full bundled history: the read path (issue 11, suite `read`, the
# default) or the Ergast API (issue 14, suite `ergast`).
#
# Starts the given `wibm` binary on a temporary data directory (the first
# start imports every bundled season, 1950 on), warms each URL once, then
# runs `wrk` (Debian's package) with 64 connections against each URL, the
# gateway's `/health` first as the ceiling of the same run. Every request
# goes through the gateway, as a visitor's would. Last, it prints the
# server's resident memory (VmRSS, VmHWM) after all of the load.
#
# Usage: [WIBM_BENCH_RESTART=1] scripts/bench-stack.sh [BINARY] [seconds per run, default 10] [read|ergast]
#   BINARY defaults to target/release/wibm (built first when missing).
# Run it with two binaries (before and after a change) to compare them.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/release/wibm}"
secs="${2:-10}"
suite="${3:-read}"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
[ -x "$bin" ] || cargo build --release --bin wibm >&2

dir="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
start() {
  WIBM_DATA_DIR="$dir" WIBM_LISTEN="127.0.0.1:$port" \
    WIBM_JOLPICA_URL="http://127.0.0.1:9/" WIBM_F1_WEBSITE_URL="http://127.0.0.1:9/" \
    WIBM_LIVETIMING_URL="http://127.0.0.1:9/" RUST_LOG=error "$bin" >/dev/null &
  pid=$!
}
start
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
base="http://127.0.0.1:$port"
# The import is done when the last bundled season answers.
ready() {
  for _ in $(seq 1 1200); do
    curl -sf "$base/content/v1/seasons/2025" >/dev/null && curl -sf "$base/content/v1/seasons/1950" >/dev/null && return
    sleep 0.25
  done
}
ready
# WIBM_BENCH_RESTART=1: measure a restarted stack over the imported store
# (the first start's import leaves its high-water mark in the process).
if [ "${WIBM_BENCH_RESTART:-0}" = 1 ]; then
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  start
  ready
  echo "restarted over the imported store"
fi
sleep 2

echo "binary: $bin"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(lscpu | sed -n 's/Model name: *//p'), load $(cut -d' ' -f1-3 /proc/loadavg)"
run() { # label, path, extra wrk args...
  local label="$1" path="$2"
  shift 2
  curl -sf -o /dev/null "$@" "$base$path" 2>/dev/null || curl -sf -o /dev/null "$base$path"
  local out rps p50 p99
  out="$(wrk -t2 -c64 -d"${secs}s" --latency "$@" "$base$path")"
  rps="$(echo "$out" | awk '/Requests\/sec/{print $2}')"
  p50="$(echo "$out" | awk '$1=="50%"{print $2}')"
  p99="$(echo "$out" | awk '$1=="99%"{print $2}')"
  printf '%-58s c=64 %10s req/s  p50 %-9s p99 %s\n' "$label" "$rps" "$p50" "$p99"
}
run "/health (ceiling)" /health
case "$suite" in
  read)
    run "/seasons/2024 (website)" /seasons/2024
    run "/seasons/2024 (website, gzip)" /seasons/2024 -H "Accept-Encoding: gzip"
    run "/content/v1/seasons/2024/rounds" /content/v1/seasons/2024/rounds
    run "/content/v1/seasons/2024/rounds (gzip)" /content/v1/seasons/2024/rounds -H "Accept-Encoding: gzip"
    run "/drivers/max-verstappen (website)" /drivers/max-verstappen
    run "/constructors/ferrari (website)" /constructors/ferrari
    ;;
  ergast)
    run "/ergast/f1/2023/22/results.json" /ergast/f1/2023/22/results.json
    run "/ergast/f1/2023/results.json?limit=100" "/ergast/f1/2023/results.json?limit=100"
    run "/ergast/f1/2023/22/results.json (gzip)" /ergast/f1/2023/22/results.json -H "Accept-Encoding: gzip"
    ;;
  *) echo "unknown suite $suite (read or ergast)" >&2; exit 2 ;;
esac
grep -E 'VmRSS|VmHWM' "/proc/$pid/status" | tr -s ' \t' ' '
