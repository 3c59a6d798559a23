/*
 * list.h - Mastodon's personal lists (lists of accounts whose posts make a
 * timeline), and how a member's spaces appear beside them as lists.
 *
 * A list id is either a personal list of the viewer or a space the viewer
 * is a member of (ids are unique across tables: lib/id.h). Space lists
 * are read-only through this interface: their members are the space's.
 */
#ifndef PARLEY_MODEL_LIST_H
#define PARLEY_MODEL_LIST_H

#include <stddef.h>
#include <stdint.h>

#include "model/result.h"
#include "model/space.h"
#include "model/viewer.h"
#include "store/store_spaces.h"

struct list_view {
	int is_space;
	struct list_row l;       /* personal list (is_space == 0) */
	struct space_view sv;    /* space (is_space == 1) */
};

/* The viewer's list or member space with this id: M_NOTFOUND otherwise.
 * For a space, sv holds the space and the membership only (members_count
 * is -1, no invitation or request). */
enum mresult list_lookup(const struct viewer *v, int64_t id, struct list_view *out);

/* title 1-100 characters; replies_policy followed | list | none (NULL:
 * keep / default list); exclusive -1 keep. */
enum mresult list_create(const struct viewer *v, const char *title, const char *replies_policy,
			 int exclusive, struct list_row *out, char *err, size_t errlen);
enum mresult list_update(const struct viewer *v, struct list_view *lv, const char *title,
			 const char *replies_policy, int exclusive, char *err, size_t errlen);
enum mresult list_delete(const struct viewer *v, const struct list_view *lv, char *err, size_t errlen);
/* Add (on) or remove accounts; adding needs the viewer to follow them
 * (Mastodon's rule). */
enum mresult list_accounts_change(const struct viewer *v, const struct list_view *lv,
				  const int64_t *ids, size_t n, int on, char *err, size_t errlen);

#endif
