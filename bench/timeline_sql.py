#!/usr/bin/python3
"""timeline_sql.py - the first page of the home (or organisation) timeline's
SQL alone, timed on a seeded database (issue 8).

Builds bench/timeline_sql.c against the build's objects to get the query
exactly as the server runs it, then runs it for VIEWERS random token
holders of the seed (the same viewers each run, by --seed), twice (the
second pass warm), and prints the mean time a page and the rows found.
Read-only on the database.

Usage: /usr/bin/python3 bench/timeline_sql.py DB [--kind home|organisation]
         [--viewers 400] [--seed 1] [--build build]
"""
import argparse
import os
import random
import sqlite3
import subprocess
import sys
import time

ap = argparse.ArgumentParser()
ap.add_argument("db")
ap.add_argument("--kind", default="home", choices=["home", "organisation"])
ap.add_argument("--viewers", type=int, default=400)
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--build", default="build")
a = ap.parse_args()

repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
exe = os.path.join(repo, a.build, "bench-timeline-sql")
libs = ["-lmicrohttpd", "-ljansson", "-lsqlite3", "-lsodium", "-lgd", "-lqrencode",
        "-lcmark-gfm-extensions", "-lcmark-gfm", "-lwslay", "-lpthread", "-lm"]
subprocess.run(["cc", "-O2", "-I" + os.path.join(repo, "src"), "-I" + os.path.join(repo, a.build, "gen"),
                "-o", exe, os.path.join(repo, "bench", "timeline_sql.c"),
                os.path.join(repo, a.build, "libparley.a")] + libs, check=True)
sql = subprocess.run([exe, a.kind], check=True, capture_output=True, text=True).stdout

db = sqlite3.connect(f"file:{a.db}?mode=ro", uri=True)
holders = [r[0] for r in db.execute("SELECT DISTINCT account_id FROM oauth_tokens ORDER BY account_id")]
viewers = random.Random(a.seed).sample(holders, min(a.viewers, len(holders)))
now = int(time.time() * 1000)
for label in ("cold", "warm"):
    rows = 0
    t = time.perf_counter()
    for v in viewers:
        # ?1 viewer, ?2 staff, ?3/?4 max/min id, ?5 limit, ?6..?9 options, ?10 now
        args = {"1": v, "2": 1, "3": 1 << 62, "4": 0, "5": 20, "6": 0, "7": 0, "8": 0, "9": 0, "10": now}
        rows += len(db.execute(sql, args).fetchall())
    dt = time.perf_counter() - t
    print(f"{a.kind} {label}: {dt / len(viewers) * 1000:.2f} ms a page over {len(viewers)} viewers, {rows} rows")
