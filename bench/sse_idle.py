#!/usr/bin/python3
"""sse_idle.py - what N idle Server-Sent Events streams cost the server.

Starts `parley serve` on a free loopback port with a temporary data
directory, opens N streams on /api/v1/streaming/public (default 5000) from
this one process, and reports:
  - the server's resident memory (VmRSS from /proc/PID/status) before and
    with the streams open, and per stream;
  - the server's CPU use (utime + stime from /proc/PID/stat) over an idle
    window, which by default includes one heartbeat round (15 s);
  - /healthz latency while the streams are held;
  - that every stream is still open at the end, and that a SIGTERM with all
    of them open stops the server promptly with status 0.

Usage: /usr/bin/python3 bench/sse_idle.py [--streams N] [--idle SECONDS]
       [--heartbeat SECONDS] [--threads N]
Environment: PARLEY_BIN (default build/parley).
Each stream is one socket here and one in the server: the script raises its
own open-file limit to the hard limit (ulimit -Hn) and refuses N past it.
"""
import argparse
import os
import resource
import selectors
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

BIN = os.environ.get("PARLEY_BIN", "build/parley")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime


def threads_of(pid):
    return len(os.listdir(f"/proc/{pid}/task"))


def healthz_ms(url, n=50):
    times = []
    for _ in range(n):
        t0 = time.monotonic()
        with urllib.request.urlopen(url + "/healthz", timeout=5) as r:
            r.read()
            assert r.status == 200
        times.append((time.monotonic() - t0) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1], times[-1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--streams", type=int, default=5000)
    ap.add_argument("--idle", type=float, default=20.0)
    ap.add_argument("--heartbeat", type=int, default=15)
    ap.add_argument("--threads", type=int, default=4)
    args = ap.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if args.streams + 64 > hard:
        sys.exit(f"the open-file limit ({hard}) is too low for {args.streams} streams")

    data = tempfile.mkdtemp(prefix="parley-sse-")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARLEY_")}
    env.update({"PARLEY_LOG_LEVEL": "warn", "PARLEY_API_RATE_LIMIT": "0", "PARLEY_STREAM_HEARTBEAT": str(args.heartbeat),
                "PARLEY_THREADS": str(args.threads),
                "PARLEY_MAX_STREAMS": str(max(10000, args.streams + 10))})
    proc = subprocess.Popen([BIN, "serve", "--data", data, "--listen", f"127.0.0.1:{port}"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    socks = []
    sel = selectors.DefaultSelector()
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.05)
        pid = proc.pid
        time.sleep(0.3)
        rss0, cpu_start = rss_kib(pid), cpu_seconds(pid)
        print(f"server pid {pid}, {threads_of(pid)} threads, RSS before streams: {rss0 / 1024:.1f} MiB")

        # open the streams in batches, each waiting for its first bytes
        t0 = time.monotonic()
        request = b"GET /api/v1/streaming/public HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n"
        batch = 250
        for start in range(0, args.streams, batch):
            pending = {}
            for _ in range(min(batch, args.streams - start)):
                s = socket.create_connection(("127.0.0.1", port), timeout=10)
                s.sendall(request)
                s.setblocking(False)
                sel.register(s, selectors.EVENT_READ, bytearray())
                pending[s] = True
                socks.append(s)
            deadline = time.monotonic() + 20
            while pending and time.monotonic() < deadline:
                for key, _ in sel.select(timeout=1):
                    chunk = key.fileobj.recv(65536)
                    if not chunk:
                        sys.exit("a stream was closed while opening")
                    key.data.extend(chunk)
                    if b":)\n" in key.data:
                        if not key.data.startswith(b"HTTP/1.1 200"):
                            sys.exit("a stream was refused: " + key.data[:200].decode(errors="replace"))
                        pending.pop(key.fileobj, None)
            if pending:
                sys.exit(f"{len(pending)} streams did not open within 20 s")
        opened = time.monotonic() - t0
        cpu_open = cpu_seconds(pid) - cpu_start
        time.sleep(1)
        rss1 = rss_kib(pid)
        print(f"opened {len(socks)} streams in {opened:.2f} s "
              f"(server CPU {cpu_open:.2f} s, {cpu_open / len(socks) * 1e6:.0f} us a stream)")
        print(f"RSS with streams: {rss1 / 1024:.1f} MiB "
              f"(+{(rss1 - rss0) / 1024:.1f} MiB, {(rss1 - rss0) * 1024 / len(socks) / 1024:.1f} KiB a stream)")
        print(f"server threads with streams open: {threads_of(pid)}")

        # idle: read whatever comes (heartbeats), measure the server's CPU
        c0, w0 = cpu_seconds(pid), time.monotonic()
        thumps = 0
        end = w0 + args.idle
        while time.monotonic() < end:
            for key, _ in sel.select(timeout=max(0.0, min(1.0, end - time.monotonic()))):
                chunk = key.fileobj.recv(65536)
                if not chunk:
                    sys.exit("a stream was closed while idle")
                thumps += chunk.count(b":thump\n")
        cpu_idle = cpu_seconds(pid) - c0
        wall = time.monotonic() - w0
        print(f"idle {wall:.1f} s: server CPU {cpu_idle:.3f} s = {cpu_idle / wall * 100:.2f} % of one core; "
              f"{thumps} heartbeats received (heartbeat every {args.heartbeat} s)")

        med, p99, worst = healthz_ms(url)
        print(f"/healthz with {len(socks)} streams open: median {med:.2f} ms, p99 {p99:.2f} ms, "
              f"max {worst:.2f} ms")
        print(f"RSS at the end: {rss_kib(pid) / 1024:.1f} MiB")

        t0 = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        status = proc.wait(timeout=30)
        print(f"SIGTERM with {len(socks)} streams open: exited {status} in {time.monotonic() - t0:.2f} s")
        if status != 0:
            sys.exit("the server did not exit cleanly")
    finally:
        for s in socks:
            s.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
