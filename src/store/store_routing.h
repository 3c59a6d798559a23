/*
 * store_routing.h - storage of routing: the policies of each scope
 * (routing_policies), the ranked candidate experts of a question
 * (question_candidates), the facts about a person that routing weighs
 * (away, time zone, working hours, open assignments, accepted answers),
 * and the routing columns of a question (policy_mode, target_ms,
 * first_due_at, due_at, escalation_level, escalations). Tables in
 * migrations/0007_questions.sql.
 *
 * Same rules as store.h: STORE_OK, STORE_NOTFOUND, STORE_CONFLICT,
 * STORE_ERROR (logged here). Writes run in the caller's transaction when
 * there is one. Rows are fixed-size structs: nothing to free. No audience
 * or permission decision is taken here (model/routing.c does).
 */
#ifndef PARLEY_STORE_STORE_ROUTING_H
#define PARLEY_STORE_STORE_ROUTING_H

#include <stdint.h>

#define ROUTING_REASONS_JSON_MAX 4096

struct routing_policy_row {
	int64_t space_id;        /* 0: the organisation (questions outside spaces) */
	char mode[8];            /* suggest assign manual */
	int top_n;
	int64_t target_ms;
	int working_hours;
	int max_open;
	int64_t updated_by;
	int64_t updated_at;
};

/* STORE_NOTFOUND when the scope has no policy row (the defaults apply). */
int store_routing_policy_get(int64_t space_id, struct routing_policy_row *out);
/* Insert or replace the scope's policy. */
int store_routing_policy_put(const struct routing_policy_row *p);

struct candidate_row {
	int64_t question_id;
	int64_t account_id;
	int rank;                /* 1 = best */
	double score;
	char reasons[ROUTING_REASONS_JSON_MAX]; /* JSON array of strings */
	int notified_level;      /* -1: never notified (or assigned) */
};

/* Drop the question's candidates (before storing a new ranking). */
int store_candidates_clear(int64_t question_id);
int store_candidate_insert(const struct candidate_row *c);
/* The question's candidates by rank. STORE_OK or STORE_ERROR. */
int store_candidates(int64_t question_id, void (*fn)(const struct candidate_row *, void *), void *ctx);
/* Record that the candidate was notified (or assigned) at level. */
int store_candidate_notified(int64_t question_id, int64_t account_id, int level);

/* What routing weighs about one person beyond their skills. */
struct routing_person {
	int64_t away_until;      /* ms; 0: not away */
	char timezone[64];
	char working_hours[64];
	int64_t open_assignments; /* open queue items assigned to them */
};
/* A missing profile row gives zeros and empty strings (STORE_OK). */
int store_routing_person(int64_t account_id, struct routing_person *out);
/* Accepted answers per answerer on questions carrying `tag` (lower case,
 * one of the space-separated questions.tags): fn(account id, count). */
int store_routing_accepted_on_tag(const char *tag, void (*fn)(int64_t account_id, int64_t n, void *),
				  void *ctx);

/* The question was routed: its policy mode, target and timers. */
int store_routing_question_start(int64_t question_id, const char *mode, int64_t target_ms,
				 int64_t first_due_at, int64_t due_at);
/* One escalation: escalation_level = level, escalations + 1, due_at. */
int store_routing_question_escalate(int64_t question_id, int level, int64_t due_at);


#endif
