/*
 * post.c - writing posts and reacting to them (see post.h).
 *
 * Shape of every write: check what can be checked before the transaction
 * (length, audience rules, rendering), then BEGIN IMMEDIATE, re-read what
 * the write depends on, write, COMMIT, and only then publish events, so a
 * live stream never shows something that was rolled back.
 *
 * Reply rules: the parent must be readable by the author. A reply never
 * reaches further than its parent: a reply to a non-public post with a
 * wider audience is narrowed to the parent's audience, and the parent's
 * author is added to the mentions so a followers-only or direct reply
 * reaches them.
 */
#include "model/post.h"
#include "lib/buf.h"
#include "lib/id.h"
#include "lib/markdown.h"
#include "lib/timeutil.h"
#include "lib/utf8.h"
#include "model/audience.h"
#include "model/space.h"
#include "model/conversation.h"
#include "model/events.h"
#include "model/listening.h"
#include "model/media.h"
#include "model/notify.h"
#include "store/store_questions.h"

#include <stdio.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static char s_base_url[512];
static char s_reactions[512] = "👍 ❤️ 🎉 😄 🤔 👀";
static struct post_settings s_settings = { s_base_url, 5000, 100000, 4, s_reactions };

void post_configure(const struct post_settings *s)
{
	snprintf(s_base_url, sizeof s_base_url, "%s", s->base_url ? s->base_url : "");
	if (s->reactions && s->reactions[0])
		snprintf(s_reactions, sizeof s_reactions, "%s", s->reactions);
	if (s->max_chars)
		s_settings.max_chars = s->max_chars;
	if (s->article_max_chars)
		s_settings.article_max_chars = s->article_max_chars;
	if (s->poll_max_options >= 2 && s->poll_max_options <= POLL_OPTIONS_MAX)
		s_settings.poll_max_options = s->poll_max_options;
}

const struct post_settings *post_settings(void)
{
	return &s_settings;
}

int post_reaction_allowed(const char *emoji)
{
	const char *p = s_reactions;
	size_t n = strlen(emoji);

	if (!n)
		return 0;
	while (*p) {
		const char *e = strchr(p, ' ');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == n && !memcmp(p, emoji, n))
			return 1;
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}


/* 1 when s is NULL or holds only white space. */
static int blank(const char *s)
{
	for (; s && *s; s++)
		if (!strchr(" \t\r\n\f\v", *s))
			return 0;
	return 1;
}

/* Inside a transaction: does the post still exist (a delete may have
 * committed since it was read)? */
static int still_there(int64_t id)
{
	struct post_row p;

	if (store_post_get(id, &p) != STORE_OK)
		return 0;
	post_row_release(&p);
	return 1;
}

/* Begin the transaction of an action on post `id`, which must still
 * exist inside it (a delete may have committed since it was read). */
static enum mresult begin_on(int64_t id, char *err, size_t errlen)
{
	if (store_begin() != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	if (!still_there(id)) {
		store_rollback();
		return mresult_fail(err, errlen, M_NOTFOUND, "Post not found");
	}
	return M_OK;
}

/* End a mark's transaction: a row that was already there (or already
 * gone) is not an error; otherwise commit and publish the notifications. */
static enum mresult finish_mark(int rc, const struct notify_batch *nb, char *err, size_t errlen)
{
	if (rc == STORE_CONFLICT || rc == STORE_NOTFOUND) {
		store_rollback();
		return M_OK;
	}
	if (rc != STORE_OK || store_commit() != STORE_OK) {
		store_rollback();
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	}
	notify_publish(nb);
	return M_OK;
}

/* ---- rendering ------------------------------------------------------ */

struct mention_ctx {
	int64_t author_id;
	int64_t ids[POST_MENTIONS_MAX];
	size_t n;
};

/* Link a mention when the local account exists and has not blocked the
 * author (either way); remember it for the mentions table. */
static int mention_href(void *ctx, const char *acct, struct buf *href)
{
	struct mention_ctx *mc = ctx;
	struct account_row a;
	size_t i;

	if (strchr(acct, '@'))
		return 0; /* remote accounts arrive with federation */
	if (store_account_by_username(acct, &a) != STORE_OK || a.suspended)
		return 0;
	if (store_blocked_either(a.id, mc->author_id) != STORE_NOTFOUND)
		return 0;
	for (i = 0; i < mc->n && mc->ids[i] != a.id; i++)
		;
	if (i == mc->n && mc->n < POST_MENTIONS_MAX)
		mc->ids[mc->n++] = a.id;
	buf_printf(href, "%s/@%s", s_base_url, a.username);
	return 1;
}

struct rendered {
	struct buf html;
	struct markdown_refs refs;
	struct mention_ctx mentions;
};

static void rendered_release(struct rendered *r)
{
	buf_release(&r->html);
	markdown_refs_release(&r->refs);
}

static enum mresult render(const struct viewer *v, const struct post_input *in, struct rendered *r,
			   char *err, size_t errlen)
{
	struct markdown_opts o;
	int article = in->title && in->title[0];
	size_t max = article ? s_settings.article_max_chars : s_settings.max_chars;
	size_t chars = utf8_chars(in->text ? in->text : "");

	memset(r, 0, sizeof *r);
	buf_init(&r->html, 0);
	r->mentions.author_id = v->account.id;
	if (chars > max) {
		snprintf(err, errlen, "Text is too long: %zu characters, the limit is %zu", chars, max);
		return M_INVALID;
	}
	if (utf8_chars(in->spoiler_text ? in->spoiler_text : "") > 1000)
		return mresult_fail(err, errlen, M_INVALID, "The content warning is too long (1000 characters at most)");
	if (article && utf8_chars(in->title) > 200)
		return mresult_fail(err, errlen, M_INVALID, "The title is too long (200 characters at most)");
	memset(&o, 0, sizeof o);
	o.base_url = s_base_url;
	o.article = article;
	o.mention_href = mention_href;
	o.ctx = &r->mentions;
	o.max_mentions = POST_MENTIONS_MAX;
	o.max_tags = POST_TAGS_MAX;
	if (markdown_render(in->text ? in->text : "", strlen(in->text ? in->text : ""), &o,
			    &r->html, &r->refs) < 0)
		return mresult_fail(err, errlen, M_ERROR, "The text could not be rendered");
	if (r->refs.too_many) {
		snprintf(err, errlen, "Too many mentions, hashtags or links (at most %d mentions and %d hashtags)",
			 POST_MENTIONS_MAX, POST_TAGS_MAX);
		rendered_release(r);
		return M_INVALID;
	}
	return M_OK;
}

static enum mresult check_poll(const struct poll_input *p, char *err, size_t errlen)
{
	size_t i, j;

	if (!p->noptions)
		return M_OK;
	if (p->noptions < 2 || p->noptions > s_settings.poll_max_options) {
		snprintf(err, errlen, "A poll needs between 2 and %zu options", s_settings.poll_max_options);
		return M_INVALID;
	}
	for (i = 0; i < p->noptions; i++) {
		if (!p->options[i][0] || utf8_chars(p->options[i]) > 100 || strchr(p->options[i], '\n'))
			return mresult_fail(err, errlen, M_INVALID, "Each poll option must be 1 to 100 characters on one line");
		for (j = 0; j < i; j++)
			if (!strcmp(p->options[i], p->options[j]))
				return mresult_fail(err, errlen, M_INVALID, "Poll options must be different");
	}
	if (p->expires_in < 300 || p->expires_in > 31 * 86400)
		return mresult_fail(err, errlen, M_INVALID, "A poll must last between 5 minutes and 31 days");
	return M_OK;
}

static int write_poll(int64_t post_id, const struct poll_input *p, int64_t now, int replace)
{
	struct poll_row row;
	struct buf opts = BUF_INIT;
	size_t i;
	int rc;

	for (i = 0; i < p->noptions; i++)
		buf_printf(&opts, "%s%s", i ? "\n" : "", p->options[i]);
	if (opts.failed)
		return STORE_ERROR;
	memset(&row, 0, sizeof row);
	row.id = id_next();
	row.post_id = post_id;
	row.multiple = p->multiple;
	row.hide_totals = p->hide_totals;
	row.expires_at = now + p->expires_in * 1000;
	row.options = (char *)buf_str(&opts);
	rc = replace ? store_poll_replace(&row) : store_poll_insert(&row);
	if (rc == STORE_OK)
		rc = store_job_put(id_next(), "poll.end", row.id, row.expires_at);
	buf_release(&opts);
	return rc;
}

/* Mentions, tags and links of a freshly rendered text. */
static int write_refs(int64_t post_id, const struct rendered *r, int64_t now)
{
	if (store_post_set_mentions(post_id, r->mentions.ids, r->mentions.n) != STORE_OK)
		return STORE_ERROR;
	if (store_post_set_tags(post_id, r->refs.tags, r->refs.ntags, now) != STORE_OK)
		return STORE_ERROR;
	return store_post_set_links(post_id, r->refs.links, r->refs.nlinks);
}

static int64_t add_mention(struct mention_ctx *mc, int64_t id)
{
	size_t i;

	for (i = 0; i < mc->n; i++)
		if (mc->ids[i] == id)
			return id;
	if (mc->n < POST_MENTIONS_MAX)
		mc->ids[mc->n++] = id;
	return id;
}

/* ---- create --------------------------------------------------------- */

/* The first "@handle" in the text naming a space the author belongs to
 * (posting into a space by mentioning it, as Mastodon apps can); 0 when
 * none. "@user@host" is a remote account, not a space. */
static int64_t mentioned_space(const struct viewer *v, const char *text)
{
	const char *p;

	for (p = text ? strchr(text, '@') : NULL; p; p = strchr(p + 1, '@')) {
		char handle[SPACE_HANDLE_MAX + 1];
		size_t n = 0;
		const char *q = p + 1;
		int64_t id;

		if (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
			continue;
		while ((isalnum((unsigned char)*q) || *q == '_') && n < SPACE_HANDLE_MAX)
			handle[n++] = *q++;
		handle[n] = '\0';
		if (n < 2 || *q == '@' || isalnum((unsigned char)*q) || *q == '_')
			continue;
		id = space_for_mention(v, handle);
		if (id)
			return id;
	}
	return 0;
}

static enum mresult pick_audience(const struct viewer *v, const struct post_input *in,
				  const struct post_row *parent, enum audience *out,
				  int64_t *space_out, char *err, size_t errlen)
{
	enum audience a = in->audience < 0 ? audience_default(&v->account) : (enum audience)in->audience;
	int64_t space = in->space_id;
	enum mresult r;

	*space_out = 0;
	/* a reply to a space post stays in the space, whatever was asked,
	 * and needs the right to post there */
	if (parent && !strcmp(parent->audience, "space")) {
		if (space && space != parent->space_id)
			return mresult_fail(err, errlen, M_INVALID, "A reply goes where its parent is");
		r = space_check_post(v, parent->space_id, err, errlen);
		if (r != M_OK)
			return r;
		*out = AUDIENCE_SPACE;
		*space_out = parent->space_id;
		return M_OK;
	}
	if (!parent && !space && in->audience != AUDIENCE_DIRECT)
		space = mentioned_space(v, in->text);
	/* into a space: a new post, or a reply that narrows its parent's
	 * audience to the space (discussing a post among the space's members) */
	if (space) {
		r = space_check_post(v, space, err, errlen);
		if (r != M_OK)
			return r;
		/* the space's members must all be people the parent reaches:
		 * anyone for a public parent, staff for an organisation one */
		if (parent && strcmp(parent->audience, "public")) {
			struct space_row sp;

			if (strcmp(parent->audience, "organisation") || store_space_get(space, &sp) != STORE_OK ||
			    strcmp(sp.kind, "internal"))
				return mresult_fail(err, errlen, M_INVALID, "A reply cannot reach people its parent does not");
		}
		*out = AUDIENCE_SPACE;
		*space_out = space;
		return M_OK;
	}
	if (a == AUDIENCE_SPACE)
		return mresult_fail(err, errlen, M_INVALID, "Say which space to post in");
	if (!audience_may_post(&v->account, a))
		return mresult_fail(err, errlen, M_INVALID, "Guests cannot post to the organisation");
	if (parent) {
		int pa = audience_parse(parent->audience);

		/* never reach further than the parent */
		if (pa == AUDIENCE_ORGANISATION && a == AUDIENCE_PUBLIC)
			a = AUDIENCE_ORGANISATION;
		else if ((pa == AUDIENCE_FOLLOWERS || pa == AUDIENCE_DIRECT || pa == AUDIENCE_SPACE) &&
			 a != AUDIENCE_DIRECT && a != (enum audience)pa)
			a = (enum audience)pa;
		if (!audience_may_post(&v->account, a))
			a = AUDIENCE_FOLLOWERS;
	}
	*out = a;
	return M_OK;
}

enum mresult post_create(const struct viewer *v, const struct post_input *in, int64_t *id_out,
			 char *err, size_t errlen)
{
	struct post_row p, parent, quoted;
	struct rendered r;
	struct notify_batch nb;
	enum audience aud = AUDIENCE_DIRECT;  /* set by pick_audience() */
	int64_t space_id = 0;
	int has_parent = 0;
	int64_t now = time_now_ms();
	enum mresult res;
	size_t i;
	int listen_job;

	if (!v->signed_in)
		return mresult_fail(err, errlen, M_UNAUTHORIZED, "Sign in to post");
	if (blank(in->text) && !in->nmedia && !in->poll.noptions)
		return mresult_fail(err, errlen, M_INVALID, "A post needs text, media or a poll");
	if (in->nmedia && in->poll.noptions)
		return mresult_fail(err, errlen, M_INVALID, "A post cannot have both media and a poll");
	if (in->nmedia > POST_MEDIA_MAX)
		return mresult_fail(err, errlen, M_INVALID, "At most 4 attachments");
	res = check_poll(&in->poll, err, errlen);
	if (res != M_OK)
		return res;
	if (in->in_reply_to_id) {
		res = audience_read_post(v, in->in_reply_to_id, &parent);
		if (res == M_NOTFOUND)
			return mresult_fail(err, errlen, M_NOTFOUND, "The post you reply to does not exist");
		if (res != M_OK)
			return mresult_fail(err, errlen, res, "Storage error");
		if (parent.reblog_of_id) {
			post_row_release(&parent);
			return mresult_fail(err, errlen, M_INVALID, "Reply to the original post, not to a reblog");
		}
		has_parent = 1;
	}
	if (in->quote_of_id) {
		res = audience_read_post(v, in->quote_of_id, &quoted);
		if (res != M_OK) {
			if (has_parent)
				post_row_release(&parent);
			return mresult_fail(err, errlen, res == M_NOTFOUND ? M_NOTFOUND : res,
				    "The post you quote does not exist");
		}
		post_row_release(&quoted);
	}
	res = pick_audience(v, in, has_parent ? &parent : NULL, &aud, &space_id, err, errlen);
	if (res == M_OK)
		res = render(v, in, &r, err, errlen);
	if (res != M_OK) {
		if (has_parent)
			post_row_release(&parent);
		return res;
	}
	if (has_parent) {
		add_mention(&r.mentions, parent.account_id);
		/* a reply inside a followers-only or direct conversation reaches
		 * the people that conversation was addressed to */
		if ((aud == AUDIENCE_FOLLOWERS || aud == AUDIENCE_DIRECT) &&
		    (!strcmp(parent.audience, "followers") || !strcmp(parent.audience, "direct"))) {
			int64_t ids[POST_MENTIONS_MAX];
			size_t n = 0, k;

			store_post_mentions(parent.id, ids, POST_MENTIONS_MAX, &n);
			for (k = 0; k < n; k++)
				if (ids[k] != v->account.id &&
				    store_blocked_either(ids[k], v->account.id) == STORE_NOTFOUND)
					add_mention(&r.mentions, ids[k]);
		}
	}

	memset(&p, 0, sizeof p);
	p.id = id_next();
	p.account_id = v->account.id;
	snprintf(p.audience, sizeof p.audience, "%s", audience_name(aud));
	p.space_id = space_id;
	snprintf(p.kind, sizeof p.kind, "%s", in->title && in->title[0] ? "article" : "note");
	p.in_reply_to_id = has_parent ? parent.id : 0;
	p.in_reply_to_account_id = has_parent ? parent.account_id : 0;
	p.quote_of_id = in->quote_of_id;
	p.title = (char *)(in->title ? in->title : "");
	p.source = (char *)(in->text ? in->text : "");
	p.content = (char *)buf_str(&r.html);
	p.spoiler_text = (char *)(in->spoiler_text ? in->spoiler_text : "");
	p.sensitive = in->sensitive || (in->spoiler_text && in->spoiler_text[0]);
	snprintf(p.language, sizeof p.language, "%s", in->language ? in->language : "");
	p.app_id = in->app_id;
	p.has_media = in->nmedia > 0;
	p.has_poll = in->poll.noptions > 0;
	p.created_at = now;
	if (has_parent)
		post_row_release(&parent);

	memset(&nb, 0, sizeof nb);
	if (store_begin() != STORE_OK) {
		rendered_release(&r);
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	}
	res = M_ERROR;
	if (store_post_insert(&p) != STORE_OK || write_refs(p.id, &r, now) != STORE_OK)
		goto rollback;
	if (in->nmedia) {
		res = media_attach(v->account.id, in->media_ids, in->nmedia, p.id, err, errlen);
		if (res != M_OK)
			goto rollback;
		res = M_ERROR;
	}
	if (in->poll.noptions && write_poll(p.id, &in->poll, now, 0) != STORE_OK)
		goto rollback;
	/* a direct post joins (or starts) its participants' conversation */
	if (aud == AUDIENCE_DIRECT &&
	    conversation_on_post(p.id, p.in_reply_to_id, v->account.id, r.mentions.ids, r.mentions.n) < 0)
		goto rollback;
	for (i = 0; i < r.mentions.n; i++)
		if (notify_add(&nb, r.mentions.ids[i], v->account.id, "mention", p.id, NULL) < 0)
			goto rollback;
	if (in->within) {
		res = in->within(in->within_ctx, &p, &nb, err, errlen);
		if (res != M_OK)
			goto rollback;
		res = M_ERROR;
	}
	/* watched keywords and accounts: a durable job, committed with the post */
	listen_job = listening_schedule(p.id, now);
	if (listen_job < 0)
		goto rollback;
	if (store_commit() != STORE_OK)
		goto rollback;
	rendered_release(&r);
	{
		struct event e = { EVENT_STATUS_NEW, p.id, p.account_id };

		events_publish(&e);
	}
	notify_publish(&nb);
	if (listen_job)
		listening_kick();
	*id_out = p.id;
	return M_OK;
rollback:
	store_rollback();
	rendered_release(&r);
	if (res == M_ERROR)
		snprintf(err, errlen, "Storage error");
	return res;
}

/* ---- edit ----------------------------------------------------------- */

struct reblogger_ctx {
	struct notify_batch *nb;
	int64_t author, post;
	int failed;
};

static void notify_reblogger(int64_t row_id, int64_t account_id, void *ctx)
{
	struct reblogger_ctx *c = ctx;

	(void)row_id;
	if (notify_add(c->nb, account_id, c->author, "update", c->post, NULL) < 0)
		c->failed = 1;
}

enum mresult post_edit(const struct viewer *v, int64_t id, const struct post_input *in,
		       char *err, size_t errlen)
{
	struct post_row p;
	struct rendered r;
	struct notify_batch nb;
	struct reblogger_ctx rc;
	int64_t old_mentions[POST_MENTIONS_MAX];
	size_t nold = 0;
	int64_t now = time_now_ms();
	enum mresult res;
	size_t i;

	if (store_post_get(id, &p) != STORE_OK)
		return mresult_fail(err, errlen, M_NOTFOUND, "Post not found");
	if (!v->signed_in || p.account_id != v->account.id) {
		int readable = audience_may_read(v, &p);

		post_row_release(&p);
		return readable ? mresult_fail(err, errlen, M_FORBIDDEN, "Only the author can edit a post")
				: mresult_fail(err, errlen, M_NOTFOUND, "Post not found");
	}
	if (p.reblog_of_id) {
		post_row_release(&p);
		return mresult_fail(err, errlen, M_INVALID, "A reblog cannot be edited");
	}
	if (blank(in->text) && !in->nmedia && !in->poll.noptions && !p.has_media && !p.has_poll) {
		post_row_release(&p);
		return mresult_fail(err, errlen, M_INVALID, "A post needs text, media or a poll");
	}
	res = check_poll(&in->poll, err, errlen);
	if (res == M_OK) {
		struct post_input in2 = *in;

		/* an article keeps its kind; its title may change */
		if (!strcmp(p.kind, "article") && (!in2.title || !in2.title[0]))
			in2.title = p.title;
		if (strcmp(p.kind, "article"))
			in2.title = "";
		res = render(v, &in2, &r, err, errlen);
		if (res == M_OK) {
			free(p.title);
			p.title = strdup(in2.title);
		}
	}
	if (res != M_OK || !p.title) {
		post_row_release(&p);
		return res != M_OK ? res : mresult_fail(err, errlen, M_ERROR, "Out of memory");
	}
	if (p.in_reply_to_account_id)
		add_mention(&r.mentions, p.in_reply_to_account_id);
	free(p.source);
	free(p.content);
	free(p.spoiler_text);
	p.source = strdup(in->text ? in->text : "");
	p.content = strdup(buf_str(&r.html));
	p.spoiler_text = strdup(in->spoiler_text ? in->spoiler_text : "");
	p.sensitive = in->sensitive || (in->spoiler_text && in->spoiler_text[0]);
	if (in->language && in->language[0])
		snprintf(p.language, sizeof p.language, "%s", in->language);
	if (in->nmedia)
		p.has_media = 1;
	if (in->poll.noptions)
		p.has_poll = 1;
	p.edited_at = now;
	memset(&nb, 0, sizeof nb);
	res = M_ERROR;
	if (!p.source || !p.content || !p.spoiler_text || store_begin() != STORE_OK) {
		post_row_release(&p);
		rendered_release(&r);
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	}
	/* who was mentioned before: only newcomers hear of the edit as a mention */
	nold = 0;
	if (store_post_mentions(p.id, old_mentions, POST_MENTIONS_MAX, &nold) != STORE_OK)
		goto rollback;
	if (store_post_update(&p) != STORE_OK || write_refs(p.id, &r, now) != STORE_OK)
		goto rollback;
	if (in->nmedia) {
		res = media_attach(v->account.id, in->media_ids, in->nmedia, p.id, err, errlen);
		if (res != M_OK)
			goto rollback;
		res = M_ERROR;
	}
	if (in->poll.noptions && write_poll(p.id, &in->poll, now, 1) != STORE_OK)
		goto rollback;
	for (i = 0; i < r.mentions.n; i++) {
		size_t k;

		for (k = 0; k < nold && old_mentions[k] != r.mentions.ids[i]; k++)
			;
		if (k == nold && notify_add(&nb, r.mentions.ids[i], v->account.id, "mention", p.id, NULL) < 0)
			goto rollback;
	}
	rc.nb = &nb;
	rc.author = v->account.id;
	rc.post = p.id;
	rc.failed = 0;
	if (store_post_reblogged_by(p.id, 0, 1000, notify_reblogger, &rc) != STORE_OK || rc.failed)
		goto rollback;
	/* a question's title and full text follow its post, however edited */
	if (store_question_sync_post(p.id, p.title, p.source) == STORE_ERROR)
		goto rollback;
	if (in->within) {
		res = in->within(in->within_ctx, &p, &nb, err, errlen);
		if (res != M_OK)
			goto rollback;
		res = M_ERROR;
	}
	if (store_commit() != STORE_OK)
		goto rollback;
	{
		struct event e = { EVENT_STATUS_EDIT, p.id, p.account_id };

		events_publish(&e);
	}
	notify_publish(&nb);
	post_row_release(&p);
	rendered_release(&r);
	return M_OK;
rollback:
	store_rollback();
	post_row_release(&p);
	rendered_release(&r);
	if (res == M_ERROR)
		snprintf(err, errlen, "Storage error");
	return res;
}

/* ---- delete --------------------------------------------------------- */

struct id_list {
	int64_t ids[256];
	size_t n;
};

static void collect_reblog(int64_t row_id, int64_t account_id, void *ctx)
{
	struct id_list *l = ctx;

	(void)account_id;
	if (l->n < sizeof l->ids / sizeof l->ids[0])
		l->ids[l->n++] = row_id;
}

enum mresult post_delete(const struct viewer *v, int64_t id, struct post_row *out,
			 char *err, size_t errlen)
{
	struct post_row p;

	if (store_post_get(id, &p) != STORE_OK)
		return mresult_fail(err, errlen, M_NOTFOUND, "Post not found");
	if (!v->signed_in || (p.account_id != v->account.id &&
			      !v->account.is_admin && !v->account.is_moderator)) {
		int readable = audience_may_read(v, &p);

		post_row_release(&p);
		return readable ? mresult_fail(err, errlen, M_FORBIDDEN, "Only the author can delete a post")
				: mresult_fail(err, errlen, M_NOTFOUND, "Post not found");
	}
	post_row_release(&p);
	return post_delete_unchecked(id, out, err, errlen);
}

enum mresult post_delete_unchecked(int64_t id, struct post_row *out, char *err, size_t errlen)
{
	struct post_row p;
	struct id_list reblogs;
	size_t i;

	if (store_post_get(id, &p) != STORE_OK)
		return mresult_fail(err, errlen, M_NOTFOUND, "Post not found");
	/* the reblogs go with it (by cascade): streams must hear of them too */
	memset(&reblogs, 0, sizeof reblogs);
	store_post_reblogged_by(id, 0, 256, collect_reblog, &reblogs);
	if (store_begin() != STORE_OK)
		goto error;
	/* a question's full text, or an answer's effect on its question */
	if (store_question_post_deleting(id, time_now_ms()) != STORE_OK) {
		store_rollback();
		goto error;
	}
	switch (store_post_delete(id)) {
	case STORE_OK:
		break;
	case STORE_NOTFOUND: /* someone else deleted it meanwhile */
		store_rollback();
		post_row_release(&p);
		return mresult_fail(err, errlen, M_NOTFOUND, "Post not found");
	default:
		store_rollback();
		goto error;
	}
	if (store_commit() != STORE_OK) {
		store_rollback();
		goto error;
	}
	/* the files go after the commit: a rolled-back delete keeps them */
	if (p.has_media)
		media_remove_for_post(id);
	{
		struct event e = { EVENT_STATUS_DELETE, id, p.account_id };

		events_publish(&e);
		for (i = 0; i < reblogs.n; i++) {
			e.id = reblogs.ids[i];
			events_publish(&e);
		}
	}
	if (out)
		*out = p;
	else
		post_row_release(&p);
	return M_OK;
error:
	post_row_release(&p);
	return mresult_fail(err, errlen, M_ERROR, "Storage error");
}

/* ---- reblogs -------------------------------------------------------- */

enum mresult post_reblog(const struct viewer *v, int64_t id, int64_t *id_out, char *err, size_t errlen)
{
	struct post_row orig, r;
	struct notify_batch nb;
	int64_t existing;
	int a, rc;
	enum mresult res = audience_read_post(v, id, &orig);

	if (res != M_OK)
		return mresult_fail(err, errlen, res, res == M_NOTFOUND ? "Post not found" : "Storage error");
	if (orig.reblog_of_id) {
		int64_t oid = orig.reblog_of_id;

		post_row_release(&orig);
		res = audience_read_post(v, oid, &orig);
		if (res != M_OK)
			return mresult_fail(err, errlen, res, res == M_NOTFOUND ? "Post not found" : "Storage error");
	}
	a = audience_parse(orig.audience);
	if (a != AUDIENCE_PUBLIC && a != AUDIENCE_ORGANISATION) {
		post_row_release(&orig);
		return mresult_fail(err, errlen, M_INVALID, "Only public and organisation posts can be reblogged");
	}
	rc = store_post_reblog_of(v->account.id, orig.id, &existing);
	if (rc == STORE_OK) {
		post_row_release(&orig);
		*id_out = existing;
		return M_OK;
	}
	memset(&r, 0, sizeof r);
	r.id = id_next();
	r.account_id = v->account.id;
	snprintf(r.audience, sizeof r.audience, "%s", orig.audience);
	snprintf(r.kind, sizeof r.kind, "note");
	r.reblog_of_id = orig.id;
	r.title = r.source = r.content = r.spoiler_text = "";
	r.created_at = time_now_ms();
	memset(&nb, 0, sizeof nb);
	res = begin_on(orig.id, err, errlen);
	if (res != M_OK) {
		post_row_release(&orig);
		return res;
	}
	/* writers are serialised (BEGIN IMMEDIATE): look again inside */
	if (store_post_reblog_of(v->account.id, orig.id, &existing) == STORE_OK) {
		store_rollback();
		post_row_release(&orig);
		*id_out = existing;
		return M_OK;
	}
	if (store_post_insert(&r) != STORE_OK ||
	    notify_add(&nb, orig.account_id, v->account.id, "reblog", orig.id, NULL) < 0 ||
	    store_commit() != STORE_OK) {
		store_rollback();
		goto error;
	}
	post_row_release(&orig);
	{
		struct event e = { EVENT_STATUS_NEW, r.id, r.account_id };

		events_publish(&e);
	}
	notify_publish(&nb);
	*id_out = r.id;
	return M_OK;
error:
	post_row_release(&orig);
	return mresult_fail(err, errlen, M_ERROR, "Storage error");
}

enum mresult post_unreblog(const struct viewer *v, int64_t id, char *err, size_t errlen)
{
	struct post_row orig;
	int64_t rid;
	int rc;
	enum mresult res = audience_read_post(v, id, &orig);

	if (res != M_OK)
		return mresult_fail(err, errlen, res, res == M_NOTFOUND ? "Post not found" : "Storage error");
	rc = store_post_reblog_of(v->account.id, orig.reblog_of_id ? orig.reblog_of_id : orig.id, &rid);
	post_row_release(&orig);
	if (rc == STORE_NOTFOUND)
		return M_OK;
	if (rc != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	if (store_begin() != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	if (store_post_delete(rid) != STORE_OK || store_commit() != STORE_OK) {
		store_rollback();
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	}
	{
		struct event e = { EVENT_STATUS_DELETE, rid, v->account.id };

		events_publish(&e);
	}
	return M_OK;
}

/* ---- marks and reactions -------------------------------------------- */

/* Read the post a mark applies to: a reblog stands for its original. */
static enum mresult read_target(const struct viewer *v, int64_t id, struct post_row *p,
				char *err, size_t errlen)
{
	enum mresult res = audience_read_post(v, id, p);

	if (res == M_OK && p->reblog_of_id) {
		int64_t oid = p->reblog_of_id;

		post_row_release(p);
		res = audience_read_post(v, oid, p);
	}
	if (res != M_OK)
		return mresult_fail(err, errlen, res, res == M_NOTFOUND ? "Post not found" : "Storage error");
	return M_OK;
}

struct counter {
	int64_t n;
};

static void count_row(const struct post_row *p, void *ctx)
{
	(void)p;
	((struct counter *)ctx)->n++;
}

enum mresult post_mark(const struct viewer *v, int64_t id, enum post_mark m, int on,
		       char *err, size_t errlen)
{
	struct post_row p;
	struct notify_batch nb;
	int64_t me = v->account.id;
	unsigned state = 0;
	int rc = STORE_OK;
	enum mresult res = read_target(v, id, &p, err, errlen);

	if (res != M_OK)
		return res;
	memset(&nb, 0, sizeof nb);
	if (m == MARK_PIN && on) {
		int a = audience_parse(p.audience);

		if (p.account_id != me) {
			post_row_release(&p);
			return mresult_fail(err, errlen, M_INVALID, "You can only pin your own posts");
		}
		if (a != AUDIENCE_PUBLIC && a != AUDIENCE_ORGANISATION) {
			post_row_release(&p);
			return mresult_fail(err, errlen, M_INVALID, "Only public and organisation posts can be pinned");
		}
	}
	res = begin_on(p.id, err, errlen);
	if (res != M_OK) {
		post_row_release(&p);
		return res;
	}
	if (m == MARK_PIN && on) {
		/* count again inside the transaction, so simultaneous pins
		 * cannot pass the limit together */
		struct timeline_query q;
		struct counter c = { 0 };

		memset(&q, 0, sizeof q);
		q.kind = TL_PINNED;
		q.aud.viewer_id = me;
		q.aud.staff = 1;
		q.account_id = me;
		q.limit = 40;
		if (store_post_state(me, p.id, &state) != STORE_OK ||
		    (!(state & POST_STATE_PINNED) &&
		     (store_timeline(&q, count_row, &c) != STORE_OK || c.n >= 5))) {
			store_rollback();
			post_row_release(&p);
			return mresult_fail(err, errlen, M_INVALID, "At most 5 posts can be pinned");
		}
	}
	switch (m) {
	case MARK_FAVOURITE:
		rc = on ? store_favourite_add(me, p.id, id_next()) : store_favourite_remove(me, p.id);
		if (rc == STORE_OK && on && notify_add(&nb, p.account_id, me, "favourite", p.id, NULL) < 0)
			rc = STORE_ERROR;
		break;
	case MARK_BOOKMARK:
		rc = on ? store_bookmark_add(me, p.id, id_next()) : store_bookmark_remove(me, p.id);
		break;
	case MARK_PIN:
		rc = on ? store_pin_add(me, p.id, time_now_ms()) : store_pin_remove(me, p.id);
		break;
	}
	post_row_release(&p);
	return finish_mark(rc, &nb, err, errlen);
}

enum mresult post_react(const struct viewer *v, int64_t id, const char *emoji, int on,
			char *err, size_t errlen)
{
	struct post_row p;
	struct notify_batch nb;
	int rc;
	enum mresult res;

	if (!post_reaction_allowed(emoji)) {
		snprintf(err, errlen, "Reactions are limited to: %s", s_reactions);
		return M_INVALID;
	}
	res = read_target(v, id, &p, err, errlen);
	if (res != M_OK)
		return res;
	memset(&nb, 0, sizeof nb);
	res = begin_on(p.id, err, errlen);
	if (res != M_OK) {
		post_row_release(&p);
		return res;
	}
	rc = on ? store_reaction_add(v->account.id, p.id, emoji, time_now_ms())
		: store_reaction_remove(v->account.id, p.id, emoji);
	if (rc == STORE_OK && on &&
	    notify_add(&nb, p.account_id, v->account.id, "parley.reaction", p.id, emoji) < 0)
		rc = STORE_ERROR;
	post_row_release(&p);
	return finish_mark(rc, &nb, err, errlen);
}

/* ---- polls ---------------------------------------------------------- */

enum mresult poll_vote(const struct viewer *v, int64_t poll_id, const int *choices, size_t n,
		       char *err, size_t errlen)
{
	struct poll_row poll;
	struct post_row p;
	size_t nopt = 1, i, j;
	int rc;
	enum mresult res;

	if (store_poll_get(poll_id, &poll) != STORE_OK)
		return mresult_fail(err, errlen, M_NOTFOUND, "Poll not found");
	res = audience_read_post(v, poll.post_id, &p);
	if (res != M_OK) {
		poll_row_release(&poll);
		return mresult_fail(err, errlen, res, res == M_NOTFOUND ? "Poll not found" : "Storage error");
	}
	post_row_release(&p);
	for (i = 0; poll.options[i]; i++)
		if (poll.options[i] == '\n')
			nopt++;
	res = M_INVALID;
	if (poll.expires_at <= time_now_ms())
		snprintf(err, errlen, "The poll has already ended");
	else if (n == 0 || (!poll.multiple && n > 1))
		snprintf(err, errlen, poll.multiple ? "Choose at least one option" : "Choose exactly one option");
	else
		res = M_OK;
	for (i = 0; res == M_OK && i < n; i++) {
		if (choices[i] < 0 || (size_t)choices[i] >= nopt) {
			snprintf(err, errlen, "Choice %d is not an option of this poll", choices[i]);
			res = M_INVALID;
		}
		for (j = 0; res == M_OK && j < i; j++)
			if (choices[j] == choices[i]) {
				snprintf(err, errlen, "Each option can be chosen once");
				res = M_INVALID;
			}
	}
	poll_row_release(&poll);
	if (res != M_OK)
		return res;
	if (store_begin() != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	rc = store_poll_vote(poll_id, v->account.id, choices, n, time_now_ms());
	if (rc == STORE_OK)
		rc = store_commit();
	if (rc != STORE_OK) {
		store_rollback();
		if (rc == STORE_CONFLICT)
			return mresult_fail(err, errlen, M_INVALID, "You have already voted on this poll");
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	}
	return M_OK;
}

struct voters_ctx {
	struct notify_batch *nb;
	int64_t author, post;
	int failed;
};

static void notify_voter(int64_t account_id, void *ctx)
{
	struct voters_ctx *c = ctx;

	/* Mastodon's "poll" notification comes from the poll's author */
	if (notify_add(c->nb, account_id, c->author, "poll", c->post, NULL) < 0)
		c->failed = 1;
}

int poll_end_job(int64_t poll_id)
{
	struct poll_row poll;
	struct post_row p;
	struct notify_batch nb;
	struct voters_ctx vc;
	struct notification_row n;
	int rc = store_poll_get(poll_id, &poll);

	if (rc == STORE_NOTFOUND)
		return 0; /* deleted meanwhile: done */
	if (rc != STORE_OK)
		return -1;
	rc = store_post_get(poll.post_id, &p);
	if (rc != STORE_OK) {
		poll_row_release(&poll);
		return rc == STORE_NOTFOUND ? 0 : -1;
	}
	memset(&nb, 0, sizeof nb);
	vc.nb = &nb;
	vc.author = p.account_id;
	vc.post = p.id;
	vc.failed = 0;
	if (store_begin() != STORE_OK)
		goto fail;
	if (store_poll_voters(poll_id, notify_voter, &vc) != STORE_OK || vc.failed)
		goto rollback;
	/* the author hears too (notify_add skips self-notifications) */
	memset(&n, 0, sizeof n);
	n.id = id_next();
	n.account_id = p.account_id;
	n.from_account_id = p.account_id;
	snprintf(n.type, sizeof n.type, "poll");
	n.post_id = p.id;
	n.created_at = time_now_ms();
	if (store_notification_pref_enabled(p.account_id, "poll")) {
		if (store_notification_insert(&n) != STORE_OK)
			goto rollback;
		if (nb.n < NOTIFY_BATCH_MAX) {
			nb.ids[nb.n] = n.id;
			nb.recipients[nb.n++] = n.account_id;
		}
	}
	if (store_commit() != STORE_OK)
		goto rollback;
	notify_publish(&nb);
	poll_row_release(&poll);
	post_row_release(&p);
	return 0;
rollback:
	store_rollback();
fail:
	poll_row_release(&poll);
	post_row_release(&p);
	return -1;
}
