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
# server's resident memory (VmRSS, VmHWM) right after all of the load, and
# its VmRSS 12 s later, at rest.
#
# Suite `static` runs the cached answers side by side with nginx serving the
# same bytes, and prints the server CPU per request of both (from
# /proc/<pid>/stat, user + system time over the run).
#
# Suite `openf1` (issue 23) serves the recorded archive (Baku 2018's race,
# under a written one-meeting 2018 index) from a local HTTP server, syncs
# that session through the fetcher as the first admin, prints the sync's
# time and the store's growth, then loads `/openf1/v1/laps` for the whole
# race and for one car's laps 10-20. Suite `pages` (issue 24) syncs the same
# race and loads its session page (first builds timed, then the kept page).
# Suite `season` syncs a whole season (2023) from a stand-in archive
# (scripts/season-archive.py: the real index, recorded sessions under each
# path) and prints the time and the store's growth.
#
# Usage: [WIBM_BENCH_RESTART=1] [WIBM_BENCH_NGINX=1 (openf1: nginx serving the same bytes too)] scripts/bench-stack.sh [BINARY] [seconds per run, default 10] [read|ergast|ergast-limited|static|openf1|pages|season]
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
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
lt_url="http://127.0.0.1:9/"
if [ "$suite" = openf1 ] || [ "$suite" = pages ]; then
  # The recorded Baku 2018 race under a written 2018 index, served locally.
  baku=2018-04-29_Azerbaijan_Grand_Prix
  mkdir -p "$dir/archive/static/2018"
  cp -r "fetcher_service/testdata/livetiming/static/2018/$baku" "$dir/archive/static/2018/"
  cat > "$dir/archive/static/2018/Index.json" <<'JSON'
{"Year":2018,"Meetings":[{"Name":"Azerbaijan Grand Prix","Location":"Baku","Country":{"Name":"Azerbaijan"},
"Sessions":[{"Type":"Race","Name":"Race","StartDate":"2018-04-29T16:10:00","EndDate":"2018-04-29T18:10:00",
"GmtOffset":"04:00:00","Path":"2018/2018-04-29_Azerbaijan_Grand_Prix/2018-04-29_Race/"}]}]}
JSON
  aport="$(free_port)"
  python3 -m http.server "$aport" --bind 127.0.0.1 --directory "$dir/archive" >/dev/null 2>&1 &
  apid=$!
  lt_url="http://127.0.0.1:$aport/"
elif [ "$suite" = season ]; then
  # 2023's real Index.json with a recorded session of the same kind under
  # every session's path (see scripts/season-archive.py).
  aport="$(free_port)"
  python3 scripts/season-archive.py "$aport" 2023 &
  apid=$!
  lt_url="http://127.0.0.1:$aport/"
fi
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
start() {
  WIBM_DATA_DIR="$dir" WIBM_LISTEN="127.0.0.1:$port" \
    WIBM_JOLPICA_URL="http://127.0.0.1:9/" WIBM_F1_WEBSITE_URL="http://127.0.0.1:9/" \
    WIBM_LIVETIMING_URL="$lt_url" WIBM_ADMIN_EMAIL=bench@example.com WIBM_ADMIN_PASSWORD=bench-password-1 \
    RUST_LOG=error "$bin" >/dev/null &
  pid=$!
}
start
trap 'kill "$pid" ${apid:-} 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
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
# CPU time (user + system, clock ticks) of the given processes.
ticks() { for p in "$@"; do awk '{print $14+$15}' "/proc/$p/stat"; done | awk '{t+=$1} END{print t+0}'; }
hz="$(getconf CLK_TCK)"
# Whose CPU a run counts: the stack's, or nginx's (master and workers).
cpu_of=stack
cpu_pids() { if [ "$cpu_of" = nginx ]; then echo "$npid"; pgrep -P "$npid"; else echo "$pid"; fi; }
run() { # label, path, extra wrk args... (against $target, default the stack)
  local label="$1" path="$2"
  shift 2
  local at="${target:-$base}"
  curl -sf -o /dev/null "$@" "$at$path" 2>/dev/null || curl -sf -o /dev/null "$at$path"
  local out rps p50 p99 before after reqs
  before="$(ticks $(cpu_pids))"
  out="$(wrk -t2 -c64 -d"${secs}s" --latency "$@" "$at$path")"
  after="$(ticks $(cpu_pids))"
  rps="$(echo "$out" | awk '/Requests\/sec/{print $2}')"
  if echo "$out" | grep -q 'Non-2xx'; then echo "$out" | grep -E 'Non-2xx|Socket errors' >&2; fi
  reqs="$(echo "$out" | awk '/requests in/{print $1}')"
  p50="$(echo "$out" | awk '$1=="50%"{print $2}')"
  p99="$(echo "$out" | awk '$1=="99%"{print $2}')"
  local us
  us="$(awk -v t="$((after - before))" -v hz="$hz" -v n="$reqs" 'BEGIN{ if (n>0) printf "%.1f", t/hz*1e6/n; else print "-" }')"
  printf '%-58s c=64 %10s req/s  p50 %-9s p99 %-9s server CPU %s us/req\n' "$label" "$rps" "$p50" "$p99" "$us"
  last_rps="$rps"
}
# nginx (Debian's) serving copies of the stack's answers to the given paths
# (a query string is dropped from the file's name: nginx serves by path).
start_nginx() {
  command -v nginx >/dev/null || { echo "nginx is not installed (apt-get install nginx-light)" >&2; exit 1; }
  root="$dir/static"
  mkdir -p "$root/logs"
  for p in "$@"; do
    mkdir -p "$root/www$(dirname "$p")"
    curl -sf -o "$root/www${p%%\?*}" "$base$p"
  done
  # nginx's workers run as an unprivileged user: let them read the copies.
  chmod a+x "$dir"
  chmod -R a+rX "$root"
  nport="$(free_port)"
  cat > "$root/nginx.conf" <<CONF
worker_processes auto;
pid $root/nginx.pid;
error_log $root/logs/error.log;
events { worker_connections 1024; }
http {
access_log off;
default_type application/json;
keepalive_requests 1000000;
server { listen 127.0.0.1:$nport; root $root/www; location / { try_files \$uri =404; } }
}
CONF
  nginx -p "$root" -c "$root/nginx.conf"
  sleep 1
  npid="$(cat "$root/nginx.pid")"
  trap 'kill "$pid" ${apid:-} 2>/dev/null; kill "$npid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
}
run "/health (ceiling)" /health
health_rps="$last_rps"
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
  ergast-limited)
    # The same answers with the optional per-client limits on but never
    # reached (start the stack with WIBM_CONTENT_RATE_PER_SECOND and
    # WIBM_CONTENT_RATE_PER_HOUR set high in the environment).
    run "/ergast/f1/2023/22/results.json (limits on)" /ergast/f1/2023/22/results.json
    run "/ergast/f1/2023/results.json?limit=100 (limits on)" "/ergast/f1/2023/results.json?limit=100"
    ;;
  static)
    # Side by side with nginx (Debian's) serving the very same bytes: the
    # stack's answers, then nginx's, each with its server CPU per request.
    start_nginx /health /content/v1/seasons/2023/drivers /ergast/f1/2023/22/results.json /seasons/2024
    for p in /content/v1/seasons/2023/drivers /ergast/f1/2023/22/results.json; do
      run "$p" "$p"
      ours="$last_rps"
      cpu_of=nginx target="http://127.0.0.1:$nport" run "$p (nginx, same bytes)" "$p"
      awk -v a="$ours" -v b="$last_rps" 'BEGIN{printf "  ratio to nginx: %.3f\n", a/b}'
    done
    run "/seasons/2024 (website)" /seasons/2024
    awk -v a="$last_rps" -v b="$health_rps" 'BEGIN{printf "  ratio to the stack'"'"'s /health: %.3f\n", a/b}'
    ;;
  season)
    # A whole season's archive sync at the default settings (the archive
    # paced at WIBM_LIVETIMING_PER_SECOND, 10 requests a second).
    token="$(curl -sf -X POST "$base/auth/v1/login" -H 'content-type: application/json' \
      -d '{"email":"bench@example.com","password":"bench-password-1"}' |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
    store_kb() { du -sk "$dir" | cut -f1; }
    before_kb="$(store_kb)"
    t0="$(date +%s.%N)"
    answer="$(curl -sS -X POST -H "Authorization: Bearer $token" "$base/fetcher/v1/fetch/session-data?season=2023")"
    t1="$(date +%s.%N)"
    sleep 6 # the embedded store settles its files
    after_kb="$(store_kb)"
    echo "sync: $answer"
    sessions="$(echo "$answer" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("counts", {}).get("sessions", 0))')"
    [ "$sessions" -gt 0 ] || { echo "no session was synced" >&2; exit 1; }
    awk -v a="$t0" -v b="$t1" -v n="$sessions" 'BEGIN{printf "archive sync of season 2023 (%d sessions, local server): %.1f s, %.2f s a session\n", n, b-a, (b-a)/n}'
    echo "store growth for the season: $((after_kb - before_kb)) kB, $(( (after_kb - before_kb) / sessions )) kB a session (du of the data directory, before and after)"
    ;;
  openf1|pages)
    token="$(curl -sf -X POST "$base/auth/v1/login" -H 'content-type: application/json' \
      -d '{"email":"bench@example.com","password":"bench-password-1"}' |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
    store_kb() { du -sk --exclude=archive "$dir" | cut -f1; }
    before_kb="$(store_kb)"
    t0="$(date +%s.%N)"
    answer="$(curl -sf -X POST -H "Authorization: Bearer $token" \
      "$base/fetcher/v1/fetch/session-data?season=2018&round=4&session=race")"
    t1="$(date +%s.%N)"
    sleep 6 # the embedded store settles its files
    after_kb="$(store_kb)"
    echo "sync: $answer"
    awk -v a="$t0" -v b="$t1" 'BEGIN{printf "archive sync of Baku 2018 race (local server): %.2f s\n", b-a}'
    echo "store growth for the session: $((after_kb - before_kb)) kB (du of the data directory, before and after)"
    if [ "$suite" = pages ]; then
      # The race's page: its first build (charts from the session's records),
      # then the kept page under load.
      page=/seasons/2018/rounds/4/sessions/race
      for i in 1 2 3; do
        curl -s -o /dev/null -w "page build $i: %{http_code} %{time_total} s, %{size_download} bytes\n" "$base$page"
      done
      run "$page (website)" "$page"
      awk -v a="$last_rps" -v b="$health_rps" 'BEGIN{printf "  ratio to /health: %.3f\n", a/b}'
      run "$page (website, gzip)" "$page" -H "Accept-Encoding: gzip"
      awk -v a="$last_rps" -v b="$health_rps" 'BEGIN{printf "  ratio to /health: %.3f\n", a/b}'
    else
      key="$(curl -s "$base/openf1/v1/sessions?session_key=latest" | tee "$dir/sessions.json" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["session_key"])')" || { cat "$dir/sessions.json"; exit 1; }
      laps="$(curl -sf "$base/openf1/v1/laps?session_key=$key" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
      echo "laps in the race: $laps"
      whole="/openf1/v1/laps?session_key=$key"
      run "$whole" "$whole"
      awk -v a="$last_rps" -v b="$health_rps" 'BEGIN{printf "  ratio to /health: %.3f\n", a/b}'
      # As Python's requests and httpx (what OpenF1 clients use) ask for it.
      run "$whole (gzip, deflate)" "$whole" -H "Accept-Encoding: gzip, deflate"
      awk -v a="$last_rps" -v b="$health_rps" 'BEGIN{printf "  ratio to /health: %.3f\n", a/b}'
      if [ "${WIBM_BENCH_NGINX:-0}" = 1 ]; then
        # The floor of the identity answer on this machine: nginx writing
        # the same 309 kB from a file, and its own 2-byte file as a ceiling.
        start_nginx /health "$whole"
        cpu_of=nginx target="http://127.0.0.1:$nport" run "/health (nginx, same bytes)" /health
        ngx_health="$last_rps"
        cpu_of=nginx target="http://127.0.0.1:$nport" run "$whole (nginx, same bytes)" "$whole"
        awk -v a="$last_rps" -v b="$ngx_health" 'BEGIN{printf "  ratio to nginx'"'"'s /health: %.3f\n", a/b}'
        awk -v a="$last_rps" -v b="$health_rps" 'BEGIN{printf "  ratio to the stack'"'"'s /health: %.3f\n", a/b}'
      fi
      filtered="/openf1/v1/laps?session_key=$key&driver_number=44&lap_number%3E=10&lap_number%3C=20"
      run "$filtered" "$filtered"
      awk -v a="$last_rps" -v b="$health_rps" 'BEGIN{printf "  ratio to /health: %.3f\n", a/b}'
    fi
    ;;
  *) echo "unknown suite $suite (read, ergast, ergast-limited, static, openf1, pages or season)" >&2; exit 2 ;;
esac
echo "memory right after the load:"
grep -E 'VmRSS|VmHWM' "/proc/$pid/status" | tr -s ' \t' ' '
# What the process keeps once idle: jemalloc returns freed pages after its
# decay time (10 s), by its background thread even with no request coming.
sleep 12
echo "memory 12 s after the load (at rest):"
grep -E 'VmRSS' "/proc/$pid/status" | tr -s ' \t' ' '
