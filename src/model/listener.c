/*
 * listener.c - who listens to which scope, and who may change that (see
 * listener.h).
 *
 * A listener row is only half the rule: a space listener who left the
 * space, or an org listener who became a guest or was suspended, no longer
 * acts as one. listener_is() checks both halves, so the row need not be
 * cleaned up when memberships change.
 */
#include "model/listener.h"
#include "model/space.h"
#include "lib/timeutil.h"
#include "store/store_listeners.h"
#include "store/store_spaces.h"

#include <string.h>

/* Does the account (as stored) still qualify for the scope? */
static int account_qualifies(const struct account_row *a, int64_t space_id)
{
	struct space_member_row m;

	if (a->suspended)
		return 0;
	if (space_id == 0)
		return !strcmp(a->kind, "staff");
	return store_space_member_get(space_id, a->id, &m) == STORE_OK;
}

int listener_is(const struct viewer *v, int64_t space_id)
{
	if (!v->signed_in || space_id < 0)
		return 0;
	if (store_listener_exists(space_id, v->account.id) != STORE_OK)
		return 0;
	return account_qualifies(&v->account, space_id);
}

int listener_is_org(const struct viewer *v)
{
	return listener_is(v, 0);
}

int listener_spaces(const struct viewer *v, int64_t *ids, int max)
{
	int n, i, k = 0;

	if (!v->signed_in || v->account.suspended)
		return 0;
	n = store_listener_spaces(v->account.id, ids, max);
	if (n < 0)
		return 0;
	for (i = 0; i < n; i++)
		if (account_qualifies(&v->account, ids[i]))
			ids[k++] = ids[i];
	return k;
}

int listener_may_manage(const struct viewer *v, const struct space_view *sv)
{
	if (!v->signed_in)
		return 0;
	if (viewer_is_admin(v))
		return 1;
	return sv && space_is_moderator(sv);
}

int listener_may_list(const struct viewer *v, const struct space_view *sv)
{
	if (listener_may_manage(v, sv) || listener_is_org(v))
		return 1;
	return sv && listener_is(v, sv->s.id);
}

struct list_ctx {
	void (*fn)(const struct account_row *, void *);
	void *ctx;
	int64_t space_id;
	int failed;
};

static void each_listener(int64_t account_id, void *ctx)
{
	struct list_ctx *c = ctx;
	struct account_row a;
	int rc = store_account_get(account_id, &a);

	if (rc == STORE_ERROR)
		c->failed = 1;
	if (rc == STORE_OK)
		c->fn(&a, c->ctx);
}

enum mresult listener_list(const struct viewer *v, const struct space_view *sv,
			   void (*fn)(const struct account_row *, void *), void *ctx,
			   char *err, size_t errlen)
{
	struct list_ctx c;

	if (!listener_may_list(v, sv))
		return mresult_fail(err, errlen, M_FORBIDDEN, "Only the space's moderators and listeners may see its listeners");
	c.fn = fn;
	c.ctx = ctx;
	c.space_id = sv ? sv->s.id : 0;
	c.failed = 0;
	if (store_listeners(c.space_id, each_listener, &c) != STORE_OK || c.failed)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	return M_OK;
}

enum mresult listener_add(const struct viewer *v, const struct space_view *sv, int64_t account_id,
			  char *err, size_t errlen)
{
	struct account_row a;
	int64_t space_id = sv ? sv->s.id : 0;
	int rc;

	if (!listener_may_manage(v, sv))
		return mresult_fail(err, errlen, M_FORBIDDEN,
				    sv ? "Only the space's owners and moderators may add listeners"
				       : "Only admins may add organisation listeners");
	rc = store_account_get(account_id, &a);
	if (rc == STORE_ERROR)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	if (rc != STORE_OK)
		return mresult_fail(err, errlen, M_INVALID, "No such account");
	if (a.suspended)
		return mresult_fail(err, errlen, M_INVALID, "The account is suspended");
	if (!account_qualifies(&a, space_id))
		return mresult_fail(err, errlen, M_INVALID,
				    sv ? "A listener must be a member of the space"
				       : "Organisation listeners must be staff");
	rc = store_listener_add(space_id, account_id, v->account.id, time_now_ms());
	if (rc != STORE_OK && rc != STORE_CONFLICT)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	return M_OK;
}

enum mresult listener_remove(const struct viewer *v, const struct space_view *sv, int64_t account_id,
			     char *err, size_t errlen)
{
	int rc;

	if (!listener_may_manage(v, sv))
		return mresult_fail(err, errlen, M_FORBIDDEN,
				    sv ? "Only the space's owners and moderators may remove listeners"
				       : "Only admins may remove organisation listeners");
	rc = store_listener_remove(sv ? sv->s.id : 0, account_id);
	if (rc == STORE_ERROR)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	return M_OK;
}

struct ids_ctx {
	int64_t *ids;
	int max, n;
	int64_t space_id;
	int failed;
};

static void each_id(int64_t account_id, void *ctx)
{
	struct ids_ctx *c = ctx;
	struct account_row a;
	int rc;

	if (c->n >= c->max)
		return;
	rc = store_account_get(account_id, &a);
	if (rc == STORE_ERROR)
		c->failed = 1;
	else if (rc == STORE_OK && account_qualifies(&a, c->space_id))
		c->ids[c->n++] = account_id;
}

int listener_ids(int64_t space_id, int64_t *ids, int max)
{
	struct ids_ctx c = { ids, max, 0, space_id, 0 };

	if (store_listeners(space_id, each_id, &c) != STORE_OK || c.failed)
		return -1;
	return c.n;
}
