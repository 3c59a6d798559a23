/*
 * people_search.h - the people and skills finder: the directory (text
 * search, filters, facets, sorting, paging), "who knows X" ranked by
 * evidence, and typo-tolerant skill names.
 *
 * Audience: every list goes through ACCOUNT_VISIBLE_SQL (the twin of
 * audience_may_see_account): staff find everyone (suspended accounts only
 * admins and moderators); guests find themselves, the people they share a
 * space with, and public profiles; anonymous visitors find public profiles.
 * A profile fact only matches a filter, counts in a facet or matches a
 * text search when the viewer may read it (people.h: people_vis_max; the
 * viewer's own "only me" facts are not searched either). People who turned
 * "discoverable" off are listed to staff only.
 *
 * Text search: SQLite FTS5 with BM25 ranking over the name (weight 10),
 * skills and interests (6), profile facts (3) and bio (1); every word is a
 * prefix ("eng" finds "Engineering"), all words must match. A word that is
 * no known skill but is within typo distance of one (lib/fuzzy.h) also
 * matches that skill's name.
 *
 * "Who knows X" (knows=X): X is resolved to a skill (name, alias, or the
 * nearest name within typo distance). Candidates are the people who
 * declared it and the people who posted about it (posts tagged with the
 * skill's name or an alias, as hashtags). Each gets the evidence below
 * and the score of people_rank_score(); the evidence is returned so a
 * client can show why someone ranked.
 *
 * Facets: counts per department, location, language and skill over the
 * whole result (all filters applied). The unfiltered directory's counts
 * are cached per class of viewer (anonymous, staff, admins/moderators)
 * and invalidated by the directory generation (store_people_gen), which
 * triggers bump on every change that matters; the viewer's own blocks are
 * subtracted. Nothing else is cached.
 */
#ifndef PARLEY_MODEL_PEOPLE_SEARCH_H
#define PARLEY_MODEL_PEOPLE_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"
#include "model/result.h"
#include "model/viewer.h"
#include "store/store_people.h"

#define DIR_LIMIT_DEFAULT 20
#define DIR_LIMIT_MAX 80
#define DIR_OFFSET_MAX 100000
#define DIR_FACET_MAX 30

/* The vocabulary's skill for text: its exact name or alias, else the
 * closest within typo distance (ties: the most used). *dist gets 0 for an
 * exact match. M_NOTFOUND when nothing is close. */
enum mresult people_skill_resolve(const char *text, struct skill_row *out, int *dist);

struct dir_request {
	const char *q;             /* words; NULL or "" for none */
	const char *knows;         /* rank by evidence for this skill */
	const char *department;    /* filters; NULL or "" for none */
	const char *location;
	const char *language;
	const char *skill;         /* a skill's id, name or alias */
	int sort_name;             /* 1: by name; 0: by relevance (name without q or knows) */
	int limit;                 /* 1..DIR_LIMIT_MAX; 0: DIR_LIMIT_DEFAULT */
	int offset;
	int facets;                /* compute the facet counts */
};

/* Why someone ranked for "who knows X". */
struct dir_evidence {
	int level;                 /* declared: 0 none, 1 learning .. 3 expert */
	int64_t endorsements;
	double endorsement_weight; /* sum over endorsers of 1 + 0.5 x their own level */
	int64_t posts;             /* posts about X the viewer's class may read */
	int64_t answers;           /* accepted answers about X (issue 7; 0 until then) */
};

struct dir_hit {
	int64_t account_id;
	double score;
	int has_evidence;
	struct dir_evidence ev;
};

struct dir_facet_value {
	char value[PROFILE_TEXT_BYTES];
	int64_t id;                /* the skill's id for FACET_SKILL */
	int64_t count;
};

struct dir_result {
	int64_t total;
	struct dir_hit hits[DIR_LIMIT_MAX];
	size_t nhits;
	int has_facets;
	struct dir_facet_value facets[FACET_COUNT][DIR_FACET_MAX];
	size_t nfacets[FACET_COUNT];
	int knows;                 /* ranked by evidence */
	int skill_found;           /* knows= or skill= named a skill: */
	struct skill_row skill;    /* that skill */
	int skill_corrected;       /* reached through typo tolerance */
};

/* Run a directory query for v. *out is malloc'ed (people_directory_free).
 * M_INVALID for a bad limit/offset or an unknown skill= filter. */
enum mresult people_directory(const struct viewer *v, const struct dir_request *r,
			      struct dir_result **out, char *err, size_t errlen);
void people_directory_free(struct dir_result *res);
/* Every account id the query finds (no paging, no cache), in its order,
 * into a malloc'ed array (*ids, freed by the caller). For exports. */
enum mresult people_directory_ids(const struct viewer *v, const struct dir_request *r,
				  int64_t **ids, size_t *n);

/* The ranking score of "who knows X":
 *   2 x level + 3 x ln(1 + endorsement_weight) + 2 x ln(1 + posts) + 3 x ln(1 + answers) */
double people_rank_score(const struct dir_evidence *ev);

/* The FTS5 expression for the words of q (each a quoted prefix term,
 * all required), restricted to the columns a non-staff viewer may search
 * when staff is 0. Typo corrections come from vocabulary keys (may be
 * NULL). Returns the number of words (0: nothing to search), -1 when out
 * fails. */
int people_match_expr(const char *q, int staff, struct buf *out);

/* Hashtags whose name starts with prefix (case-insensitive), most used
 * first: fn(name). For /api/v2/search. */
enum mresult people_tag_prefix(const char *prefix, int limit, int offset,
			       void (*fn)(const char *name, void *), void *ctx);

#endif
