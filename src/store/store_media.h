/*
 * store_media.h - the storage interface for uploaded media: their rows
 * (store/sqlite_media.c) and their files (store/fs_media.c).
 *
 * Conventions as in store.h: STORE_OK, STORE_NOTFOUND, STORE_CONFLICT
 * (the random file key is taken), STORE_ERROR (logged; the caller answers
 * 500). Output rows are filled only on STORE_OK and hold fixed-size
 * arrays: nothing returned needs freeing. Callbacks receive a row that
 * lives only for the call, and must not use the store themselves.
 */
#ifndef PARLEY_STORE_STORE_MEDIA_H
#define PARLEY_STORE_STORE_MEDIA_H

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"
#include "store/store.h"

/* Alt text: at most 1500 characters (Mastodon's limit), stored as UTF-8. */
#define MEDIA_DESCRIPTION_BYTES (1500 * 4)
#define MEDIA_KEY_LEN 22 /* base64url characters: 132 random bits */

struct media_row {
	int64_t id;
	int64_t account_id;
	int64_t post_id;            /* 0 while unattached */
	int position;               /* order within the post, from 0 */
	char type[8];               /* "image" or "unknown" (a PDF) */
	char content_type[32];      /* of the stored original, e.g. "image/png" */
	char file_key[MEDIA_KEY_LEN + 1];
	char ext[8];                /* "jpg", "png", "gif", "webp", "pdf" */
	char thumb_ext[8];          /* "jpg" or "png"; "" when there is no thumbnail */
	int64_t size;               /* bytes of the stored original */
	int width, height;          /* 0 when unknown (a PDF) */
	int thumb_width, thumb_height;
	char description[MEDIA_DESCRIPTION_BYTES + 1]; /* "" when none */
	int focus_x, focus_y;       /* millionths, -1000000..1000000; 0,0 is the centre */
	int64_t created_at;         /* ms */
};

/* Insert (post_id 0 stores NULL). STORE_CONFLICT when id or file_key exist. */
int store_media_insert(const struct media_row *m);
int store_media_get(int64_t id, struct media_row *out);
int store_media_by_key(const char *file_key, struct media_row *out);
/* Set the alt text and focus of one row. STORE_NOTFOUND when no such id. */
int store_media_update(int64_t id, const char *description, int focus_x, int focus_y);
/* Delete a row of `account_id` that is attached to no post. STORE_NOTFOUND
 * when there is no such row (someone else's, attached, or gone). */
int store_media_delete_unattached(int64_t account_id, int64_t id);

/* Attach ids[0..n) to post_id, in that order (position i), when every
 * one of them belongs to account_id and is attached to nothing yet.
 * Checks them all first and changes nothing when one fails: then
 * STORE_NOTFOUND with *failed set to its index. Run it inside the
 * caller's transaction, so that the check and the change are one step. */
int store_media_attach(int64_t account_id, const int64_t *ids, size_t n, int64_t post_id,
		       size_t *failed);
/* Call fn for each row attached to post_id, by position. */
int store_media_list_for_post(int64_t post_id, void (*fn)(const struct media_row *, void *),
			      void *ctx);
/* Delete the rows attached to post_id, calling fn with each one deleted
 * (for its files). */
int store_media_delete_for_post(int64_t post_id, void (*fn)(const struct media_row *, void *),
				void *ctx);
/* Delete at most `limit` unattached rows created before before_ms, calling
 * fn with each one deleted. Returns how many were deleted, or -1. */
int store_media_delete_stale(int64_t before_ms, int limit,
			     void (*fn)(const struct media_row *, void *), void *ctx);

/* ---- files ---------------------------------------------------------------
 *
 * Media files by name ("<key>.<ext>"), in one directory today
 * (DATA/media); an object store could implement the same functions when
 * several machines serve one instance. Names are made by the model from
 * random keys; these functions refuse a name holding '/' or starting
 * with '.', so no name can leave the directory. Return 0 or -1 (logged),
 * except where said. */

/* Use `dir` for the files, creating it (mode 0700) when missing. -1 with
 * a message in err when it cannot be made or is not a directory. */
int store_media_files_open(const char *dir, char *err, size_t errlen);
/* Write a new file durably: a temporary file in the directory, written,
 * fsync'ed, renamed to `name` and the directory fsync'ed. On failure no
 * temporary file is left. An existing file of that name is replaced. */
int store_media_file_put(const char *name, const void *data, size_t len);
/* Read a whole file into out (appended; out's cap applies). 0; 1 when the
 * file does not exist; -1 on error. */
int store_media_file_get(const char *name, struct buf *out);
/* Remove a file. 0, also when it did not exist; -1 on error. */
int store_media_file_remove(const char *name);

#endif
