/*
 * post_html.c - one post as the web shows it (see post_view.h and
 * web_post_html() in web.h).
 *
 * A post's context carries everything templates/post.html needs,
 * including the viewer's CSRF token and the "next" path the action forms
 * return to without JavaScript, so the partial renders the same inside a
 * page, alone as an htmx answer, or in a live update.
 */
#include "web/post_view.h"
#include "web/web.h"
#include "http/response.h"
#include "lib/id.h"
#include "lib/log.h"
#include "model/audience.h"
#include "store/store_spaces.h"
#include "model/post.h"
#include "web/page.h"
#include "web/tmpl.h"

#include <stdio.h>
#include <string.h>

const char *web_audience_label(const char *audience)
{
	switch (audience_parse(audience)) {
	case AUDIENCE_PUBLIC:
		return "Public";
	case AUDIENCE_ORGANISATION:
		return "Organisation";
	case AUDIENCE_FOLLOWERS:
		return "Followers";
	case AUDIENCE_DIRECT:
		return "Direct";
	default:
		return "Space";
	}
}

const char *web_post_path(char *out, size_t n, const char *username, int64_t id)
{
	char s[24];

	snprintf(out, n, "/@%s/%s", username, id_format(s, sizeof s, id));
	return out;
}

/* Where an action form sends a browser without JavaScript back to: the
 * page being shown (a GET), or the "next" the form carried. */
static const char *next_path(struct request *rq)
{
	if (!strcmp(rq->method, "GET") || !strcmp(rq->method, "HEAD"))
		return page_safe_next(rq->path);
	return page_safe_next(req_arg(rq, "next"));
}

struct reaction_ctx {
	json_t *counts; /* emoji -> {count, me} */
};

static void add_reaction(const char *emoji, int64_t count, int me, void *ctx)
{
	struct reaction_ctx *c = ctx;

	json_object_set_new(c->counts, emoji, json_pack("{s:I, s:b}", "count", (json_int_t)count, "me", me));
}

/* The configured reactions, each with its count and whether the viewer
 * reacted with it. */
static json_t *reactions_json(int64_t post_id, int64_t me)
{
	struct reaction_ctx c = { json_object() };
	const char *set = post_settings() && post_settings()->reactions ? post_settings()->reactions : "";
	json_t *arr = json_array();
	const char *p = set;

	store_reactions(post_id, me, add_reaction, &c);
	while (*p) {
		size_t len = strcspn(p, " ");
		char emoji[64];

		if (len && len < sizeof emoji) {
			json_t *got;

			memcpy(emoji, p, len);
			emoji[len] = '\0';
			got = json_object_get(c.counts, emoji);
			json_array_append_new(arr, json_pack("{s:s, s:I, s:b}", "emoji", emoji,
				"count", (json_int_t)(got ? json_integer_value(json_object_get(got, "count")) : 0),
				"me", got && json_is_true(json_object_get(got, "me"))));
		}
		p += len;
		while (*p == ' ')
			p++;
	}
	json_decref(c.counts);
	return arr;
}

static json_t *author_json(struct request *rq, int64_t id)
{
	struct account_row a;

	if (store_account_get(id, &a) != STORE_OK || !audience_may_name_account(&rq->viewer, &a))
		return NULL;
	return json_pack("{s:s, s:s}", "username", a.username,
			 "display_name", a.display_name[0] ? a.display_name : a.username);
}

/* "in reply to @x" when the viewer may read the post replied to. */
static json_t *reply_to_json(struct request *rq, const struct post_row *p)
{
	struct post_row parent;
	json_t *who, *j = NULL;
	char path[128];

	if (!p->in_reply_to_id || audience_read_post(&rq->viewer, p->in_reply_to_id, &parent) != M_OK)
		return NULL;
	who = author_json(rq, parent.account_id);
	if (who) {
		j = json_pack("{s:O, s:s}", "username", json_object_get(who, "username"), "url",
			      web_post_path(path, sizeof path, json_string_value(json_object_get(who, "username")),
					    parent.id));
		json_decref(who);
	}
	post_row_release(&parent);
	return j;
}

json_t *web_post_json(struct request *rq, const struct post_row *row, int focus)
{
	const struct viewer *v = &rq->viewer;
	struct post_row orig;
	const struct post_row *p = row;
	json_t *j, *author, *booster = NULL, *reply_to;
	unsigned state = 0;
	char path[128], idbuf[24];
	int aud, mine;

	if (row->reblog_of_id) {
		booster = author_json(rq, row->account_id);
		if (!booster)
			return NULL;
		if (store_post_get(row->reblog_of_id, &orig) != STORE_OK) {
			json_decref(booster);
			return NULL;
		}
		if (!audience_may_read(v, &orig)) {
			post_row_release(&orig);
			json_decref(booster);
			return NULL;
		}
		p = &orig;
	}
	author = author_json(rq, p->account_id);
	if (!author) {
		json_decref(booster);
		if (p != row)
			post_row_release(&orig);
		return NULL;
	}
	if (v->signed_in)
		store_post_state(v->account.id, p->id, &state);
	aud = audience_parse(p->audience);
	mine = v->signed_in && v->account.id == p->account_id;
	web_post_path(path, sizeof path, json_string_value(json_object_get(author, "username")), p->id);
	reply_to = reply_to_json(rq, p);
	j = json_pack("{s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:s, s:s, s:s, s:b, s:b,"
		      " s:I, s:I, s:I, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:s, s:s}",
		      "id", id_format(idbuf, sizeof idbuf, p->id),
		      "row_id", "",
		      "url", path,
		      "author", author,
		      "time", page_time(p->created_at),
		      "audience", p->audience,
		      "audience_label", web_audience_label(p->audience),
		      "content", p->content,
		      "cw", p->spoiler_text ? p->spoiler_text : "",
		      "title", p->title ? p->title : "",
		      "is_article", !strcmp(p->kind, "article"),
		      "focus", focus,
		      "replies_count", (json_int_t)audience_reply_count(v, p),
		      "reblogs_count", (json_int_t)p->reblogs_count,
		      "favourites_count", (json_int_t)p->favourites_count,
		      "signed_in", v->signed_in,
		      "favourited", (state & POST_STATE_FAVOURITED) != 0,
		      "bookmarked", (state & POST_STATE_BOOKMARKED) != 0,
		      "reblogged", (state & POST_STATE_REBLOGGED) != 0,
		      "can_reblog", v->signed_in && (aud == AUDIENCE_PUBLIC || aud == AUDIENCE_ORGANISATION),
		      "can_delete", mine || (v->signed_in && (v->account.is_admin || v->account.is_moderator)),
		      "can_edit", mine,
		      "csrf", v->signed_in ? v->csrf : "",
		      "next", next_path(rq));
	if (j) {
		json_object_set_new(j, "row_id", json_string(id_format(idbuf, sizeof idbuf, row->id)));
		if (p->edited_at)
			json_object_set_new(j, "edited", page_time(p->edited_at));
		if (booster)
			json_object_set(j, "reblogged_by", booster);
		if (reply_to)
			json_object_set(j, "reply_to", reply_to);
		json_object_set_new(j, "reactions", reactions_json(p->id, v->signed_in ? v->account.id : 0));
		if (p->space_id && !strcmp(p->audience, "space")) {
			struct space_row sp;

			if (store_space_get(p->space_id, &sp) == STORE_OK)
				json_object_set_new(j, "space", json_pack("{s:s, s:s}", "handle", sp.handle,
									  "name", sp.name));
		}
	}
	json_decref(booster);
	json_decref(reply_to);
	if (p != row)
		post_row_release(&orig);
	return j;
}

int web_post_html(struct request *rq, const struct post_row *p, struct buf *out)
{
	json_t *ctx;
	char err[256] = "";
	int r;

	if (!audience_may_read(&rq->viewer, p))
		return 0;
	ctx = web_post_json(rq, p, 0);
	if (!ctx)
		return 0;
	r = tmpl_render(out, "post", ctx, err, sizeof err);
	json_decref(ctx);
	if (r < 0) {
		log_error("web: post fragment: %s", err);
		return -1;
	}
	return 1;
}

void web_posts_init(struct web_posts *w, struct request *rq)
{
	memset(w, 0, sizeof *w);
	w->rq = rq;
	w->arr = json_array();
}

void web_posts_add(const struct post_row *p, void *ctx)
{
	struct web_posts *w = ctx;
	json_t *j = web_post_json(w->rq, p, 0);

	w->last = p->id;
	w->n++;
	if (j)
		json_array_append_new(w->arr, j);
}

json_t *web_composer_json(struct request *rq, const char *selected, const char *text,
			  const char *cw, int64_t in_reply_to, const char *error)
{
	static const enum audience order[] = { AUDIENCE_ORGANISATION, AUDIENCE_PUBLIC,
					       AUDIENCE_FOLLOWERS, AUDIENCE_DIRECT };
	const struct account_row *a = &rq->viewer.account;
	int want = selected ? audience_parse(selected) : -1;
	json_t *opts = json_array(), *j;
	char idbuf[24];
	size_t i;

	if (want < 0 || !audience_may_post(a, (enum audience)want))
		want = (int)audience_default(a);
	for (i = 0; i < sizeof order / sizeof order[0]; i++) {
		const char *name = audience_name(order[i]);

		if (!audience_may_post(a, order[i]))
			continue;
		json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", name,
			"label", web_audience_label(name), "selected", (int)order[i] == want));
	}
	j = json_pack("{s:o, s:s, s:s, s:b, s:s?, s:I}", "audiences", opts,
		      "text", text ? text : "", "cw", cw ? cw : "", "cw_open", cw && cw[0],
		      "error", error, "max_chars",
		      (json_int_t)(post_settings() ? post_settings()->max_chars : 5000));
	if (in_reply_to)
		json_object_set_new(j, "in_reply_to", json_string(id_format(idbuf, sizeof idbuf, in_reply_to)));
	return j;
}
