/*
 * parley.h - the Parley API (/api/parley/v1): what Mastodon's API has no
 * place for. People: profiles, skills and endorsements, the person card,
 * vCard and QR code, the reporting line; the directory with facets and
 * "who knows X"; imports and exports; the skill vocabulary and profile
 * fields for admins. See docs/API.md ("Parley extensions").
 *
 * Entities shared by the people endpoints (and by /api/v2/search's
 * accounts when asked) are made here. Each shows only what the request's
 * viewer may read.
 * Spaces: api/parley/spaces.c (docs/API.md, "Spaces").
 */
#ifndef PARLEY_API_PARLEY_H
#define PARLEY_API_PARLEY_H

#include <jansson.h>

#include "http/request.h"

struct space_view;
/* The Space entity as the requesting viewer sees it (docs/API.md). New
 * reference. */
json_t *parley_space_json(const struct request *rq, const struct space_view *sv);

void parley_spaces_routes(void);
/* Idea boards: api/parley/ideas.c (docs/API.md, "Ideas"). */
void parley_ideas_routes(void);

/* Questions and answers (issue 7): api/parley/questions.c, docs/API.md
 * "Questions". */
struct question_view;
struct answer_view;
struct mrender;
/* The Question entity for the request's viewer (new reference).
 * with_routing: add "routing" through parley_question_routing when set
 * (single-question answers; lists leave it out). */
json_t *parley_question_json(const struct request *rq, const struct question_view *qv, int with_routing);
/* The same with the caller's renderer (lists: accounts are cached). */
json_t *parley_question_json_m(const struct request *rq, struct mrender *m,
			       const struct question_view *qv, int with_routing);
/* The Answer entity (new reference). */
json_t *parley_answer_json(struct mrender *m, const struct answer_view *av);
/* Set by routing (Q2): the "routing" member of a question for those who
 * may see it, or NULL to leave it out. Default NULL: no member. */
extern json_t *(*parley_question_routing)(const struct request *rq, struct mrender *m,
					  const struct question_view *qv);
void parley_questions_routes(void);

/* Routing, listeners and the queue (issue 7): api/parley/routing.c,
 * docs/API.md "Routing" and "Listeners and the queue". */
struct queue_item_row;
/* The queue item entity (new reference). */
json_t *parley_queue_item_json(const struct request *rq, struct mrender *m, const struct queue_item_row *it);
/* The "assignee" member of a question: the account its open queue item is
 * assigned to, or JSON null (new reference). */
json_t *parley_question_assignee(struct mrender *m, int64_t question_id);
void parley_routing_routes(void);

#include "model/people.h"

void parley_routes(void);
void parley_people_routes(void);
void parley_directory_routes(void);

/* A short person entity: id, username, acct, display_name, url, avatar,
 * kind, and the headline, department and location the viewer may read.
 * New reference; NULL when a is not visible to the viewer. */
json_t *parley_person(const struct request *rq, const struct account_row *a);
json_t *parley_person_by_id(const struct request *rq, int64_t id);
/* The profile entity (facts, lists, availability, manager, custom fields,
 * skills, pictures); with_visibility adds each fact's level and the
 * Mastodon source settings (the owner's own view). New reference. */
json_t *parley_profile(const struct request *rq, const struct profile_view *pv, int with_visibility);

/* Answer the person's vCard (the facts the viewer may read) or the QR
 * code of their profile URL (PNG); 500 when making it fails. Shared by
 * the API and the web pages (web/person.c). */
void parley_answer_vcard(struct request *rq, struct response *rs, const struct account_row *a);
void parley_answer_qr(struct request *rq, struct response *rs, const struct account_row *a);

/* A getter over the request's body and query for people_edit_read(). */
void parley_form_init(struct people_form *f, struct request *rq);

/* Listening and metrics (issue 7): api/parley/watches.c and metrics.c,
 * docs/API.md "Listening" and "Metrics". */
struct metrics_report;
/* The metrics entity of a report (new reference). */
json_t *parley_metrics_json(const struct request *rq, const struct metrics_report *r);
void parley_metrics_routes(void);
void parley_watches_routes(void);

#endif
