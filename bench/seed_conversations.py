#!/usr/bin/python3
"""seed_conversations.py - fill a running Parley server with a conversation load.

Creates N staff accounts with the CLI (`parley --data DIR admin
create-user`, password on standard input, several processes at once since
each one spends ~70 ms of Argon2id), signs each in with the OAuth password
grant (scopes "read write follow"), builds a follow graph through the API
(each account follows F others chosen at random), then posts M statuses
through POST /api/v1/statuses, spread over the accounts and audiences:
mostly organisation and public, some followers-only and direct, about
half of them with hashtags (from a fixed set of 24, the first ones much
commoner) and a quarter with mentions.

Prints the time and rate of every phase, and the latency of the posts
(median and p99, as seen by the client while W clients post at once).
Writes a JSON file (--out) with the accounts' names, ids and tokens and
the tag names, for the load scripts (bench/home_timeline.sh).

Usage: /usr/bin/python3 bench/seed_conversations.py --url URL --data DIR
       [--accounts 200] [--follows 50] [--posts 20000] [--workers 8]
       [--out FILE] [--seed 1]
DIR is the server's data directory (the CLI writes to the same database
while the server runs; SQLite's WAL and busy timeout make that safe).
Environment: PARLEY_BIN (default build/parley).
Deterministic for a given --seed, except for the server's ids.
"""
import argparse
import concurrent.futures as cf
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time

import requests

BIN = os.environ.get("PARLEY_BIN", "build/parley")
PASSWORD = "seed password 2026"
TAGS = ["release", "design", "hiring", "onboarding", "security", "roadmap", "coffee", "devops",
        "planning", "docs", "support", "sales", "finance", "legal", "research", "offsite",
        "kudos", "incident", "retro", "demo", "api", "mobile", "accessibility", "ux"]
WORDS = ("the team shipped a new build of the service and we are looking at feedback from "
         "customers about latency and the dashboards next week we plan to review the budget "
         "with finance and to write better docs for onboarding people who join the project "
         "please read the notes before the meeting and add your questions below thanks").split()
AUDIENCES = [("organisation", 45), ("public", 35), ("private", 12), ("direct", 8)]


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(round(p / 100 * len(s))) - 1))]


def phase(name, n, seconds, unit):
    rate = n / seconds if seconds > 0 else float("inf")
    print(f"{name}: {n} {unit} in {seconds:.1f} s = {rate:.0f} {unit}/s", flush=True)


def create_account(data, name):
    r = subprocess.run([BIN, "--data", data, "admin", "create-user", name, "--email",
                        f"{name}@example.org", "--role", "staff"],
                       input=PASSWORD + "\n", capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError(f"create-user {name}: {r.stderr.strip()}")


_local = threading.local()


def session():
    s = getattr(_local, "s", None)
    if s is None:
        s = _local.s = requests.Session()
    return s


def api(method, url, token=None, ok=(200,), **kw):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    r = session().request(method, url, headers=headers, timeout=30, **kw)
    if r.status_code not in ok:
        raise RuntimeError(f"{method} {url}: {r.status_code} {r.text[:200]}")
    return r


def sign_in(url, app, name):
    for attempt in range(20):
        r = session().post(url + "/oauth/token", data={
            "grant_type": "password", "client_id": app["client_id"],
            "client_secret": app["client_secret"], "username": name,
            "password": PASSWORD, "scope": "read write follow"}, timeout=60)
        if r.status_code == 200:
            return r.json()["access_token"]
        if r.status_code != 429:
            raise RuntimeError(f"password grant for {name}: {r.status_code} {r.text[:200]}")
        time.sleep(float(r.headers.get("Retry-After", "1")))
    raise RuntimeError(f"password grant for {name}: still limited")


def make_text(rng, accounts, audience, me):
    words = rng.choices(WORDS, k=rng.randint(8, 40))
    mentions = []
    if audience == "direct":
        mentions = rng.sample(range(len(accounts)), rng.randint(1, 2))
    elif rng.random() < 0.25:
        mentions = rng.sample(range(len(accounts)), rng.randint(1, 2))
    mentions = [m for m in mentions if m != me] or ([(me + 1) % len(accounts)] if audience == "direct" else [])
    tags = []
    if rng.random() < 0.5:
        # skewed: the first tags are much commoner than the last ones
        tags = {TAGS[min(len(TAGS) - 1, int(rng.expovariate(0.25)))] for _ in range(rng.randint(1, 2))}
    parts = ["@" + accounts[m]["name"] for m in mentions] + words + ["#" + t for t in sorted(tags)]
    return " ".join(parts)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--url", required=True)
    ap.add_argument("--data", required=True, help="the server's data directory (for the CLI)")
    ap.add_argument("--accounts", type=int, default=200)
    ap.add_argument("--follows", type=int, default=50, help="accounts each account follows")
    ap.add_argument("--posts", type=int, default=20000)
    ap.add_argument("--workers", type=int, default=8, help="concurrent API clients")
    ap.add_argument("--prefix", default="seed")
    ap.add_argument("--out", default="")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--spaces", type=int, default=0,
                    help="open internal spaces every account joins; --space-share of the posts go into them")
    ap.add_argument("--space-share", type=float, default=0.3)
    args = ap.parse_args()
    url = args.url.rstrip("/")
    rng = random.Random(args.seed)
    names = [f"{args.prefix}{i:05d}" for i in range(args.accounts)]

    # 1. accounts, with the CLI, one process per core at a time (Argon2id)
    t0 = time.monotonic()
    with cf.ThreadPoolExecutor(max(1, os.cpu_count() or 1)) as ex:
        list(ex.map(lambda n: create_account(args.data, n), names))
    phase("accounts (CLI, Argon2id)", len(names), time.monotonic() - t0, "accounts")

    # 2. tokens: the password grant runs on the server's slow lane (one thread
    # a core); stay below the per-address limit of sign-ins in flight
    app = api("POST", url + "/api/v1/apps", data={
        "client_name": "seed", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
        "scopes": "read write follow"}).json()
    t0 = time.monotonic()
    with cf.ThreadPoolExecutor(4) as ex:
        tokens = list(ex.map(lambda n: sign_in(url, app, n), names))
    phase("tokens (password grant)", len(tokens), time.monotonic() - t0, "tokens")
    accounts = []
    for n, tok in zip(names, tokens):
        me = api("GET", url + "/api/v1/accounts/verify_credentials", tok).json()
        accounts.append({"name": n, "id": me["id"], "token": tok})

    # 3. the follow graph
    k = min(args.follows, len(accounts) - 1)
    pairs = []
    for i in range(len(accounts)):
        others = rng.sample([j for j in range(len(accounts)) if j != i], k)
        pairs += [(i, j) for j in others]
    rng.shuffle(pairs)

    def follow(pair):
        i, j = pair
        api("POST", f"{url}/api/v1/accounts/{accounts[j]['id']}/follow", accounts[i]["token"])

    t0 = time.monotonic()
    with cf.ThreadPoolExecutor(args.workers) as ex:
        list(ex.map(follow, pairs))
    phase("follows (POST /api/v1/accounts/:id/follow)", len(pairs), time.monotonic() - t0, "follows")

    # 3b. spaces: every account a member of all of them
    space_ids = []
    if args.spaces:
        t0 = time.monotonic()
        for i in range(args.spaces):
            r = api("POST", url + "/api/parley/v1/spaces", accounts[0]["token"],
                    json={"name": f"Bench space {i}", "handle": f"{args.prefix}_space_{i}",
                          "kind": "internal", "access": "open"})
            space_ids.append(r.json()["id"])

        def join(pair):
            i, sid = pair
            api("POST", f"{url}/api/parley/v1/spaces/{sid}/join", accounts[i]["token"])

        with cf.ThreadPoolExecutor(args.workers) as ex:
            list(ex.map(join, [(i, sid) for i in range(1, len(accounts)) for sid in space_ids]))
        phase("spaces (create, then every account joins each)", len(space_ids) * len(accounts),
              time.monotonic() - t0, "memberships")

    # 4. posts: authors skewed (a few post a lot), audiences mixed
    weights = [1.0 / (1 + i % 50) for i in range(len(accounts))]
    rng.shuffle(weights)
    jobs = []
    for _ in range(args.posts):
        a = rng.choices(range(len(accounts)), weights)[0]
        aud = rng.choices([x for x, _ in AUDIENCES], [w for _, w in AUDIENCES])[0]
        if space_ids and rng.random() < args.space_share:
            aud = "space:" + rng.choice(space_ids)
        jobs.append((a, aud, make_text(rng, accounts, aud if not aud.startswith("space:") else "organisation", a)))
    latencies = []
    lock = threading.Lock()

    def post(job):
        a, aud, text = job
        s = time.monotonic()
        data = {"status": text}
        if aud.startswith("space:"):
            data["parley_space_id"] = aud[6:]
        else:
            data["visibility"] = aud
        api("POST", url + "/api/v1/statuses", accounts[a]["token"], data=data)
        d = time.monotonic() - s
        with lock:
            latencies.append(d)

    t0 = time.monotonic()
    with cf.ThreadPoolExecutor(args.workers) as ex:
        list(ex.map(post, jobs))
    elapsed = time.monotonic() - t0
    phase(f"posts (POST /api/v1/statuses, {args.workers} clients)", len(jobs), elapsed, "posts")
    if latencies:
        print(f"post latency with {args.workers} clients: median {statistics.median(latencies) * 1000:.2f} ms, "
              f"p99 {pct(latencies, 99) * 1000:.2f} ms", flush=True)

    if args.out:
        with open(args.out, "w") as f:
            json.dump({"url": url, "accounts": accounts, "tags": TAGS, "posts": args.posts}, f)


if __name__ == "__main__":
    try:
        main()
    except RuntimeError as e:
        sys.exit(f"seed_conversations: {e}")
