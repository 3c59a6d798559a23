#!/bin/bash
# profile.sh - where the server's time goes on one read (issue 8).
#
# Usage: bench/profile.sh [SIZE] [PATH] [SECONDS]
#        (defaults M, /api/v1/timelines/home?limit=20, 10)
# Serves a copy of the cached seed of SIZE (run `make bench SIZE=...` once
# first) with the benchmark build, loads PATH with wrk (64 connections,
# rotating the seeded tokens) and records the server with
# `perf record --call-graph dwarf` (libsqlite3 and the -O2 build have no frame pointers) for SECONDS in the middle of the run. Prints the top of
# `perf report` (children and self) and leaves perf.data in the scratch
# directory it names.
set -eu
cd "$(dirname "$0")/.."
SIZE=${1:-M}
URLPATH=${2:-/api/v1/timelines/home?limit=20}
SECS=${3:-10}
BIN=${PARLEY_BIN:-build-bench/parley}
SCHEMA=$(build/parley-bench-seed --schema-version)
C=${BENCH_CACHE:-var/bench-cache}/$SIZE-seed${SEED:-1}-schema$SCHEMA
[ -f "$C/seed.json" ] || { echo "no cached seed in $C: run make bench SIZE=$SIZE first" >&2; exit 1; }
RUN=$(mktemp -d /tmp/parley-profile.XXXXXX)
cp "$C/parley.db" "$RUN/"
/usr/bin/python3 bench/fresh_tokens.py "$RUN/parley.db"   # no token writes during the run
PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
PARLEY_API_RATE_LIMIT=0 PARLEY_LOG_LEVEL=warn "$BIN" serve --data "$RUN" --listen "127.0.0.1:$PORT" 2>/dev/null &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
echo "== load $(cut -d' ' -f1-3 /proc/loadavg); profiling $URLPATH on size $SIZE, data in $RUN"
BENCH_TOKENS=$C/tokens.txt wrk -t2 -c64 -d$((SECS + 6))s --timeout 5s -s bench/wrk/parley.lua \
	"http://127.0.0.1:$PORT$URLPATH" >"$RUN/wrk.txt" &
WRK=$!
sleep 3
perf record --call-graph dwarf,16384 -F 499 -o "$RUN/perf.data" -p "$PID" -- sleep "$SECS" 2>/dev/null
wait $WRK
grep -E "Requests/sec|Latency" "$RUN/wrk.txt"
perf report -i "$RUN/perf.data" --children --stdio --percent-limit 4 2>/dev/null | grep -E '^ +[0-9]' | head -40
echo "== self"
perf report -i "$RUN/perf.data" --no-children --stdio --percent-limit 1.5 2>/dev/null | grep -E '^ +[0-9]' | head -25
echo "== perf.data in $RUN (remove it when done)"
