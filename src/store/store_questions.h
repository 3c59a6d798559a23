/*
 * store_questions.h - the storage interface of questions and answers
 * (issue 7; tables in migrations/0007_questions.sql).
 *
 * A question is a post plus a row in `questions` keyed by the post id; an
 * answer is a reply to the question's post plus a row in `answers`. Every
 * list here joins the posts and applies the audience predicate (AUD_SQL,
 * store/sqlite_internal.h) for the struct store_audience it is given, so a
 * viewer never gets a row of a post they may not read. questions_fts
 * (title, body, tags; rowid = post id) is kept in step by the functions
 * that write the text.
 *
 * Same rules as store.h: STORE_OK, STORE_NOTFOUND, STORE_CONFLICT,
 * STORE_ERROR (logged). Rows are fixed-size structs: nothing to free.
 * Writes run inside the caller's transaction (store_begin()).
 */
#ifndef PARLEY_STORE_STORE_QUESTIONS_H
#define PARLEY_STORE_STORE_QUESTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "store/store_posts.h"

#define QUESTION_TITLE_MAX 200          /* characters */
#define QUESTION_TAGS_MAX 10            /* given tags; body hashtags add up to QUESTION_ALL_TAGS_MAX */
#define QUESTION_ALL_TAGS_MAX 20
#define QUESTION_TAG_MAX 50             /* characters of one tag */
#define QUESTION_NOTE_MAX 500           /* characters of a close note */

struct question_row {
	int64_t post_id;
	int64_t space_id;                   /* 0: not in a space */
	int64_t account_id;                 /* the asker */
	char title[QUESTION_TITLE_MAX * 4 + 1];
	char tags[QUESTION_ALL_TAGS_MAX * (QUESTION_TAG_MAX * 4 + 1) + 1];  /* space-separated, lower case */
	char state[12];                     /* open answered resolved closed */
	char close_reason[16];              /* "" duplicate out_of_scope other */
	char close_note[QUESTION_NOTE_MAX * 4 + 1];
	int64_t duplicate_of;
	int64_t accepted_answer_id;
	char policy_mode[8];
	int64_t target_ms, first_due_at, due_at;
	int escalation_level, escalations;
	int64_t asked_at, first_answer_at, first_answer_by, resolved_at, closed_at;
};

struct answer_row {
	int64_t post_id;
	int64_t question_id;
	int64_t account_id;
	int64_t upvotes, downvotes;
	int64_t accepted_at;                /* 0: not accepted */
	int64_t created_at;
};

/* ---- questions ---------------------------------------------------------- */

/* Insert the row and its full-text entry (body: the post's Markdown). */
int store_question_insert(const struct question_row *q, const char *body);
int store_question_get(int64_t post_id, struct question_row *out);
/* New title, tags and body (row and full text). NOTFOUND when absent. */
int store_question_set_text(int64_t post_id, const char *title, const char *tags, const char *body);
/* After any edit of post_id's post (in its transaction): when it is a
 * question, its title and full-text title and body follow the post.
 * STORE_OK also when it is not a question. */
int store_question_sync_post(int64_t post_id, const char *title, const char *body);
/* Write state, close_reason, close_note, duplicate_of, accepted_answer_id,
 * resolved_at and closed_at from q. */
int store_question_set_state(const struct question_row *q);
/* Recompute the state of a question that is not closed from its answers
 * (resolved with an accepted one, answered with any, else open) and its
 * accepted_answer_id; a closed one keeps its state but loses a stale
 * accepted_answer_id. */
int store_question_refresh(int64_t post_id, int64_t now_ms);
/* The first answer arrived: first_answer_at/by (once), due_at = 0 (the
 * routing timer stops), state open -> answered. */
int store_question_answered(int64_t post_id, int64_t by, int64_t now_ms);
/* Before post_id's post is deleted: drop its full-text row if it is a
 * question; if it is an answer, drop the answer and refresh its question. */
int store_question_post_deleting(int64_t post_id, int64_t now_ms);

struct question_query {
	struct store_audience aud;
	int64_t space_id;                   /* 0: any */
	int outside_spaces;                 /* only questions outside spaces */
	const char *state;                  /* NULL or "": any */
	const char *tag;                    /* NULL or "": any (one lower-case tag) */
	const char *match;                  /* NULL or "": none; else an FTS5 expression */
	int64_t asker_id;                   /* 0: anyone */
	int64_t max_id;                     /* 0: from the newest */
	int limit;
};
/* Questions the audience may read, newest first. */
int store_question_list(const struct question_query *q,
			void (*fn)(const struct question_row *, void *), void *ctx);
/* Answered and resolved questions matching `match` (an FTS5 expression),
 * best first (BM25: title 5, body 1, tags 3), readable by aud. */
int store_question_similar(const struct store_audience *aud, const char *match, int limit,
			   void (*fn)(const struct question_row *, void *), void *ctx);

/* ---- answers ------------------------------------------------------------ */

int store_answer_insert(const struct answer_row *a);
int store_answer_get(int64_t post_id, struct answer_row *out);
/* Answers of a question whose posts aud may read: accepted first, then
 * by score (up - down) descending, then oldest first. */
int store_answer_list(const struct store_audience *aud, int64_t question_id,
		      void (*fn)(const struct answer_row *, void *), void *ctx);
/* How many answers of the question aud may read; -1 on error. */
int64_t store_answer_count_visible(const struct store_audience *aud, int64_t question_id);
/* Set (value 1 or -1) or withdraw (0) account_id's vote; the answer's
 * counters are recounted. */
int store_answer_vote(int64_t answer_id, int64_t account_id, int value, int64_t now_ms);
/* The account's vote (1, -1) or 0 in *value. */
int store_answer_my_vote(int64_t answer_id, int64_t account_id, int *value);
/* Mark answer_id accepted (now_ms) and every other answer of the question
 * not; answer_id 0 un-accepts all. */
int store_answer_accept(int64_t question_id, int64_t answer_id, int64_t now_ms);

/* Accepted answers per answerer whose question carries one of the tags
 * (lower case, at most 8), counting only answers readable by everyone of
 * the class (anonymous, or staff when staff): public posts, posts in
 * public spaces, and for staff organisation posts and posts in open
 * internal spaces. fn(account_id, count). */
int store_accepted_answers_by_tags(const char *const *tags, size_t n, int staff,
				   void (*fn)(int64_t account_id, int64_t count, void *), void *ctx);

/* Answers by account_id, and how many of them were accepted, among those
 * the class reads (same rule as store_accepted_answers_by_tags). */
int store_answers_by_account(int64_t account_id, int staff, int64_t *answers, int64_t *accepted);

/* ---- listeners: store_listener_exists() is in store_listeners.h (Q2) ---- */
#include "store/store_listeners.h"

#endif
