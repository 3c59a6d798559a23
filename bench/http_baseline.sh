#!/bin/bash
# http_baseline.sh - throughput and latency of the HTTP layer and of one
# authenticated read, on loopback, each run bounded in time.
#
# Usage: bench/http_baseline.sh [SECONDS] [CONNECTIONS]   (defaults 10, 64)
# Needs wrk (Debian package wrk) and a built build/parley. Starts its own
# server on a free loopback port with a temporary data directory, and
# stops it at the end. Prints one wrk summary per endpoint and the
# server's peak resident memory.
set -eu
cd "$(dirname "$0")/.."
SECS=${1:-10}
CONNS=${2:-64}
. bench/lib.sh
bench_start bench "bench password 2026"

APP=$(curl -fs -X POST "$URL/api/v1/apps" -d client_name=bench -d redirect_uris=urn:ietf:wg:oauth:2.0:oob)
CID=$(/usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["client_id"])' <<<"$APP")
CSEC=$(/usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["client_secret"])' <<<"$APP")
TOKEN=$(curl -fs -X POST "$URL/oauth/token" -d grant_type=password -d client_id="$CID" \
	-d client_secret="$CSEC" -d username=bench -d "password=bench password 2026" |
	/usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

run() {
	echo "== $1"
	shift
	wrk -t2 -c"$CONNS" -d"${SECS}s" --latency "$@" | grep -E "Requests/sec|Latency |  50%|  99%|Non-2xx"
}
run "GET /healthz (HTTP layer + one SQLite read)" "$URL/healthz"
run "GET /static/parley.css (from memory)" "$URL/static/parley.css"
run "GET /api/v1/accounts/verify_credentials (token lookup + account read + JSON)" \
	-H "Authorization: Bearer $TOKEN" "$URL/api/v1/accounts/verify_credentials"
echo "== server peak RSS: $(grep VmHWM /proc/$PID/status | awk '{print $2, $3}')"
