#!/usr/bin/env bash
# The live stream benchmark of docs/benchmarks.md (issue 13): a recorded
# race (Baku 2018, bundled) replayed at 100x into the single-process stack
# with 1,000 SSE clients on /content/v1/live/stream through the gateway.
# Prints update latency p50/p99/max (from each event's sent_at_ms), clients
# dropped, and the stack's RSS and CPU. With --delay N the clients ask for
# ?delay=N (the stream held N seconds): latency is then measured against
# sent_at_ms + N, and the events held for delayed streams are reported.
# See benches/live_sse.rs.
#
# Usage: scripts/bench-live-sse.sh [--clients N] [--speed S] [--delay N] [--bin PATH] [--session DIR]
#   --bin defaults to target/release/wibm (built first when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/wibm
for ((i = 1; i <= $#; i++)); do
  if [ "${!i}" = "--bin" ]; then j=$((i + 1)); bin="${!j}"; fi
done
[ -x "$bin" ] || cargo build --release --bin wibm >&2
# Each client holds a socket here and two in the stack (gateway and content_api).
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
cargo bench -p willitbemax --bench live_sse -- --bin "$bin" "$@"
