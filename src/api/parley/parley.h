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

#endif
