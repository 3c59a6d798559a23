#!/usr/bin/python3
"""post_fanout.py - does posting cost more for an author with many followers?

Parley computes timelines when they are read (fan-out on read), so
POST /api/v1/statuses should cost the same whether the author has no
followers or 20,000. This measures it:

  1. makes a data directory; creates two authors with the CLI, "solo"
     (no followers) and "star";
  2. with the server NOT running, inserts FOLLOWERS accounts (default
     20,000) straight into its SQLite database, each following "star", plus
     one OAuth app and an access token (scopes "read write follow") for the
     first STREAMS of them. This skips Argon2id (~70 ms an account through
     the CLI, ~25 minutes for 20,000) and the password grant; the rows are
     the ones the server would write (schema in src/store/migrations/,
     ids time-sortable as in src/lib/id.h, token and secret hashes are
     BLAKE2b-256 in hex as in src/lib/secret.c). The inserted accounts have
     no password and cannot sign in; nothing here needs them to;
  3. starts `parley serve`, signs both authors in with the password grant,
     and checks star's followers_count;
  4. posts ROUNDS statuses for each author (audience organisation), one
     client, one request at a time, the two authors alternating so drift
     in the machine's load hits both alike: median and p99 of each;
  5. opens STREAMS /api/v1/streaming/user streams, one for each follower
     with a token, and posts ROUNDS for each author again: does post latency
     change with the streams open (the SSE dispatch runs on its own thread)?
     Also reports how long after the POST was sent each of star's posts
     reached the streams (median over all deliveries, and the median and
     worst of the time the last stream got each post).

Usage: /usr/bin/python3 bench/post_fanout.py [--followers 20000] [--streams 200]
       [--rounds 200] [--interval 0.01]
Environment: PARLEY_BIN (default build/parley). Starts its own server on a
free loopback port with a temporary data directory and removes both at
the end. Bounded in time: every wait has a time limit.
"""
import argparse
import hashlib
import json
import os
import resource
import selectors
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import requests

BIN = os.environ.get("PARLEY_BIN", "build/parley")
PASSWORD = "fanout password 2026"
APP_SECRET = "fanout-bench-app-secret"


def secret_hash(s):
    return hashlib.blake2b(s.encode(), digest_size=32).hexdigest()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(round(p / 100 * len(s))) - 1))]


def ms(x):
    return f"{x * 1000:.2f} ms"


def cli(data, *args, stdin=""):
    r = subprocess.run([BIN, "--data", data, *args], input=stdin, capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        sys.exit(f"parley {' '.join(args)}: {r.stderr.strip()}")


def insert_followers(data, n_followers, n_tokens):
    """Accounts following star, an app, and tokens for the first n_tokens."""
    db = sqlite3.connect(os.path.join(data, "parley.db"))
    star = db.execute("SELECT id FROM accounts WHERE username_lower = 'star'").fetchone()[0]
    now = int(time.time() * 1000)
    acc_base = (now - 2) << 16        # ids the server cannot make any more
    fol_base = (now - 1) << 16
    assert n_followers < 65536
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO accounts (id, username, username_lower, email, email_lower, kind, created_at) "
        "VALUES (?, ?, ?, ?, ?, 'staff', ?)",
        ((acc_base + i, f"f{i:05d}", f"f{i:05d}", f"f{i:05d}@example.org", f"f{i:05d}@example.org", now)
         for i in range(n_followers)))
    db.executemany("INSERT INTO follows (follower_id, followee_id, id, created_at) VALUES (?, ?, ?, ?)",
                   ((acc_base + i, star, fol_base + i, now) for i in range(n_followers)))
    app_id = (now - 3) << 16
    db.execute("INSERT INTO oauth_apps (id, name, redirect_uris, scopes, client_id, secret_hash, created_at) "
               "VALUES (?, 'fanout', 'urn:ietf:wg:oauth:2.0:oob', 'read write follow', 'fanout-bench-app', ?, ?)",
               (app_id, secret_hash(APP_SECRET), now))
    tokens = []
    for i in range(n_tokens):
        tok = f"fanout-bench-token-{i:05d}-{os.urandom(8).hex()}"
        tokens.append(tok)
        db.execute("INSERT INTO oauth_tokens (id, app_id, account_id, token_hash, scopes, created_at) "
                   "VALUES (?, ?, ?, ?, 'read write follow', ?)",
                   (app_id + 1 + i, app_id, acc_base + i, secret_hash(tok), now))
    db.execute("COMMIT")
    db.close()
    return tokens


class Dechunk:
    """HTTP/1.1 chunked transfer coding, undone incrementally."""

    def __init__(self):
        self.raw = bytearray()
        self.out = bytearray()

    def feed(self, data):
        """Add bytes from the socket; returns the decoded body so far (the
        caller removes what it has consumed)."""
        self.raw.extend(data)
        while True:
            eol = self.raw.find(b"\r\n")
            if eol < 0:
                break
            size = int(bytes(self.raw[:eol]).split(b";")[0], 16)
            if len(self.raw) < eol + 2 + size + 2:
                break
            self.out.extend(self.raw[eol + 2:eol + 2 + size])
            del self.raw[:eol + 2 + size + 2]
        return self.out


class Streams:
    """STREAMS open user streams; a thread notes when each update arrives."""

    def __init__(self, port, tokens):
        self.sel = selectors.DefaultSelector()
        self.socks = []
        self.arrivals = {}          # status id -> [monotonic times]
        self.lock = threading.Lock()
        self.stop = False
        self.pending = {}           # socket -> the event being read
        for tok in tokens:
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            s.sendall(f"GET /api/v1/streaming/user HTTP/1.1\r\nHost: x\r\n"
                      f"Authorization: Bearer {tok}\r\nAccept: text/event-stream\r\n\r\n".encode())
            self.socks.append(s)
        deadline = time.monotonic() + 30
        for s in self.socks:
            head = b""
            while b":)\n" not in head:
                if time.monotonic() > deadline:
                    sys.exit("the streams did not open within 30 s")
                chunk = s.recv(65536)
                if not chunk:
                    sys.exit("a stream was closed while opening")
                head += chunk
            if not head.startswith(b"HTTP/1.1 200"):
                sys.exit("a stream was refused: " + head[:200].decode(errors="replace"))
            s.setblocking(False)
            dec = Dechunk()
            dec.feed(head.split(b"\r\n\r\n", 1)[1])
            self.sel.register(s, selectors.EVENT_READ, dec)
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop:
            for key, _ in self.sel.select(timeout=0.2):
                chunk = key.fileobj.recv(262144)
                if not chunk:
                    self.sel.unregister(key.fileobj)
                    continue
                now = time.monotonic()
                buf = key.data.feed(chunk)
                # Server-Sent Events: "field: value" lines, ":" comments,
                # an event ends at an empty line
                while True:
                    eol = buf.find(b"\n")
                    if eol < 0:
                        break
                    line = bytes(buf[:eol])
                    del buf[:eol + 1]
                    ev = self.pending.setdefault(key.fileobj, {})
                    if line.startswith(b"event: "):
                        ev["event"] = line[7:]
                    elif line.startswith(b"data: "):
                        ev["data"] = line[6:]
                    elif not line:
                        self.pending.pop(key.fileobj, None)
                        if ev.get("event") == b"update" and "data" in ev:
                            sid = json.loads(ev["data"])["id"]
                            with self.lock:
                                self.arrivals.setdefault(sid, []).append(now)

    def close(self):
        self.stop = True
        self.thread.join(timeout=5)
        for s in self.socks:
            s.close()


def post_rounds(url, authors, rounds, interval):
    """Alternate the authors; returns {name: [latency]}, {status id: sent time}."""
    lat = {name: [] for name, _ in authors}
    sent = {}
    s = requests.Session()
    for r in range(rounds):
        for name, tok in authors:
            t0 = time.monotonic()
            resp = s.post(url + "/api/v1/statuses", headers={"Authorization": f"Bearer {tok}"},
                          data={"status": f"round {r} from {name} #fanout", "visibility": "organisation"},
                          timeout=30)
            d = time.monotonic() - t0
            if resp.status_code != 200:
                sys.exit(f"POST /api/v1/statuses: {resp.status_code} {resp.text[:200]}")
            lat[name].append(d)
            sent[resp.json()["id"]] = (name, t0)
            if interval:
                time.sleep(interval)
    return lat, sent


def report(title, lat):
    print(f"== {title}")
    for name, v in lat.items():
        print(f"   {name:5s} {len(v)} posts: median {ms(statistics.median(v))}, p99 {ms(pct(v, 99))}, "
              f"max {ms(max(v))}")
    a, b = (statistics.median(v) for v in lat.values())
    print(f"   median star / median solo = {b / a:.2f}")


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--followers", type=int, default=20000)
    ap.add_argument("--streams", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=200)
    ap.add_argument("--interval", type=float, default=0.01, help="seconds between two posts")
    args = ap.parse_args()
    args.streams = min(args.streams, args.followers)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    print(f"load average before: {open('/proc/loadavg').read().split()[:3]}")
    data = tempfile.mkdtemp(prefix="parley-fanout-")
    proc = None
    streams = None
    try:
        cli(data, "init")
        for name in ("solo", "star"):
            cli(data, "admin", "create-user", name, "--email", f"{name}@example.org", "--role", "staff",
                stdin=PASSWORD + "\n")
        t0 = time.monotonic()
        tokens = insert_followers(data, args.followers, args.streams)
        print(f"inserted {args.followers} follower accounts and follows, {len(tokens)} tokens, "
              f"in {time.monotonic() - t0:.2f} s (directly in SQLite, server stopped)")

        port = free_port()
        url = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("PARLEY_")}
        env["PARLEY_LOG_LEVEL"] = "warn"
        env["PARLEY_API_RATE_LIMIT"] = "0"  # a benchmark, not a client
        proc = subprocess.Popen([BIN, "serve", "--data", data, "--listen", f"127.0.0.1:{port}"],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                requests.get(url + "/healthz", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.05)
        authors = []
        for name in ("solo", "star"):
            r = requests.post(url + "/oauth/token", data={
                "grant_type": "password", "client_id": "fanout-bench-app", "client_secret": APP_SECRET,
                "username": name, "password": PASSWORD, "scope": "read write follow"}, timeout=30)
            if r.status_code != 200:
                sys.exit(f"password grant for {name}: {r.status_code} {r.text[:200]}")
            authors.append((name, r.json()["access_token"]))
        for name, tok in authors:
            me = requests.get(url + "/api/v1/accounts/verify_credentials",
                              headers={"Authorization": f"Bearer {tok}"}, timeout=10).json()
            print(f"{name}: followers_count {me['followers_count']}")

        post_rounds(url, authors, 10, 0)   # warm up both paths
        lat, _ = post_rounds(url, authors, args.rounds, args.interval)
        report(f"POST /api/v1/statuses, no streams open ({args.interval * 1000:.0f} ms between posts)", lat)

        rss0 = rss_mib(proc.pid)
        t0 = time.monotonic()
        streams = Streams(port, tokens)
        print(f"opened {len(tokens)} /api/v1/streaming/user streams of star's followers in "
              f"{time.monotonic() - t0:.2f} s; server RSS {rss0:.1f} -> {rss_mib(proc.pid):.1f} MiB")
        lat, sent = post_rounds(url, authors, args.rounds, args.interval)
        report(f"POST /api/v1/statuses, {len(tokens)} user streams open", lat)

        # wait (bounded) for the streams to get every post of star's
        star_ids = [sid for sid, (name, _) in sent.items() if name == "star"]
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with streams.lock:
                got = sum(len(streams.arrivals.get(sid, [])) for sid in star_ids)
            if got >= len(star_ids) * len(tokens):
                break
            time.sleep(0.1)
        with streams.lock:
            arrivals = dict(streams.arrivals)
        lags, lasts = [], []
        for sid in star_ids:
            a = arrivals.get(sid, [])
            t_sent = sent[sid][1]
            lags += [x - t_sent for x in a]
            if len(a) == len(tokens):
                lasts.append(max(a) - t_sent)
        missing = [(i, len(arrivals.get(sid, []))) for i, sid in enumerate(star_ids)
                   if len(arrivals.get(sid, [])) < len(tokens)]
        if missing:
            print(f"   posts (in order) not delivered to every stream: {missing[:10]}")
        solo_events = sum(len(arrivals.get(sid, [])) for sid, (n, _) in sent.items() if n == "solo")
        print(f"== delivery of star's {len(star_ids)} posts to {len(tokens)} streams: "
              f"{len(lags)} of {len(star_ids) * len(tokens)} events arrived"
              f" ({solo_events} of solo's, which none of them follows)")
        if lags:
            print(f"   from POST sent to event received: median {ms(statistics.median(lags))}, "
                  f"p99 {ms(pct(lags, 99))}")
        if lasts:
            print(f"   until the last stream got it: median {ms(statistics.median(lasts))}, "
                  f"max {ms(max(lasts))}")
        print(f"server RSS at the end: {rss_mib(proc.pid):.1f} MiB")
        print(f"load average after: {open('/proc/loadavg').read().split()[:3]}")
    finally:
        if streams:
            streams.close()
        if proc and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
