#!/bin/bash
# signin_storm.sh - how much a burst of sign-ins slows everything else.
#
# Usage: bench/signin_storm.sh [SECONDS] [SIGNIN_CLIENTS]   (defaults 10, 16)
# Starts its own server (PARLEY_BIN, default build/parley) on a free
# loopback port, keeps SIGNIN_CLIENTS clients doing OAuth password grants
# (Argon2id, ~70 ms of CPU each) while wrk reads /healthz on 16
# connections, both for SECONDS; prints wrk's latency and the sign-ins
# served. Needs wrk. Bounded in time; stops the server at the end.
set -eu
cd "$(dirname "$0")/.."
SECS=${1:-10}
CLIENTS=${2:-16}
. bench/lib.sh
bench_start storm "storm password 2026"

/usr/bin/python3 - "$URL" "$SECS" "$CLIENTS" <<'PY' &
import json, sys, threading, time, urllib.parse, urllib.request
url, secs, clients = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
def post(path, data):
    req = urllib.request.Request(url + path, data=urllib.parse.urlencode(data).encode())
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.load(r)
app = post("/api/v1/apps", {"client_name": "storm", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob"})
done, lock, end = [0], threading.Lock(), time.monotonic() + secs
def run():
    while time.monotonic() < end:
        try:
            post("/oauth/token", {"grant_type": "password", "client_id": app["client_id"],
                                  "client_secret": app["client_secret"], "username": "storm",
                                  "password": "storm password 2026"})
            with lock:
                done[0] += 1
        except Exception:
            pass
ts = [threading.Thread(target=run) for _ in range(clients)]
[t.start() for t in ts]
[t.join() for t in ts]
print("sign-ins served: %d (%.1f/s)" % (done[0], done[0] / secs))
PY
STORM=$!
sleep 0.5
wrk -t1 -c16 -d"${SECS}s" --latency "$URL/healthz" | grep -E "Requests/sec|  50%|  90%|  99%"
wait $STORM
