#!/bin/bash
# lib.sh - what the bench scripts share: start a Parley server with one
# account on a free loopback port and a temporary data directory.
#
# bench_start USER PASSWORD  sets URL and PID; stops the server and removes
# the data directory when the calling script exits. Uses PARLEY_BIN
# (default build/parley) and PARLEY_LOG_LEVEL (default warn).

bench_start() {
	local user=$1 password=$2
	BIN=${PARLEY_BIN:-build/parley}
	command -v wrk >/dev/null || { echo "install wrk: apt-get install wrk" >&2; exit 1; }
	DATA=$(mktemp -d)
	PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	URL="http://127.0.0.1:$PORT"
	echo "$password" | "$BIN" --data "$DATA" admin create-user "$user" --email "$user@example.org" \
		--role staff >/dev/null 2>&1
	PARLEY_API_RATE_LIMIT=0 PARLEY_LOG_LEVEL=${PARLEY_LOG_LEVEL:-warn} "$BIN" serve --data "$DATA" --listen "127.0.0.1:$PORT" 2>/dev/null &
	PID=$!
	trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DATA"' EXIT
	for _ in $(seq 50); do curl -fs "$URL/healthz" >/dev/null && break; sleep 0.1; done
}
