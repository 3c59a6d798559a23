#!/usr/bin/python3
"""sse_fanout.py - N idle streams on a running server, and how long a post
takes to reach all of them (issue 8; run by bench/run.sh).

Against a server that is already running on a seeded database (the
benchmark data generator, bench/seed.c): opens N /api/v1/streaming/user
streams with the seeded staff tokens (cycled when N is larger than the
list: one person on several devices), all of whom follow the all-staff
announcements account; measures the server's memory (VmRSS before and
with the streams open, VmHWM at the end); then posts P statuses as that
account (audience organisation), one every INTERVAL seconds, and notes
when each reaches each stream. Reports the delay from sending the POST to
the event's arrival over all (post, stream) pairs (median, p99), and for
each post the time until the last stream had it (median, max).

The client is one Python process: with 10,000 streams its own reading
adds to the delays (it reads the sockets one after another), so the
figures are an upper bound of the server's.

Usage: /usr/bin/python3 bench/sse_fanout.py --url URL --pid PID
         --tokens FILE --author-token TOKEN [--streams 1000] [--posts 10]
         [--interval 1.0] [--out FILE --name NAME]
Bounded in time: opening has a 60 s limit, delivery a 60 s wait.
"""
import argparse
import http.client
import json
import os
import re
import resource
import selectors
import socket
import statistics
import sys
import threading
import time
import urllib.parse

MARK = b'event: update\ndata: {"id":"'


def status_kib(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(round(p / 100 * len(s))) - 1))]


class Streams:
    def __init__(self, host, port, tokens, n):
        self.sel = selectors.DefaultSelector()
        self.socks = []
        self.arrivals = {}      # status id (bytes) -> [monotonic times]
        self.lock = threading.Lock()
        self.stop = False
        deadline = time.monotonic() + 60
        batch = 250
        for start in range(0, n, batch):
            pending = {}
            for k in range(start, min(n, start + batch)):
                tok = tokens[k % len(tokens)]
                s = socket.create_connection((host, port), timeout=10)
                s.sendall(f"GET /api/v1/streaming/user HTTP/1.1\r\nHost: x\r\n"
                          f"Authorization: Bearer {tok}\r\nAccept: text/event-stream\r\n\r\n".encode())
                s.setblocking(False)
                self.sel.register(s, selectors.EVENT_READ, bytearray())
                pending[s] = True
                self.socks.append(s)
            while pending:
                if time.monotonic() > deadline:
                    sys.exit(f"{len(pending)} streams did not open within 60 s")
                for key, _ in self.sel.select(timeout=1):
                    if key.fileobj not in pending:
                        continue
                    chunk = key.fileobj.recv(65536)
                    if not chunk:
                        sys.exit("a stream was closed while opening")
                    key.data.extend(chunk)
                    if b":)\n" in key.data:
                        if not key.data.startswith(b"HTTP/1.1 200"):
                            sys.exit("a stream was refused: " + key.data[:200].decode(errors="replace"))
                        del key.data[:]
                        pending.pop(key.fileobj)
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop:
            for key, _ in self.sel.select(timeout=0.2):
                try:
                    chunk = key.fileobj.recv(262144)
                except BlockingIOError:
                    continue
                if not chunk:
                    self.sel.unregister(key.fileobj)
                    continue
                now = time.monotonic()
                buf = key.data
                buf.extend(chunk)
                pos, keep = 0, None
                while True:
                    i = buf.find(MARK, pos)
                    if i < 0:
                        break
                    j = buf.find(b'"', i + len(MARK))
                    if j < 0:
                        keep = i
                        break
                    sid = bytes(buf[i + len(MARK):j])
                    with self.lock:
                        self.arrivals.setdefault(sid, []).append(now)
                    pos = j
                if keep is not None:
                    del buf[:keep]
                else:
                    del buf[:max(pos, len(buf) - len(MARK))]

    def count(self, sid):
        with self.lock:
            return len(self.arrivals.get(sid, ()))

    def close(self):
        self.stop = True
        self.thread.join(timeout=5)
        for s in self.socks:
            s.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--tokens", required=True)
    ap.add_argument("--author-token", required=True)
    ap.add_argument("--streams", type=int, default=1000)
    ap.add_argument("--posts", type=int, default=10)
    ap.add_argument("--interval", type=float, default=1.0)
    ap.add_argument("--out")
    ap.add_argument("--name", default="")
    args = ap.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if args.streams + 64 > hard:
        sys.exit(f"the open-file limit ({hard}) is too low for {args.streams} streams")
    u = urllib.parse.urlparse(args.url)
    with open(args.tokens) as f:
        tokens = [line.strip() for line in f if line.strip()]

    rss0 = status_kib(args.pid, "VmRSS")
    t0 = time.monotonic()
    streams = Streams(u.hostname, u.port, tokens, args.streams)
    opened = time.monotonic() - t0
    time.sleep(1)
    rss1 = status_kib(args.pid, "VmRSS")
    print(f"{args.streams} streams open in {opened:.1f} s; server RSS {rss0 / 1024:.1f} -> {rss1 / 1024:.1f} MiB "
          f"({(rss1 - rss0) / args.streams:.1f} KiB a stream)")

    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    sent = {}
    post_ms = []
    for p in range(args.posts):
        body = urllib.parse.urlencode({"status": f"Announcement {p} for everyone #allhands",
                                       "visibility": "organisation"})
        t = time.monotonic()
        conn.request("POST", "/api/v1/statuses", body=body,
                     headers={"Authorization": f"Bearer {args.author_token}",
                              "Content-Type": "application/x-www-form-urlencoded"})
        r = conn.getresponse()
        data = r.read()
        post_ms.append((time.monotonic() - t) * 1000)
        if r.status != 200:
            sys.exit(f"posting failed: {r.status} {data[:200]!r}")
        sent[json.loads(data)["id"].encode()] = t
        time.sleep(max(0.0, args.interval - (time.monotonic() - t)))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and any(streams.count(s) < args.streams for s in sent):
        time.sleep(0.2)
    streams.close()

    delays, last = [], []
    delivered = 0
    for sid, t in sent.items():
        arr = streams.arrivals.get(sid, [])
        delivered += len(arr)
        delays.extend(a - t for a in arr)
        if arr:
            last.append(max(arr) - t)
    hwm = status_kib(args.pid, "VmHWM")
    expected = args.streams * len(sent)
    res = {
        "name": args.name or f"sse {args.streams}",
        "streams": args.streams,
        "rss_before_kb": rss0, "rss_streams_kb": rss1, "rss_kb": hwm,
        "kib_per_stream": round((rss1 - rss0) / args.streams, 1),
        "delivered": delivered, "expected": expected,
        "p50_us": int(statistics.median(delays) * 1e6) if delays else None,
        "p99_us": int(pct(delays, 99) * 1e6) if delays else None,
        "last_median_us": int(statistics.median(last) * 1e6) if last else None,
        "last_max_us": int(max(last) * 1e6) if last else None,
        "post_median_ms": round(statistics.median(post_ms), 2),
        "rps": round(delivered / max(1e-9, (max(max(a) for a in streams.arrivals.values()) -
                                           min(sent.values()))) if delivered else 0, 1),
        "load": open("/proc/loadavg").read().split()[:3],
    }
    print(f"delivered {delivered} of {expected}; delay median {res['p50_us'] / 1000 if delays else 0:.1f} ms, "
          f"p99 {res['p99_us'] / 1000 if delays else 0:.1f} ms; until the last stream: median "
          f"{(res['last_median_us'] or 0) / 1000:.1f} ms, max {(res['last_max_us'] or 0) / 1000:.1f} ms; "
          f"peak RSS {hwm / 1024:.1f} MiB")
    if args.out:
        with open(args.out, "a") as f:
            f.write(json.dumps(res) + "\n")


if __name__ == "__main__":
    main()
