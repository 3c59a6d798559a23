/*
 * accounts.c - /api/v1/accounts: the signed-in user's own account
 * (verify_credentials, update_credentials with pictures, fields and
 * Parley's profile facts; DELETE /api/v1/profile/avatar and /header),
 * other accounts (by id, lookup, search), relationships and the actions
 * that change them (follow, block, mute), followers and following lists,
 * and /api/v1/blocks and /api/v1/mutes.
 */
#include "api/mastodon/mastodon.h"
#include "api/mastodon/paging.h"
#include "api/mastodon/render.h"
#include "http/response.h"
#include "http/router.h"
#include "lib/config.h"
#include "lib/id.h"
#include "lib/log.h"
#include "model/account.h"
#include "api/parley/parley.h"
#include "model/audience.h"
#include "model/people.h"
#include "model/people_search.h"
#include "model/relationship.h"
#include "model/timeline.h"

#include <stdlib.h>
#include <string.h>

static void get_verify_credentials(struct request *rq, struct response *rs)
{
	resp_json(rs, 200, mastodon_account(rq, &rq->viewer.account, 1));
}

static const struct upload *find_upload(const struct request *rq, const char *field)
{
	size_t i;

	for (i = 0; i < rq->nuploads; i++)
		if (!strcmp(rq->uploads[i].field, field))
			return &rq->uploads[i];
	return NULL;
}

/*
 * Mastodon's fields (display_name, note, locked, bot, discoverable,
 * fields_attributes[i][name|value] as the profile's links, avatar and
 * header uploads, source[privacy], source[language]) and Parley's
 * profile under parley[...] (see people_edit_read). Pictures are checked
 * before anything changes; the text changes are one transaction; then
 * the pictures are decoded and stored (a picture whose pixels turn out
 * not to decode is refused after the text was saved).
 */
static void patch_update_credentials(struct request *rq, struct response *rs)
{
	const struct upload *pics[2] = { find_upload(rq, "avatar"), find_upload(rq, "header") };
	struct account_profile_edit e;
	struct people_edit pe;
	struct people_form *form;
	struct account_row a;
	char err[300] = "", key[64];
	enum mresult r;
	size_t i;
	int k;

	memset(&e, 0, sizeof e);
	e.display_name = req_arg(rq, "display_name");
	e.note = req_arg(rq, "note");
	e.locked = req_arg_bool(rq, "locked");
	e.bot = req_arg_bool(rq, "bot");
	e.discoverable = req_arg_bool(rq, "discoverable");
	e.profile_public = req_arg_bool(rq, "parley[profile_public]");
	if (e.profile_public == -1)
		e.profile_public = req_arg_bool(rq, "profile_public");
	if (e.locked == -2 || e.bot == -2 || e.discoverable == -2 || e.profile_public == -2) {
		http_error(rq, rs, 422, "Validation failed: a flag must be true or false");
		return;
	}
	for (k = 0; k < 2; k++)
		if (pics[k] && people_image_check(k ? PEOPLE_HEADER : PEOPLE_AVATAR, pics[k]->data.data,
						  pics[k]->data.len, err, sizeof err) != M_OK) {
			http_error(rq, rs, 422, err);
			return;
		}
	form = calloc(1, sizeof *form);
	if (!form) {
		http_error(rq, rs, 500, "Out of memory");
		return;
	}
	parley_form_init(form, rq);
	people_edit_init(&pe);
	if (people_edit_read(form, "parley", &pe, err, sizeof err) < 0) {
		free(form);
		http_error(rq, rs, 422, err);
		return;
	}
	/* Mastodon's fields_attributes are the profile's name/value links */
	for (i = 0; i < PEOPLE_LINKS_MAX * 2 && pe.nlinks <= PEOPLE_LINKS_MAX; i++) {
		const char *nm, *val;

		snprintf(key, sizeof key, "fields_attributes[%zu][name]", i);
		nm = req_arg(rq, key);
		snprintf(key, sizeof key, "fields_attributes[%zu][value]", i);
		val = req_arg(rq, key);
		if (!nm && !val)
			continue;
		if (!pe.set_links)
			pe.nlinks = 0;
		pe.set_links = 1;
		pe.link_names[pe.nlinks] = nm ? nm : "";
		pe.link_values[pe.nlinks] = val ? val : "";
		pe.nlinks++;
	}
	pe.default_privacy = req_arg(rq, "source[privacy]");
	pe.language = req_arg(rq, "source[language]");
	r = people_update(&rq->viewer, rq->viewer.account.id, &e, &pe, &a, err, sizeof err);
	free(form);
	if (r != M_OK) {
		http_error(rq, rs, r == M_ERROR ? 500 : http_status_for(r), err[0] ? err : "Could not update the profile");
		return;
	}
	for (k = 0; k < 2; k++)
		if (pics[k]) {
			r = people_image_set(a.id, k ? PEOPLE_HEADER : PEOPLE_AVATAR, pics[k]->data.data,
					     pics[k]->data.len, err, sizeof err);
			if (r != M_OK) {
				http_error(rq, rs, http_status_for(r), err);
				return;
			}
		}
	/* an unlocked account lets everyone who asked in (issue 6) */
	if (!a.locked && follow_request_authorize_all(&rq->viewer) != M_OK)
		log_error("accounts: could not authorize the follow requests of %lld", (long long)a.id);
	resp_json(rs, 200, mastodon_account(rq, &a, 1));
}

static void delete_picture(struct request *rq, struct response *rs, enum people_image which)
{
	char err[200] = "";
	struct account_row a;

	if (people_image_clear(rq->viewer.account.id, which, err, sizeof err) != M_OK ||
	    store_account_get(rq->viewer.account.id, &a) != STORE_OK) {
		http_error(rq, rs, 500, err[0] ? err : "Could not remove the picture");
		return;
	}
	resp_json(rs, 200, mastodon_account(rq, &a, 1));
}

static void delete_avatar(struct request *rq, struct response *rs) { delete_picture(rq, rs, PEOPLE_AVATAR); }
static void delete_header(struct request *rq, struct response *rs) { delete_picture(rq, rs, PEOPLE_HEADER); }

/* GET /api/v1/accounts/search: q (a name, @username, or user@this-host),
 * limit (40, at most 80), offset, following; resolve is accepted (there is
 * nothing remote to resolve yet). Through the people directory: prefix
 * matching on names, skills and profile facts, within the audience. */
static void get_search(struct request *rq, struct response *rs)
{
	const char *q = params_get(&rq->query, "q"), *l = params_get_nonempty(&rq->query, "limit");
	const char *o = params_get_nonempty(&rq->query, "offset");
	int following = params_get_bool(&rq->query, "following", 0);
	json_t *arr;
	char err[200];

	if (!q) {
		http_error(rq, rs, 400, "q is required");
		return;
	}
	if (following < 0) {
		http_error(rq, rs, 400, "following must be true or false");
		return;
	}
	arr = mastodon_account_search(rq, q, l ? strtol(l, NULL, 10) : 40, o ? strtol(o, NULL, 10) : 0,
				      following == 1, err, sizeof err);
	if (!arr) {
		http_error(rq, rs, 400, err);
		return;
	}
	resp_json(rs, 200, arr);
}

struct search_ctx {
	struct mrender m;
	json_t *arr;
};

json_t *mastodon_account_search(struct request *rq, const char *q, long limit, long offset, int following,
				char *err, size_t errlen)
{
	struct dir_request r;
	struct dir_result *res;
	struct search_ctx c;
	char name[512];
	const char *at;
	size_t i;
	long skipped = 0;

	if (limit <= 0)
		limit = 40;
	if (limit > 80)
		limit = 80;
	if (offset < 0 || offset > DIR_OFFSET_MAX) {
		snprintf(err, errlen, "offset must be 0 or more");
		return NULL;
	}
	while (*q == ' ')
		q++;
	if (*q == '@')
		q++;
	snprintf(name, sizeof name, "%s", q);
	if ((at = strchr(name, '@'))) {
		/* user@this-host is local; other domains arrive with federation */
		const char *host = strstr(rq->cfg ? rq->cfg->base_url : "", "://");

		if (!host || strcmp(host + 3, at + 1))
			return json_array();
		name[at - name] = '\0';
	}
	if (!name[0])
		return json_array();
	memset(&r, 0, sizeof r);
	r.q = name;
	/* with following, filter a larger first window and page within it */
	r.limit = following ? DIR_LIMIT_MAX : (int)limit;
	r.offset = following ? 0 : (int)offset;
	if (people_directory(&rq->viewer, &r, &res, err, errlen) != M_OK)
		return NULL;
	mrender_init(&c.m, rq);
	c.arr = json_array();
	for (i = 0; i < res->nhits && (long)json_array_size(c.arr) < limit; i++) {
		json_t *j;

		if (following && (!rq->viewer.signed_in ||
				  store_follow_exists(rq->viewer.account.id, res->hits[i].account_id) != STORE_OK))
			continue;
		if (following && skipped++ < offset)
			continue;
		j = mrender_account(&c.m, res->hits[i].account_id);
		if (j)
			json_array_append_new(c.arr, j);
	}
	mrender_release(&c.m);
	people_directory_free(res);
	return c.arr;
}

/* The account named by the path's :id, if the viewer may see it. */
static int path_account(struct request *rq, struct response *rs, struct account_row *a)
{
	const char *s = req_param(rq, "id");
	int64_t id;

	if (!s || id_parse(s, &id) < 0 || store_account_get(id, a) != STORE_OK ||
	    !audience_may_see_account(&rq->viewer, a)) {
		http_error(rq, rs, 404, "Record not found");
		return -1;
	}
	return 0;
}

static void get_account(struct request *rq, struct response *rs)
{
	struct account_row a;

	if (path_account(rq, rs, &a) == 0)
		resp_json(rs, 200, mastodon_account(rq, &a, 0));
}

static void get_lookup(struct request *rq, struct response *rs)
{
	const char *acct = params_get_nonempty(&rq->query, "acct");
	struct account_row a;
	const char *at;

	if (!acct) {
		http_error(rq, rs, 400, "acct is required");
		return;
	}
	if (acct[0] == '@')
		acct++;
	at = strchr(acct, '@');
	if (at) {
		/* user@this-host is local; other domains arrive with federation */
		const char *host = strstr(rq->cfg ? rq->cfg->base_url : "", "://");

		if (!host || strncmp(host + 3, at + 1, strlen(at + 1))) {
			http_error(rq, rs, 404, "Record not found");
			return;
		}
	}
	{
		char name[ACCOUNT_USERNAME_MAX + 1];
		size_t n = at ? (size_t)(at - acct) : strlen(acct);

		if (n == 0 || n > ACCOUNT_USERNAME_MAX) {
			http_error(rq, rs, 404, "Record not found");
			return;
		}
		memcpy(name, acct, n);
		name[n] = '\0';
		if (store_account_by_username(name, &a) != STORE_OK || !audience_may_see_account(&rq->viewer, &a)) {
			http_error(rq, rs, 404, "Record not found");
			return;
		}
	}
	resp_json(rs, 200, mastodon_account(rq, &a, 0));
}

static void answer_relationship(struct request *rq, struct response *rs, int64_t id)
{
	struct relationship r;

	relationship_get(&rq->viewer, id, &r);
	resp_json(rs, 200, mrender_relationship(&r));
}

static void get_relationships(struct request *rq, struct response *rs)
{
	const char *ids[40];
	size_t n = params_get_array(&rq->query, "id", ids, 40), i;
	json_t *arr = json_array();

	for (i = 0; i < n; i++) {
		struct account_row a;
		struct relationship r;
		int64_t id;

		/* not audience_may_see_account(): someone who blocked you is
		 * hidden, but the relationship says so (blocked_by) */
		if (id_parse(ids[i], &id) < 0 || store_account_get(id, &a) != STORE_OK ||
		    (a.suspended && !rq->viewer.account.is_admin && !rq->viewer.account.is_moderator))
			continue;
		relationship_get(&rq->viewer, id, &r);
		json_array_append_new(arr, mrender_relationship(&r));
	}
	resp_json(rs, 200, arr);
}

typedef enum mresult (*rel_fn)(const struct viewer *, int64_t, char *, size_t);

static void rel_action(struct request *rq, struct response *rs, rel_fn fn)
{
	struct account_row a;
	char err[256] = "";
	enum mresult r;

	if (path_account(rq, rs, &a) < 0)
		return;
	r = fn(&rq->viewer, a.id, err, sizeof err);
	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), err);
		return;
	}
	answer_relationship(rq, rs, a.id);
}

static void post_follow(struct request *rq, struct response *rs) { rel_action(rq, rs, relationship_follow); }
static void post_unfollow(struct request *rq, struct response *rs) { rel_action(rq, rs, relationship_unfollow); }
static void post_block(struct request *rq, struct response *rs) { rel_action(rq, rs, relationship_block); }
static void post_unblock(struct request *rq, struct response *rs) { rel_action(rq, rs, relationship_unblock); }
static void post_unmute(struct request *rq, struct response *rs) { rel_action(rq, rs, relationship_unmute); }

static void post_mute(struct request *rq, struct response *rs)
{
	struct account_row a;
	char err[256] = "";
	int notes = params_get_bool(&rq->form, "notifications", 1);
	const char *d = req_arg(rq, "duration");
	long long duration = 0;
	enum mresult r;

	if (path_account(rq, rs, &a) < 0)
		return;
	if (notes < 0) {
		http_error(rq, rs, 422, "notifications must be true or false");
		return;
	}
	if (d && d[0]) {
		char *end;

		duration = strtoll(d, &end, 10);
		if (*end) {
			http_error(rq, rs, 422, "duration must be a number of seconds");
			return;
		}
	}
	r = relationship_mute(&rq->viewer, a.id, notes, duration, err, sizeof err);
	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), err);
		return;
	}
	answer_relationship(rq, rs, a.id);
}

struct people_ctx {
	struct mrender m;
	json_t *arr;
	int64_t first, last;
};

static void add_person(int64_t row_id, int64_t account_id, void *ctx)
{
	struct people_ctx *c = ctx;
	json_t *j = mrender_account(&c->m, account_id);

	if (!c->first)
		c->first = row_id;
	c->last = row_id;
	if (j)
		json_array_append_new(c->arr, j);
}

static void follow_list(struct request *rq, struct response *rs, int dir)
{
	struct account_row a;
	struct people_ctx c;
	struct page pg;

	if (path_account(rq, rs, &a) < 0)
		return;
	if (page_parse(rq, &pg) < 0) {
		http_error(rq, rs, 400, "Bad pagination parameters");
		return;
	}
	memset(&c, 0, sizeof c);
	mrender_init(&c.m, rq);
	c.arr = json_array();
	store_follow_list(a.id, dir, pg.max_id, pg.since_id ? pg.since_id : pg.min_id,
			  timeline_limit(pg.limit, 40, 80), add_person, &c);
	mrender_release(&c.m);
	page_link(rq, rs, c.first, c.last);
	resp_json(rs, 200, c.arr);
}

static void get_followers(struct request *rq, struct response *rs) { follow_list(rq, rs, 0); }
static void get_following(struct request *rq, struct response *rs) { follow_list(rq, rs, 1); }

static void blocks_or_mutes(struct request *rq, struct response *rs, int mutes)
{
	struct people_ctx c;
	struct page pg;

	if (page_parse(rq, &pg) < 0) {
		http_error(rq, rs, 400, "Bad pagination parameters");
		return;
	}
	memset(&c, 0, sizeof c);
	mrender_init(&c.m, rq);
	c.arr = json_array();
	store_block_list(rq->viewer.account.id, mutes, timeline_limit(pg.limit, 40, 80), add_person, &c);
	mrender_release(&c.m);
	resp_json(rs, 200, c.arr);
}

static void get_blocks(struct request *rq, struct response *rs) { blocks_or_mutes(rq, rs, 0); }
static void get_mutes(struct request *rq, struct response *rs) { blocks_or_mutes(rq, rs, 1); }

void mastodon_accounts_routes(void)
{
	const unsigned W = ROUTE_API | ROUTE_AUTH;

	router_add("GET", "/api/v1/accounts/verify_credentials", get_verify_credentials, W,
		   "read:accounts|profile");
	router_add("PATCH", "/api/v1/accounts/update_credentials", patch_update_credentials,
		   W | ROUTE_UPLOAD | ROUTE_SLOW, "write:accounts");
	router_add("DELETE", "/api/v1/profile/avatar", delete_avatar, W, "write:accounts");
	router_add("DELETE", "/api/v1/profile/header", delete_header, W, "write:accounts");
	router_add("GET", "/api/v1/accounts/search", get_search, ROUTE_API, "read:accounts");
	router_add("GET", "/api/v1/accounts/lookup", get_lookup, ROUTE_API, "read:accounts");
	router_add("GET", "/api/v1/accounts/relationships", get_relationships, W, "read:follows");
	router_add("GET", "/api/v1/accounts/:id", get_account, ROUTE_API, "read:accounts");
	router_add("GET", "/api/v1/accounts/:id/followers", get_followers, ROUTE_API, "read:accounts");
	router_add("GET", "/api/v1/accounts/:id/following", get_following, ROUTE_API, "read:accounts");
	router_add("POST", "/api/v1/accounts/:id/follow", post_follow, W, "write:follows|follow");
	router_add("POST", "/api/v1/accounts/:id/unfollow", post_unfollow, W, "write:follows|follow");
	router_add("POST", "/api/v1/accounts/:id/block", post_block, W, "write:blocks|follow");
	router_add("POST", "/api/v1/accounts/:id/unblock", post_unblock, W, "write:blocks|follow");
	router_add("POST", "/api/v1/accounts/:id/mute", post_mute, W, "write:mutes|follow");
	router_add("POST", "/api/v1/accounts/:id/unmute", post_unmute, W, "write:mutes|follow");
	router_add("GET", "/api/v1/blocks", get_blocks, W, "read:blocks|follow");
	router_add("GET", "/api/v1/mutes", get_mutes, W, "read:mutes|follow");
}
