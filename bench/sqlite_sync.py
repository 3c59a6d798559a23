#!/usr/bin/python3
"""sqlite_sync.py - what durability costs: single-row write transactions
in WAL mode with synchronous=FULL (what Parley uses) against NORMAL.

Usage: /usr/bin/python3 bench/sqlite_sync.py [N]   (default N = 2000)
Writes into a temporary directory on the same file system as the
repository (so the fsync cost is that of the disk Parley would use).
Prints transactions per second and median / p99 latency for each setting.
"""
import os
import sqlite3
import statistics
import sys
import tempfile
import time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
here = os.path.dirname(os.path.abspath(__file__))


def run(sync):
    with tempfile.TemporaryDirectory(dir=here) as d:
        db = sqlite3.connect(os.path.join(d, "t.db"), isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=%s" % sync)
        db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
        lat = []
        start = time.perf_counter()
        for i in range(N):
            t0 = time.perf_counter()
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT INTO t (v) VALUES (?)", ("x" * 200,))
            db.execute("COMMIT")
            lat.append(time.perf_counter() - t0)
        total = time.perf_counter() - start
        db.close()
    lat.sort()
    return N / total, statistics.median(lat) * 1e6, lat[int(len(lat) * 0.99)] * 1e6


for sync in ("FULL", "NORMAL"):
    tps, med, p99 = run(sync)
    print("synchronous=%-6s %8.0f tx/s   median %7.1f us   p99 %8.1f us" % (sync, tps, med, p99))
