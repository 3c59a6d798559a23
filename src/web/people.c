/*
 * people.c - pages about people and topics: a profile (/@user: the
 * person (web/person.c: profile facts, skills, reporting line, what you
 * share, how you are connected, card), posts, pinned first, counts,
 * articles, and the follow / mute / block buttons),
 * a hashtag (/tags/:tag with follow), and the signed-in user's
 * notifications (/notifications, which marks them read).
 *
 * Lists come from model/timeline (the audience filter applies) and single
 * posts from audience_read_post(); a notification whose post the viewer
 * can no longer read is left out, as in the Mastodon API.
 */
#include "http/response.h"
#include "http/router.h"
#include "lib/id.h"
#include "lib/markdown.h"
#include "lib/timeutil.h"
#include "lib/utf8.h"
#include "model/audience.h"
#include "model/relationship.h"
#include "model/timeline.h"
#include "store/store_ideas.h"
#include "web/page.h"
#include "web/person.h"
#include "web/post_view.h"

#include <stdio.h>
#include <string.h>

#define PINNED_MAX 5
#define ARTICLES_MAX 20
#define ARTICLE_SCAN_PAGES 5     /* pages of TIMELINE_LIMIT_MAX posts looked at for articles */
#define NOTIFICATIONS_PAGE 30
#define EXCERPT_BYTES 240

static int query_max_id(struct request *rq, int64_t *max_id)
{
	const char *s = params_get_nonempty(&rq->query, "max_id");

	*max_id = 0;
	return s ? id_parse(s, max_id) : 0;
}

static void set_more(json_t *ctx, const char *base, const struct web_posts *w, int limit)
{
	char more[400], idbuf[24];

	if (w->n < limit || !w->last)
		return;
	snprintf(more, sizeof more, "%s?max_id=%s", base, id_format(idbuf, sizeof idbuf, w->last));
	json_object_set_new(ctx, "more", json_string(more));
}

/* ---- profile ------------------------------------------------------------ */

/* The account of the path's :user, when the viewer may see it. */
static int path_account(struct request *rq, struct response *rs, struct account_row *a)
{
	const char *user = req_param(rq, "user");

	if (!user || store_account_by_username(user, a) != STORE_OK || !audience_may_see_account(&rq->viewer, a)) {
		http_error(rq, rs, 404, "There is nobody here by that name");
		return -1;
	}
	return 0;
}

struct articles_ctx {
	struct request *rq;
	json_t *arr;
	int64_t last;
	int n;
};

static void add_article(const struct post_row *p, void *ctx)
{
	struct articles_ctx *c = ctx;
	char path[128], idbuf[24];

	c->last = p->id;
	c->n++;
	if (strcmp(p->kind, "article") || p->reblog_of_id || json_array_size(c->arr) >= ARTICLES_MAX)
		return;
	(void)idbuf;
	json_array_append_new(c->arr, json_pack("{s:s, s:s, s:o, s:s}", "title", p->title ? p->title : "",
		"url", web_post_path(path, sizeof path, req_param(c->rq, "user"), p->id),
		"time", page_time(p->created_at), "audience_label", web_audience_label(p->audience)));
}

/* The viewer's articles among the author's latest posts (the store has no
 * filter by kind, so a few pages of the author's timeline are looked at). */
static json_t *articles_of(struct request *rq, int64_t account_id)
{
	struct articles_ctx c = { rq, json_array(), 0, 0 };
	struct timeline_query q;
	int page;

	for (page = 0; page < ARTICLE_SCAN_PAGES; page++) {
		memset(&q, 0, sizeof q);
		q.kind = TL_ACCOUNT;
		q.account_id = account_id;
		q.exclude_reblogs = 1;
		q.limit = TIMELINE_LIMIT_MAX;
		q.max_id = c.last;
		c.n = 0;
		if (timeline_read(&rq->viewer, &q, add_article, &c) != M_OK || c.n < q.limit ||
		    json_array_size(c.arr) >= ARTICLES_MAX)
			break;
	}
	return c.arr;
}

struct pinned_skip {
	struct web_posts *w;
	json_t *pinned_ids;
};

/* Posts of the profile's list, leaving out those shown as pinned. */
static void add_unpinned(const struct post_row *p, void *ctx)
{
	struct pinned_skip *s = ctx;
	char idbuf[24];

	if (json_object_get(s->pinned_ids, id_format(idbuf, sizeof idbuf, p->id))) {
		s->w->last = p->id;
		s->w->n++;
		return;
	}
	web_posts_add(p, s->w);
}

static void get_profile(struct request *rq, struct response *rs)
{
	struct account_row a;
	struct account_counts counts;
	struct relationship rel;
	struct timeline_query q;
	struct web_posts pinned, w;
	struct pinned_skip skip;
	json_t *ctx, *ids = json_object();
	char base[64];
	size_t i;
	int first_page;

	if (path_account(rq, rs, &a) < 0) {
		json_decref(ids);
		return;
	}
	memset(&q, 0, sizeof q);
	if (query_max_id(rq, &q.max_id) < 0) {
		json_decref(ids);
		http_error(rq, rs, 400, "max_id must be an id");
		return;
	}
	first_page = q.max_id == 0;
	web_posts_init(&pinned, rq);
	if (first_page) {
		struct timeline_query pq;

		memset(&pq, 0, sizeof pq);
		pq.kind = TL_PINNED;
		pq.account_id = a.id;
		pq.limit = PINNED_MAX;
		timeline_read(&rq->viewer, &pq, web_posts_add, &pinned);
		for (i = 0; i < json_array_size(pinned.arr); i++) {
			json_t *pj = json_array_get(pinned.arr, i);

			json_object_set_new(pj, "pinned", json_true());
			json_object_set_new(ids, json_string_value(json_object_get(pj, "id")), json_true());
		}
	}
	q.kind = TL_ACCOUNT;
	q.account_id = a.id;
	q.limit = TIMELINE_LIMIT_DEFAULT;
	web_posts_init(&w, rq);
	skip.w = &w;
	skip.pinned_ids = ids;
	timeline_read(&rq->viewer, &q, add_unpinned, &skip);
	json_decref(ids);
	snprintf(base, sizeof base, "/@%s", a.username);
	if (page_is_htmx(rq) && !first_page) {
		json_decref(pinned.arr);
		ctx = json_pack("{s:o}", "posts", w.arr);
		set_more(ctx, base, &w, q.limit);
		page_fragment(rq, rs, 200, "posts_page", ctx);
		return;
	}
	memset(&counts, 0, sizeof counts);
	store_account_counts(a.id, &counts);
	ctx = json_pack("{s:{s:s, s:s, s:s, s:s, s:b}, s:I, s:I, s:I, s:o, s:o, s:o}",
			"account", "username", a.username,
			"display_name", a.display_name[0] ? a.display_name : a.username,
			"note", a.note, "kind", a.kind, "is_guest", !strcmp(a.kind, "guest"),
			"posts_count", (json_int_t)counts.statuses,
			"followers_count", (json_int_t)counts.followers,
			"following_count", (json_int_t)counts.following,
			"pinned", pinned.arr, "posts", w.arr, "articles", articles_of(rq, a.id));
	set_more(ctx, base, &w, q.limit);
	if (rq->viewer.signed_in && rq->viewer.account.id != a.id &&
	    relationship_get(&rq->viewer, a.id, &rel) == M_OK)
		json_object_set_new(ctx, "rel", json_pack("{s:b, s:b, s:b, s:b, s:b}", "following", rel.following,
			"followed_by", rel.followed_by, "muting", rel.muting, "blocking", rel.blocking,
			"requested", rel.requested));
	if (rq->viewer.signed_in && rq->viewer.account.id == a.id)
		json_object_set_new(ctx, "is_me", json_true());
	json_object_set_new(ctx, "person", web_person_json(rq, &a));
	page_render(rq, rs, 200, "profile", a.display_name[0] ? a.display_name : a.username, ctx);
}

/* POST /@user/<action>: follow, unfollow, mute, unmute, block, unblock. */
static void profile_action(struct request *rq, struct response *rs,
			   enum mresult (*fn)(const struct viewer *, int64_t, char *, size_t),
			   const char *done)
{
	struct account_row a;
	char err[256] = "", path[64];
	enum mresult r;

	if (path_account(rq, rs, &a) < 0)
		return;
	r = fn(&rq->viewer, a.id, err, sizeof err);
	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), err[0] ? err : "That did not work");
		return;
	}
	if (fn == relationship_follow) {
		/* a locked account decides (issue 6: follow requests) */
		struct relationship rel;

		if (relationship_get(&rq->viewer, a.id, &rel) == M_OK && rel.requested)
			done = "Your follow request is sent; they decide.";
	}
	snprintf(path, sizeof path, "/@%s", a.username);
	page_redirect(rq, rs, path, done);
}

static enum mresult mute_for_good(const struct viewer *v, int64_t target, char *err, size_t errlen)
{
	return relationship_mute(v, target, 1, 0, err, errlen);
}

static void post_follow(struct request *rq, struct response *rs)
{
	profile_action(rq, rs, relationship_follow, "You follow them now.");
}

static void post_unfollow(struct request *rq, struct response *rs)
{
	profile_action(rq, rs, relationship_unfollow, "You no longer follow them.");
}

static void post_mute(struct request *rq, struct response *rs)
{
	profile_action(rq, rs, mute_for_good, "Muted: their posts and notifications are hidden from you.");
}

static void post_unmute(struct request *rq, struct response *rs)
{
	profile_action(rq, rs, relationship_unmute, "Unmuted.");
}

static void post_block(struct request *rq, struct response *rs)
{
	profile_action(rq, rs, relationship_block, "Blocked.");
}

static void post_unblock(struct request *rq, struct response *rs)
{
	profile_action(rq, rs, relationship_unblock, "Unblocked.");
}

/* ---- hashtags ----------------------------------------------------------- */

static void get_tag(struct request *rq, struct response *rs)
{
	const char *tag = req_param(rq, "tag");
	struct timeline_query q;
	struct web_posts w;
	char display[128] = "", base[160];
	json_t *ctx;
	int64_t tag_id = 0;

	if (!tag || !tag_name_valid(tag)) {
		http_error(rq, rs, 404, "That is not a hashtag");
		return;
	}
	memset(&q, 0, sizeof q);
	if (query_max_id(rq, &q.max_id) < 0) {
		http_error(rq, rs, 400, "max_id must be an id");
		return;
	}
	web_posts_init(&w, rq);
	q.kind = TL_TAG;
	q.limit = TIMELINE_LIMIT_DEFAULT;
	if (store_tag_find(tag, &tag_id, display, sizeof display) == STORE_OK) {
		q.tag_id = tag_id;
		timeline_read(&rq->viewer, &q, web_posts_add, &w);
	} else {
		snprintf(display, sizeof display, "%s", tag);
	}
	snprintf(base, sizeof base, "/tags/%s", tag);
	ctx = json_pack("{s:s, s:s, s:o}", "tag", display, "tag_path", base, "posts", w.arr);
	set_more(ctx, base, &w, q.limit);
	if (page_is_htmx(rq) && q.max_id) {
		page_fragment(rq, rs, 200, "posts_page", ctx);
		return;
	}
	if (rq->viewer.signed_in)
		json_object_set_new(ctx, "following",
				    json_boolean(tag_id && store_tag_following(rq->viewer.account.id, tag_id) == STORE_OK));
	{
		char title[140];

		snprintf(title, sizeof title, "#%s", display);
		page_render(rq, rs, 200, "tag", title, ctx);
	}
}

static void post_tag_follow(struct request *rq, struct response *rs)
{
	const char *tag = req_param(rq, "tag");
	char err[256] = "", path[160];
	int on = params_get_bool(&rq->form, "on", 1) != 0;
	enum mresult r;

	if (!tag || !tag_name_valid(tag)) {
		http_error(rq, rs, 404, "That is not a hashtag");
		return;
	}
	r = tag_follow(&rq->viewer, tag, on, err, sizeof err);
	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), err[0] ? err : "That did not work");
		return;
	}
	snprintf(path, sizeof path, "/tags/%s", tag);
	page_redirect(rq, rs, path, on ? "You follow this hashtag: its posts come to your home timeline."
				       : "You no longer follow this hashtag.");
}

/* ---- notifications ------------------------------------------------------ */

static const char *notification_text(const char *type)
{
	static const struct { const char *type, *text; } t[] = {
		{ "mention", "mentioned you" },
		{ "status", "posted" },
		{ "reply", "replied to you" },
		{ "follow", "followed you" },
		{ "follow_request", "asked to follow you" },
		{ "favourite", "favourited your post" },
		{ "reblog", "reblogged your post" },
		{ "poll", "ended a poll you voted in" },
		{ "update", "edited a post you interacted with" },
		{ "parley.reaction", "reacted to your post" },
		{ "parley.question_suggested", "asked a question you may know the answer to" },
		{ "parley.question_assigned", "has a question assigned to you" },
		{ "parley.question_escalated", "asked a question that is waiting for an answer" },
		{ "parley.answer", "answered your question" },
		{ "parley.answer_accepted", "accepted your answer" },
		{ "parley.idea_status", "changed the status of an idea" },
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		if (!strcmp(t[i].type, type))
			return t[i].text;
	return "did something";
}

struct notes_ctx {
	struct request *rq;
	json_t *arr;
	int64_t first, last;
	int n;
};


/* The page a notification of issue 7 leads to: the question (for an
 * answer, its question, at the answer) or the idea, rather than the bare
 * post. 1 when path was written. */
static int notification_page(const char *type, const struct post_row *p, char *path, size_t n)
{
	char a[24], b[24];
	int64_t idea_id;
	int version;

	if (!strncmp(type, "parley.question_", 16)) {
		snprintf(path, n, "/questions/%s", id_format(a, sizeof a, p->id));
		return 1;
	}
	if (!strcmp(type, "parley.answer") || !strcmp(type, "parley.answer_accepted")) {
		snprintf(path, n, "/questions/%s#answer-%s", id_format(a, sizeof a, p->in_reply_to_id),
			 id_format(b, sizeof b, p->id));
		return p->in_reply_to_id != 0;
	}
	if (!strcmp(type, "parley.idea_status") &&
	    store_idea_of_post(p->id, &idea_id, &version) == STORE_OK) {
		snprintf(path, n, "/ideas/%s", id_format(a, sizeof a, idea_id));
		return 1;
	}
	return 0;
}

static void add_note(const struct notification_row *n, void *ctx)
{
	struct notes_ctx *c = ctx;
	struct account_row from;
	struct post_row p;
	json_t *j;
	char idbuf[24];

	if (!c->first)
		c->first = n->id;
	c->last = n->id;
	c->n++;
	if (store_account_get(n->from_account_id, &from) != STORE_OK ||
	    !audience_may_name_account(&c->rq->viewer, &from))
		return;
	j = json_pack("{s:s, s:s, s:s, s:{s:s, s:s}, s:o}", "id", id_format(idbuf, sizeof idbuf, n->id),
		      "type", n->type, "text", notification_text(n->type),
		      "from", "username", from.username,
		      "display_name", from.display_name[0] ? from.display_name : from.username,
		      "time", page_time(n->created_at));
	if (n->emoji[0])
		json_object_set_new(j, "emoji", json_string(n->emoji));
	if (n->post_id) {
		struct buf plain = BUF_INIT;
		char excerpt[EXCERPT_BYTES], path[128];
		struct account_row author;

		if (audience_read_post(&c->rq->viewer, n->post_id, &p) != M_OK) {
			json_decref(j);
			return;
		}
		if (p.title && p.title[0])
			buf_puts(&plain, p.title);
		else if (p.source)
			markdown_plain(p.source, strlen(p.source), &plain);
		utf8_copy(excerpt, sizeof excerpt, buf_str(&plain));
		if (plain.len >= sizeof excerpt)
			json_object_set_new(j, "excerpt", json_pack("s+", excerpt, "…"));
		else
			json_object_set_new(j, "excerpt", json_string(excerpt));
		buf_release(&plain);
		if (notification_page(n->type, &p, path, sizeof path))
			json_object_set_new(j, "post_url", json_string(path));
		else if (store_account_get(p.account_id, &author) == STORE_OK)
			json_object_set_new(j, "post_url", json_string(web_post_path(path, sizeof path,
									author.username, p.id)));
		post_row_release(&p);
	}
	json_array_append_new(c->arr, j);
}

static void get_notifications(struct request *rq, struct response *rs)
{
	struct notification_query q;
	struct notes_ctx c = { rq, json_array(), 0, 0, 0 };
	json_t *ctx;
	char more[80], idbuf[24];

	memset(&q, 0, sizeof q);
	q.account_id = rq->viewer.account.id;
	q.limit = NOTIFICATIONS_PAGE;
	if (query_max_id(rq, &q.max_id) < 0) {
		json_decref(c.arr);
		http_error(rq, rs, 400, "max_id must be an id");
		return;
	}
	if (store_notification_list(&q, add_note, &c) != STORE_OK) {
		json_decref(c.arr);
		http_error(rq, rs, 500, "Could not read your notifications");
		return;
	}
	/* seeing the newest page reads them all: move the marker */
	if (!q.max_id && c.first) {
		struct marker_row mk;

		if (store_marker_get(rq->viewer.account.id, "notifications", &mk) != STORE_OK ||
		    mk.last_read_id < c.first)
			store_marker_set(rq->viewer.account.id, "notifications", c.first, time_now_ms());
	}
	ctx = json_pack("{s:o}", "notifications", c.arr);
	if (c.n >= q.limit && c.last) {
		snprintf(more, sizeof more, "/notifications?max_id=%s", id_format(idbuf, sizeof idbuf, c.last));
		json_object_set_new(ctx, "more", json_string(more));
	}
	page_render(rq, rs, 200, "notifications", "Notifications", ctx);
}

static void post_notifications_clear(struct request *rq, struct response *rs)
{
	if (store_notification_clear(rq->viewer.account.id) != STORE_OK) {
		http_error(rq, rs, 500, "Could not clear your notifications");
		return;
	}
	page_redirect(rq, rs, "/notifications", "Your notifications are cleared.");
}

void web_people_routes(void)
{
	router_add("GET", "/@:user", get_profile, 0, NULL);
	router_add("POST", "/@:user/follow", post_follow, ROUTE_AUTH, NULL);
	router_add("POST", "/@:user/unfollow", post_unfollow, ROUTE_AUTH, NULL);
	router_add("POST", "/@:user/mute", post_mute, ROUTE_AUTH, NULL);
	router_add("POST", "/@:user/unmute", post_unmute, ROUTE_AUTH, NULL);
	router_add("POST", "/@:user/block", post_block, ROUTE_AUTH, NULL);
	router_add("POST", "/@:user/unblock", post_unblock, ROUTE_AUTH, NULL);
	router_add("GET", "/tags/:tag", get_tag, 0, NULL);
	router_add("POST", "/tags/:tag/follow", post_tag_follow, ROUTE_AUTH, NULL);
	router_add("GET", "/notifications", get_notifications, ROUTE_AUTH, NULL);
	router_add("POST", "/notifications/clear", post_notifications_clear, ROUTE_AUTH, NULL);
}
