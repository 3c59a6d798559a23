/*
 * audience.h - who may read what: the one security rule (DESIGN.md).
 *
 * Every readable object carries an audience: public, organisation (staff
 * only), space (its members; anyone when the space is public; any staff
 * member when it is internal and open: model/space.h), followers (author, followers and mentioned
 * accounts) or direct (author and mentioned accounts). A block between
 * viewer and author, either way, hides everything.
 *
 * Two answers, which must agree:
 *   audience_may_read()  one object: "may viewer V read post P?"
 *   audience_filter()    the filter a list query applies for V (the store
 *                        turns it into SQL: store_posts.h, AUD_SQL)
 * tests/unit/test_audience.c walks viewers x audiences x relations and
 * checks both answers are the same.
 *
 * Reblogs: a reblog keeps its original's audience, and reading it also
 * needs the original to be readable (blocks with the original's author).
 */
#ifndef PARLEY_MODEL_AUDIENCE_H
#define PARLEY_MODEL_AUDIENCE_H

#include "model/viewer.h"
#include "store/store_posts.h"

enum audience {
	AUDIENCE_PUBLIC,
	AUDIENCE_ORGANISATION,
	AUDIENCE_FOLLOWERS,
	AUDIENCE_DIRECT,
	AUDIENCE_SPACE,
};

/* "public", "organisation", ... */
const char *audience_name(enum audience a);
/* -1 when the name is not an audience. */
int audience_parse(const char *name);
/* The audience a new post gets when none is asked for: organisation for
 * staff, followers for guests and others. */
enum audience audience_default(const struct account_row *author);
/* May this author address this audience? (Guests cannot post to the
 * organisation.) 1 yes, 0 no. */
int audience_may_post(const struct account_row *author, enum audience a);

/* The list-query filter for the viewer. */
void audience_filter(const struct viewer *v, struct store_audience *out);

/* 1 when v may read p, 0 when not (also on storage errors: fail closed). */
int audience_may_read(const struct viewer *v, const struct post_row *p);
/* Whether the account `a` may read p (as if a were signed in). */
int audience_account_may_read(const struct account_row *a, const struct post_row *p);
/* Same, by id; fills *out (caller releases) when readable. M_NOTFOUND
 * when the post does not exist or may not be read (the two are the same
 * to the viewer), M_ERROR on storage failure. */
int audience_read_post(const struct viewer *v, int64_t id, struct post_row *out);

/* 1 when anyone, anonymous visitors included, may read p (a public post,
 * or a post in a public space), blocks aside. */
int audience_is_public(const struct post_row *p);

/* Replies to p the viewer may read (a count must not reveal the others);
 * 0 on storage errors. */
int64_t audience_reply_count(const struct viewer *v, const struct post_row *p);

/* May the viewer see this account's profile (profile page, account
 * lookups, search, following)? Staff see every account; guests see
 * themselves, the people they share a space with and public profiles;
 * anonymous visitors see public profiles. On top of that, an account is
 * hidden from those it blocked (the blocker still sees whom they blocked,
 * to unblock), and suspended accounts from everyone but admins and
 * moderators. ACCOUNT_VISIBLE_SQL in store/sqlite_internal.h is the same
 * rule for list queries. */
int audience_may_see_account(const struct viewer *v, const struct account_row *a);
/* May the viewer see this account named as the author of, or actor on,
 * something the viewer may read (a post, a notification)? The weaker
 * rule: only blocks and suspension hide it. Whoever may read a post may
 * know who wrote it, but not more of the profile than
 * audience_may_see_account() allows. */
int audience_may_name_account(const struct viewer *v, const struct account_row *a);

#endif
