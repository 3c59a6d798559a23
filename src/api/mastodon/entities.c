/*
 * entities.c - Mastodon entities built from store rows (see mastodon.h).
 */
#include "api/mastodon/mastodon.h"
#include "lib/config.h"
#include "lib/html.h"
#include "lib/id.h"
#include "lib/timeutil.h"
#include "model/account.h"
#include "model/audience.h"
#include "store/store_follow_requests.h"
#include "model/people.h"
#include "store/store_posts.h"

#include <stdio.h>
#include <string.h>

json_t *mastodon_date(int64_t ms)
{
	char ts[32];

	return json_string(time_format_iso(ts, sizeof ts, ms));
}

/* A profile field's value as Mastodon apps show it (HTML): http(s) URLs
 * become links, everything else escaped text. */
static json_t *field_value_html(const char *v)
{
	struct buf h = BUF_INIT;
	json_t *j;

	if (!strncmp(v, "https://", 8) || !strncmp(v, "http://", 7)) {
		buf_puts(&h, "<a href=\"");
		html_escape(&h, v, strlen(v));
		buf_puts(&h, "\" target=\"_blank\" rel=\"nofollow noopener noreferrer me\">");
		html_escape(&h, v, strlen(v));
		buf_puts(&h, "</a>");
	} else {
		html_escape(&h, v, strlen(v));
	}
	j = json_string(buf_str(&h));
	buf_release(&h);
	return j;
}

static void add_field(json_t *arr, const char *name, const char *value)
{
	if (value && *value)
		json_array_append_new(arr, json_pack("{s:s, s:o, s:n}", "name", name,
						     "value", field_value_html(value), "verified_at"));
}

/* The profile parts of the entity: pictures, bio, fields (headline,
 * department, location, top skills, then the person's own name/value
 * pairs), as far as the viewer may read them; and with_source, the
 * owner's source settings. */
struct links_ctx {
	json_t *fields, *own;
};

static void add_link(const char *name, const char *value, void *ctx)
{
	struct links_ctx *c = ctx;

	add_field(c->fields, name, value);
	if (c->own)
		json_array_append_new(c->own, json_pack("{s:s, s:s, s:n}", "name", name, "value", value,
							"verified_at"));
}

/* The profile parts of the entity: pictures, bio, fields (headline,
 * department, location, top skills, then the person's own name/value
 * pairs), as far as the viewer may read them; and with_source, the
 * owner's source settings. Reads the profile row, the links and three
 * skills: the entity is made for every account of a timeline. */
static void add_profile(const struct request *rq, const struct account_row *a, int with_source, json_t *j)
{
	struct profile_row p;
	struct profile_skill_row skills[3];
	struct links_ctx lc;
	json_t *fields = json_object_get(j, "fields");
	char url[700];
	int n, vis;

	if (!audience_may_see_account(&rq->viewer, a) || store_profile_get(a->id, &p) != STORE_OK)
		return;
	vis = people_vis_max(&rq->viewer, a->id);
	people_image_url(&p, PEOPLE_AVATAR, 0, url, sizeof url);
	json_object_set_new(j, "avatar", json_string(url));
	json_object_set_new(j, "avatar_static", json_string(url));
	people_image_url(&p, PEOPLE_HEADER, 0, url, sizeof url);
	json_object_set_new(j, "header", json_string(url));
	json_object_set_new(j, "header_static", json_string(url));
	if (a->note[0]) {
		struct buf html = BUF_INIT;

		if (people_bio_html(a->note, &html) == 0)
			json_object_set_new(j, "note", json_string(buf_str(&html)));
		buf_release(&html);
	}
	if (p.vis[PF_HEADLINE] <= vis)
		add_field(fields, "Headline", p.text[PF_HEADLINE]);
	if (p.vis[PF_DEPARTMENT] <= vis)
		add_field(fields, "Department", p.text[PF_DEPARTMENT]);
	if (p.vis[PF_LOCATION] <= vis)
		add_field(fields, "Location", p.text[PF_LOCATION]);
	n = people_skills(a->id, 0, skills, 3);
	if (n > 0) {
		struct buf top = BUF_INIT;
		int k;

		for (k = 0; k < n; k++) {
			if (k)
				buf_puts(&top, ", ");
			buf_puts(&top, skills[k].name);
		}
		add_field(fields, "Skills", buf_str(&top));
		buf_release(&top);
	}
	lc.fields = fields;
	lc.own = with_source ? json_array() : NULL;
	if (p.vis[PF_LINKS] <= vis || with_source)
		store_profile_links(a->id, add_link, &lc);
	if (with_source) {
		json_t *src = json_object_get(j, "source");

		json_object_set_new(src, "fields", lc.own);
		if (p.default_privacy[0])
			json_object_set_new(src, "privacy", json_string(p.default_privacy));
		json_object_set_new(src, "language", json_string(p.language));
	}
}

json_t *mastodon_account(const struct request *rq, const struct account_row *a, int with_source)
{
	const char *base = rq->cfg ? rq->cfg->base_url : "";
	char id[24], url[700], avatar[700], header[700];
	json_t *j;

	id_format(id, sizeof id, a->id);
	snprintf(url, sizeof url, "%s/@%s", base, a->username);
	snprintf(avatar, sizeof avatar, "%s/static/avatar.png", base);
	snprintf(header, sizeof header, "%s/static/header.png", base);
	j = json_pack("{s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:o, s:s, s:s, s:s,"
		      " s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:n, s:[], s:[], s:[]}",
		      "id", id,
		      "username", a->username,
		      "acct", a->username,
		      "display_name", a->display_name,
		      "locked", a->locked,
		      "bot", a->bot,
		      "discoverable", a->discoverable,
		      "indexable", a->discoverable,
		      "group", 0,
		      "hide_collections", 0,
		      "noindex", !a->discoverable,
		      "created_at", mastodon_date(a->created_at - a->created_at % 86400000),
		      "note", "",  /* replaced below */
		      "url", url,
		      "uri", url,
		      "avatar", avatar,
		      "avatar_static", avatar,
		      "header", header,
		      "header_static", header,
		      "followers_count", 0,
		      "following_count", 0,
		      "statuses_count", 0,
		      "last_status_at",
		      "emojis", "fields", "roles");
	if (!j)
		return NULL;
	{
		struct account_counts c;

		if (store_account_counts(a->id, &c) == STORE_OK) {
			json_object_set_new(j, "followers_count", json_integer(c.followers));
			json_object_set_new(j, "following_count", json_integer(c.following));
			json_object_set_new(j, "statuses_count", json_integer(c.statuses));
			if (c.last_status_at) {
				char day[32];

				time_format_iso(day, sizeof day, c.last_status_at);
				day[10] = '\0'; /* Mastodon gives the date only */
				json_object_set_new(j, "last_status_at", json_string(day));
			}
		}
	}
	if (a->suspended)
		json_object_set_new(j, "suspended", json_true());
	json_object_set_new(j, "parley", json_pack("{s:s, s:s, s:b}", "kind", a->kind,
						     "role", account_role_name(a),
						     "profile_public", a->profile_public));
	if (with_source) {
		json_object_set_new(j, "source", json_pack(
			"{s:s, s:b, s:s, s:s, s:[], s:I, s:[]}",
			"privacy", audience_default(a) == AUDIENCE_ORGANISATION ? "unlisted" : "private",
			"sensitive", 0, "language", "",
			"note", a->note, "fields", "follow_requests_count",
			(json_int_t)(store_follow_request_count(a->id) > 0 ? store_follow_request_count(a->id) : 0),
			"attribution_domains"));
		json_object_set_new(j, "role", json_pack(
			"{s:s, s:s, s:s, s:s, s:b}",
			"id", a->is_admin ? "3" : a->is_moderator ? "2" : "-99",
			"name", a->is_admin ? "Admin" : a->is_moderator ? "Moderator" : "",
			/* Mastodon's permission bits: administrator (1); moderators get
			 * view_audit_log, view_dashboard, manage_reports, manage_appeals
			 * and manage_users (4 + 8 + 16 + 512 + 1024) */
			"permissions", a->is_admin ? "1" : a->is_moderator ? "1564" : "0",
			"color", "", "highlighted", a->is_admin || a->is_moderator));
	}
	add_profile(rq, a, with_source, j);
	return j;
}
