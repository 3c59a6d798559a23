/*
 * store_bench.h - bulk writes for the benchmark data generator
 * (bench/seed.c, issue 8), where the per-row functions of the other store
 * headers either open their own transaction or look up what the generator
 * already knows (tag ids). Nothing in the server calls these.
 *
 * Same rules as store.h: STORE_OK, STORE_CONFLICT (a unique key exists),
 * STORE_ERROR (logged). Nothing returned needs freeing.
 */
#ifndef PARLEY_STORE_STORE_BENCH_H
#define PARLEY_STORE_STORE_BENCH_H

#include <stdint.h>

#include "store/store_ideas.h"
#include "store/store_questions.h"
#include "store/store_spaces.h"

/* Bulk mode on the calling thread's connection, for a database nobody
 * else uses: synchronous=OFF, journal_mode=OFF (a crash leaves a broken
 * file: the generator writes into a fresh directory and only renames it
 * into place once done), a page cache of cache_mib MiB. STORE_ERROR when a
 * pragma is refused. Call before store_begin(). */
int store_bench_bulk_begin(int cache_mib);
/* Back to what the server expects (journal_mode=WAL, synchronous=FULL),
 * checkpointed so the database is one file. Call after store_commit(). */
int store_bench_bulk_end(void);

/* A space row alone (store_space_insert opens its own transaction and adds
 * the owner; here members come from store_space_member_put). */
int store_bench_space_insert(const struct space_row *s);

/* A tag with a known id and a name already in its lower-case form. */
int store_bench_tag_insert(int64_t id, const char *name, int64_t created_at);
/* One post_tags row (the tag exists). */
int store_bench_post_tag(int64_t post_id, int64_t tag_id);

/* ---- questions and ideas (issue 7), rows as the model would leave them -- */

/* A question row with every column as given (state, accepted answer,
 * first answer, resolution, closing, routing target), and its
 * questions_fts row (body: the post's Markdown). store_question_insert()
 * writes only an open question; the generator knows the final state. */
int store_bench_question_insert(const struct question_row *q, const char *body);
/* An answer row with its vote counters and accepted_at as given (the
 * votes follow with store_bench_answer_vote, which does not recount). */
int store_bench_answer_insert(const struct answer_row *a);
/* One answer_votes row (value 1 or -1); the answer's counters are not
 * touched: the generator wrote them with the answer. */
int store_bench_answer_vote(int64_t answer_id, int64_t account_id, int value, int64_t created_at);
/* An idea row with every column as given (status, its change, current
 * version, votes_count; flagged_votes_count as given). No version row:
 * each version, the first included, is store_bench_idea_version(). */
int store_bench_idea_insert(const struct idea_row *r);
/* One idea_versions row. */
int store_bench_idea_version(int64_t idea_id, int version, int64_t post_id, const char *note,
			     int64_t created_at);
/* One counted idea vote (flag '', not a new account) without the recount
 * store_idea_vote() does: the idea row carries the final votes_count. */
int store_bench_idea_vote(int64_t idea_id, int64_t account_id, int64_t created_at);

/* Up to `limit` ids of top-level public or organisation notes (not
 * reblogs, not in a space, not questions: those are articles) that have
 * replies, newest first: the posts whose context the load scripts read.
 * fn is called for each. */
int store_bench_sample_threads(int limit, void (*fn)(int64_t post_id, void *), void *ctx);

/* Rows in a table of the schema (for the generator's summary); -1 on error
 * or an unknown table. */
int64_t store_bench_count(const char *table);

#endif
