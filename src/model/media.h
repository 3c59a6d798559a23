/*
 * media.h - uploaded images and PDFs: checking, storing, attaching to
 * posts, and finding their files again.
 *
 * An upload is judged by its bytes (lib/image.h): JPEG, PNG, GIF and WebP
 * are images, decoded and written again from their pixels (which drops
 * EXIF and every other kind of metadata) with a thumbnail; a PDF is kept
 * as it came, without a thumbnail (type "unknown" in Mastodon's terms).
 * Anything else is refused. Processing is synchronous: when media_upload()
 * returns M_OK the files are on disk and the row is committed.
 *
 * Files: DATA/media/<file_key>.<ext> and, for images,
 * DATA/media/<file_key>.small.<thumb_ext>. The key is 132 random bits;
 * the URLs that serve the files carry it, which makes them capability
 * URLs (see docs/SECURITY.md). Each file is written to a temporary name,
 * fsync'ed, renamed into place and the directory fsync'ed before the row
 * is inserted, so a row never points at a file that is not durably there.
 * Deletions go the other way (row first, then files): a crash between
 * leaves at worst a file without a row, never a row without a file.
 *
 * Lifetime: a medium is uploaded unattached; media_attach() ties it to a
 * post (at most MEDIA_PER_POST, in the order given); deleting the post
 * deletes it (media_remove_for_post). Unattached media can be deleted by
 * their owner; those left unattached for MEDIA_UNATTACHED_TTL_MS are
 * removed by media_prune_unattached(), which uploads call now and then.
 *
 * Who sees what: media_get() and media_update() answer the owner only
 * (others get M_NOTFOUND, as for a medium that does not exist). The files
 * are served to whoever has their URL; the URL only appears in entities
 * the viewer may read.
 */
#ifndef PARLEY_MODEL_MEDIA_H
#define PARLEY_MODEL_MEDIA_H

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"
#include "model/result.h"
#include "model/viewer.h"
#include "store/store_media.h"

#define MEDIA_DESCRIPTION_MAX 1500   /* characters of alt text */
#define MEDIA_PER_POST 4
#define MEDIA_THUMB_BOX 400          /* thumbnails fit in 400 x 400 */
#define MEDIA_UNATTACHED_TTL_MS (24LL * 3600 * 1000)

/* Set where files live (DATA/media, created with mode 0700 if missing)
 * and the largest upload accepted, in bytes. Call once at start, before
 * any other media_ function. -1 with a message in err when the directory
 * cannot be made. */
int media_init(const char *data_dir, size_t max_bytes, char *err, size_t errlen);

/* Check, process and store an upload of `len` bytes for the viewer.
 * description: alt text (NULL or "" for none; at most 1500 characters);
 * focus: "x,y" with both in -1.0..1.0 (NULL or "" for the centre).
 * M_OK with *out filled; M_INVALID with a message for the user (not an
 * image or PDF, too large, image too big (WxH), cannot be decoded, alt
 * text too long, bad focus); M_UNAUTHORIZED without a signed-in viewer;
 * M_ERROR when storage fails (nothing is left behind). CPU-heavy for big
 * images (decoding and encoding): run it off the HTTP workers. */
enum mresult media_upload(const struct viewer *v, const void *data, size_t len,
			  const char *description, const char *focus, struct media_row *out,
			  char *err, size_t errlen);

/* The viewer's own medium `id`, attached or not. M_NOTFOUND when it does
 * not exist or belongs to someone else. */
enum mresult media_get(const struct viewer *v, int64_t id, struct media_row *out,
		       char *err, size_t errlen);

/* Change the alt text and/or focus of the viewer's own medium (attached
 * or not; NULL leaves a field as it is, "" clears it). M_OK with *out
 * filled; M_NOTFOUND as media_get; M_INVALID for bad values. */
enum mresult media_update(const struct viewer *v, int64_t id, const char *description,
			  const char *focus, struct media_row *out, char *err, size_t errlen);

/* Delete the viewer's own unattached medium, row and files. M_NOTFOUND
 * as media_get; M_INVALID when it is attached to a post (delete the post). */
enum mresult media_delete(const struct viewer *v, int64_t id, char *err, size_t errlen);

/* Attach ids[0..n) to post_id in that order, all or nothing: each must be
 * an unattached medium of account_id, none twice, n at most
 * MEDIA_PER_POST. M_INVALID (with a message naming the id) otherwise, and
 * nothing is changed. Does not begin or commit: call it inside the
 * transaction that creates the post, and roll back when it fails. */
enum mresult media_attach(int64_t account_id, const int64_t *ids, size_t n, int64_t post_id,
			  char *err, size_t errlen);

/* Call fn for each medium of post_id, in the post's order. M_OK or M_ERROR. */
enum mresult media_list_for_post(int64_t post_id, void (*fn)(const struct media_row *, void *),
				 void *ctx);

/* Delete the media of post_id, rows then files. Call it after the post's
 * deletion has committed, outside any transaction (inside one, the files
 * would be gone even if the transaction were rolled back). M_OK or
 * M_ERROR (a file that cannot be removed is logged, not an error). */
enum mresult media_remove_for_post(int64_t post_id);

/* Delete up to `limit` media left unattached since before now_ms -
 * MEDIA_UNATTACHED_TTL_MS, rows and files. Returns how many, or -1. */
int media_prune_unattached(int64_t now_ms, int limit);

/* The file name of a medium's original (small = 0) or thumbnail
 * (small = 1): "<key>.<ext>" or "<key>.small.<thumb_ext>", as used on
 * disk and in URLs. Returns out, or NULL when there is no such file (a
 * PDF's thumbnail) or n is too small. */
char *media_file_name(const struct media_row *m, int small, char *out, size_t n);

struct media_file {
	struct media_row row;
	int small;                  /* the thumbnail was asked for */
	const char *content_type;   /* static: "image/png", "application/pdf" ... */
	struct buf data;            /* the file's bytes; the caller releases it */
	int public_post;            /* anyone may read its post: cacheable by anyone */
};

/*
 * Who may fetch a file. A medium attached to a post is served to whoever
 * may read the post (model/audience: session cookie or token), and to a
 * URL carrying a valid signature: the status entities given to readers
 * carry signed URLs (media_sign), because apps load images without their
 * token. A signature is an HMAC of the file name and an expiry under the
 * instance key, valid 24 to 25 hours (the hour is rounded so a URL stays
 * the same, and cacheable, for an hour). An unattached medium is served
 * to its uploader and to signed URLs only.
 */
/* Append "?exp=EXPIRY&sig=SIGNATURE" for file `name` to out. */
int media_sign(const char *name, struct buf *out);
/* Read the file called `name` (as made by media_file_name) into *out,
 * for viewer v, with the query's exp and sig (NULL when absent). The
 * rule above is checked before a byte is read. M_NOTFOUND for a
 * malformed name, an unknown key, an extension that is not the medium's,
 * a missing file, or a viewer who may not fetch it; M_ERROR when reading
 * fails. On M_OK the caller owns out->data (buf_release, or hand it on). */
enum mresult media_read_file(const struct viewer *v, const char *name, const char *exp,
			     const char *sig, struct media_file *out);

#endif
