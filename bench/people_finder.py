#!/usr/bin/python3
"""people_finder.py - the people and skills finder under a realistic load.

Builds an organisation of N people (default 20,000) the way an
administrator would: a generated HR export (CSV: name, title, department,
office, languages, 4-8 skills with levels out of a vocabulary of 300,
and a manager, forming a reporting tree) imported with
`parley import people FILE.csv`. Then colleagues' endorsements (3 per
person, on a colleague's skill) and posts tagged with skills (one per
person) are written straight into the database (there is no bulk API for
them; the bench only needs them to exist). Then it starts the server and
times, with one Python client sending requests one after the other over a
kept-alive connection (http.client), each kind of query Q times (default
500) on the Parley API as a staff member:

  knows          GET /directory?knows=<a skill>        "who knows X", ranked by evidence
  knows_typo     the same with one letter of the skill dropped
  dept           GET /directory?department=<d>         a facet filter, with all facet counts
  loc_skill      GET /directory?location=<l>&skill=<s> two filters combined
  q_dept         GET /directory?q=<word>&department=<d> text search plus a filter
  unfiltered     GET /directory                        everything: cached counts, name order
  anon           GET /directory (anonymous)            the public directory

and prints, per kind, the median and p99 of the client's time (what an
app waits) and of the server's own time (from its access log, the
microseconds between the request's arrival and the answer being queued).
The client's overhead is measured on /healthz and printed too.

Not a timed test: it prints figures for docs/PERFORMANCE.md ("People").

Usage: PARLEY_BIN=build/parley /usr/bin/python3 bench/people_finder.py
       [--people 20000] [--queries 500] [--seed 1] [--keep DIR]
"""
import argparse
import csv
import http.client
import json
import os
import random
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

BIN = os.environ.get("PARLEY_BIN", "build/parley")
PASSWORD = "bench password 2026"

FIRST = ("Ada Alan Grace Linus Barbara Ken Dennis Margaret Edsger Donald Frances Radia John Leslie "
         "Sophie Tim Hedy Katherine Annie Carl Mary Niklaus Butler Fran Jean Shafi Adele Bjarne Guido "
         "Yukihiro Anders Rasmus Larry James Brendan Satoshi Lynn Ida Rosalind").split()
LAST = ("Lovelace Turing Hopper Torvalds Liskov Thompson Ritchie Hamilton Dijkstra Knuth Allen Perlman "
        "McCarthy Lamport Wilson Berners Lamarr Johnson Easley Hewitt Keller Wirth Lampson Allen "
        "Sammet Goldwasser Goldberg Stroustrup Rossum Matsumoto Hejlsberg Lerdorf Wall Gosling Eich "
        "Nakamoto Conway Rhodes Franklin").split()
DEPTS = ["Engineering", "Research", "Sales", "Marketing", "Finance", "Legal", "Operations", "Support",
         "Product", "Design", "Security", "Data", "People", "Procurement", "Logistics", "Facilities",
         "Quality", "Training", "Partnerships", "Communications", "Platform", "Payments", "Mobile",
         "Infrastructure", "Analytics", "Compliance", "Risk", "Strategy", "Customer Success", "IT"]
CITIES = ["London", "Lisbon", "Berlin", "Paris", "Madrid", "Rome", "Oslo", "Dublin", "Warsaw", "Prague",
          "Vienna", "Zurich", "Amsterdam", "Brussels", "Stockholm", "Helsinki", "Athens", "Porto",
          "Lyon", "Munich", "Milan", "Barcelona", "Copenhagen", "Tallinn", "Riga", "Vilnius",
          "Budapest", "Sofia", "Bucharest", "Zagreb", "New York", "Boston", "Toronto", "Montreal",
          "Austin", "Seattle", "Singapore", "Tokyo", "Sydney", "Nairobi"]
LANGS = ["English", "French", "German", "Spanish", "Portuguese", "Italian", "Dutch", "Polish", "Swedish",
         "Japanese", "Mandarin", "Arabic"]
TITLES = ["Engineer", "Senior engineer", "Analyst", "Manager", "Designer", "Consultant", "Specialist",
          "Lead", "Director", "Coordinator", "Architect", "Scientist"]
LEVELS = ["learning", "practised", "practised", "expert"]
WORDS = ("payments ledger latency migration roadmap customers onboarding budget audit contract "
         "pipeline dashboard forecast hiring release incident review workshop partner vendor").split()


def skills_vocabulary():
    """300 skill names: real ones first (the commonest), then numbered."""
    real = ["Python", "Java", "JavaScript", "TypeScript", "Go", "Rust", "SQL", "Kubernetes", "Docker",
            "Terraform", "AWS", "Azure", "Excel", "Tableau", "Negotiation", "Public Speaking", "Accounting",
            "Budgeting", "Recruiting", "Coaching", "Figma", "Copywriting", "SEO", "Scrum", "Kanban",
            "Machine Learning", "Statistics", "Cryptography", "Networking", "Linux", "React", "Swift",
            "Kotlin", "Spark", "Kafka", "PostgreSQL", "GDPR", "Contracts", "Procurement", "Logistics"]
    return real + [f"Skill{i:03d}" for i in range(300 - len(real))]


SKILL_WEIGHTS = [1.0 / (i + 10) for i in range(300)]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(round(p / 100 * len(s))) - 1))]


def make_csv(path, n, rnd, vocab):
    people = []
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["email", "name", "job title", "department", "office", "languages", "skills", "manager"])
        for i in range(n):
            name = f"{rnd.choice(FIRST)} {rnd.choice(LAST)}"
            email = f"p{i:06d}@bench.example"
            # skill popularity is skewed (weight 1 / (rank + 10)): the commonest
            # skill is held by about a fifth of the people, the rarest by ~1%
            k = rnd.randint(4, 8)
            sk = set()
            while len(sk) < k:
                sk.add(rnd.choices(vocab, weights=SKILL_WEIGHTS)[0])
            skills = "; ".join(f"{s}:{rnd.choice(LEVELS)}" for s in sk)
            # a reporting tree: everyone's manager is someone earlier
            manager = f"p{rnd.randrange(0, i):06d}@bench.example" if i else ""
            w.writerow([email, name, rnd.choice(TITLES), DEPTS[min(int(rnd.expovariate(0.12)), 29)],
                        CITIES[min(int(rnd.expovariate(0.1)), 39)],
                        "; ".join(rnd.sample(LANGS, rnd.randint(1, 3))), skills, manager])
            people.append((email, list(sk)))
    return people


def add_evidence(db_path, rnd):
    """Endorsements and tagged posts, written straight into the database."""
    db = sqlite3.connect(db_path)
    rows = db.execute("SELECT account_id, skill_id FROM profile_skills").fetchall()
    ids = [r[0] for r in db.execute("SELECT id FROM accounts WHERE kind = 'staff'")]
    now = int(time.time() * 1000)
    ends = set()
    for endorser in ids:
        for _ in range(3):
            acc, skill = rnd.choice(rows)
            if acc != endorser:
                ends.add((acc, skill, endorser))
    db.executemany("INSERT INTO endorsements (account_id, skill_id, endorser_id, created_at) VALUES (?, ?, ?, ?)",
                   [(a, s, e, now) for a, s, e in ends])
    names = {sid: name for sid, name in db.execute("SELECT id, name FROM skills")}
    tag_ids = {}
    post_id = (now << 16)
    for acc, skill in rnd.sample(rows, min(len(ids), len(rows))):
        tag = re.sub(r"[^A-Za-z0-9_]", "", names[skill])
        if tag not in tag_ids:
            cur = db.execute("INSERT INTO tags (name, name_lower, created_at) VALUES (?, ?, ?)",
                             (tag, tag.lower(), now))
            tag_ids[tag] = cur.lastrowid
        post_id += 1
        text = f"Notes on #{tag}: " + " ".join(rnd.sample(WORDS, 6))
        db.execute("INSERT INTO posts (id, account_id, audience, source, content, created_at)"
                   " VALUES (?, ?, ?, ?, ?, ?)", (post_id, acc, rnd.choice(["public", "organisation"]),
                                                  text, "<p>" + text + "</p>", now))
        db.execute("INSERT INTO post_tags (post_id, tag_id) VALUES (?, ?)", (post_id, tag_ids[tag]))
    # a tenth of the profiles are public (what anonymous visitors find)
    db.execute("UPDATE accounts SET profile_public = 1 WHERE id % 10 = 0")
    db.commit()
    db.close()
    return len(ends), len(ids)


def get_token(url, user):
    u = urllib.parse.urlsplit(url)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)

    def post(path, form):
        body = urllib.parse.urlencode(form)
        c.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})
        r = c.getresponse()
        return json.loads(r.read())
    app = post("/api/v1/apps", {"client_name": "bench", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
                                "scopes": "read write"})
    tok = post("/oauth/token", {"grant_type": "password", "client_id": app["client_id"],
                                "client_secret": app["client_secret"], "username": user,
                                "password": PASSWORD, "scope": "read write"})
    c.close()
    return tok["access_token"]


def run(url, token, paths, bump=None):
    """Sequential GETs over one kept-alive connection; client seconds each.
    With bump (a token), each is preceded (untimed) by a profile edit, which
    moves the directory generation on: every timed request then misses the
    cache."""
    u = urllib.parse.urlsplit(url)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    headers = {"Authorization": "Bearer " + token} if token else {}
    times = []
    for i, p in enumerate(paths):
        if bump:
            c.request("PATCH", "/api/parley/v1/profile", body=json.dumps({"status": f"bump {i}"}),
                      headers={"Authorization": "Bearer " + bump, "Content-Type": "application/json"})
            r = c.getresponse()
            r.read()
        t0 = time.perf_counter()
        c.request("GET", p, headers=headers)
        r = c.getresponse()
        body = r.read()
        times.append(time.perf_counter() - t0)
        if r.status != 200:
            sys.exit(f"{p}: {r.status} {body[:200]!r}")
    c.close()
    return times


def server_times(log_path, since, prefix):
    """Server microseconds of the access-log lines after byte `since`."""
    out = []
    with open(log_path, "rb") as f:
        f.seek(since)
        for line in f.read().decode(errors="replace").splitlines():
            m = re.search(r"GET (\S+) 200 \d+ (\d+)us", line)
            if m and m.group(1).startswith(prefix):
                out.append(int(m.group(2)) / 1e6)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=20000)
    ap.add_argument("--queries", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", help="data directory to build in and keep")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    vocab = skills_vocabulary()
    data = a.keep or tempfile.mkdtemp(prefix="parley-people-bench-")
    os.makedirs(data, exist_ok=True)
    csv_path = os.path.join(data, "people.csv")

    t0 = time.time()
    make_csv(csv_path, a.people, rnd, vocab)
    print(f"generated {a.people} people in {time.time() - t0:.1f} s", flush=True)
    t0 = time.time()
    r = subprocess.run([BIN, "--data", data, "import", "people", csv_path], capture_output=True, text=True)
    if r.returncode:
        sys.exit(r.stderr)
    summary = r.stdout.strip().splitlines()[-1]
    print(f"import: {summary} in {time.time() - t0:.1f} s "
          f"({a.people / (time.time() - t0):.0f} rows/s, one transaction)", flush=True)
    t0 = time.time()
    nend, nposts = add_evidence(os.path.join(data, "parley.db"), rnd)
    print(f"evidence: {nend} endorsements, {nposts} tagged posts in {time.time() - t0:.1f} s", flush=True)
    subprocess.run([BIN, "--data", data, "admin", "create-user", "viewer", "--email", "viewer@bench.example",
                    "--role", "staff"], input=PASSWORD + "\n", capture_output=True, text=True, check=True)

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = os.path.join(data, "server.log")
    log = open(log_path, "ab")
    srv = subprocess.Popen([BIN, "serve", "--data", data, "--listen", f"127.0.0.1:{port}"],
                           stdout=log, stderr=subprocess.STDOUT,
                           env={k: v for k, v in os.environ.items() if not k.startswith("PARLEY_")})
    try:
        for _ in range(100):
            try:
                run(url, None, ["/healthz"])
                break
            except OSError:
                time.sleep(0.1)
        token = get_token(url, "viewer")
        base = "/api/parley/v1/directory?"
        q = a.queries
        enc = urllib.parse.urlencode
        common = vocab[:60]
        kinds = {
            "knows": [base + enc({"knows": rnd.choice(common)}) for _ in range(q)],
            "knows_typo": [base + enc({"knows": (lambda s: s[:2] + s[3:])(rnd.choice(common[:40]))})
                           for _ in range(q)],
            "dept": [base + enc({"department": rnd.choice(DEPTS)}) for _ in range(q)],
            "loc_skill": [base + enc({"location": rnd.choice(CITIES[:20]), "skill": rnd.choice(common)})
                          for _ in range(q)],
            "q_dept": [base + enc({"q": rnd.choice(["eng", "analyst", "lead", "python", "sales", "design"]),
                                   "department": rnd.choice(DEPTS[:10])}) for _ in range(q)],
            "unfiltered": [base + enc({"offset": rnd.choice([0, 0, 0, 20, 40])}) for _ in range(q)],
        }
        overhead = run(url, None, ["/healthz"] * 200)
        print(f"\nclient overhead (GET /healthz): median {statistics.median(overhead) * 1e3:.2f} ms", flush=True)
        kinds["anon"] = [base + enc({"offset": rnd.choice([0, 0, 20])}) for _ in range(q)]
        results = {}
        for mode in ("warm", "cold"):
            print(f"\n{mode}: " + ("every distinct query asked once before timing (steady state)" if mode == "warm"
                                   else "each query right after a profile edit (a cache miss every time)"))
            print(f"{'query':<12} {'client median':>14} {'client p99':>11} {'server median':>14} {'server p99':>11}")
            for name, paths in kinds.items():
                tok = None if name == "anon" else token
                if mode == "warm":
                    run(url, tok, sorted(set(paths)))
                    timed = paths
                else:
                    timed = paths[:max(20, q // 5)]
                log.flush()
                since = os.path.getsize(log_path)
                times = run(url, tok, timed, bump=token if mode == "cold" else None)
                time.sleep(0.3)
                st = server_times(log_path, since, "/api/parley/v1/directory")
                res = (statistics.median(times), pct(times, 99),
                       statistics.median(st) if st else 0, pct(st, 99) if st else 0)
                results[f"{mode}/{name}"] = res
                m, p, sm, sp = res
                print(f"{name:<12} {m * 1e3:>11.2f} ms {p * 1e3:>8.2f} ms {sm * 1e3:>11.2f} ms "
                      f"{sp * 1e3:>8.2f} ms", flush=True)
        print(json.dumps({k: [round(x * 1e3, 3) for x in v] for k, v in results.items()}))
    finally:
        srv.terminate()
        srv.wait(timeout=20)
        log.close()
        if not a.keep:
            subprocess.run(["rm", "-rf", data])


if __name__ == "__main__":
    main()
