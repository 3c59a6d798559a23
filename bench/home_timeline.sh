#!/bin/bash
# home_timeline.sh - throughput and latency of the timelines on a seeded
# conversation load.
#
# Usage: bench/home_timeline.sh [SECONDS] [CONNECTIONS] [ACCOUNTS] [POSTS] [FOLLOWS]
#        (defaults 10, 64, 200, 20000, 50)
# Starts its own server (PARLEY_BIN, default build/parley) on a free
# loopback port with a temporary data directory, seeds it with
# bench/seed_conversations.py (ACCOUNTS accounts each following FOLLOWS
# others, POSTS posts), then runs wrk --latency for SECONDS on each of
#   GET /api/v1/timelines/home?limit=20
#   GET /api/v1/timelines/public?local=true&limit=20
#   GET /api/v1/timelines/tag/release?limit=20   (the commonest seeded tag)
#   GET /api/parley/v1/timelines/organisation?limit=20
# each request signed with the token of the next seeded account in turn
# (bench/tokens.lua), so the reads spread over all the viewers. Prints
# requests/s, median and p99 of each, the database size and the server's
# peak resident memory. Needs wrk. Bounded in time; stops the server at
# the end. SPACES=50 in the environment also makes 50 open internal spaces
# that every account joins, with 30% of the posts in them (issue 5: the
# home timeline of a member of 50 spaces).
set -eu
cd "$(dirname "$0")/.."
SECS=${1:-10}
CONNS=${2:-64}
ACCOUNTS=${3:-200}
POSTS=${4:-20000}
FOLLOWS=${5:-50}
. bench/lib.sh
bench_start bench "bench password 2026"
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

/usr/bin/python3 bench/seed_conversations.py --url "$URL" --data "$DATA" --accounts "$ACCOUNTS" \
	--posts "$POSTS" --follows "$FOLLOWS" --spaces "${SPACES:-0}" --out "$DATA/seed.json"
/usr/bin/python3 -c 'import json,sys; [print(a["token"]) for a in json.load(open(sys.argv[1]))["accounts"]]' \
	"$DATA/seed.json" >"$DATA/tokens"
export BENCH_TOKENS=$DATA/tokens
TOKEN=$(head -1 "$DATA/tokens")

# what one request returns, so the figures are not those of empty pages
count() { curl -fs -H "Authorization: Bearer $TOKEN" "$URL$1" | /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
echo "== statuses per page: home $(count '/api/v1/timelines/home?limit=20')," \
	"public $(count '/api/v1/timelines/public?local=true&limit=20')," \
	"tag $(count '/api/v1/timelines/tag/release?limit=20')," \
	"organisation $(count '/api/parley/v1/timelines/organisation?limit=20')"

run() {
	echo "== $1"
	wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s bench/tokens.lua "$URL$2" |
		grep -E "Requests/sec|Latency |  50%|  99%|Non-2xx|Socket errors"
}
run "GET /api/v1/timelines/home?limit=20" "/api/v1/timelines/home?limit=20"
run "GET /api/v1/timelines/public?local=true&limit=20" "/api/v1/timelines/public?local=true&limit=20"
run "GET /api/v1/timelines/tag/release?limit=20" "/api/v1/timelines/tag/release?limit=20"
run "GET /api/parley/v1/timelines/organisation?limit=20" "/api/parley/v1/timelines/organisation?limit=20"
echo "== database: $(du -sh "$DATA" | cut -f1) in $DATA"
echo "== server peak RSS: $(grep VmHWM /proc/$PID/status | awk '{print $2, $3}')"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
