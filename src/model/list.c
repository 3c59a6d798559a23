/*
 * list.c - personal lists, and spaces seen as lists (see list.h).
 */
#include "model/list.h"
#include "model/audience.h"
#include "store/store.h"
#include "lib/id.h"
#include "lib/timeutil.h"
#include "lib/utf8.h"

#include <stdio.h>
#include <string.h>

enum mresult list_lookup(const struct viewer *v, int64_t id, struct list_view *out)
{
	int rc;

	memset(out, 0, sizeof *out);
	if (!v->signed_in)
		return M_NOTFOUND;
	rc = store_list_get(id, &out->l);
	if (rc == STORE_ERROR)
		return M_ERROR;
	if (rc == STORE_OK)
		return out->l.account_id == v->account.id ? M_OK : M_NOTFOUND;
	/* a space is a list of its members': the membership is all this
	 * needs (no counts, invitations or requests: streams call this for
	 * every event) */
	rc = store_space_get(id, &out->sv.s);
	if (rc == STORE_OK)
		rc = store_space_member_get(id, v->account.id, &out->sv.m);
	if (rc == STORE_ERROR)
		return M_ERROR;
	if (rc != STORE_OK)
		return M_NOTFOUND;
	out->sv.member = 1;
	out->is_space = 1;
	return M_OK;
}

static enum mresult check(const char *title, const char *policy, char *err, size_t errlen)
{
	if (title) {
		const char *p = title;

		while (*p == ' ')
			p++;
		if (!*p || utf8_chars(title) > 100 || strlen(title) >= sizeof ((struct list_row *)0)->title)
			return mresult_fail(err, errlen, M_INVALID, "A list needs a title of 1 to 100 characters");
	}
	if (policy && strcmp(policy, "followed") && strcmp(policy, "list") && strcmp(policy, "none"))
		return mresult_fail(err, errlen, M_INVALID, "replies_policy must be followed, list or none");
	return M_OK;
}

enum mresult list_create(const struct viewer *v, const char *title, const char *replies_policy,
			 int exclusive, struct list_row *out, char *err, size_t errlen)
{
	enum mresult r;

	if (!title)
		return mresult_fail(err, errlen, M_INVALID, "A list needs a title of 1 to 100 characters");
	r = check(title, replies_policy, err, errlen);
	if (r != M_OK)
		return r;
	memset(out, 0, sizeof *out);
	out->id = id_next();
	out->account_id = v->account.id;
	snprintf(out->title, sizeof out->title, "%s", title);
	snprintf(out->replies_policy, sizeof out->replies_policy, "%s", replies_policy ? replies_policy : "list");
	out->exclusive = exclusive > 0;
	out->created_at = time_now_ms();
	return store_list_insert(out) == STORE_OK ? M_OK : mresult_fail(err, errlen, M_ERROR, "Storage error");
}

enum mresult list_update(const struct viewer *v, struct list_view *lv, const char *title,
			 const char *replies_policy, int exclusive, char *err, size_t errlen)
{
	enum mresult r;

	if (lv->is_space)
		return mresult_fail(err, errlen, M_INVALID, "This list is a space: change it in the space's settings");
	r = check(title, replies_policy, err, errlen);
	if (r != M_OK)
		return r;
	if (title)
		snprintf(lv->l.title, sizeof lv->l.title, "%s", title);
	if (replies_policy)
		snprintf(lv->l.replies_policy, sizeof lv->l.replies_policy, "%s", replies_policy);
	if (exclusive >= 0)
		lv->l.exclusive = exclusive > 0;
	return store_list_update(&lv->l) == STORE_ERROR ? mresult_fail(err, errlen, M_ERROR, "Storage error") : M_OK;
}

enum mresult list_delete(const struct viewer *v, const struct list_view *lv, char *err, size_t errlen)
{
	if (lv->is_space)
		return mresult_fail(err, errlen, M_INVALID, "This list is a space: leave the space instead");
	return store_list_delete(lv->l.id) == STORE_ERROR ? mresult_fail(err, errlen, M_ERROR, "Storage error") : M_OK;
}

enum mresult list_accounts_change(const struct viewer *v, const struct list_view *lv,
				  const int64_t *ids, size_t n, int on, char *err, size_t errlen)
{
	size_t i;

	if (lv->is_space)
		return mresult_fail(err, errlen, M_INVALID, "This list is a space: its members are the space's");
	if (on)
		for (i = 0; i < n; i++)
			if (store_follow_exists(v->account.id, ids[i]) != STORE_OK)
				return mresult_fail(err, errlen, M_INVALID,
					    "You need to follow an account to add it to a list");
	if (store_begin() != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	for (i = 0; i < n; i++) {
		int rc = on ? store_list_account_add(lv->l.id, ids[i]) : store_list_account_remove(lv->l.id, ids[i]);

		if (rc == STORE_ERROR) {
			store_rollback();
			return mresult_fail(err, errlen, M_ERROR, "Storage error");
		}
	}
	if (store_commit() != STORE_OK) {
		store_rollback();
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	}
	return M_OK;
}
