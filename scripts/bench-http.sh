#!/usr/bin/env bash
# HTTP load figures for docs/benchmarks.md, through the single-process stack.
#
# Builds the release `wibm`, starts it on a temporary data directory (the
# bundled f1db seasons from WIBM_IMPORT_FROM, default 2020, are imported),
# warms the caches with one request per URL, then runs `wrk` (Debian's
# package) against each URL: first with 1 connection (the server-side time
# of one request, the website's render-time goal), then with 64 (throughput).
# Every request goes through the gateway, as a visitor's would.
#
# The Ergast URLs need 2023 imported (WIBM_IMPORT_FROM=2023 or earlier);
# compare their 64-connection req/s with /health's (the ceiling).
#
# Usage: scripts/bench-http.sh [seconds per run, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
cargo build --release --bin wibm >&2

dir="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
WIBM_DATA_DIR="$dir" WIBM_LISTEN="127.0.0.1:$port" WIBM_IMPORT_FROM="${WIBM_IMPORT_FROM:-2020}" \
  WIBM_JOLPICA_URL="http://127.0.0.1:9/" WIBM_F1_WEBSITE_URL="http://127.0.0.1:9/" \
  WIBM_LIVETIMING_URL="http://127.0.0.1:9/" RUST_LOG=error target/release/wibm >/dev/null &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 600); do
  curl -sf "$base/content/v1/seasons" >/dev/null && break
  sleep 0.2
done

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(lscpu | sed -n 's/Model name: *//p')"
for path in /content/v1/seasons/2024/rounds /content/v1/seasons/2024/championship /seasons/2024 /seasons/2024/rounds/5 \
  /ergast/f1/2023/22/results.json '/ergast/f1/2023/results.json?limit=100' /health; do
  curl -sf -o /dev/null "$base$path"
  bytes="$(curl -s "$base$path" | wc -c)"
  for conns in 1 64; do
    threads=$(( conns < 2 ? conns : 2 ))
    out="$(wrk -t"$threads" -c"$conns" -d"${secs}s" --latency "$base$path")"
    rps="$(echo "$out" | awk '/Requests\/sec/{print $2}')"
    p50="$(echo "$out" | awk '$1=="50%"{print $2}')"
    p99="$(echo "$out" | awk '$1=="99%"{print $2}')"
    printf '%-40s %8s B  c=%-3s %10s req/s  p50 %-9s p99 %s\n' "$path" "$bytes" "$conns" "$rps" "$p50" "$p99"
  done
done
