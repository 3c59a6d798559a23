/*
 * store_people.h - storage of profiles (the facts, their visibility,
 * languages, interests, links, the reporting line, availability, pictures),
 * the skill vocabulary with aliases, skills on profiles and endorsements,
 * admin-defined profile fields, and the people directory (search index,
 * filters, facet counts).
 *
 * Same rules as store.h: the model never sees SQL; return codes are
 * STORE_OK, STORE_NOTFOUND, STORE_CONFLICT, STORE_ERROR (logged here).
 * Rows are plain structs with fixed arrays: nothing to release. Callbacks
 * borrow their arguments for the duration of the call and must not use
 * the store themselves unless said otherwise.
 *
 * Who may see which account is decided by ACCOUNT_VISIBLE_SQL (the SQL twin
 * of audience_may_see_account()), bound from a struct store_audience; which
 * profile facts count in a filter or a facet is decided by `vis_max` (the
 * highest visibility level the viewer may read: 0 public, 1 organisation).
 * The model computes both (model/people.c, model/people_search.c).
 *
 * Text is stored as given; the *_lower copies that filters and facets use
 * are made here (ASCII lowercasing, as for usernames).
 */
#ifndef PARLEY_STORE_STORE_PEOPLE_H
#define PARLEY_STORE_STORE_PEOPLE_H

#include <stddef.h>
#include <stdint.h>

#include "store/store_posts.h"

/* Visibility levels of a profile fact. */
enum {
	VIS_PUBLIC = 0,        /* whoever may see the profile */
	VIS_ORGANISATION = 1,  /* staff only */
	VIS_ONLY_ME = 2,       /* the person alone */
};

/* The profile's text facts, in this order (the columns of `profiles`). */
enum profile_text {
	PF_HEADLINE, PF_DEPARTMENT, PF_TEAM, PF_LOCATION, PF_TIMEZONE,
	PF_WORKING_HOURS, PF_PRONOUNS, PF_PHONE, PF_EMAIL,
	PF_NTEXT,
};
/* Facts with a visibility: the text facts, then two lists. */
enum {
	PF_LANGUAGES = PF_NTEXT,
	PF_LINKS,
	PF_NVIS,
};

#define PROFILE_TEXT_BYTES 404       /* 100 characters of UTF-8 (email: 254 bytes) */
#define PROFILE_STATUS_BYTES 404
#define PROFILE_KEY_BYTES 24
#define SKILL_NAME_BYTES 244         /* 60 characters */
#define PROFILE_ITEM_BYTES 244       /* a language or an interest: 60 characters */
#define PROFILE_LINK_NAME_BYTES 244
#define PROFILE_LINK_VALUE_BYTES 1604 /* 400 characters */
#define FIELD_DEF_NAME_BYTES 244
#define FIELD_DEF_CHOICES_BYTES 4096
#define FIELD_VALUE_BYTES 1604

struct profile_row {
	int64_t account_id;
	char text[PF_NTEXT][PROFILE_TEXT_BYTES];
	int vis[PF_NVIS];
	int64_t manager_id;              /* 0: none */
	int64_t away_until;              /* ms; 0: not away */
	char status_text[PROFILE_STATUS_BYTES];
	char avatar_key[PROFILE_KEY_BYTES], avatar_ext[8];   /* "" : default picture */
	char header_key[PROFILE_KEY_BYTES], header_ext[8];
	char default_privacy[16];        /* "" or a Mastodon visibility */
	char language[16];               /* "" or an ISO 639 code */
	int64_t updated_at;
};

/* Every account has a row (a trigger makes it with the account). */
int store_profile_get(int64_t account_id, struct profile_row *out);
/* Write every column of the row (insert or update). */
int store_profile_put(const struct profile_row *p);
/* The account whose avatar or header has this file key. */
int store_profile_by_image_key(const char *key, int64_t *account_id);

/* Lists replaced as a whole; read in their order. */
int store_profile_languages(int64_t account_id, void (*fn)(const char *, void *), void *ctx);
int store_profile_set_languages(int64_t account_id, const char *const *items, size_t n);
int store_profile_interests(int64_t account_id, void (*fn)(const char *, void *), void *ctx);
int store_profile_set_interests(int64_t account_id, const char *const *items, size_t n);
int store_profile_links(int64_t account_id,
			void (*fn)(const char *name, const char *value, void *), void *ctx);
int store_profile_set_links(int64_t account_id, const char *const *names,
			    const char *const *values, size_t n);

/* Set the manager (0: none) of an account; the caller checked for cycles
 * inside the same transaction. */
int store_profile_set_manager(int64_t account_id, int64_t manager_id, int64_t now_ms);
/* The direct reports of manager_id the audience may see, by name. */
int store_profile_reports(int64_t manager_id, const struct store_audience *aud, int limit,
			  void (*fn)(int64_t account_id, void *), void *ctx);
/* Count of all direct reports (for the org chart's "and N more"). */
int64_t store_profile_reports_count(int64_t manager_id);

/* A savepoint inside the caller's transaction (one at a time): set it,
 * roll back to it (and release it), or release it. For imports, where a
 * refused row must leave nothing behind. */
int store_savepoint(void);
int store_savepoint_rollback(void);
int store_savepoint_release(void);

/* Replace the search index's derived columns of one account (its name and
 * bio follow the accounts table by trigger), and the profile's facet
 * copies: facet_languages (newline-separated), facet_skills (skill ids,
 * comma-separated). */
int store_profile_index(int64_t account_id, const char *skills, const char *info,
			const char *info_org, const char *facet_languages, const char *facet_skills);

/* Staff accounts whose department is `department` (case-insensitive;
 * suspended accounts left out), for department invitations to a space.
 * STORE_OK or STORE_ERROR. */
int store_people_by_department(const char *department,
			       void (*fn)(int64_t account_id, void *), void *ctx);

/* The directory generation: bumped (by triggers) by every change that may
 * alter who is listed or what the facets count. -1 on error. */
int64_t store_people_gen(void);

/* ---- skills ----------------------------------------------------------- */

struct skill_row {
	int64_t id;
	char name[SKILL_NAME_BYTES];
	int64_t created_by;
	int64_t created_at;
	int64_t people;          /* profiles with the skill (list functions) */
};

int store_skill_insert(const struct skill_row *s);     /* CONFLICT: name taken */
int store_skill_get(int64_t id, struct skill_row *out);
/* By exact name or alias, case-insensitive (ASCII). */
int store_skill_find(const char *name_or_alias, struct skill_row *out);
int store_skill_rename(int64_t id, const char *name); /* CONFLICT: name taken */
int store_skill_delete(int64_t id);
/* Move everything of `from` onto `into` (profiles keep the higher level,
 * endorsements follow unless duplicated, aliases move, from's name becomes
 * an alias of into) and delete `from`. Run inside a transaction. */
int store_skill_merge(int64_t from, int64_t into);
/* CONFLICT when the alias is a skill name or another skill's alias. */
int store_skill_alias_add(int64_t skill_id, const char *alias);
int store_skill_alias_remove(int64_t skill_id, const char *alias);
int store_skill_aliases(int64_t skill_id, void (*fn)(const char *alias, void *), void *ctx);
/* Every name and alias of the vocabulary: fn(skill id, text, is_alias,
 * people with the skill). For typo-tolerant matching in the model. */
int store_skill_vocabulary(void (*fn)(int64_t id, const char *text, int is_alias,
				      int64_t people, void *), void *ctx);
/* Skills by name prefix (case-insensitive; "" lists all), most used first,
 * then by name. */
int store_skill_list(const char *prefix, int limit,
		     void (*fn)(const struct skill_row *, void *), void *ctx);

/* ---- skills on profiles, endorsements ---------------------------------- */

struct profile_skill_row {
	int64_t account_id;
	int64_t skill_id;
	char name[SKILL_NAME_BYTES];
	int level;                     /* 1 learning, 2 practised, 3 expert */
	int64_t endorsements;
	int endorsed_by_viewer;
	int64_t created_at;
};

/* An account's skills: level, then endorsements, then name, descending
 * (name ascending). viewer_id (0: none) fills endorsed_by_viewer. */
int store_profile_skills(int64_t account_id, int64_t viewer_id,
			 void (*fn)(const struct profile_skill_row *, void *), void *ctx);
int64_t store_profile_skill_count(int64_t account_id);
/* Add or change the level. */
int store_profile_skill_put(int64_t account_id, int64_t skill_id, int level, int64_t now_ms);
/* Remove (and its endorsements). NOTFOUND when absent. */
int store_profile_skill_delete(int64_t account_id, int64_t skill_id);
int store_profile_skill_get(int64_t account_id, int64_t skill_id, struct profile_skill_row *out);

/* CONFLICT when the endorser endorsed this skill of this account already. */
int store_endorsement_add(int64_t account_id, int64_t skill_id, int64_t endorser_id, int64_t now_ms);
int store_endorsement_remove(int64_t account_id, int64_t skill_id, int64_t endorser_id);
/* Endorsers of an account's skill that the audience may see, newest first. */
int store_endorsers(int64_t account_id, int64_t skill_id, const struct store_audience *aud,
		    int limit, void (*fn)(int64_t endorser_id, void *), void *ctx);

/* "Who knows X", declared part: every account holding skill_id, with its
 * level: fn(account id, level). No audience filter: the model filters the
 * candidates afterwards through the directory. */
int store_skill_holders(int64_t skill_id, void (*fn)(int64_t account_id, int level, void *), void *ctx);
/* ... and their endorsements: fn(endorsed account, endorser), every one
 * (the model weighs each by the endorser's own level, from the holders). */
int store_skill_endorsements(int64_t skill_id, void (*fn)(int64_t account_id, int64_t endorser_id, void *),
			     void *ctx);
/* The suspended accounts (few; a partial index): their endorsements do not count. */
int store_suspended_accounts(void (*fn)(int64_t account_id, void *), void *ctx);

/* "Who knows X", activity part: per author, posts (not reblogs) carrying
 * any of the tags tag_ids[0..n) (n at most 8) whose audience is public, or
 * organisation when staff is set. */
int store_tag_activity(const int64_t *tag_ids, size_t n, int staff,
		       void (*fn)(int64_t account_id, int64_t posts, void *), void *ctx);

/* ---- admin-defined profile fields -------------------------------------- */

struct field_def_row {
	int64_t id;
	char name[FIELD_DEF_NAME_BYTES];
	char kind[8];                          /* text, choice, date */
	char choices[FIELD_DEF_CHOICES_BYTES]; /* newline-separated */
	int visibility;
	int position;
	int64_t created_at;
};

int store_field_def_insert(const struct field_def_row *d);  /* CONFLICT: name taken */
int store_field_def_update(const struct field_def_row *d);
int store_field_def_delete(int64_t id);
int store_field_def_get(int64_t id, struct field_def_row *out);
int store_field_defs(void (*fn)(const struct field_def_row *, void *), void *ctx);
int store_field_values(int64_t account_id, void (*fn)(int64_t field_id, const char *value, void *),
		       void *ctx);
/* "" deletes the value. */
int store_field_value_set(int64_t account_id, int64_t field_id, const char *value);
/* Accounts with a value for the field. */
int store_field_holders(int64_t field_id, void (*fn)(int64_t account_id, void *), void *ctx);

/* ---- the directory ------------------------------------------------------
 *
 * A directory query works on a per-connection candidate set (a temporary
 * table): store_dir_begin() empties it, one fill function fills it with
 * the accounts that pass the audience, the listing rule (local accounts;
 * people who turned "discoverable" off only for staff) and every filter of
 * the query, then the count, facet and page functions read it. All calls
 * of one query run on the same thread, one after the other. */

enum dir_facet { FACET_DEPARTMENT, FACET_LOCATION, FACET_LANGUAGE, FACET_SKILL, FACET_COUNT };

struct dir_query {
	struct store_audience aud;
	int vis_max;                /* highest fact visibility that may match or count */
	const char *match;          /* FTS5 expression for store_dir_fill_search */
	const char *department;     /* "" : any; compared case-insensitively */
	const char *location;
	const char *language;
	int64_t skill_id;           /* 0: any */
};

int store_dir_begin(void);
/* Fill with every listed account (no filter may be set: use the others). */
int store_dir_fill_all(const struct dir_query *q);
/* Public profiles, the people sharing a space with the viewer, the viewer:
 * what a guest or an anonymous visitor may see, with the filters. */
int store_dir_fill_guest(const struct dir_query *q);
/* Driven by one filter's index, applying the others too. */
int store_dir_fill_search(const struct dir_query *q);   /* score: bm25 relevance */
int store_dir_fill_skill(const struct dir_query *q);
int store_dir_fill_department(const struct dir_query *q);
int store_dir_fill_location(const struct dir_query *q);
int store_dir_fill_language(const struct dir_query *q);
/* How many profiles one filter of q alone matches (an index count, no
 * audience): to pick the narrowest driver when several are set. -1 on
 * error. */
int64_t store_dir_estimate(const struct dir_query *q, enum dir_facet which);
/* The accounts that blocked the viewer and would otherwise be listed for
 * `q` (whose aud stands for the viewer's whole class): subtracted from a
 * cached count. */
int store_dir_fill_blockers(const struct dir_query *q, int64_t viewer_id);
/* Add one candidate with a score (model-computed ranking), then keep only
 * those that pass q with store_dir_filter(). */
int store_dir_add(int64_t account_id, double score);
/* Many at once (one savepoint: no main-database lock, no fsync). */
int store_dir_add_many(const int64_t *ids, const double *scores, size_t n);
int store_dir_filter(const struct dir_query *q);
/* Keep only the candidates whose index row matches q->match. */
int store_dir_filter_match(const struct dir_query *q);

int64_t store_dir_count(void);
/* The facet facts of every candidate (one profile row each; the model
 * counts): department, location and languages ("" when their visibility
 * is above vis_max), languages newline-separated, skill ids
 * comma-separated. */
int store_dir_facet_rows(int vis_max,
			 void (*fn)(const char *department, const char *location, const char *languages,
				    const char *skill_ids, void *), void *ctx);
/* A page of candidates: by score (then name) or by name. */
int store_dir_page(int by_name, int limit, int offset,
		   void (*fn)(int64_t account_id, double score, void *), void *ctx);
/* A page of every listed account by name, without the candidate set (the
 * unfiltered directory: a walk of the name index). */
int store_dir_page_all(const struct dir_query *q, int limit, int offset,
		       void (*fn)(int64_t account_id, double score, void *), void *ctx);

/* Hashtags whose key starts with the case fold of prefix, most used
 * first: fn(name). */
int store_tag_prefix(const char *prefix, int limit, int offset,
		     void (*fn)(const char *name, void *), void *ctx);

/* ---- sensemaking --------------------------------------------------------- */

/* Accounts both a and b follow, that the audience may see. */
int store_people_common_follows(int64_t a, int64_t b, const struct store_audience *aud, int limit,
				void (*fn)(int64_t account_id, void *), void *ctx);
/* Spaces both are members of: fn(space id, handle, name). */
int store_people_common_spaces(int64_t a, int64_t b,
			       void (*fn)(int64_t id, const char *handle, const char *name, void *),
			       void *ctx);
/* The neighbours of an account in the connection graph: accounts it
 * follows or that follow it, its manager and its direct reports. With aud,
 * only those the audience may see; at most `limit`. */
int store_people_neighbours(int64_t account_id, const struct store_audience *aud, int limit,
			    void (*fn)(int64_t account_id, void *), void *ctx);
/* Posts and articles (not reblogs) by account_id whose audience is public,
 * or organisation when staff is set. */
int store_people_contributions(int64_t account_id, int staff, int64_t *posts, int64_t *articles);

#endif
