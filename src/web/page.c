/*
 * page.c - layout rendering and error pages (see page.h).
 */
#include "web/page.h"
#include "http/auth.h"
#include "http/response.h"
#include "lib/config.h"
#include "lib/embed.h"
#include "lib/log.h"
#include "lib/timeutil.h"
#include "model/queue.h"
#include "store/store_posts.h"
#include "web/tmpl.h"

#define FLASH_COOKIE "parley_flash"

static int take_flash(struct request *rq, struct response *rs, char *out, size_t n);

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* A version for asset URLs: FNV-1a over every embedded static file, so
 * a binary with different CSS or htmx gets different URLs, and browsers
 * may cache each version for a year. */
static char asset_version[17];
static pthread_once_t asset_once = PTHREAD_ONCE_INIT;

static void asset_version_make(void)
{
	const struct embedded_file *f;
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (f = embedded_files; f->name; f++) {
		if (strncmp(f->name, "static/", 7))
			continue;
		for (i = 0; i < f->len; i++) {
			h ^= f->data[i];
			h *= 1099511628211ULL;
		}
	}
	snprintf(asset_version, sizeof asset_version, "%016llx", (unsigned long long)h);
}

/* Notifications newer than the viewer's "notifications" marker (capped:
 * the nav badge shows "99+" past that). */
#define UNREAD_CAP 100

static json_t *viewer_json(const struct viewer *v)
{
	struct marker_row mk;
	int64_t after = 0, unread;

	if (!v->signed_in)
		return json_null();
	if (store_marker_get(v->account.id, "notifications", &mk) == STORE_OK)
		after = mk.last_read_id;
	unread = store_notification_count_after(v->account.id, after, UNREAD_CAP);
	return json_pack("{s:s, s:s, s:b, s:b, s:b, s:s, s:o}", "username", v->account.username,
			 "display_name", v->account.display_name, "is_admin", v->account.is_admin,
			 "is_listener", queue_may_open(v),
			 "is_staff", v->account.kind[0] == 's', "kind", v->account.kind,
			 "unread", unread <= 0 ? json_false() :
			 unread >= UNREAD_CAP ? json_string("99+") : json_integer((json_int_t)unread));
}

void page_fragment(struct request *rq, struct response *rs, int status, const char *name, json_t *ctx)
{
	char err[256] = "";

	if (!ctx)
		ctx = json_object();
	json_object_set_new(ctx, "csrf", json_string(auth_csrf_token(rq, rs)));
	if (!json_object_get(ctx, "viewer"))
		json_object_set_new(ctx, "viewer", viewer_json(&rq->viewer));
	buf_reset(&rs->body);
	if (tmpl_render(&rs->body, name, ctx, err, sizeof err) < 0) {
		log_error("web: fragment %s: %s", name, err);
		rs->status = 500;
		rs->content_type = "text/plain; charset=utf-8";
		buf_reset(&rs->body);
		buf_puts(&rs->body, "Internal error while rendering this page.\n");
	} else {
		rs->status = status;
		rs->content_type = "text/html; charset=utf-8";
	}
	json_decref(ctx);
}

int page_is_htmx(const struct request *rq)
{
	const char *h = req_header(rq, "HX-Request");

	return h && !strcmp(h, "true");
}

void page_render(struct request *rq, struct response *rs, int status,
		 const char *name, const char *title, json_t *ctx)
{
	struct buf content = BUF_INIT;
	char err[256] = "";
	char flash[256];

	if (!ctx)
		ctx = json_object();
	json_object_set_new(ctx, "title", json_string(title));
	json_object_set_new(ctx, "instance_name", json_string(rq->cfg ? rq->cfg->instance_name : "Parley"));
	json_object_set_new(ctx, "csrf", json_string(auth_csrf_token(rq, rs)));
	json_object_set_new(ctx, "viewer", viewer_json(&rq->viewer));
	pthread_once(&asset_once, asset_version_make);
	json_object_set_new(ctx, "asset_version", json_string(asset_version));
	if (take_flash(rq, rs, flash, sizeof flash))
		json_object_set_new(ctx, "flash", json_string(flash));

	if (tmpl_render(&content, name, ctx, err, sizeof err) < 0) {
		log_error("web: template %s: %s", name, err);
		buf_release(&content);
		json_decref(ctx);
		rs->status = 500;
		rs->content_type = "text/plain; charset=utf-8";
		buf_reset(&rs->body);
		buf_puts(&rs->body, "Internal error while rendering this page.\n");
		return;
	}
	json_object_set_new(ctx, "content", json_string(buf_str(&content)));
	buf_release(&content);
	buf_reset(&rs->body);
	if (tmpl_render(&rs->body, "layout", ctx, err, sizeof err) < 0) {
		log_error("web: layout: %s", err);
		rs->status = 500;
		rs->content_type = "text/plain; charset=utf-8";
		buf_reset(&rs->body);
		buf_puts(&rs->body, "Internal error while rendering this page.\n");
	} else {
		rs->status = status;
		rs->content_type = "text/html; charset=utf-8";
	}
	json_decref(ctx);
}

void page_error(struct request *rq, struct response *rs, int status, const char *msg)
{
	const char *title = status == 404 ? "Not found" : status == 403 ? "Not allowed" :
			    status == 429 ? "Too many attempts" : status >= 500 ? "Something went wrong" :
			    "That did not work";

	/* a message that only repeats the title says something useful instead */
	if (!strcmp(msg, title) && status == 404)
		msg = "There is nothing at this address. Check the link, or start again from the home page.";
	page_render(rq, rs, status, "error", title,
		    json_pack("{s:i, s:s}", "status", status, "message", msg));
}

void page_redirect(struct request *rq, struct response *rs, const char *path, const char *notice)
{
	resp_redirect(rs, path);
	if (notice) {
		struct buf v = BUF_INIT;

		url_encode(&v, notice);
		resp_cookie(rq, rs, FLASH_COOKIE, buf_str(&v), 60);
		buf_release(&v);
	}
}

/* The notice left by page_redirect(), decoded into out; the cookie is
 * cleared so it shows once. */
static int take_flash(struct request *rq, struct response *rs, char *out, size_t n)
{
	const char *c = req_cookie(rq, FLASH_COOKIE);
	struct params p;
	struct buf q = BUF_INIT;
	int ok = 0;

	if (!c || !*c || strlen(c) > 1000)
		return 0;
	resp_cookie(rq, rs, FLASH_COOKIE, "", -1);
	params_init(&p);
	buf_puts(&q, "n=");
	buf_puts(&q, c);
	if (params_parse_urlencoded(&p, q.data, q.len) == 0 && params_get_nonempty(&p, "n")) {
		snprintf(out, n, "%s", params_get(&p, "n"));
		ok = 1;
	}
	params_release(&p);
	buf_release(&q);
	return ok;
}

json_t *page_time(int64_t ms)
{
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	char iso[32], text[48];
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (!ms)
		return json_null();
	gmtime_r(&t, &tm);
	snprintf(text, sizeof text, "%d %s %04d %02d:%02d UTC", tm.tm_mday, months[tm.tm_mon],
		 tm.tm_year + 1900, tm.tm_hour, tm.tm_min);
	return json_pack("{s:s, s:s}", "iso", time_format_iso(iso, sizeof iso, ms), "text", text);
}

const char *page_safe_next(const char *next)
{
	const unsigned char *p;

	if (!next || next[0] != '/' || next[1] == '/')
		return "/";
	/* browsers drop tabs and newlines and read '\' as '/' inside URLs, so
	 * "/\t/evil" would become "//evil": allow none of them anywhere */
	for (p = (const unsigned char *)next; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '\\')
			return "/";
	return next;
}
