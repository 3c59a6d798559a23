/*
 * audience.c - who may read what (see audience.h).
 *
 * audience_may_read() is written as plain C over single-row lookups, on
 * purpose independently of the SQL predicate in store/sqlite_posts.c, so
 * that the agreement test compares two implementations of the rule.
 */
#include "model/audience.h"
#include "store/store_spaces.h"
#include "model/result.h"

#include <string.h>

static const char *const names[] = { "public", "organisation", "followers", "direct", "space" };

const char *audience_name(enum audience a)
{
	return (unsigned)a < sizeof names / sizeof names[0] ? names[a] : "direct";
}

int audience_parse(const char *name)
{
	size_t i;

	for (i = 0; name && i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(name, names[i]))
			return (int)i;
	return -1;
}

static int is_staff(const struct account_row *a)
{
	return !strcmp(a->kind, "staff");
}

enum audience audience_default(const struct account_row *author)
{
	return is_staff(author) ? AUDIENCE_ORGANISATION : AUDIENCE_FOLLOWERS;
}

int audience_may_post(const struct account_row *author, enum audience a)
{
	if (a == AUDIENCE_ORGANISATION)
		return is_staff(author);
	return 1;
}

void audience_filter(const struct viewer *v, struct store_audience *out)
{
	out->viewer_id = v->signed_in ? v->account.id : 0;
	out->staff = viewer_is_staff(v);
	out->privileged = v->signed_in && (v->account.is_admin || v->account.is_moderator);
}

/* The rule for one post, without the reblog's original. */
static int may_read_one(const struct viewer *v, const struct post_row *p)
{
	int64_t me = v->signed_in ? v->account.id : 0;
	int a = audience_parse(p->audience);

	if (me && p->account_id == me)
		return 1;
	if (me && store_blocked_either(me, p->account_id) != STORE_NOTFOUND)
		return 0;  /* blocked, or the lookup failed: closed */
	switch (a) {
	case AUDIENCE_PUBLIC:
		return 1;
	case AUDIENCE_ORGANISATION:
		return viewer_is_staff(v);
	case AUDIENCE_FOLLOWERS:
		if (!me)
			return 0;
		if (store_follow_exists(me, p->account_id) == STORE_OK)
			return 1;
		return store_post_mentions_account(p->id, me) == STORE_OK;
	case AUDIENCE_DIRECT:
		return me && store_post_mentions_account(p->id, me) == STORE_OK;
	case AUDIENCE_SPACE: {
		struct space_row s;
		struct space_member_row m;

		if (store_space_get(p->space_id, &s) != STORE_OK)
			return 0;
		if (!strcmp(s.kind, "public"))
			return 1;
		if (!strcmp(s.kind, "internal") && !strcmp(s.access, "open") && viewer_is_staff(v))
			return 1;
		return me && store_space_member_get(p->space_id, me, &m) == STORE_OK;
	}
	default:
		return 0;
	}
}

int audience_may_read(const struct viewer *v, const struct post_row *p)
{
	struct post_row orig;
	int ok;

	if (!may_read_one(v, p))
		return 0;
	if (!p->reblog_of_id)
		return 1;
	if (store_post_get(p->reblog_of_id, &orig) != STORE_OK)
		return 0;
	/* the reblog carries the original's audience; the original's author
	 * may have blocked the viewer */
	ok = !v->signed_in || orig.account_id == v->account.id ||
	     store_blocked_either(v->account.id, orig.account_id) == STORE_NOTFOUND;
	post_row_release(&orig);
	return ok;
}

int audience_account_may_read(const struct account_row *a, const struct post_row *p)
{
	struct viewer v;

	memset(&v, 0, sizeof v);
	v.signed_in = 1;
	v.account = *a;
	return audience_may_read(&v, p);
}

int audience_read_post(const struct viewer *v, int64_t id, struct post_row *out)
{
	int rc = store_post_get(id, out);

	if (rc == STORE_NOTFOUND)
		return M_NOTFOUND;
	if (rc != STORE_OK)
		return M_ERROR;
	if (!audience_may_read(v, out)) {
		post_row_release(out);
		return M_NOTFOUND;
	}
	return M_OK;
}

int audience_may_name_account(const struct viewer *v, const struct account_row *a)
{
	if (v->signed_in && v->account.id == a->id)
		return 1;
	if (a->suspended && !(v->signed_in && (v->account.is_admin || v->account.is_moderator)))
		return 0;
	if (v->signed_in && store_block_exists(a->id, v->account.id) != STORE_NOTFOUND)
		return 0;
	return 1;
}

int audience_may_see_account(const struct viewer *v, const struct account_row *a)
{
	if (!audience_may_name_account(v, a))
		return 0;
	if (v->signed_in && v->account.id == a->id)
		return 1;
	if (viewer_is_staff(v) || a->profile_public)
		return 1;
	/* guests (and remote accounts): the people they share a space with */
	return v->signed_in && store_space_shared(v->account.id, a->id) == STORE_OK;
}

int64_t audience_reply_count(const struct viewer *v, const struct post_row *p)
{
	struct store_audience a;
	int64_t n;

	if (p->replies_count <= 0)
		return 0;
	audience_filter(v, &a);
	n = store_post_replies_visible(&a, p->id);
	return n < 0 ? 0 : n;
}

int audience_is_public(const struct post_row *p)
{
	struct space_row s;

	if (!strcmp(p->audience, "public"))
		return 1;
	return !strcmp(p->audience, "space") && store_space_get(p->space_id, &s) == STORE_OK &&
	       !strcmp(s.kind, "public");
}
