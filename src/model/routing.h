/*
 * routing.h - routing questions to the people who can answer them, and
 * escalating the ones nobody answers (issue 7; docs/API.md, "Routing").
 *
 * Policies: each scope (a space, or the organisation for questions outside
 * spaces) has a policy: mode suggest (notify the top N candidates), assign
 * (assign the best) or manual (listeners assign), a response target, whether
 * the target counts working time (the instance's working_hours,
 * working_days and timezone) or wall-clock time, and max_open (open
 * assignments before a person counts as overloaded). A scope without a
 * stored policy uses the defaults.
 *
 * Two durable jobs (jobs/jobs.h; main.c registers them):
 *   "question.route"    (ref = question id; scheduled by model/question.c
 *                        after the question is committed) ranks the
 *                        candidates, creates the question's queue item,
 *                        notifies or assigns by the policy, sets the
 *                        question's due_at and schedules:
 *   "question.escalate" (ref = question id) at due_at. When the question
 *                        still has no answer: level 0 -> 1 the next
 *                        candidates (suggest) or the next assignee (assign);
 *                        level 1 -> 2 the listeners (manual goes straight
 *                        to 2). The level, the escalation count, due_at,
 *                        the queue action and the next job row are written
 *                        in one transaction, and a run that finds the
 *                        question answered, closed, or due later does
 *                        nothing: an escalation happens exactly once, even
 *                        across restarts.
 *
 * The audience rule: a candidate is someone who may read the question
 * (audience_account_may_read()), checked when ranked and again when
 * notified; notify_add() checks it a third time.
 */
#ifndef PARLEY_MODEL_ROUTING_H
#define PARLEY_MODEL_ROUTING_H

#include <stddef.h>
#include <stdint.h>

#include "model/result.h"
#include "model/viewer.h"
#include "store/store_routing.h"

struct space_view;

#define ROUTING_CANDIDATES_MAX 20

/* The instance's working calendar and the shortest target allowed. */
struct routing_settings {
	const char *working_hours;   /* "09:00-17:00" */
	const char *working_days;    /* "mon-fri" */
	const char *timezone;        /* "UTC", an offset or an IANA name */
	long min_target_seconds;     /* >= 1 */
};
/* Check and keep the settings (copied). -1 with a message in err when one
 * of them is malformed. Without a call the defaults apply. */
int routing_configure(const struct routing_settings *s, char *err, size_t errlen);

struct routing_policy {
	char mode[8];                /* suggest assign manual */
	int top_n;                   /* 1..10 */
	int64_t target_seconds;      /* min_target..604800 */
	int working_hours;           /* bool */
	int max_open;                /* 1..100 */
};
void routing_policy_defaults(struct routing_policy *p);

/* Fields to change; NULL / -1 leave a field as it is. */
struct routing_policy_input {
	const char *mode;
	long top_n;
	long target_seconds;
	int working_hours;           /* -1 unchanged, 0, 1 */
	long max_open;
};

/* May v read / change the policy of the scope (sv NULL: the
 * organisation)? Read: space owners and moderators, its listeners, org
 * listeners, admins (organisation: org listeners, admins). Change: space
 * owners and moderators, admins (organisation: admins). */
int routing_may_read_policy(const struct viewer *v, const struct space_view *sv);
int routing_may_set_policy(const struct viewer *v, const struct space_view *sv);

/* The scope's policy. M_FORBIDDEN, M_ERROR. */
enum mresult routing_policy_get(const struct viewer *v, const struct space_view *sv,
				struct routing_policy *out, char *err, size_t errlen);
/* Change it; *out gets the result. M_FORBIDDEN, M_INVALID (a field out
 * of range: message in err), M_ERROR. */
enum mresult routing_policy_set(const struct viewer *v, const struct space_view *sv,
				const struct routing_policy_input *in, struct routing_policy *out,
				char *err, size_t errlen);

/* May v see the routing of a question in space_id (0: outside spaces):
 * its listeners, org listeners and admins. (Reading the question itself
 * is the caller's check.) */
int routing_may_see(const struct viewer *v, int64_t space_id);
/* The ranked candidates of a question: fn(row, account) for each whose
 * account still exists, by rank. M_ERROR on storage failure. */
enum mresult routing_candidates(int64_t question_id,
				void (*fn)(const struct candidate_row *, const struct account_row *, void *),
				void *ctx);

/* The job handlers (jobs/jobs.h: 0 done, -1 retry). */
int routing_route_job(int64_t question_id);
int routing_escalate_job(int64_t question_id);

#endif
