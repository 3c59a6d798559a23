/*
 * relationship.c - follows, blocks, mutes, followed tags (see
 * relationship.h).
 */
#include "model/relationship.h"
#include "lib/id.h"
#include "lib/timeutil.h"
#include "model/audience.h"
#include "model/notify.h"
#include "store/store_follow_requests.h"
#include "store/store_posts.h"

#include <stdio.h>
#include <string.h>

/* The target must exist and be visible to v; not oneself. */
static enum mresult check_target(const struct viewer *v, int64_t target, char *err, size_t errlen)
{
	struct account_row a;
	int rc = store_account_get(target, &a);

	if (rc == STORE_ERROR)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	if (rc != STORE_OK || !audience_may_see_account(v, &a))
		return mresult_fail(err, errlen, M_NOTFOUND, "Account not found");
	if (target == v->account.id)
		return mresult_fail(err, errlen, M_INVALID, "You cannot do that to yourself");
	return M_OK;
}

enum mresult relationship_get(const struct viewer *v, int64_t target, struct relationship *out)
{
	int64_t me = v->account.id;
	int notes = 0;

	memset(out, 0, sizeof *out);
	out->id = target;
	out->following = store_follow_exists(me, target) == STORE_OK;
	out->followed_by = store_follow_exists(target, me) == STORE_OK;
	out->blocking = store_block_exists(me, target) == STORE_OK;
	out->blocked_by = store_block_exists(target, me) == STORE_OK;
	if (store_mute_get(me, target, time_now_ms(), &notes) == STORE_OK) {
		out->muting = 1;
		out->muting_notifications = notes;
	}
	out->requested = !out->following && store_follow_request_exists(me, target) == STORE_OK;
	out->requested_by = !out->followed_by && store_follow_request_exists(target, me) == STORE_OK;
	return M_OK;
}

enum mresult relationship_follow(const struct viewer *v, int64_t target, char *err, size_t errlen)
{
	struct notify_batch nb;
	struct account_row a;
	enum mresult r = check_target(v, target, err, errlen);
	int rc;

	if (r != M_OK)
		return r;
	if (store_blocked_either(v->account.id, target) != STORE_NOTFOUND)
		return mresult_fail(err, errlen, M_FORBIDDEN, "You cannot follow this account");
	if (store_account_get(target, &a) != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	memset(&nb, 0, sizeof nb);
	if (a.locked && store_follow_exists(v->account.id, target) == STORE_NOTFOUND) {
		/* a locked account decides: ask, and tell them */
		if (store_begin() != STORE_OK)
			return mresult_fail(err, errlen, M_ERROR, "Storage error");
		rc = store_follow_request_add(v->account.id, target, id_next(), time_now_ms());
		if (rc == STORE_CONFLICT) {
			store_rollback();
			return M_OK;
		}
		if (rc != STORE_OK || notify_add(&nb, target, v->account.id, "follow_request", 0, NULL) < 0 ||
		    store_commit() != STORE_OK) {
			store_rollback();
			return mresult_fail(err, errlen, M_ERROR, "Storage error");
		}
		notify_publish(&nb);
		return M_OK;
	}
	if (store_begin() != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	rc = store_follow_add(v->account.id, target, id_next(), time_now_ms());
	if (rc == STORE_CONFLICT) {
		store_rollback();
		return M_OK;
	}
	if (rc != STORE_OK || notify_add(&nb, target, v->account.id, "follow", 0, NULL) < 0 ||
	    store_commit() != STORE_OK) {
		store_rollback();
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	}
	notify_publish(&nb);
	return M_OK;
}

enum mresult relationship_unfollow(const struct viewer *v, int64_t target, char *err, size_t errlen)
{
	enum mresult r = check_target(v, target, err, errlen);

	if (r != M_OK)
		return r;
	if (store_follow_remove(v->account.id, target) == STORE_ERROR ||
	    store_follow_request_remove(v->account.id, target) == STORE_ERROR)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	return M_OK;
}

enum mresult relationship_block(const struct viewer *v, int64_t target, char *err, size_t errlen)
{
	int64_t me = v->account.id;
	enum mresult r = check_target(v, target, err, errlen);
	int rc;

	if (r != M_OK)
		return r;
	if (store_begin() != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	rc = store_block_add(me, target, time_now_ms());
	if (rc == STORE_CONFLICT)
		rc = STORE_OK;
	if (rc == STORE_OK && store_follow_remove(me, target) == STORE_ERROR)
		rc = STORE_ERROR;
	if (rc == STORE_OK && store_follow_remove(target, me) == STORE_ERROR)
		rc = STORE_ERROR;
	if (rc == STORE_OK && store_follow_request_remove_between(me, target) == STORE_ERROR)
		rc = STORE_ERROR;
	if (rc != STORE_OK || store_commit() != STORE_OK) {
		store_rollback();
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	}
	return M_OK;
}

enum mresult relationship_unblock(const struct viewer *v, int64_t target, char *err, size_t errlen)
{
	enum mresult r = check_target(v, target, err, errlen);

	if (r != M_OK)
		return r;
	if (store_block_remove(v->account.id, target) == STORE_ERROR)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	return M_OK;
}

enum mresult relationship_mute(const struct viewer *v, int64_t target, int notifications,
			       int64_t duration_s, char *err, size_t errlen)
{
	int64_t now = time_now_ms();
	enum mresult r = check_target(v, target, err, errlen);

	if (r != M_OK)
		return r;
	if (duration_s < 0 || duration_s > 10LL * 365 * 86400)
		return mresult_fail(err, errlen, M_INVALID, "The duration must be between 0 and ten years");
	if (store_mute_add(v->account.id, target, notifications,
			   duration_s ? now + duration_s * 1000 : 0, now) != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	return M_OK;
}

enum mresult relationship_unmute(const struct viewer *v, int64_t target, char *err, size_t errlen)
{
	enum mresult r = check_target(v, target, err, errlen);

	if (r != M_OK)
		return r;
	if (store_mute_remove(v->account.id, target) == STORE_ERROR)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	return M_OK;
}

enum mresult follow_request_authorize(const struct viewer *v, int64_t requester, char *err, size_t errlen)
{
	int rc;

	if (store_begin() != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	rc = store_follow_request_remove(requester, v->account.id);
	if (rc == STORE_NOTFOUND) {
		store_rollback();
		return mresult_fail(err, errlen, M_NOTFOUND, "Record not found");
	}
	if (rc == STORE_OK) {
		rc = store_follow_add(requester, v->account.id, id_next(), time_now_ms());
		if (rc == STORE_CONFLICT)
			rc = STORE_OK;
	}
	if (rc != STORE_OK || store_commit() != STORE_OK) {
		store_rollback();
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	}
	return M_OK;
}

enum mresult follow_request_reject(const struct viewer *v, int64_t requester, char *err, size_t errlen)
{
	int rc = store_follow_request_remove(requester, v->account.id);

	if (rc == STORE_NOTFOUND)
		return mresult_fail(err, errlen, M_NOTFOUND, "Record not found");
	if (rc != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	return M_OK;
}

struct requesters {
	int64_t ids[256];
	size_t n;
};

static void add_requester(int64_t row_id, int64_t account_id, void *ctx)
{
	struct requesters *r = ctx;

	(void)row_id;
	if (r->n < sizeof r->ids / sizeof r->ids[0])
		r->ids[r->n++] = account_id;
}

enum mresult follow_request_authorize_all(const struct viewer *v)
{
	struct requesters r;
	char err[64];
	size_t i;

	do {
		r.n = 0;
		if (store_follow_request_list(v->account.id, 0, 0, 256, add_requester, &r) != STORE_OK)
			return M_ERROR;
		for (i = 0; i < r.n; i++)
			if (follow_request_authorize(v, r.ids[i], err, sizeof err) == M_ERROR)
				return M_ERROR;
	} while (r.n == 256);
	return M_OK;
}

int tag_name_valid(const char *name)
{
	size_t n = strlen(name), i;
	int letter = 0;

	if (n == 0 || n > 100)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
			letter = 1;
		else if (!(c >= '0' && c <= '9'))
			return 0;
	}
	return letter;
}

enum mresult tag_follow(const struct viewer *v, const char *name, int on, char *err, size_t errlen)
{
	int64_t tag;
	int rc;

	if (!tag_name_valid(name))
		return mresult_fail(err, errlen, M_INVALID, "Not a valid hashtag");
	if (on)
		rc = store_tag_ensure(name, time_now_ms(), &tag);
	else
		rc = store_tag_find(name, &tag, NULL, 0);
	if (rc == STORE_NOTFOUND)
		return M_OK;
	if (rc != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	rc = on ? store_tag_follow(v->account.id, tag, id_next()) : store_tag_unfollow(v->account.id, tag);
	if (rc == STORE_ERROR)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	return M_OK;
}
