/*
 * question.h - questions and answers (issue 7; the contract is
 * briefs/listening-api.md, docs/API.md "Questions").
 *
 * A question is a post (an article: its title is the question's title,
 * its text the body) plus a questions row; an answer is a reply to the
 * question's post plus an answers row. Both are written through
 * post_create() with a post_within_fn, so the rows are written in the
 * post's own transaction and every rule of posts applies (audience, space
 * posting rights, mentions, hashtags, notifications, streams). Reading
 * goes through the audience rule: whoever may not read the question's
 * post gets M_NOTFOUND, the same answer as for a question that does not
 * exist.
 *
 * Audience: in a space, the space's; outside spaces "organisation" (staff
 * only may ask there), or "public" with visibility=public. Answers share
 * the question's audience.
 *
 * States: open (no answer), answered (answers, none accepted), resolved
 * (one accepted), closed (reason duplicate / out_of_scope / other).
 * Deleting an answer's post refreshes its question (post.c calls the
 * store). Routing (Q2) hangs off the durable job "question.route"
 * (ref = question id), scheduled in the question's transaction; the
 * first answer sets first_answer_at/by and stops the timer (due_at 0).
 *
 * Results: M_OK, or M_INVALID / M_NOTFOUND / M_FORBIDDEN /
 * M_UNAUTHORIZED with a message for the user in err, or M_ERROR.
 * struct question_view owns its post row: question_view_release().
 */
#ifndef PARLEY_MODEL_QUESTION_H
#define PARLEY_MODEL_QUESTION_H

#include <stddef.h>
#include <stdint.h>

#include "model/result.h"
#include "model/viewer.h"
#include "store/store_questions.h"
#include "store/store_spaces.h"

/* A question as one viewer sees it. */
struct question_view {
	struct question_row q;
	struct post_row post;          /* the question's post (owned) */
	int in_space;                  /* space is valid */
	struct space_row space;
	int64_t answers_count;         /* answers the viewer may read */
	/* what the viewer may do */
	int may_accept;                /* asker, space owner/moderator */
	int may_close;                 /* those, listeners of its scope, org listeners */
	int may_answer;                /* may reply there and the question is not closed */
	int may_edit;                  /* the asker */
	int may_delete;                /* asker, space moderators, moderators */
};
void question_view_release(struct question_view *qv);

/* An answer as one viewer sees it. */
struct answer_view {
	struct answer_row a;
	struct post_row post;          /* the answer's post (owned) */
	int my_vote;                   /* 1, -1, 0 */
};
void answer_view_release(struct answer_view *av);

struct question_input {
	const char *title;             /* 1..QUESTION_TITLE_MAX characters */
	const char *body;              /* Markdown, 1..post max_chars */
	const char *const *tags;       /* skill names or hashtags, <= QUESTION_TAGS_MAX */
	size_t ntags;
	int tags_given;                /* PATCH: replace the tags (even with none) */
	int64_t space_id;              /* 0: outside spaces */
	const char *visibility;        /* outside spaces: NULL/""/"organisation" or "public" */
	int64_t app_id;
};

/* Ask. *out (released by the caller) is the new question as v sees it. */
enum mresult question_create(const struct viewer *v, const struct question_input *in,
			     struct question_view *out, char *err, size_t errlen);
/* Read: M_NOTFOUND when v may not read it (or it does not exist). */
enum mresult question_lookup(const struct viewer *v, int64_t id, struct question_view *out,
			     char *err, size_t errlen);
/* The asker edits title, body (NULL: unchanged) and tags (in->tags_given). */
enum mresult question_edit(const struct viewer *v, int64_t id, const struct question_input *in,
			   struct question_view *out, char *err, size_t errlen);
/* The asker, the space's owners and moderators, and moderators delete. */
enum mresult question_delete(const struct viewer *v, int64_t id, char *err, size_t errlen);

/* Answer (a reply in the question's audience); 422 on a closed question.
 * Notifies the asker ("parley.answer"). *out released by the caller. */
enum mresult question_answer(const struct viewer *v, int64_t question_id, const char *body,
			     int64_t app_id, struct answer_view *out, char *err, size_t errlen);
/* One answer, readable by v. */
enum mresult answer_lookup(const struct viewer *v, int64_t answer_id, struct answer_view *out,
			   char *err, size_t errlen);
/* Answers of a question v may read, in the contract's order; fn borrows
 * each view. */
enum mresult question_answers(const struct viewer *v, int64_t question_id,
			      void (*fn)(const struct answer_view *, void *), void *ctx,
			      char *err, size_t errlen);
/* Vote 1 / -1, or 0 to withdraw; not on one's own answer (M_INVALID). */
enum mresult answer_vote(const struct viewer *v, int64_t answer_id, int value,
			 struct answer_view *out, char *err, size_t errlen);

/* Accept answer_id (0 with unaccept: un-accept). The asker or the
 * space's owners and moderators; notifies the answerer
 * ("parley.answer_accepted"). out: the question afterwards. */
enum mresult question_accept(const struct viewer *v, int64_t question_id, int64_t answer_id,
			     struct question_view *out, char *err, size_t errlen);
enum mresult question_unaccept(const struct viewer *v, int64_t question_id,
			       struct question_view *out, char *err, size_t errlen);
/* Close with reason "duplicate" (duplicate_of: a question v may read, not
 * itself), "out_of_scope" or "other"; reopen. The asker, the space's
 * owners and moderators, listeners of its scope and org listeners. */
enum mresult question_close(const struct viewer *v, int64_t question_id, const char *reason,
			    int64_t duplicate_of, const char *note,
			    struct question_view *out, char *err, size_t errlen);
enum mresult question_reopen(const struct viewer *v, int64_t question_id,
			     struct question_view *out, char *err, size_t errlen);

struct question_filter {
	int64_t space_id;              /* 0: any */
	const char *state;             /* NULL: any; else open|answered|resolved|closed */
	const char *tag;
	const char *q;                 /* words (full text) */
	int mine;                      /* asked by v */
	int64_t max_id;
	int limit;                     /* 1..40 */
};
/* Questions v may read, newest first; fn borrows each view. */
enum mresult question_list(const struct viewer *v, const struct question_filter *f,
			   void (*fn)(const struct question_view *, void *), void *ctx,
			   char *err, size_t errlen);
/* Answered and resolved questions like q (limit 1..10), readable by v. */
enum mresult question_similar(const struct viewer *v, const char *q, int limit,
			      void (*fn)(const struct question_view *, void *), void *ctx,
			      char *err, size_t errlen);

/* ---- pure helpers (tests/unit/test_question.c) -------------------------- */

/* Normalise one tag: drop a leading '#', trim, lower-case ASCII, spaces
 * and runs of them to '-'; allowed: letters (UTF-8 too), digits, '_',
 * '-', '.', '+'. -1 when empty, too long or with another character. */
int question_tag_normalise(const char *in, char *out, size_t n);
/* The FTS5 expression for words: each word of q (letters, digits, UTF-8)
 * as a quoted prefix term, OR'ed: "postgres"* OR "index"*. At most 16
 * words. 0 and "" when q has no word, -1 when out is too small. */
int question_match_expr(const char *q, char *out, size_t n);
/* 1 when the space-separated list has tag. */
int question_tags_has(const char *tags, const char *tag);

/* The accepted answers per answerer whose question is tagged with one of
 * names (the forms of a skill: its name and aliases, normalised as tags),
 * for the people finder's evidence (people_search.c). staff: the viewer's
 * class. fn(account_id, count). -1 on storage error. */
int question_accepted_answers(const char *const *names, size_t n, int staff,
			      void (*fn)(int64_t account_id, int64_t count, void *), void *ctx);

/* For the person page and card: answers by account_id and how many were
 * accepted, among the answers of the viewer's class (public, and
 * organisation and open internal spaces for staff). M_ERROR on storage
 * failure. */
enum mresult question_contributions(const struct viewer *v, int64_t account_id, int64_t *answers,
				    int64_t *accepted);

#endif
