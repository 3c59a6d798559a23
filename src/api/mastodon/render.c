/*
 * render.c - Mastodon entities of conversations (see render.h).
 */
#include "api/mastodon/render.h"
#include "api/mastodon/account_cache.h"
#include "api/mastodon/mastodon.h"
#include "lib/buf.h"
#include "lib/config.h"
#include "lib/id.h"
#include "lib/markdown.h"
#include "lib/timeutil.h"
#include "model/audience.h"
#include "store/store_spaces.h"
#include "model/filter.h"
#include "model/media.h"
#include "model/people.h"
#include "model/post.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mrender_init(struct mrender *m, const struct request *rq)
{
	memset(m, 0, sizeof *m);
	m->rq = rq;
	m->v = &rq->viewer;
}

void mrender_release(struct mrender *m)
{
	int i;

	for (i = 0; i < m->nacc; i++)
		json_decref(m->acc[i].j);
	m->nacc = 0;
	if (m->filters) {
		filter_set_release(m->filters);
		free(m->filters);
		m->filters = NULL;
	}
	m->filters_loaded = 0;
}

void mrender_set_filter_context(struct mrender *m, unsigned filter_context)
{
	m->filter_context = filter_context;
}

static void add_hit(const struct filter_hit *hit, void *ctx)
{
	json_t *kw = json_array(), *st = json_array();
	size_t i;

	for (i = 0; i < hit->nkeywords; i++)
		json_array_append_new(kw, json_string(hit->keywords[i]));
	for (i = 0; i < hit->nstatuses; i++) {
		char id[24];

		json_array_append_new(st, json_string(id_format(id, sizeof id, hit->statuses[i])));
	}
	json_array_append_new((json_t *)ctx, json_pack("{s:o, s:o, s:o}",
		"filter", mastodon_filter(&hit->filter->row, 0),
		"keyword_matches", hit->nkeywords ? kw : json_null(),
		"status_matches", hit->nstatuses ? st : json_null()));
	if (!hit->nkeywords)
		json_decref(kw);
	if (!hit->nstatuses)
		json_decref(st);
}

/* Status.filtered for `proper` (the post whose text counts) listed as
 * outer_id; *hide gets the contexts where a "hide" filter matched. */
static json_t *filtered_json(struct mrender *m, const struct post_row *proper, int64_t outer_id,
			     unsigned *hide)
{
	json_t *arr = json_array();

	*hide = 0;
	if (!m->v->signed_in)
		return arr;
	if (!m->filters_loaded) {
		m->filters_loaded = 1;
		m->filters = malloc(sizeof *m->filters);
		if (m->filters && filter_set_load(m->filters, m->v->account.id, time_now_ms()) < 0) {
			filter_set_release(m->filters);
			free(m->filters);
			m->filters = NULL;
		}
	}
	if (m->filters && m->filters->n)
		*hide = filter_set_match(m->filters, proper, outer_id, add_hit, arr);
	return arr;
}

static const char *base(const struct mrender *m)
{
	return m->rq->cfg ? m->rq->cfg->base_url : "";
}

static json_t *id_json(int64_t id)
{
	char s[24];

	return json_string(id_format(s, sizeof s, id));
}

static json_t *id_or_null(int64_t id)
{
	return id ? id_json(id) : json_null();
}

json_t *mrender_account(struct mrender *m, int64_t id)
{
	struct account_row a;
	json_t *j;
	int i;

	int vis;

	for (i = 0; i < m->nacc; i++)
		if (m->acc[i].id == id)
			return m->acc[i].j ? json_incref(m->acc[i].j) : NULL;
	vis = people_vis_max(m->v, id);
	if (store_account_get(id, &a) != STORE_OK || !audience_may_name_account(m->v, &a)) {
		j = NULL;
	} else if (!audience_may_see_account(m->v, &a)) {
		/* named on something readable, but the profile is not for
		 * this viewer: the name only */
		a.note[0] = '\0';
		j = mastodon_account(m->rq, &a, 0);
	} else if (vis == VIS_ONLY_ME) {
		j = mastodon_account(m->rq, &a, 0); /* their own: not shared */
	} else if (!(j = account_cache_get(id, vis, a.version))) {
		/* the row (with its version) was read before the rest of the
		 * account's data, so the copy is at least as new as a.version */
		j = mastodon_account(m->rq, &a, 0);
		account_cache_put(id, vis, a.version, j ? json_deep_copy(j) : NULL);
	}
	if (m->nacc < MRENDER_ACCOUNTS) {
		m->acc[m->nacc].id = id;
		m->acc[m->nacc].j = j;
		m->nacc++;
		return j ? json_incref(j) : NULL;
	}
	return j;
}

const char *mastodon_visibility(const char *audience)
{
	switch (audience_parse(audience)) {
	case AUDIENCE_PUBLIC:
		return "public";
	case AUDIENCE_ORGANISATION:
		return "unlisted";
	case AUDIENCE_FOLLOWERS:
	case AUDIENCE_SPACE:
		return "private";
	default:
		return "direct";
	}
}

/* The hashtag page of a tag: BASE/tags/<key>, with the key the Markdown
 * renderer uses in its links (lib/markdown.h: markdown_tag_key). */
static void tag_url(struct buf *url, const char *base, const char *name)
{
	buf_printf(url, "%s/tags/", base);
	markdown_tag_key(name, strlen(name), url);
}

static void add_tag(const char *name, void *ctx)
{
	struct {
		json_t *arr;
		const char *base;
	} *c = ctx;
	struct buf url = BUF_INIT;

	tag_url(&url, c->base, name);
	json_array_append_new(c->arr, json_pack("{s:s, s:s}", "name", name, "url", buf_str(&url)));
	buf_release(&url);
}

static json_t *mentions_json(struct mrender *m, int64_t post_id)
{
	int64_t ids[POST_MENTIONS_MAX];
	size_t n = 0, i;
	json_t *arr = json_array();

	store_post_mentions(post_id, ids, POST_MENTIONS_MAX, &n);
	for (i = 0; i < n; i++) {
		/* a mention names the account: the row and the naming rule are
		 * enough, not the whole entity */
		struct account_row a;
		char id[24], url[700];

		if (store_account_get(ids[i], &a) != STORE_OK || !audience_may_name_account(m->v, &a))
			continue;
		snprintf(url, sizeof url, "%s/@%s", base(m), a.username);
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s}", "id", id_format(id, sizeof id, a.id),
						     "username", a.username, "url", url, "acct", a.username));
	}
	return arr;
}

struct media_ctx {
	json_t *arr;
	const struct request *rq;
	int sign;
};

static void add_media(const struct media_row *row, void *ctx)
{
	struct media_ctx *c = ctx;

	json_array_append_new(c->arr, mastodon_media(c->rq, row, c->sign));
}

static void add_reaction(const char *emoji, int64_t count, int me, void *ctx)
{
	json_array_append_new((json_t *)ctx, json_pack("{s:s, s:I, s:b}", "name", emoji,
						       "count", (json_int_t)count, "me", me));
}

json_t *mrender_poll(struct mrender *m, int64_t post_id)
{
	struct poll_row poll;
	int64_t counts[POLL_OPTIONS_MAX], total = 0;
	unsigned own = 0;
	json_t *j, *opts, *own_votes;
	const char *p;
	size_t i = 0;
	int64_t now = time_now_ms();
	int expired, voted, show;

	if (store_poll_by_post(post_id, &poll) != STORE_OK)
		return json_null();
	store_poll_counts(poll.id, m->v->signed_in ? m->v->account.id : 0, counts, POLL_OPTIONS_MAX,
			  &total, &own);
	expired = poll.expires_at <= now;
	voted = own != 0;
	show = !poll.hide_totals || expired;
	opts = json_array();
	own_votes = json_array();
	for (p = poll.options; i < POLL_OPTIONS_MAX; i++) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		json_array_append_new(opts, json_pack("{s:s%, s:o}", "title", p, len, "votes_count",
						      show ? json_integer(counts[i]) : json_null()));
		if (own & (1u << i))
			json_array_append_new(own_votes, json_integer((json_int_t)i));
		if (!e)
			break;
		p = e + 1;
	}
	j = json_pack("{s:o, s:o, s:b, s:b, s:I, s:o, s:o, s:o, s:[]}",
		      "id", id_json(poll.id),
		      "expires_at", mastodon_date(poll.expires_at),
		      "expired", expired,
		      "multiple", poll.multiple,
		      "votes_count", (json_int_t)total,
		      "voters_count", json_integer(poll.voters_count),
		      "options", opts,
		      "voted", m->v->signed_in ? json_boolean(voted) : json_null(),
		      "emojis");
	if (m->v->signed_in)
		json_object_set_new(j, "own_votes", own_votes);
	else
		json_decref(own_votes);
	poll_row_release(&poll);
	return j;
}

static json_t *application_json(int64_t app_id)
{
	struct app_row app;

	if (!app_id || store_app_get(app_id, &app) != STORE_OK)
		return json_null();
	return json_pack("{s:s, s:o}", "name", app.name,
			 "website", app.website[0] ? json_string(app.website) : json_null());
}

static json_t *status_json(struct mrender *m, const struct post_row *p, int apply_filters);

json_t *mrender_status(struct mrender *m, const struct post_row *p)
{
	return status_json(m, p, 1);
}

static json_t *status_json(struct mrender *m, const struct post_row *p, int apply_filters)
{
	json_t *j, *acc, *reblog = json_null(), *tags, *media, *reactions, *quote = json_null();
	json_t *filtered = NULL;
	struct post_row orig;
	unsigned state = 0, hide = 0;
	char url[700], idbuf[24];
	int64_t me = m->v->signed_in ? m->v->account.id : 0;

	acc = mrender_account(m, p->account_id);
	if (!acc)
		return NULL;
	if (p->reblog_of_id) {
		if (store_post_get(p->reblog_of_id, &orig) != STORE_OK) {
			json_decref(acc);
			return NULL;
		}
		reblog = audience_may_read(m->v, &orig) ? status_json(m, &orig, 0) : NULL;
		if (reblog && apply_filters) {
			/* a reblog is filtered by its original's text, and by either id */
			filtered = filtered_json(m, &orig, p->id, &hide);
			json_object_set(reblog, "filtered", filtered);
		}
		post_row_release(&orig);
		if (!reblog) {
			json_decref(acc);
			return NULL;
		}
	} else if (apply_filters) {
		filtered = filtered_json(m, p, p->id, &hide);
	}
	if (apply_filters)
		m->last_hide = hide;
	if (hide & m->filter_context) {
		json_decref(filtered);
		json_decref(reblog);
		json_decref(acc);
		return NULL;
	}
	if (p->quote_of_id && store_post_get(p->quote_of_id, &orig) == STORE_OK) {
		if (audience_may_read(m->v, &orig) && !orig.quote_of_id) /* one level deep */
			quote = status_json(m, &orig, 0);
		post_row_release(&orig);
		if (!quote)
			quote = json_null();
	}
	if (me)
		store_post_state(me, p->id, &state);
	id_format(idbuf, sizeof idbuf, p->id);
	snprintf(url, sizeof url, "%s/@%s/%s", base(m), json_string_value(json_object_get(acc, "username")), idbuf);
	{
		struct {
			json_t *arr;
			const char *base;
		} tc = { json_array(), base(m) };

		store_post_tags(p->id, add_tag, &tc);
		tags = tc.arr;
	}
	{
		/* files of public posts have plain URLs; the others signed ones
		 * (model/media.h) */
		struct media_ctx mc = { json_array(), m->rq, 0 };

		mc.sign = p->has_media && !audience_is_public(p);

		if (p->has_media)
			media_list_for_post(p->id, add_media, &mc);
		media = mc.arr;
	}
	reactions = json_array();
	store_reactions(p->id, me, add_reaction, reactions);

	j = json_pack("{s:s, s:s, s:s, s:o, s:o, s:b, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:o, s:o, s:o,"
		      " s:o, s:o, s:o, s:o, s:o, s:o, s:[], s:n, s:o, s:o}",
		      "id", idbuf,
		      "uri", url,
		      "created_at", "",
		      "account", acc,
		      "content", json_string(p->reblog_of_id ? "" : p->content),
		      "sensitive", p->sensitive,
		      "spoiler_text", p->spoiler_text,
		      "visibility", mastodon_visibility(p->audience),
		      "url", url,
		      "language", "",
		      "replies_count", (json_int_t)audience_reply_count(m->v, p),
		      "reblogs_count", (json_int_t)p->reblogs_count,
		      "favourites_count", (json_int_t)p->favourites_count,
		      "in_reply_to_id", id_or_null(p->in_reply_to_id),
		      "in_reply_to_account_id", id_or_null(p->in_reply_to_account_id),
		      "reblog", reblog,
		      "edited_at", p->edited_at ? mastodon_date(p->edited_at) : json_null(),
		      "media_attachments", media,
		      "mentions", mentions_json(m, p->id),
		      "tags", tags,
		      "poll", p->has_poll ? mrender_poll(m, p->id) : json_null(),
		      "application", application_json(p->app_id),
		      "emojis",
		      "card",
		      "filtered", filtered ? filtered : json_array(),
		      "quote", quote);
	if (!j)
		return NULL;
	json_object_set_new(j, "created_at", mastodon_date(p->created_at));
	json_object_set_new(j, "language", p->language[0] ? json_string(p->language) : json_null());
	if (me) {
		json_object_set_new(j, "favourited", json_boolean(state & POST_STATE_FAVOURITED));
		json_object_set_new(j, "reblogged", json_boolean(state & POST_STATE_REBLOGGED));
		json_object_set_new(j, "muted", json_false());
		json_object_set_new(j, "bookmarked", json_boolean(state & POST_STATE_BOOKMARKED));
		if (p->account_id == me)
			json_object_set_new(j, "pinned", json_boolean(state & POST_STATE_PINNED));
	}
	json_object_set_new(j, "parley", json_pack("{s:s, s:s, s:o, s:o, s:o}",
		"audience", p->audience,
		"kind", p->kind,
		"title", p->title[0] ? json_string(p->title) : json_null(),
		"reactions", reactions,
		"quote_id", id_or_null(p->quote_of_id)));
	if (p->space_id && !strcmp(p->audience, "space")) {
		struct space_row sp;

		/* whoever reads the post may know the space it is in */
		if (store_space_get(p->space_id, &sp) == STORE_OK) {
			char sid[24];

			json_object_set_new(json_object_get(j, "parley"), "space",
					    json_pack("{s:s, s:s, s:s}", "id", id_format(sid, sizeof sid, sp.id),
						      "handle", sp.handle, "name", sp.name));
		}
	}
	return j;
}

json_t *mrender_relationship(const struct relationship *r)
{
	char id[24];

	return json_pack("{s:s, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:[], s:s}",
			 "id", id_format(id, sizeof id, r->id),
			 "following", r->following,
			 "showing_reblogs", r->following,
			 "notifying", 0,
			 "followed_by", r->followed_by,
			 "blocking", r->blocking,
			 "blocked_by", r->blocked_by,
			 "muting", r->muting,
			 "muting_notifications", r->muting && r->muting_notifications,
			 "requested", r->requested,
			 "requested_by", r->requested_by,
			 "domain_blocking", 0,
			 "languages",
			 "note", "");
}

static void add_history(int64_t day_ms, int64_t uses, int64_t accounts, void *ctx)
{
	char d[24], u[24], a[24];

	snprintf(d, sizeof d, "%lld", (long long)(day_ms / 1000));
	snprintf(u, sizeof u, "%lld", (long long)uses);
	snprintf(a, sizeof a, "%lld", (long long)accounts);
	json_array_append_new((json_t *)ctx, json_pack("{s:s, s:s, s:s}", "day", d, "uses", u, "accounts", a));
}

json_t *mrender_tag(struct mrender *m, const char *name, int64_t tag_id)
{
	struct buf url = BUF_INIT;
	json_t *hist = json_array(), *j;

	tag_url(&url, base(m), name);
	if (tag_id)
		store_tag_history(tag_id, time_now_ms(), 7, add_history, hist);
	j = json_pack("{s:s, s:s, s:o}", "name", name, "url", buf_str(&url), "history", hist);
	{
		char id[24];

		json_object_set_new(j, "id", json_string(id_format(id, sizeof id, tag_id)));
	}
	if (m->v->signed_in)
		json_object_set_new(j, "following",
				    json_boolean(tag_id && store_tag_following(m->v->account.id, tag_id) == STORE_OK));
	buf_release(&url);
	return j;
}

json_t *mrender_notification(struct mrender *m, const struct notification_row *n)
{
	json_t *acc = mrender_account(m, n->from_account_id), *j, *status = NULL;
	char id[24];
	const char *type = n->type;

	if (!acc)
		return NULL;
	if (n->post_id) {
		struct post_row p;

		if (audience_read_post(m->v, n->post_id, &p) != M_OK) {
			json_decref(acc);
			return NULL;
		}
		status = mrender_status(m, &p);
		post_row_release(&p);
		if (!status) {
			json_decref(acc);
			return NULL;
		}
	}
	j = json_pack("{s:s, s:s, s:o, s:o, s:o}",
		      "id", id_format(id, sizeof id, n->id),
		      "type", type,
		      "created_at", mastodon_date(n->created_at),
		      "account", acc,
		      "status", status ? status : json_null());
	json_object_set_new(j, "group_key", json_pack("s+", "ungrouped-", id));
	if (n->emoji[0])
		json_object_set_new(j, "parley", json_pack("{s:s}", "emoji", n->emoji));
	return j;
}
