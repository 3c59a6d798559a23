#!/usr/bin/python3
"""table.py - the one markdown table of bench/run.sh (issue 8).

Usage: /usr/bin/python3 bench/table.py RESULTS.jsonl [SEED.json]
RESULTS holds JSON lines: one per wrk run (bench/wrk/parley.lua: name,
rps, p50_us, p99_us, errors), one "meta" line per run (answer size, peak
RSS, load average after it), "ceiling_of" lines pairing a read with its
ceiling run, and one line per streaming run (bench/sse_fanout.py).
"""
import json
import sys


def ms(us):
    return "" if us is None else f"{us / 1000:.2f} ms" if us < 100000 else f"{us / 1e6:.2f} s"


def mb(kb):
    return "" if not kb else f"{kb / 1024:.0f} MB"


def main():
    runs, meta, ceil, streams = {}, {}, {}, []
    order = []
    with open(sys.argv[1]) as f:
        for line in f:
            d = json.loads(line)
            if "meta" in d:
                meta[d["meta"]] = d
            elif "ceiling_of" in d:
                ceil[d["ceiling_of"]] = d["ceiling"]
            elif "streams" in d:
                streams.append(d)
            else:
                runs[d["name"]] = d
                if not d["name"].startswith("ceiling-"):
                    order.append(d["name"])
    if len(sys.argv) > 2:
        s = json.load(open(sys.argv[2]))
        rows = s['rows']
        # questions and ideas: seeds from before they existed have none
        qi = (f"{rows['questions']:,} questions ({rows['answers']:,} answers), {rows['ideas']:,} ideas "
              f"on {s.get('idea_boards', 0)} boards ({rows['idea_votes']:,} votes), "
              if "questions" in rows else "")
        print(f"Size {s['size']} (seed {s['seed']}, schema {s['schema']}): {s['people']:,} people, "
              f"{rows['posts']:,} posts, {rows['follows']:,} follows, "
              f"{rows['favourites']:,} favourites, {s['spaces']} spaces, {qi}seeded in "
              f"{s['seconds']['total']} s.\n")
    print("| row | answer | requests/s | median | p99 | ceiling req/s | of ceiling | peak RSS | errors | load after |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name in order:
        r, m = runs[name], meta.get(name, {})
        c = runs.get(ceil.get(name, ""), None)
        errs = r["non2xx"] + r["connect_errors"] + r["read_errors"] + r["write_errors"] + r["timeouts"]
        frac = f"{r['rps'] / c['rps'] * 100:.0f} %" if c and c["rps"] else ""
        size = m.get("bytes_per_answer", 0)
        print(f"| {name} | {f'{size / 1024:.1f} KiB' if size else ''} | {r['rps']:,.0f} | {ms(r['p50_us'])} | "
              f"{ms(r['p99_us'])} | {format(c['rps'], ',.0f') if c else ''} | {frac} | "
              f"{mb(m.get('rss_kb'))} | {errs or ''} | {m.get('load', '')} |")
    for s in streams:
        lost = f"{s['expected'] - s['delivered']} undelivered" if s["expected"] > s["delivered"] else ""
        print(f"| {s['streams']:,} idle streams, a post to all | {s['kib_per_stream']} KiB a stream | "
              f"{s['rps']:,.0f} events/s | {ms(s['p50_us'])} | {ms(s['p99_us'])} | | "
              f"| {mb(s['rss_kb'])} | {lost} | "
              f"{' '.join(s['load'])} |")
    print("\nrequests/s, median and p99 from wrk (2 threads, on the same machine); post rows: one "
          "connection; stream rows: median and p99 of the delay from sending the POST to the event's "
          "arrival, over every (post, stream) pair; peak RSS is the server's VmHWM, reset before each row.")


if __name__ == "__main__":
    main()
