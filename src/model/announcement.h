/*
 * announcement.h - instance announcements: what administrators tell
 * everyone (Mastodon's announcements), written in Markdown, shown to
 * every signed-in person until it ends or they dismiss it, and open to
 * emoji reactions.
 *
 * Writing (create, update, delete) is for administrators; the faces check
 * the role before calling. An announcement is listed while it is
 * published and its end (if any) is in the future; starts_at / ends_at
 * with all_day describe the event it announces, as in Mastodon.
 *
 * Results: M_OK; M_INVALID with a message (empty or too long text, an end
 * before the start, a reaction that is not an emoji); M_NOTFOUND; M_ERROR.
 */
#ifndef PARLEY_MODEL_ANNOUNCEMENT_H
#define PARLEY_MODEL_ANNOUNCEMENT_H

#include <stddef.h>
#include <stdint.h>

#include "model/result.h"
#include "model/viewer.h"
#include "store/store_instance.h"

#define ANNOUNCEMENT_MAX_CHARS 5000
#define ANNOUNCEMENT_REACTIONS_MAX 32   /* distinct emoji on one announcement */

struct announcement_input {
	const char *text;      /* Markdown; required on create, NULL: unchanged on update */
	int64_t starts_at;     /* ms; 0: none; -1: unchanged (update) */
	int64_t ends_at;       /* ms; 0: none; -1: unchanged (update) */
	int all_day;           /* 0/1; -1: unchanged (update) */
	int published;         /* 0/1; -1: unchanged (update; create: published) */
	const char *base_url;  /* where hashtag links point (the instance's URL) */
};

/* Create; *out is the stored row (caller releases). */
enum mresult announcement_create(const struct viewer *admin, const struct announcement_input *in,
				 struct announcement_row *out, char *err, size_t errlen);
/* Change the fields given; *out as after the change (caller releases). */
enum mresult announcement_update(int64_t id, const struct announcement_input *in,
				 struct announcement_row *out, char *err, size_t errlen);
enum mresult announcement_delete(int64_t id);

/* The viewer's side: dismiss (mark read), react and take a reaction back.
 * Only announcements that are listed now can be dismissed or reacted to
 * (M_NOTFOUND otherwise). Reacting twice with the same emoji is M_OK. */
enum mresult announcement_dismiss(const struct viewer *v, int64_t id);
enum mresult announcement_react(const struct viewer *v, int64_t id, const char *name, int on,
				char *err, size_t errlen);

/* 1 when the announcement is listed at now_ms (published, not ended). */
int announcement_active(const struct announcement_row *a, int64_t now_ms);

#endif
