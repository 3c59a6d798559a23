#!/bin/bash
# run.sh - the whole benchmark (issue 8): `make bench SIZE=S|M|L` runs this.
#
# 1. Seeds an organisation with the data generator (bench/seed.c) unless
#    it is cached: var/bench-cache/SIZE-seedSEED-schemaV-genG/ (V = the
#    newest migration of the build, G = the generator's version, so a
#    change of either seeds again).
# 2. Copies the cached database to a scratch directory (the runs write
#    posts) and serves it with the benchmark build (make BENCH=1:
#    build-bench/parley, which has GET /bench/ceiling).
# 3. Runs every load script with wrk (bench/wrk/parley.lua), each bounded
#    to SECS seconds, 2 wrk threads, CONNS connections (default 64):
#    the reads (home, organisation and hashtag timelines, one post, its
#    context, the people finder by text and by skill, the questions list,
#    one question then its answers, an idea board sorted by trending: these
#    two with the token of someone who may read them), each also against
#    the ceiling route at the same response size; the finder again with
#    one connection (its service time, without queueing); post creation by
#    authors with 0, 1,000 and 20,000 followers (one connection: latency
#    without queueing); the mixed workload (50 reads : 1 post, every
#    request a different user's token); then idle streams (1,000 and
#    10,000) and the delay of a post to all of them (bench/sse_fanout.py).
# 4. Prints one markdown table (bench/table.py): throughput, median, p99,
#    fraction of the ceiling, peak RSS (VmHWM, reset before each row),
#    the load average after each row.
#
# Environment: SIZE (S), SEED (1), SECS (10), CONNS (64), POST_CONNS (1),
# STREAMS ("1000 10000"), SEED_BIN (build/parley-bench-seed), PARLEY_BIN
# (build-bench/parley), BENCH_CACHE (var/bench-cache), KEEP=1 keeps the
# scratch directory. The results (JSON lines) and the table are also
# written to var/bench-results/SIZE-DATE.{jsonl,md}.
set -eu
cd "$(dirname "$0")/.."
SIZE=${SIZE:-S}
SEED=${SEED:-1}
SECS=${SECS:-10}
CONNS=${CONNS:-64}
POST_CONNS=${POST_CONNS:-1}
STREAMS=${STREAMS-"1000 10000"}   # set and empty: no stream rows
SEED_BIN=${SEED_BIN:-build/parley-bench-seed}
BIN=${PARLEY_BIN:-build-bench/parley}
CACHE_ROOT=${BENCH_CACHE:-var/bench-cache}
command -v wrk >/dev/null || { echo "install wrk: apt-get install wrk" >&2; exit 1; }

SCHEMA=$("$SEED_BIN" --schema-version)
GEN=$("$SEED_BIN" --generator-version)
CACHE=$CACHE_ROOT/$SIZE-seed$SEED-schema$SCHEMA-gen$GEN
if [ ! -f "$CACHE/seed.json" ]; then
	echo "== seeding size $SIZE (seed $SEED) into $CACHE"
	rm -rf "$CACHE.tmp"
	mkdir -p "$CACHE.tmp"
	/usr/bin/time -f "== seeded in %e s, peak memory %M KiB" "$SEED_BIN" --size "$SIZE" --seed "$SEED" --data "$CACHE.tmp"
	mv "$CACHE.tmp" "$CACHE"
else
	echo "== seed cached in $CACHE"
fi

RUN=$(mktemp -d /tmp/parley-bench.XXXXXX)
cp "$CACHE/parley.db" "$RUN/"
mkdir -p var/bench-results
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RES=var/bench-results/$SIZE-$STAMP.jsonl
: >"$RES"

# every seeded token counts as used a moment ago (see the script)
/usr/bin/python3 bench/fresh_tokens.py "$RUN/parley.db"

ulimit -n "$(ulimit -Hn)"
PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
PARLEY_API_RATE_LIMIT=0 PARLEY_LOG_LEVEL=${PARLEY_LOG_LEVEL:-warn} PARLEY_MAX_STREAMS=12000 \
	"$BIN" serve --data "$RUN" --listen "127.0.0.1:$PORT" 2>"$RUN/server.log" &
PID=$!
cleanup() {
	kill "$PID" 2>/dev/null || true
	wait "$PID" 2>/dev/null || true
	[ "${KEEP:-0}" = 1 ] || rm -rf "$RUN"
}
trap cleanup EXIT
for _ in $(seq 100); do curl -fs "$URL/healthz" >/dev/null && break; sleep 0.1; done
curl -fs "$URL/bench/ceiling?bytes=16" >/dev/null ||
	{ echo "$BIN has no /bench/ceiling: build it with make BENCH=1" >&2; exit 1; }

C=$CACHE
TOKENS=$C/tokens.txt
TOKEN=$(head -1 "$TOKENS")
author() { awk -v n="$1" '$1 == n { print $2 }' "$C/authors.txt"; }
for a in solo k1 k20 all; do author $a >"$RUN/token-$a"; done

# the rotating path lists
P=$RUN/paths
mkdir -p "$P"
echo "/api/v1/timelines/home?limit=20" >"$P/home"
echo "/api/parley/v1/timelines/organisation?limit=20" >"$P/org"
sed 's#.*#/api/v1/timelines/tag/&?limit=20#' "$C/tags.txt" >"$P/tag"
sed 's#.*#/api/v1/statuses/&#' "$C/threads.txt" >"$P/status"
sed 's#.*#/api/v1/statuses/&/context#' "$C/threads.txt" >"$P/context"
sed 's#.*#/api/parley/v1/directory?q=&#' "$C/people_q.txt" >"$P/finder_q"
sed 's#.*#/api/parley/v1/directory?knows=&#' "$C/people_knows.txt" >"$P/finder_knows"
# questions and idea boards: "PATH TOKEN", a reader who may read it
echo "/api/parley/v1/questions?limit=20" >"$P/questions"
# one question: the two requests an app makes, the question then its answers
sed 's#^\([0-9]*\) \(.*\)#/api/parley/v1/questions/\1 \2\n/api/parley/v1/questions/\1/answers \2#' \
	"$C/questions.txt" >"$P/question"
sed 's#^\([0-9]*\) #/api/parley/v1/spaces/\1/ideas?sort=trending #' "$C/boards.txt" >"$P/board"
# the mixed workload's reads: mostly home, then organisation, a thread,
# a tag, the people finder (the write is every 51st request)
{
	for _ in $(seq 20); do cat "$P/home"; done
	for _ in $(seq 8); do cat "$P/org"; done
	head -300 "$P/context"
	head -300 "$P/status"
	cat "$P/tag" "$P/tag" "$P/tag"
	cat "$P/finder_q" "$P/finder_knows"
} | /usr/bin/python3 -c 'import random,sys; l=sys.stdin.read().split(); random.Random(1).shuffle(l); print("\n".join(l))' >"$P/mixed"

load() { cut -d' ' -f1-3 /proc/loadavg; }
reset_peak() { echo 5 >/proc/$PID/clear_refs 2>/dev/null || true; }
meta() { # name bytes
	printf '{"meta": "%s", "bytes_per_answer": %s, "rss_kb": %s, "load": "%s"}\n' "$1" "$2" \
		"$(awk '/VmHWM/ {print $2}' /proc/$PID/status)" "$(load)" >>"$RES"
}
wrk_run() { # name conns threads url [env...]
	local name=$1 conns=$2 threads=$3 url=$4
	shift 4
	env BENCH_NAME="$name" BENCH_OUT="$RES" "$@" \
		wrk -t"$threads" -c"$conns" -d"${SECS}s" --timeout 5s -s bench/wrk/parley.lua "$url" >"$RUN/wrk-$name.txt" 2>&1 ||
		echo "wrk failed for $name: $(cat "$RUN/wrk-$name.txt")" >&2
}
declare -A CEIL
ceiling_run() { # bytes: the ceiling route at that size, once per size
	if [ -z "${CEIL[$1]:-}" ]; then
		reset_peak
		wrk_run "ceiling-$1" "$CONNS" 2 "$URL/bench/ceiling?bytes=$1"
		meta "ceiling-$1" "$1"
		CEIL[$1]=1
	fi
}
read_row() { # name pathfile (lines "PATH" or "PATH TOKEN")
	local name=$1 paths=$P/$2 first tok bytes cb
	read -r first tok <"$paths"
	bytes=$(curl -fs -o /dev/null -w '%{size_download}' -H "Authorization: Bearer ${tok:-$TOKEN}" "$URL$first")
	cb=$(( (bytes + 128) / 256 * 256 ))   # ceiling sizes rounded to 256 bytes
	[ "$cb" -lt 256 ] && cb=256
	ceiling_run "$cb"
	echo "== $name ($bytes bytes; ceiling at $cb) load $(load)"
	reset_peak
	wrk_run "$name" "$CONNS" 2 "$URL$first" BENCH_TOKENS="$TOKENS" BENCH_PATHS="$paths"
	meta "$name" "$bytes"
	printf '{"ceiling_of": "%s", "ceiling": "ceiling-%s"}\n' "$name" "$cb" >>"$RES"
}
latency_row() { # name pathfile: one connection, for the service time without queueing
	echo "== $1 load $(load)"
	reset_peak
	wrk_run "$1" 1 1 "$URL$(head -1 "$P/$2")" BENCH_TOKENS="$TOKENS" BENCH_PATHS="$P/$2"
	meta "$1" 0
}
post_row() { # name author
	local name=$1
	echo "== $name load $(load)"
	reset_peak
	wrk_run "$name" "$POST_CONNS" 1 "$URL/api/v1/statuses" BENCH_TOKENS="$RUN/token-$2" BENCH_POST=1
	meta "$name" 0
}

echo "== server $BIN pid $PID on $URL, data $RUN; load $(load)"
read_row "home timeline" home
read_row "organisation timeline" org
read_row "hashtag timeline" tag
read_row "one post" status
read_row "post context" context
read_row "people finder q=" finder_q
read_row "people finder knows=" finder_knows
read_row "questions list" questions
read_row "one question" question
read_row "ideas board" board
latency_row "people finder q=, 1 connection" finder_q
latency_row "people finder knows=, 1 connection" finder_knows
post_row "post, 0 followers" solo
post_row "post, 1,000 followers" k1
post_row "post, 20,000 followers" k20
echo "== mixed 50:1 load $(load)"
reset_peak
wrk_run "mixed 50:1" "$CONNS" 2 "$URL/api/v1/timelines/home?limit=20" BENCH_TOKENS="$TOKENS" \
	BENCH_PATHS="$P/mixed" BENCH_WRITE_EVERY=51
meta "mixed 50:1" 0
for n in $STREAMS; do
	echo "== $n idle streams load $(load)"
	reset_peak
	/usr/bin/python3 bench/sse_fanout.py --url "$URL" --pid "$PID" --tokens "$TOKENS" \
		--author-token "$(cat "$RUN/token-all")" --streams "$n" --posts 10 --interval 1 \
		--out "$RES" --name "streams $n" || echo "sse_fanout failed for $n streams" >&2
	sleep 2   # let the server drop the closed streams
done

/usr/bin/python3 bench/table.py "$RES" "$C/seed.json" | tee "${RES%.jsonl}.md"
echo "== results in $RES"
