/*
 * instance.c - what a client asks about the server before anything else:
 *
 *   GET /api/v1/instance (also "/api/v1/instance/")   Mastodon's V1 Instance
 *   GET /api/v2/instance                             the Instance entity
 *   GET /api/v1/instance/rules, /peers, /activity, /extended_description,
 *       /domain_blocks, /translation_languages
 *   GET /.well-known/nodeinfo, /nodeinfo/2.0, /nodeinfo/2.1
 *   GET /api/v1/custom_emojis                        none: []
 *   GET /health                                      "OK"
 *   GET /api/v1/preferences                          the viewer's posting defaults
 *   GET /api/v1/featured_tags, /api/v1/endorsements, /api/v1/domain_blocks
 *                                                    not kept here: []
 *
 * The version reads "4.3.0 (compatible; Parley X)": clients parse the part
 * before the first space to pick the API features they use. Limits in
 * "configuration" come from the server's configuration (post_max_chars,
 * max_upload, poll_max_options) and the model's constants, so a client
 * never offers what the server would refuse.
 */
#include "api/mastodon/mastodon.h"
#include "http/response.h"
#include "http/router.h"
#include "lib/config.h"
#include "lib/image.h"
#include "lib/markdown.h"
#include "lib/timeutil.h"
#include "lib/version.h"
#include "model/audience.h"
#include "model/instance.h"
#include "model/media.h"
#include "model/registration.h"
#include "store/store_instance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POLL_OPTION_CHARS 100
#define POLL_MIN_EXPIRATION 300
#define POLL_MAX_EXPIRATION (31 * 86400)
#define PINNED_MAX 5

static const char *const mime_types[] = {
	"image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf", NULL,
};

/* "host:port" of the base URL (Mastodon's domain / uri). */
static void domain_of(const struct request *rq, char *out, size_t n)
{
	const char *b = rq->cfg ? rq->cfg->base_url : "";
	const char *h = strstr(b, "://");
	size_t len;

	h = h ? h + 3 : b;
	len = strcspn(h, "/");
	if (len >= n)
		len = n - 1;
	memcpy(out, h, len);
	out[len] = '\0';
}

static const char *base(const struct request *rq)
{
	return rq->cfg ? rq->cfg->base_url : "";
}

/* ws:// or wss:// for the base URL, where the streaming API lives. */
static void streaming_url(const struct request *rq, char *out, size_t n)
{
	const char *b = base(rq);

	if (!strncmp(b, "https://", 8))
		snprintf(out, n, "wss://%s", b + 8);
	else if (!strncmp(b, "http://", 7))
		snprintf(out, n, "ws://%s", b + 7);
	else
		snprintf(out, n, "%s", b);
}

static const char *version_string(char *out, size_t n)
{
	snprintf(out, n, PARLEY_MASTODON_VERSION " (compatible; Parley " PARLEY_VERSION ")");
	return out;
}

static json_t *mime_json(void)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; mime_types[i]; i++)
		json_array_append_new(a, json_string(mime_types[i]));
	return a;
}

static json_t *statuses_config(const struct request *rq)
{
	return json_pack("{s:I, s:i, s:i}",
			 "max_characters", (json_int_t)(rq->cfg ? rq->cfg->post_max_chars : 5000),
			 "max_media_attachments", MEDIA_PER_POST,
			 "characters_reserved_per_url", 23);
}

static json_t *media_config(const struct request *rq)
{
	json_int_t size = (json_int_t)(rq->cfg ? rq->cfg->max_upload : 0);

	return json_pack("{s:o, s:i, s:I, s:I, s:i, s:i, s:i}",
			 "supported_mime_types", mime_json(),
			 "description_limit", MEDIA_DESCRIPTION_MAX,
			 "image_size_limit", size,
			 "image_matrix_limit", (json_int_t)IMAGE_MAX_PIXELS,
			 /* no video: clients see zero limits */
			 "video_size_limit", 0,
			 "video_frame_rate_limit", 0,
			 "video_matrix_limit", 0);
}

static json_t *polls_config(const struct request *rq)
{
	return json_pack("{s:i, s:i, s:i, s:i}",
			 "max_options", rq->cfg ? rq->cfg->poll_max_options : 4,
			 "max_characters_per_option", POLL_OPTION_CHARS,
			 "min_expiration", POLL_MIN_EXPIRATION,
			 "max_expiration", POLL_MAX_EXPIRATION);
}

static void add_rule(const char *id, const char *text, const char *hint, void *ctx)
{
	json_array_append_new((json_t *)ctx, json_pack("{s:s, s:s, s:s}", "id", id, "text", text,
						       "hint", hint));
}

static json_t *rules_json(const struct instance_info *info)
{
	json_t *a = json_array();

	instance_rules_each(info->rules, add_rule, a);
	return a;
}

/* The contact account (the oldest admin), or null. */
static json_t *contact_account(const struct request *rq)
{
	struct account_row a;

	if (store_instance_contact(&a) != STORE_OK || !audience_may_name_account(&rq->viewer, &a))
		return json_null();
	if (!audience_may_see_account(&rq->viewer, &a))
		a.note[0] = '\0';
	return mastodon_account(rq, &a, 0);
}

/* Loads the settings and registration policy; NULL after answering 500. */
static struct instance_info *load_info(struct request *rq, struct response *rs, struct reg_policy *pol)
{
	struct instance_info *info = malloc(sizeof *info);

	if (!info || instance_info_get(info) != M_OK) {
		free(info);
		http_error(rq, rs, 500, "Storage error");
		return NULL;
	}
	if (registration_get(pol) != M_OK)
		pol->mode = REG_CLOSED;
	return info;
}

static void get_instance_v1(struct request *rq, struct response *rs)
{
	struct reg_policy pol;
	struct instance_info *info = load_info(rq, rs, &pol);
	struct instance_usage u;
	char domain[256], ver[128], stream[600], thumb[700];
	json_t *j;

	if (!info)
		return;
	domain_of(rq, domain, sizeof domain);
	streaming_url(rq, stream, sizeof stream);
	snprintf(thumb, sizeof thumb, "%s/static/header.png", base(rq));
	store_instance_usage(time_now_ms(), &u);
	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:{s:s}, s:{s:I, s:I, s:i}, s:s, s:[s],"
		      " s:b, s:b, s:b, s:{s:{s:i}, s:o, s:o, s:o}, s:o, s:o}",
		      "uri", domain,
		      "title", rq->cfg ? rq->cfg->instance_name : "Parley",
		      "short_description", info->description,
		      "description", info->description,
		      "email", info->contact_email,
		      "version", version_string(ver, sizeof ver),
		      "urls", "streaming_api", stream,
		      "stats", "user_count", (json_int_t)u.users, "status_count", (json_int_t)u.local_posts,
		      "domain_count", 1,
		      "thumbnail", thumb,
		      "languages", "en",
		      "registrations", pol.mode == REG_OPEN,
		      "approval_required", 0,
		      "invites_enabled", pol.mode != REG_CLOSED,
		      "configuration", "accounts", "max_featured_tags", 0,
		      "statuses", statuses_config(rq),
		      "media_attachments", media_config(rq),
		      "polls", polls_config(rq),
		      "contact_account", contact_account(rq),
		      "rules", rules_json(info));
	free(info);
	resp_json(rs, 200, j);
}

static void get_instance_v2(struct request *rq, struct response *rs)
{
	struct reg_policy pol;
	struct instance_info *info = load_info(rq, rs, &pol);
	struct instance_usage u;
	char domain[256], ver[128], stream[600], thumb[700], about[700];
	json_t *j;

	if (!info)
		return;
	domain_of(rq, domain, sizeof domain);
	streaming_url(rq, stream, sizeof stream);
	snprintf(thumb, sizeof thumb, "%s/static/header.png", base(rq));
	snprintf(about, sizeof about, "%s/", base(rq));
	store_instance_usage(time_now_ms(), &u);
	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:{s:I}}, s:{s:s, s:n, s:n}, s:[], s:[s],"
		      " s:{s:{s:s, s:s, s:n, s:n, s:n}, s:{s:s}, s:{s:i, s:i}, s:o, s:o, s:o, s:{s:b}},"
		      " s:{s:b, s:b, s:n, s:n}, s:{s:i}, s:{s:s, s:o}, s:o}",
		      "domain", domain,
		      "title", rq->cfg ? rq->cfg->instance_name : "Parley",
		      "version", version_string(ver, sizeof ver),
		      "source_url", base(rq),
		      "description", info->description,
		      "usage", "users", "active_month", (json_int_t)u.active_month,
		      "thumbnail", "url", thumb, "blurhash", "versions",
		      "icon",
		      "languages", "en",
		      "configuration",
		      "urls", "streaming", stream, "about", about, "status", "privacy_policy", "terms_of_service",
		      "vapid", "public_key", "",
		      "accounts", "max_featured_tags", 0, "max_pinned_statuses", PINNED_MAX,
		      "statuses", statuses_config(rq),
		      "media_attachments", media_config(rq),
		      "polls", polls_config(rq),
		      "translation", "enabled", 0,
		      "registrations", "enabled", pol.mode == REG_OPEN, "approval_required", 0,
		      "message", "url",
		      "api_versions", "mastodon", PARLEY_MASTODON_API_VERSION,
		      "contact", "email", info->contact_email, "account", contact_account(rq),
		      "rules", rules_json(info));
	free(info);
	if (j)
		json_object_set_new(json_object_get(j, "thumbnail"), "versions", json_object());
	resp_json(rs, 200, j);
}

static void get_rules(struct request *rq, struct response *rs)
{
	struct reg_policy pol;
	struct instance_info *info = load_info(rq, rs, &pol);

	if (!info)
		return;
	resp_json(rs, 200, rules_json(info));
	free(info);
}

static void get_extended_description(struct request *rq, struct response *rs)
{
	struct reg_policy pol;
	struct instance_info *info = load_info(rq, rs, &pol);
	struct markdown_opts o;
	struct buf html = BUF_INIT;

	if (!info)
		return;
	memset(&o, 0, sizeof o);
	o.base_url = base(rq);
	o.article = 1;
	if (markdown_render(info->extended, strlen(info->extended), &o, &html, NULL) < 0) {
		free(info);
		buf_release(&html);
		http_error(rq, rs, 500, "The description could not be rendered");
		return;
	}
	free(info);
	/* updated_at: when the settings last changed is not kept; now is honest enough */
	resp_json(rs, 200, json_pack("{s:o, s:s}", "updated_at", mastodon_date(time_now_ms()),
				     "content", buf_str(&html)));
	buf_release(&html);
}

/* GET /health: Mastodon's liveness check, "OK" in plain text (Parley's own
 * /healthz also asks the database). */
static void get_health(struct request *rq, struct response *rs)
{
	(void)rq;
	rs->status = 200;
	rs->content_type = "text/plain; charset=utf-8";
	buf_reset(&rs->body);
	buf_puts(&rs->body, "OK");
}

static void empty_array(struct request *rq, struct response *rs)
{
	(void)rq;
	resp_json(rs, 200, json_array());
}

static void empty_object(struct request *rq, struct response *rs)
{
	(void)rq;
	resp_json(rs, 200, json_object());
}

static void add_week(int64_t week_ms, int64_t statuses, int64_t logins, int64_t registrations, void *ctx)
{
	char w[24], s[24], l[24], r[24];

	snprintf(w, sizeof w, "%lld", (long long)(week_ms / 1000));
	snprintf(s, sizeof s, "%lld", (long long)statuses);
	snprintf(l, sizeof l, "%lld", (long long)logins);
	snprintf(r, sizeof r, "%lld", (long long)registrations);
	json_array_append_new((json_t *)ctx, json_pack("{s:s, s:s, s:s, s:s}", "week", w,
						       "statuses", s, "logins", l, "registrations", r));
}

/* The Monday 00:00 UTC that starts the week of ms. */
static int64_t week_start(int64_t ms)
{
	int64_t day = ms / 86400000;
	/* 1970-01-01 was a Thursday: day 0 is weekday 3 counting from Monday */
	int64_t weekday = (day + 3) % 7;

	return (day - weekday) * 86400000;
}

static void get_activity(struct request *rq, struct response *rs)
{
	json_t *a = json_array();

	if (store_instance_activity(week_start(time_now_ms()), 12, add_week, a) != STORE_OK) {
		json_decref(a);
		http_error(rq, rs, 500, "Storage error");
		return;
	}
	resp_json(rs, 200, a);
}

/* ---- NodeInfo ------------------------------------------------------------ */

static void get_nodeinfo_links(struct request *rq, struct response *rs)
{
	char h20[700], h21[700];

	snprintf(h20, sizeof h20, "%s/nodeinfo/2.0", base(rq));
	snprintf(h21, sizeof h21, "%s/nodeinfo/2.1", base(rq));
	resp_json(rs, 200, json_pack("{s:[{s:s, s:s}, {s:s, s:s}]}", "links",
				     "rel", "http://nodeinfo.diaspora.software/ns/schema/2.0", "href", h20,
				     "rel", "http://nodeinfo.diaspora.software/ns/schema/2.1", "href", h21));
}

static void nodeinfo(struct request *rq, struct response *rs, int minor)
{
	struct reg_policy pol;
	struct instance_info *info = load_info(rq, rs, &pol);
	struct instance_usage u;
	json_t *j, *software;

	if (!info)
		return;
	store_instance_usage(time_now_ms(), &u);
	software = json_pack("{s:s, s:s}", "name", "parley", "version", PARLEY_VERSION);
	if (minor == 1)
		json_object_set_new(software, "homepage", json_string(base(rq)));
	j = json_pack("{s:s, s:o, s:[s], s:{s:[], s:[]}, s:b, s:{s:{s:I, s:I, s:I}, s:I, s:I},"
		      " s:{s:s, s:s, s:s}}",
		      "version", minor == 1 ? "2.1" : "2.0",
		      "software", software,
		      "protocols", "activitypub",
		      "services", "inbound", "outbound",
		      "openRegistrations", pol.mode == REG_OPEN,
		      "usage", "users", "total", (json_int_t)u.users,
		      "activeMonth", (json_int_t)u.active_month,
		      "activeHalfyear", (json_int_t)u.active_halfyear,
		      "localPosts", (json_int_t)u.local_posts,
		      "localComments", (json_int_t)u.local_comments,
		      "metadata", "nodeName", rq->cfg ? rq->cfg->instance_name : "Parley",
		      "nodeDescription", info->description,
		      "software", "Parley, a professional social network");
	free(info);
	resp_json(rs, 200, j);
	rs->content_type = minor == 1
		? "application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/2.1#\""
		: "application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/2.0#\"";
}

static void get_nodeinfo_20(struct request *rq, struct response *rs) { nodeinfo(rq, rs, 0); }
static void get_nodeinfo_21(struct request *rq, struct response *rs) { nodeinfo(rq, rs, 1); }

/* ---- preferences ---------------------------------------------------------- */

static void get_preferences(struct request *rq, struct response *rs)
{
	const struct account_row *a = &rq->viewer.account;

	resp_json(rs, 200, json_pack("{s:s, s:b, s:n, s:s, s:b}",
		"posting:default:visibility",
		audience_default(a) == AUDIENCE_ORGANISATION ? "unlisted" : "private",
		"posting:default:sensitive", 0,
		"posting:default:language",
		"reading:expand:media", "default",
		"reading:expand:spoilers", 0));
}

void mastodon_instance_routes(void)
{
	const unsigned W = ROUTE_API | ROUTE_AUTH;

	/* the router ignores a trailing slash: "/api/v1/instance/" matches too */
	router_add("GET", "/api/v1/instance", get_instance_v1, ROUTE_API, NULL);
	router_add("GET", "/api/v2/instance", get_instance_v2, ROUTE_API, NULL);
	router_add("GET", "/api/v1/instance/rules", get_rules, ROUTE_API, NULL);
	router_add("GET", "/api/v1/instance/peers", empty_array, ROUTE_API, NULL);
	router_add("GET", "/api/v1/instance/activity", get_activity, ROUTE_API, NULL);
	router_add("GET", "/api/v1/instance/extended_description", get_extended_description, ROUTE_API, NULL);
	router_add("GET", "/api/v1/instance/domain_blocks", empty_array, ROUTE_API, NULL);
	router_add("GET", "/api/v1/instance/translation_languages", empty_object, ROUTE_API, NULL);
	router_add("GET", "/.well-known/nodeinfo", get_nodeinfo_links, ROUTE_API, NULL);
	router_add("GET", "/nodeinfo/2.0", get_nodeinfo_20, ROUTE_API, NULL);
	router_add("GET", "/nodeinfo/2.1", get_nodeinfo_21, ROUTE_API, NULL);
	router_add("GET", "/api/v1/custom_emojis", empty_array, ROUTE_API, NULL);
	router_add("GET", "/health", get_health, ROUTE_API, NULL);
	router_add("GET", "/api/v1/preferences", get_preferences, W, "read:accounts");
	router_add("GET", "/api/v1/featured_tags", empty_array, W, "read:accounts");
	router_add("GET", "/api/v1/endorsements", empty_array, W, "read:accounts");
	router_add("GET", "/api/v1/domain_blocks", empty_array, W, "read:blocks|follow");
}
