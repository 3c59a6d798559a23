/*
 * streaming_match.c - which event goes to which stream, rendered how
 * (see streaming_match() in streaming.h).
 *
 * Per event, once (cache->data): the post (or the notification's
 * recipient), its hashtags, lowercased. Per stream: the audience check
 * for the stream's viewer (model/audience), then what the stream is
 * about:
 *   user            the viewer's own posts, and posts of accounts or
 *                   hashtags they follow, unless muted; their notifications
 *   user:notification  their notifications only
 *   public          public posts (no reblogs), unless muted
 *   public:local    the Local timeline: for staff also organisation posts
 *   hashtag(:local) public and organisation posts with the tag
 *   list            lists arrive with spaces: nothing yet
 *   direct          a direct post the viewer takes part in, as the
 *                   Conversation it moves ("conversation")
 * Deletes go to every stream but user:notification: an id alone reveals
 * nothing, and the post can no longer be checked.
 * Renderings are cached per viewer account (the Status entity carries the
 * viewer's own favourited/bookmarked flags), once for all anonymous
 * streams, and once per viewer class (class_key() below) for the viewers
 * whose rendering cannot differ from another's of their class: with
 * 10,000 staff streams, a post is rendered once, not 10,000 times.
 */
#include "api/mastodon/mastodon.h"
#include "api/mastodon/render.h"
#include "api/mastodon/streaming.h"
#include "lib/id.h"
#include "lib/idset.h"
#include "lib/markdown.h"
#include "lib/timeutil.h"
#include "model/audience.h"
#include "model/list.h"
#include "model/conversation.h"
#include "model/filter.h"
#include "model/post.h"

#include <stdlib.h>
#include <string.h>

#define TAGS_MAX 50

struct loaded {
	int have_post;
	struct post_row post;
	char tags[TAGS_MAX][STREAM_TAG_MAX + 1];
	int ntags;
	/* for the class rendering (class_key()), loaded on first need */
	int class_loaded;
	int class_ok;               /* the post itself allows it */
	struct idset touched;       /* accounts with their own state on the post */
	struct idset filtering;     /* accounts with filters */
	struct idset blocked;       /* accounts blocked by someone the post mentions */
};

static void loaded_free(void *p)
{
	struct loaded *l = p;

	if (l->have_post)
		post_row_release(&l->post);
	idset_release(&l->touched);
	idset_release(&l->filtering);
	idset_release(&l->blocked);
	free(l);
}

static void add_tag(const char *name, void *ctx)
{
	struct loaded *l = ctx;
	struct buf key = BUF_INIT;

	if (l->ntags >= TAGS_MAX)
		return;
	/* the key the stream's tag= was turned into (streaming.c: read_tag) */
	if (markdown_tag_key(name, strlen(name), &key) == 0 && key.len <= STREAM_TAG_MAX) {
		memcpy(l->tags[l->ntags], buf_str(&key), key.len + 1);
		l->ntags++;
	}
	buf_release(&key);
}

static struct loaded *load(const struct event *e, struct streaming_cache *c)
{
	struct loaded *l;

	if (c->data_loaded)
		return c->data;
	c->data_loaded = 1;
	l = calloc(1, sizeof *l);
	if (!l)
		return NULL;
	if ((e->type == EVENT_STATUS_NEW || e->type == EVENT_STATUS_EDIT) &&
	    store_post_get(e->id, &l->post) == STORE_OK) {
		l->have_post = 1;
		store_post_tags(l->post.reblog_of_id ? l->post.reblog_of_id : l->post.id, add_tag, l);
	}
	c->data = l;
	c->free_data = loaded_free;
	return l;
}

static int has_tag(const struct loaded *l, const char *tag)
{
	int i;

	for (i = 0; i < l->ntags; i++)
		if (!strcmp(l->tags[i], tag))
			return 1;
	return 0;
}

static int muted(const struct viewer *v, int64_t author)
{
	return v->signed_in && store_mute_get(v->account.id, author, time_now_ms(), NULL) == STORE_OK;
}

/* Does the post belong on this stream (audience already checked)? */
static int wanted(const struct stream_sub *sub, const struct loaded *l)
{
	const struct post_row *p = &l->post;
	const struct viewer *v = &sub->viewer;
	int i;

	switch (sub->kind) {
	case STREAM_USER:
		if (p->account_id == v->account.id)
			return 1;
		if (muted(v, p->account_id))
			return 0;
		/* a space's posts by the member's home setting (as W_HOME in
		 * store/sqlite_posts.c); a new post is not pinned yet */
		if (!strcmp(p->audience, "space")) {
			struct space_member_row m;

			return store_space_member_get(p->space_id, v->account.id, &m) == STORE_OK &&
			       !strcmp(m.home, "all");
		}
		if (store_follow_exists(v->account.id, p->account_id) == STORE_OK)
			return 1;
		for (i = 0; i < l->ntags; i++) {
			int64_t tag;

			if (store_tag_find(l->tags[i], &tag, NULL, 0) == STORE_OK &&
			    store_tag_following(v->account.id, tag) == STORE_OK)
				return 1;
		}
		return 0;
	case STREAM_PUBLIC:
		return !strcmp(p->audience, "public") && !p->reblog_of_id && !muted(v, p->account_id);
	case STREAM_PUBLIC_LOCAL:
		if (p->reblog_of_id || muted(v, p->account_id))
			return 0;
		return !strcmp(p->audience, "public") ||
		       (!strcmp(p->audience, "organisation") && viewer_is_staff(v));
	case STREAM_HASHTAG:
	case STREAM_HASHTAG_LOCAL:
		return (!strcmp(p->audience, "public") || !strcmp(p->audience, "organisation")) &&
		       !p->reblog_of_id && has_tag(l, sub->tag) && !muted(v, p->account_id);
	case STREAM_LIST: {
		struct list_view lv;

		if (list_lookup(v, sub->list_id, &lv) != M_OK)
			return 0;
		if (lv.is_space)
			return !strcmp(p->audience, "space") && p->space_id == lv.sv.s.id;
		return store_list_has_account(lv.l.id, p->account_id) == STORE_OK &&
		       (!p->in_reply_to_id || p->in_reply_to_account_id == p->account_id ||
			(!strcmp(lv.l.replies_policy, "list") &&
			 store_list_has_account(lv.l.id, p->in_reply_to_account_id) == STORE_OK) ||
			(!strcmp(lv.l.replies_policy, "followed") &&
			 store_follow_exists(v->account.id, p->in_reply_to_account_id) == STORE_OK));
	}
	case STREAM_USER_NOTIFICATION:
	default:
		return 0;
	}
}

/* The filter context of a stream (Mastodon's: home for the user's and
 * lists' streams, public for the public and hashtag ones). */
static unsigned stream_filter_context(enum stream_kind k)
{
	switch (k) {
	case STREAM_USER:
	case STREAM_LIST:
		return FILTER_CTX_HOME;
	case STREAM_USER_NOTIFICATION:
		return FILTER_CTX_NOTIFICATIONS;
	case STREAM_DIRECT:
		return 0;
	default:
		return FILTER_CTX_PUBLIC;
	}
}

struct block_count {
	struct idset *set;
	int n;
};

static void add_blocked(int64_t row_id, int64_t account_id, void *ctx)
{
	struct block_count *b = ctx;

	(void)row_id;
	idset_add(b->set, account_id);
	b->n++;
}

#define CLASS_BLOCKS_MAX 10000

/* Once per event: may the post be rendered once per viewer class, and for
 * whom not. A Status carries, besides what every reader of the post sees:
 *   - the viewer's own state (favourited, reblogged, bookmarked, pinned,
 *     reactions' "me", poll votes): viewers in `touched` are left out, and
 *     posts with a poll are not class-rendered;
 *   - the viewer's filters ("filtered", hidden): owners of any filter are
 *     left out;
 *   - accounts as this viewer may name and see them (model/audience):
 *     the author and each mentioned account. Staff see every profile at
 *     the organisation's visibility, except their own (the author is left
 *     out) and except accounts that block them (the viewers blocked by a
 *     mentioned account are left out; the author's blocks already stop
 *     audience_may_read()); suspended accounts are named only to admins
 *     and moderators, who have a class of their own;
 *   - the replies the viewer may read (replies_count): only posts without
 *     replies are class-rendered;
 *   - a reblogged or quoted post, read by the same rule: not
 *     class-rendered.
 * Anything that fails to load turns the class rendering off for the event
 * (every viewer then gets their own, as before). */
static int class_load(struct loaded *l)
{
	const struct post_row *p = &l->post;
	int64_t ids[POST_MENTIONS_MAX];
	size_t n = 0, i;
	int ok;

	if (l->class_loaded)
		return l->class_ok;
	l->class_loaded = 1;
	ok = l->have_post && !p->reblog_of_id && !p->quote_of_id && !p->has_poll && p->replies_count == 0 &&
	     store_post_touched_by(p->id, idset_add_cb, &l->touched) == STORE_OK &&
	     store_filter_owners(time_now_ms(), idset_add_cb, &l->filtering) == STORE_OK &&
	     store_post_mentions(p->id, ids, POST_MENTIONS_MAX, &n) == STORE_OK;
	for (i = 0; ok && i < n; i++) {
		struct block_count b = { &l->blocked, 0 };

		ok = store_block_list(ids[i], 0, CLASS_BLOCKS_MAX, add_blocked, &b) == STORE_OK &&
		     b.n < CLASS_BLOCKS_MAX;
	}
	ok = ok && !l->touched.failed && !l->filtering.failed && !l->blocked.failed;
	idset_seal(&l->touched);
	idset_seal(&l->filtering);
	idset_seal(&l->blocked);
	l->class_ok = ok;
	return ok;
}

/* The cache key of the rendering this stream's viewer shares with its
 * class (staff, or staff admins and moderators), or 0 when the viewer
 * needs one of their own. */
static int64_t class_key(const struct stream_sub *sub, struct loaded *l)
{
	const struct viewer *v = &sub->viewer;
	int64_t me = v->signed_in ? v->account.id : 0;

	if (sub->html || !me || !l || !viewer_is_staff(v) || me == l->post.account_id || !class_load(l))
		return 0;
	if (idset_has(&l->touched, me) || idset_has(&l->filtering, me) || idset_has(&l->blocked, me))
		return 0;
	return STREAMING_KEY_CLASS | (v->account.is_admin || v->account.is_moderator);
}

/* Render for this stream's viewer, through the cache. */
static struct streaming_rendering *render(const struct event *e, const struct stream_sub *sub,
					  struct streaming_cache *c, struct loaded *l)
{
	int64_t key = sub->viewer.signed_in ? sub->viewer.account.id : STREAMING_KEY_ANYONE;
	struct streaming_rendering *r;
	struct request rq;
	struct mrender m;
	json_t *j = NULL;
	int64_t ck;

	if (sub->html) /* HTML renderings live under negative keys */
		key = sub->viewer.signed_in ? -sub->viewer.account.id - 1 : -1;
	else if (e->type != EVENT_NOTIFICATION && (ck = class_key(sub, l)) != 0)
		key = ck;
	r = streaming_cache_rendering(c, key);
	if (!r || r->verdict != STREAMING_UNDECIDED)
		return r;
	memset(&rq, 0, sizeof rq);
	rq.cfg = sub->cfg;
	rq.viewer = sub->viewer;
	if (sub->html) {
		streaming_html_fn fn = streaming_html();

		r->verdict = STREAMING_SKIP;
		r->event_name = "update";
		if (fn && l && l->have_post && fn(&rq, &l->post, &r->json) > 0)
			r->verdict = STREAMING_SEND;
		return r;
	}
	mrender_init(&m, &rq);
	if (e->type == EVENT_NOTIFICATION) {
		struct notification_row n;

		/* a notification about a status the viewer's filters hide is not sent */
		mrender_set_filter_context(&m, FILTER_CTX_NOTIFICATIONS);
		if (store_notification_get(e->account_id, e->id, &n) == STORE_OK)
			j = mrender_notification(&m, &n);
		r->event_name = "notification";
	} else if (l && l->have_post) {
		j = mrender_status(&m, &l->post);
		r->hide = m.last_hide;
		r->event_name = e->type == EVENT_STATUS_EDIT ? "status.update" : "update";
	}
	mrender_release(&m);
	r->verdict = STREAMING_SKIP;
	if (j) {
		char *s = json_dumps(j, JSON_COMPACT);

		if (s && buf_puts(&r->json, s) == 0)
			r->verdict = STREAMING_SEND;
		free(s);
		json_decref(j);
	}
	return r;
}

struct conv_ctx {
	struct mrender *m;
	json_t *j;
};

static void conv_json(const struct conversation_view *cv, void *ctx)
{
	struct conv_ctx *c = ctx;

	c->j = mastodon_conversation(c->m, cv);
}

/* The Conversation a new direct post moves, as the viewer sees it; cached
 * per viewer under a key apart from their Status renderings (bit 62: ids
 * are milliseconds << 16, far below it). */
static struct streaming_rendering *render_conversation(const struct stream_sub *sub,
						       struct streaming_cache *c, const struct loaded *l)
{
	struct streaming_rendering *r = streaming_cache_rendering(c, sub->viewer.account.id | (1LL << 62));
	struct conv_ctx cc = { NULL, NULL };
	struct request rq;
	struct mrender m;

	if (!r || r->verdict != STREAMING_UNDECIDED)
		return r;
	r->verdict = STREAMING_SKIP;
	r->event_name = "conversation";
	memset(&rq, 0, sizeof rq);
	rq.cfg = sub->cfg;
	rq.viewer = sub->viewer;
	mrender_init(&m, &rq);
	cc.m = &m;
	conversation_of_post(&sub->viewer, l->post.id, conv_json, &cc);
	mrender_release(&m);
	if (cc.j) {
		char *s = json_dumps(cc.j, JSON_COMPACT);

		if (s && buf_puts(&r->json, s) == 0)
			r->verdict = STREAMING_SEND;
		free(s);
		json_decref(cc.j);
	}
	return r;
}

int streaming_match(const struct event *e, const struct stream_sub *sub,
		    struct streaming_cache *cache, const char **event_name, struct buf *payload)
{
	struct streaming_rendering *r;
	struct loaded *l;

	switch (e->type) {
	case EVENT_STATUS_DELETE: {
		char id[24];

		if (sub->kind == STREAM_USER_NOTIFICATION || sub->kind == STREAM_LIST)
			return 0;
		id_format(id, sizeof id, e->id);
		if (sub->html) {
			/* htmx removes the post from the page (an out-of-band swap) */
			*event_name = "update";
			return buf_printf(payload, "<div id=\"post-%s\" hx-swap-oob=\"delete\"></div>", id) >= 0;
		}
		*event_name = "delete";
		return buf_puts(payload, id) == 0;
	}
	case EVENT_NOTIFICATION:
		if (sub->html || sub->kind == STREAM_DIRECT)
			return 0;
		if ((sub->kind != STREAM_USER && sub->kind != STREAM_USER_NOTIFICATION) ||
		    !sub->viewer.signed_in || sub->viewer.account.id != e->account_id)
			return 0;
		r = render(e, sub, cache, NULL);
		break;
	case EVENT_STATUS_NEW:
	case EVENT_STATUS_EDIT:
		l = load(e, cache);
		if (sub->kind == STREAM_DIRECT) {
			if (e->type != EVENT_STATUS_NEW || sub->html || !l || !l->have_post ||
			    strcmp(l->post.audience, "direct") || !audience_may_read(&sub->viewer, &l->post))
				return 0;
			r = render_conversation(sub, cache, l);
			break;
		}
		if (!l || !l->have_post || !audience_may_read(&sub->viewer, &l->post) || !wanted(sub, l))
			return 0;
		if (sub->html && e->type == EVENT_STATUS_EDIT)
			return 0; /* pages show edits on reload */
		r = render(e, sub, cache, l);
		break;
	default:
		return 0;
	}
	if (!r || r->verdict != STREAMING_SEND || (r->hide & stream_filter_context(sub->kind)))
		return 0;
	*event_name = r->event_name;
	return buf_append(payload, r->json.data, r->json.len) == 0;
}
