/*
 * people.h - profiles: the facts about a person and who may read each,
 * skills with levels and endorsements, interests, languages, links, the
 * reporting line, availability, pictures, and the admin-curated skill
 * vocabulary and profile fields.
 *
 * Who sees a profile at all is audience_may_see_account() (model/
 * audience.h). Within a profile each fact has a visibility:
 *   public        whoever may see the profile;
 *   organisation  staff only;
 *   only_me       the person alone (no one else, admins included).
 * people_vis_max() is the highest level a viewer may read of someone's
 * profile (2 for oneself, 1 for staff, 0 for guests and anonymous
 * visitors); a fact above it is blanked in a struct profile_view, left
 * out of the search index's columns that viewer searches, of filters and
 * of facet counts. The name, bio, skills, interests, availability and the
 * reporting line go with the profile itself (public level).
 *
 * Who may change what: a person edits their own profile; an admin may
 * edit anyone's (and the CSV import does, see people_import.h). Skills
 * come from a shared vocabulary: staff may add a new name by using it,
 * guests choose existing ones (a name written otherwise, "node js" for
 * "Node.js", is the same skill; a near name is only suggested, since
 * "Scala" and "Scale" or "MySQL" and "MSSQL" are different skills); renaming, aliases, merging and deleting
 * skills are for admins. Anyone signed in who may see a profile may
 * endorse its skills, once each, never their own.
 *
 * Every change runs in one transaction and keeps the search index (the
 * FTS columns of store_profile_index) in step.
 *
 * Errors: M_INVALID with a message for the person (422), M_FORBIDDEN
 * (403), M_NOTFOUND (404), M_ERROR (storage, 500).
 */
#ifndef PARLEY_MODEL_PEOPLE_H
#define PARLEY_MODEL_PEOPLE_H

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"
#include "model/account.h"
#include "model/result.h"
#include "model/viewer.h"
#include "store/store_people.h"

#define PEOPLE_TEXT_CHARS 100
#define PEOPLE_LANGUAGES_MAX 10
#define PEOPLE_INTERESTS_MAX 30
#define PEOPLE_LINKS_MAX 6
#define PEOPLE_SKILLS_MAX 50
#define PEOPLE_FIELDS_MAX 30
#define PEOPLE_ITEM_CHARS 60
#define PEOPLE_LINK_VALUE_CHARS 400
#define PEOPLE_FIELD_VALUE_CHARS 400
#define PEOPLE_CHAIN_MAX 10        /* managers shown above a person */

/* Instance settings, set once at start-up (people_configure copies). */
struct people_settings {
	const char *base_url;
	size_t max_image_bytes;    /* avatar and header uploads */
	const char *data_dir;      /* pictures live in DATA/media */
};
/* -1 with err when the picture directory cannot be made. */
int people_configure(const struct people_settings *s, char *err, size_t errlen);
const char *people_base_url(void);

/* "public", "organisation", "only_me"; -1 for another name ("private" and
 * "only me" are accepted for only_me, "staff" for organisation). */
const char *people_vis_name(int level);
int people_vis_parse(const char *s);
/* The highest visibility v may read of account_id's facts. */
int people_vis_max(const struct viewer *v, int64_t account_id);

/* "headline", "department", "team", "location", "timezone",
 * "working_hours", "pronouns", "phone", "email", then "languages", "links"
 * (indexes of profile_row.vis). -1 for another name. */
const char *people_fact_name(int fact);
int people_fact_parse(const char *name);
/* "Headline", "Department" ... for labels. */
const char *people_fact_label(int fact);

/* "learning" (1), "practised" (2), "expert" (3); parse also takes
 * "practiced", "beginner", "intermediate", "advanced" and the digits.
 * -1 when unknown. */
const char *people_level_name(int level);
int people_level_parse(const char *s);

/* ---- reading ---------------------------------------------------------- */

struct profile_link {
	char name[PROFILE_LINK_NAME_BYTES];
	char value[PROFILE_LINK_VALUE_BYTES];
};

struct profile_custom {
	int64_t field_id;
	char name[FIELD_DEF_NAME_BYTES];
	char kind[8];
	int visibility;
	char value[FIELD_VALUE_BYTES];
};

/* A profile as one viewer may read it. Facts the viewer may not read are
 * "" (and lists empty); `vis` keeps every level (the owner's form shows
 * them). */
struct profile_view {
	struct account_row account;
	struct profile_row p;
	int vis_max;
	int self;                   /* the viewer is this person */
	int away;                   /* away_until is in the future */
	char languages[PEOPLE_LANGUAGES_MAX][PROFILE_ITEM_BYTES];
	size_t nlanguages;
	char interests[PEOPLE_INTERESTS_MAX][PROFILE_ITEM_BYTES];
	size_t ninterests;
	struct profile_link links[PEOPLE_LINKS_MAX];
	size_t nlinks;
	struct profile_custom custom[PEOPLE_FIELDS_MAX];
	size_t ncustom;
};

/* Load a's profile as v may read it (the caller checked that v may see
 * the account at all: audience_may_see_account). *out is malloc'ed; free
 * it with people_view_free(). M_ERROR on storage failure. */
enum mresult people_view_load(const struct viewer *v, const struct account_row *a,
			      struct profile_view **out);
void people_view_free(struct profile_view *pv);

/* Skills of account_id with their endorsement counts (viewer_id fills
 * endorsed_by_viewer). Up to max rows into out; returns how many, or -1. */
int people_skills(int64_t account_id, int64_t viewer_id, struct profile_skill_row *out, size_t max);

/* The bio (accounts.note, Markdown) as safe HTML, appended to out. */
int people_bio_html(const char *note, struct buf *out);

/* ---- editing ----------------------------------------------------------- */

struct people_edit {
	const char *text[PF_NTEXT];        /* NULL: unchanged; "" clears */
	int vis[PF_NVIS];                  /* -1: unchanged */
	int set_languages;                 /* replace the list with languages[0..n) */
	const char *languages[PEOPLE_LANGUAGES_MAX + 1];
	size_t nlanguages;
	int set_interests;
	const char *interests[PEOPLE_INTERESTS_MAX + 1];
	size_t ninterests;
	int set_links;
	const char *link_names[PEOPLE_LINKS_MAX + 1];
	const char *link_values[PEOPLE_LINKS_MAX + 1];
	size_t nlinks;
	const char *status_text;           /* NULL: unchanged */
	const char *away_until;            /* "YYYY-MM-DD", "" clears, NULL unchanged */
	const char *manager;               /* username, email or id; "" clears; NULL unchanged */
	const char *default_privacy;       /* public, unlisted, private, direct; "" resets */
	const char *language;              /* ISO 639-1/-3 code or "" */
	struct { int64_t field_id; const char *value; } custom[PEOPLE_FIELDS_MAX];
	size_t ncustom;
};

/* An edit that changes nothing (all NULL / -1). */
void people_edit_init(struct people_edit *e);

/* Reading an edit from named fields, whatever face they came through
 * (the API's body, a web form, with a getter over them). Keys, each
 * under `prefix` when it is not "" ("parley" gives parley[headline],
 * parley[visibility][phone] ...):
 *   headline, department, team, location, timezone, working_hours,
 *   pronouns, phone, email        the facts
 *   visibility[<fact>]             public | organisation | only_me
 *   languages[] (or languages: comma-separated), interests[] (or interests)
 *   links[<i>][name], links[<i>][value]
 *   status, away_until, manager
 *   custom_<field id>              admin-defined fields (not custom[id]:
 *                                  request parsing turns key[digits] into key[])
 * Absent keys leave things unchanged. The edit borrows the getter's
 * strings and the form's scratch space: both must outlive it. */
struct people_form {
	const char *(*get)(void *ctx, const char *key);
	size_t (*get_array)(void *ctx, const char *key, const char **out, size_t max);
	void *ctx;
	char split[PEOPLE_LANGUAGES_MAX + PEOPLE_INTERESTS_MAX + 2][PROFILE_ITEM_BYTES * 2];
};
/* -1 with err for an unknown visibility level. */
int people_edit_read(struct people_form *f, const char *prefix, struct people_edit *e,
		     char *err, size_t errlen);

/* Apply edits to account_id's profile (and, when acct is not NULL, the
 * account's name, bio and flags: account_update_profile), all or
 * nothing, in one transaction. v must be the person or an admin
 * (M_FORBIDDEN). A manager that would make a cycle in the reporting line
 * (oneself, or someone who reports to this person, directly or not) is
 * M_INVALID. *out_account (when not NULL) gets the updated account. */
enum mresult people_update(const struct viewer *v, int64_t account_id,
			   const struct account_profile_edit *acct, const struct people_edit *e,
			   struct account_row *out_account, char *err, size_t errlen);

/* The same without a viewer and without a transaction: for the CSV
 * import, inside its own transaction. actor_id 0: the command line. */
enum mresult people_apply(int64_t account_id, const struct people_edit *e, char *err, size_t errlen);

/* Rebuild account_id's row of the search index from its profile. */
enum mresult people_reindex(int64_t account_id);

/* Add a skill to account_id's profile (or change its level). `skill` is a
 * name or alias in the vocabulary (or the same name written otherwise); a
 * new name is added to the vocabulary when v is staff (guests: M_INVALID,
 * with the nearest name as a suggestion). At most PEOPLE_SKILLS_MAX. *out
 * (when not NULL) gets the skill. */
enum mresult people_skill_add(const struct viewer *v, int64_t account_id, const char *skill,
			      const char *level, struct skill_row *out, char *err, size_t errlen);
/* Same without permission check, transaction or reindexing (the import
 * calls people_reindex once per person); creates vocabulary entries when
 * `create` is set. */
enum mresult people_skill_apply(int64_t account_id, const char *skill, int level, int create,
				int64_t actor_id, char *err, size_t errlen);
/* Remove a skill (by id or name) from account_id's profile. */
enum mresult people_skill_remove(const struct viewer *v, int64_t account_id, const char *skill,
				 char *err, size_t errlen);
/* Endorse (on = 1) or withdraw an endorsement of account_id's skill.
 * Endorsing one's own skill is M_FORBIDDEN; the skill must be on the
 * profile (M_NOTFOUND) and the profile visible to v (M_NOTFOUND).
 * Endorsing twice is not an error and counts once. */
enum mresult people_endorse(const struct viewer *v, int64_t account_id, int64_t skill_id, int on,
			    char *err, size_t errlen);

/* ---- the vocabulary (admins) ------------------------------------------- */

/* A skill by id (digits) or name/alias, exactly (no typo tolerance). */
enum mresult people_skill_lookup(const char *ref, struct skill_row *out);
enum mresult people_skill_create(const struct viewer *v, const char *name, const char *const *aliases,
				 size_t naliases, struct skill_row *out, char *err, size_t errlen);
enum mresult people_skill_rename(const struct viewer *v, int64_t id, const char *name,
				 char *err, size_t errlen);
enum mresult people_skill_alias(const struct viewer *v, int64_t id, const char *alias, int add,
				char *err, size_t errlen);
/* Everything of `from` moves to `into`; from's name becomes an alias. */
enum mresult people_skill_merge(const struct viewer *v, int64_t from, int64_t into,
				char *err, size_t errlen);
enum mresult people_skill_delete(const struct viewer *v, int64_t id, char *err, size_t errlen);

/* ---- admin-defined fields ------------------------------------------------- */

/* kind: text, choice (choices newline- or comma-separated), date. */
enum mresult people_field_def_save(const struct viewer *v, int64_t id /* 0: new */, const char *name,
				   const char *kind, const char *choices, const char *visibility,
				   struct field_def_row *out, char *err, size_t errlen);
enum mresult people_field_def_delete(const struct viewer *v, int64_t id, char *err, size_t errlen);

/* ---- pictures --------------------------------------------------------------- */

enum people_image { PEOPLE_AVATAR, PEOPLE_HEADER };

/* Check (an image: JPEG, PNG, GIF or WebP; at most max_image_bytes; not
 * too many pixels), resize (avatar: 400 px box and a 120 px thumbnail;
 * header: 1500 and 600), store under DATA/media and put on the profile,
 * replacing (and deleting) the previous one. Slow for big images: run it
 * off the HTTP workers. */
enum mresult people_image_set(int64_t account_id, enum people_image which, const void *data,
			      size_t len, char *err, size_t errlen);
/* The cheap checks of people_image_set (size, kind, declared pixels),
 * without decoding: to refuse a bad file before anything else changes. */
enum mresult people_image_check(enum people_image which, const void *data, size_t len,
				char *err, size_t errlen);
enum mresult people_image_clear(int64_t account_id, enum people_image which, char *err, size_t errlen);
/* The URL of a picture (small: the thumbnail), or of the default one. */
void people_image_url(const struct profile_row *p, enum people_image which, int small,
		      char *out, size_t n);
/* Read a picture file by name ("<key>.<ext>" or "<key>.small.<ext>") into
 * out (appended); *content_type gets a static MIME type. M_NOTFOUND for a
 * name that is no current picture. */
enum mresult people_image_read(const char *name, struct buf *out, const char **content_type);

#endif
