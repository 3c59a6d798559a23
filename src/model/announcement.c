/*
 * announcement.c - instance announcements (see announcement.h).
 */
#include "model/announcement.h"
#include "lib/buf.h"
#include "lib/id.h"
#include "lib/markdown.h"
#include "lib/timeutil.h"
#include "lib/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int announcement_active(const struct announcement_row *a, int64_t now_ms)
{
	return a->published && (a->ends_at == 0 || a->ends_at > now_ms);
}

/* Render text into a fresh malloc'ed HTML string in *html. */
static enum mresult render(const char *text, const char *base_url, char **html, char *err, size_t errlen)
{
	struct markdown_opts o;
	struct buf out = BUF_INIT;
	const char *p = text;
	size_t chars;

	while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
		p++;
	if (!*p)
		return mresult_fail(err, errlen, M_INVALID, "The announcement needs text");
	chars = utf8_chars(text);
	if (chars > ANNOUNCEMENT_MAX_CHARS) {
		snprintf(err, errlen, "The announcement is too long: %zu characters, the limit is %d",
			 chars, ANNOUNCEMENT_MAX_CHARS);
		return M_INVALID;
	}
	memset(&o, 0, sizeof o);
	o.base_url = base_url;
	if (markdown_render(text, strlen(text), &o, &out, NULL) < 0) {
		buf_release(&out);
		return mresult_fail(err, errlen, M_ERROR, "The text could not be rendered");
	}
	*html = buf_detach(&out, NULL);
	if (!*html)
		*html = strdup("");
	return *html ? M_OK : mresult_fail(err, errlen, M_ERROR, "Out of memory");
}

static enum mresult check_dates(const struct announcement_row *a, char *err, size_t errlen)
{
	if (a->starts_at < 0 || a->ends_at < 0)
		return mresult_fail(err, errlen, M_INVALID, "Dates must be after 1970");
	if (a->starts_at && a->ends_at && a->ends_at < a->starts_at)
		return mresult_fail(err, errlen, M_INVALID, "The end must not be before the start");
	return M_OK;
}

enum mresult announcement_create(const struct viewer *admin, const struct announcement_input *in,
				 struct announcement_row *out, char *err, size_t errlen)
{
	struct announcement_row a;
	int64_t now = time_now_ms();
	enum mresult r;
	char *html = NULL;
	int rc;

	if (!in->text)
		return mresult_fail(err, errlen, M_INVALID, "The announcement needs text");
	memset(&a, 0, sizeof a);
	a.starts_at = in->starts_at > 0 ? in->starts_at : 0;
	a.ends_at = in->ends_at > 0 ? in->ends_at : 0;
	a.all_day = in->all_day > 0;
	a.published = in->published != 0;
	r = check_dates(&a, err, errlen);
	if (r == M_OK)
		r = render(in->text, in->base_url, &html, err, errlen);
	if (r != M_OK)
		return r;
	a.id = id_next();
	a.text = (char *)in->text;
	a.content = html;
	a.published_at = a.published ? now : 0;
	a.created_by = admin ? admin->account.id : 0;
	a.created_at = a.updated_at = now;
	rc = store_announcement_insert(&a);
	free(html);
	if (rc != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	if (store_announcement_get(a.id, out) != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	return M_OK;
}

enum mresult announcement_update(int64_t id, const struct announcement_input *in,
				 struct announcement_row *out, char *err, size_t errlen)
{
	struct announcement_row a;
	int64_t now = time_now_ms();
	char *html = NULL, *text = NULL;
	enum mresult r = M_OK;
	int rc = store_announcement_get(id, &a);

	if (rc == STORE_NOTFOUND)
		return mresult_fail(err, errlen, M_NOTFOUND, "Record not found");
	if (rc != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	if (in->starts_at >= 0)
		a.starts_at = in->starts_at;
	if (in->ends_at >= 0)
		a.ends_at = in->ends_at;
	if (in->all_day >= 0)
		a.all_day = in->all_day > 0;
	if (in->published >= 0) {
		if (in->published && !a.published)
			a.published_at = now;
		a.published = in->published > 0;
	}
	r = check_dates(&a, err, errlen);
	if (r == M_OK && in->text) {
		r = render(in->text, in->base_url, &html, err, errlen);
		if (r == M_OK) {
			text = strdup(in->text);
			if (!text)
				r = mresult_fail(err, errlen, M_ERROR, "Out of memory");
		}
		if (r == M_OK) {
			free(a.text);
			free(a.content);
			a.text = text;
			a.content = html;
			html = text = NULL;
		}
	}
	free(html);
	free(text);
	if (r != M_OK) {
		announcement_row_release(&a);
		return r;
	}
	a.updated_at = now;
	rc = store_announcement_update(&a);
	announcement_row_release(&a);
	if (rc == STORE_NOTFOUND)
		return mresult_fail(err, errlen, M_NOTFOUND, "Record not found");
	if (rc != STORE_OK || store_announcement_get(id, out) != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	return M_OK;
}

enum mresult announcement_delete(int64_t id)
{
	int rc = store_announcement_delete(id);

	return rc == STORE_OK ? M_OK : rc == STORE_NOTFOUND ? M_NOTFOUND : M_ERROR;
}

/* The announcement must be listed now. */
static enum mresult listed(int64_t id)
{
	struct announcement_row a;
	int rc = store_announcement_get(id, &a), active;

	if (rc == STORE_NOTFOUND)
		return M_NOTFOUND;
	if (rc != STORE_OK)
		return M_ERROR;
	active = announcement_active(&a, time_now_ms());
	announcement_row_release(&a);
	return active ? M_OK : M_NOTFOUND;
}

enum mresult announcement_dismiss(const struct viewer *v, int64_t id)
{
	enum mresult r = listed(id);

	if (r != M_OK)
		return r;
	return store_announcement_dismiss(id, v->account.id) == STORE_OK ? M_OK : M_ERROR;
}

/* An emoji: 1 to 32 bytes of UTF-8, none of them ASCII (custom emoji
 * ":shortcode:" do not exist here). */
static int emoji_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0, i;

	if (n == 0 || n > 32 || !utf8_valid(name, n))
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x80)
			return 0;
	return 1;
}

struct name_seen {
	const char *name;
	int found;
};

static void seen_name(const char *name, int64_t count, int me, void *ctx)
{
	struct name_seen *ns = ctx;

	(void)count;
	(void)me;
	if (!strcmp(name, ns->name))
		ns->found = 1;
}

enum mresult announcement_react(const struct viewer *v, int64_t id, const char *name, int on,
				char *err, size_t errlen)
{
	enum mresult r = listed(id);
	int rc;

	if (r == M_NOTFOUND)
		return mresult_fail(err, errlen, r, "Record not found");
	if (r != M_OK)
		return mresult_fail(err, errlen, r, "Storage error");
	if (!emoji_ok(name))
		return mresult_fail(err, errlen, M_INVALID, "Validation failed: Name is not a recognized emoji");
	if (!on) {
		rc = store_announcement_unreact(id, v->account.id, name);
		return rc == STORE_ERROR ? mresult_fail(err, errlen, M_ERROR, "Storage error") : M_OK;
	}
	if (store_announcement_reaction_names(id) >= ANNOUNCEMENT_REACTIONS_MAX) {
		/* a new emoji past the cap is refused; joining an existing one is fine */
		struct name_seen ns = { name, 0 };

		store_announcement_reactions(id, 0, seen_name, &ns);
		if (!ns.found)
			return mresult_fail(err, errlen, M_INVALID, "This announcement has too many different reactions");
	}
	rc = store_announcement_react(id, v->account.id, name, time_now_ms());
	if (rc == STORE_CONFLICT)
		return M_OK;
	return rc == STORE_OK ? M_OK : mresult_fail(err, errlen, M_ERROR, "Storage error");
}
