/*
 * store_metrics.h - the rows the question metrics are computed from
 * (model/metrics.c): questions and answers of a scope in a time window,
 * only those the viewer may read.
 *
 * Audience: every function takes the viewer's struct store_audience; a
 * question is included only when its post passes AUD_SQL for that viewer
 * (sqlite_internal.h), and an answer only when both its post and its
 * question's post do. So a metric never counts what the viewer cannot read.
 *
 * Scope: space_id > 0 is one space's questions; 0 the questions outside
 * spaces; STORE_METRICS_ALL every question (the organisation page).
 * Window: [from_ms, to_ms) in ms.
 *
 * Same return codes as store.h: STORE_OK or STORE_ERROR (logged). Rows are
 * borrowed by the callback for the call.
 */
#ifndef PARLEY_STORE_STORE_METRICS_H
#define PARLEY_STORE_STORE_METRICS_H

#include <stdint.h>

#include "store/store_posts.h"

#define STORE_METRICS_ALL (-1)

struct metrics_question_row {
	int64_t id;               /* the question's post id */
	int64_t space_id;
	char state[12];           /* open, answered, resolved, closed */
	int64_t asked_at;
	int64_t first_answer_at;  /* 0: none */
	int64_t first_answer_by;
	int64_t resolved_at;      /* 0: not resolved */
	int64_t closed_at;
	int64_t target_ms;
	int64_t first_due_at;
	int64_t escalations;
};

/* Questions of the scope readable by aud that were asked, first answered
 * or resolved in the window, oldest asked first. */
int store_metrics_questions(const struct store_audience *aud, int64_t space_id,
			    int64_t from_ms, int64_t to_ms,
			    void (*fn)(const struct metrics_question_row *, void *), void *ctx);

struct metrics_answer_row {
	int64_t id;               /* the answer's post id */
	int64_t question_id;
	int64_t account_id;
	int64_t created_at;
	int64_t accepted_at;      /* 0: not accepted */
};

/* Answers readable by aud to questions of the scope, written or accepted
 * in the window, oldest first. */
int store_metrics_answers(const struct store_audience *aud, int64_t space_id,
			  int64_t from_ms, int64_t to_ms,
			  void (*fn)(const struct metrics_answer_row *, void *), void *ctx);

#endif
