/*
 * media.c - uploads, alt text, attaching and removing media (see media.h).
 *
 * An upload goes: check the text fields (cheap) -> check the size ->
 * sniff the bytes (lib/image) -> refuse an image whose header declares
 * too many pixels -> decode and re-encode it with a thumbnail -> write
 * the files durably (store/fs_media.c) -> insert the row. When the row
 * cannot be inserted the files are removed again.
 */
#include "model/media.h"
#include "model/sitekey.h"
#include "model/audience.h"
#include "lib/id.h"
#include "lib/image.h"
#include "lib/log.h"
#include "lib/secret.h"
#include "lib/timeutil.h"
#include "lib/utf8.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t max_bytes;
static int ready;

int media_init(const char *data_dir, size_t max, char *err, size_t errlen)
{
	char dir[1100];

	if ((size_t)snprintf(dir, sizeof dir, "%s/media", data_dir) >= sizeof dir) {
		snprintf(err, errlen, "data directory path too long");
		return -1;
	}
	if (store_media_files_open(dir, err, errlen) < 0)
		return -1;
	max_bytes = max;
	ready = 1;
	return 0;
}

char *media_file_name(const struct media_row *m, int small, char *out, size_t n)
{
	int w;

	if (small && !m->thumb_ext[0])
		return NULL;
	w = small ? snprintf(out, n, "%s.small.%s", m->file_key, m->thumb_ext)
		  : snprintf(out, n, "%s.%s", m->file_key, m->ext);
	return w > 0 && (size_t)w < n ? out : NULL;
}

/* ---- checking the text fields -------------------------------------------- */


static enum mresult check_description(const char *d, char *err, size_t errlen)
{
	if (!d)
		return M_OK;
	if (!utf8_valid(d, strlen(d))) {
		snprintf(err, errlen, "The description must be UTF-8 text");
		return M_INVALID;
	}
	if (utf8_chars(d) > MEDIA_DESCRIPTION_MAX || strlen(d) > MEDIA_DESCRIPTION_BYTES) {
		snprintf(err, errlen, "The description (alt text) is longer than %d characters",
			 MEDIA_DESCRIPTION_MAX);
		return M_INVALID;
	}
	return M_OK;
}

/* "x,y", each from -1.0 to 1.0, into millionths. "" is the centre. */
static enum mresult parse_focus(const char *s, int *x, int *y, char *err, size_t errlen)
{
	double fx, fy;
	char *end;

	if (!*s) {
		*x = *y = 0;
		return M_OK;
	}
	fx = strtod(s, &end);
	while (end != s && *end == ' ')
		end++;
	if (end == s || *end != ',')
		goto bad;
	s = end + 1;
	fy = strtod(s, &end);
	if (end == s)
		goto bad;
	while (*end == ' ')
		end++;
	/* NaN fails both comparisons */
	if (*end || !(fx >= -1.0 && fx <= 1.0) || !(fy >= -1.0 && fy <= 1.0))
		goto bad;
	*x = (int)lround(fx * 1e6);
	*y = (int)lround(fy * 1e6);
	return M_OK;
bad:
	snprintf(err, errlen, "focus must be two numbers from -1.0 to 1.0, as \"x,y\"");
	return M_INVALID;
}

/* ---- upload -------------------------------------------------------------- */

static void remove_files(const struct media_row *m)
{
	char name[64];

	if (media_file_name(m, 0, name, sizeof name))
		store_media_file_remove(name);
	if (media_file_name(m, 1, name, sizeof name))
		store_media_file_remove(name);
}

/* Write the files of *m (the original, and the thumbnail unless NULL). */
static int put_files(const struct media_row *m, const struct buf *original, const void *raw,
		     size_t rawlen, const struct buf *thumb)
{
	char name[64];

	if (!media_file_name(m, 0, name, sizeof name) ||
	    store_media_file_put(name, original ? original->data : raw,
				 original ? original->len : rawlen) < 0)
		return -1;
	if (thumb && (!media_file_name(m, 1, name, sizeof name) ||
		      store_media_file_put(name, thumb->data, thumb->len) < 0)) {
		remove_files(m);
		return -1;
	}
	return 0;
}

enum mresult media_upload(const struct viewer *v, const void *data, size_t len,
			  const char *description, const char *focus, struct media_row *out,
			  char *err, size_t errlen)
{
	struct image_info info;
	struct image_result img;
	struct media_row *m = out;
	enum mresult r;
	char why[200];
	int fx = 0, fy = 0, rc;

	if (!v || !v->signed_in || !v->account.id) {
		snprintf(err, errlen, "Sign in to upload");
		return M_UNAUTHORIZED;
	}
	if (!ready) {
		snprintf(err, errlen, "Media storage is not set up");
		return M_ERROR;
	}
	if ((r = check_description(description, err, errlen)) != M_OK)
		return r;
	if (focus && (r = parse_focus(focus, &fx, &fy, err, errlen)) != M_OK)
		return r;
	if (!data || !len) {
		snprintf(err, errlen, "The file is empty: it is not an image or PDF");
		return M_INVALID;
	}
	if (len > max_bytes) {
		snprintf(err, errlen, "The file is too large (%zu bytes; the limit is %zu)", len, max_bytes);
		return M_INVALID;
	}
	if (image_sniff(data, len, &info) < 0) {
		snprintf(err, errlen, "The file is not an image or PDF (JPEG, PNG, GIF, WebP or PDF)");
		return M_INVALID;
	}
	if (info.kind != IMAGE_PDF && image_too_big(&info)) {
		snprintf(err, errlen, "The image is too big (%ldx%ld): at most %d pixels a side and %ld "
			 "megapixels", info.width, info.height, IMAGE_MAX_SIDE, IMAGE_MAX_PIXELS / 1000000);
		return M_INVALID;
	}

	memset(m, 0, sizeof *m);
	m->id = id_next();
	m->account_id = v->account.id;
	secret_code(m->file_key, sizeof m->file_key, MEDIA_KEY_LEN);
	snprintf(m->ext, sizeof m->ext, "%s", image_ext(info.kind));
	snprintf(m->content_type, sizeof m->content_type, "%s", image_mime(info.kind));
	snprintf(m->description, sizeof m->description, "%s", description ? description : "");
	m->focus_x = fx;
	m->focus_y = fy;
	m->created_at = time_now_ms();

	if (info.kind == IMAGE_PDF) {
		snprintf(m->type, sizeof m->type, "unknown");
		m->size = (int64_t)len;
		rc = put_files(m, NULL, data, len, NULL);
	} else {
		if (image_process(data, len, &info, MEDIA_THUMB_BOX, &img, why, sizeof why) < 0) {
			image_result_release(&img);
			snprintf(err, errlen, "The image cannot be used: %s", why);
			return M_INVALID;
		}
		snprintf(m->type, sizeof m->type, "image");
		snprintf(m->thumb_ext, sizeof m->thumb_ext, "%s", image_ext(img.thumb_kind));
		m->size = (int64_t)img.original.len;
		m->width = img.width;
		m->height = img.height;
		m->thumb_width = img.thumb_width;
		m->thumb_height = img.thumb_height;
		rc = put_files(m, &img.original, NULL, 0, &img.thumb);
		image_result_release(&img);
	}
	if (rc < 0) {
		snprintf(err, errlen, "The file could not be stored");
		return M_ERROR;
	}
	if (store_media_insert(m) != STORE_OK) {
		remove_files(m);
		snprintf(err, errlen, "The file could not be stored");
		return M_ERROR;
	}
	/* now and then, clear out uploads that were never posted */
	if (randombytes_uniform(32) == 0)
		media_prune_unattached(m->created_at, 100);
	return M_OK;
}

/* ---- the owner's operations ----------------------------------------------- */

static enum mresult own(const struct viewer *v, int64_t id, struct media_row *out,
			char *err, size_t errlen)
{
	int rc = store_media_get(id, out);

	if (rc == STORE_ERROR) {
		snprintf(err, errlen, "Database error");
		return M_ERROR;
	}
	if (rc != STORE_OK || !v || !v->signed_in || out->account_id != v->account.id) {
		snprintf(err, errlen, "Record not found");
		return M_NOTFOUND;
	}
	return M_OK;
}

enum mresult media_get(const struct viewer *v, int64_t id, struct media_row *out,
		       char *err, size_t errlen)
{
	return own(v, id, out, err, errlen);
}

enum mresult media_update(const struct viewer *v, int64_t id, const char *description,
			  const char *focus, struct media_row *out, char *err, size_t errlen)
{
	enum mresult r;
	int fx, fy, rc;

	if ((r = own(v, id, out, err, errlen)) != M_OK)
		return r;
	if ((r = check_description(description, err, errlen)) != M_OK)
		return r;
	fx = out->focus_x;
	fy = out->focus_y;
	if (focus && (r = parse_focus(focus, &fx, &fy, err, errlen)) != M_OK)
		return r;
	if (!description && !focus)
		return M_OK;
	if (description)
		snprintf(out->description, sizeof out->description, "%s", description);
	out->focus_x = fx;
	out->focus_y = fy;
	rc = store_media_update(id, out->description, fx, fy);
	if (rc == STORE_NOTFOUND) {
		snprintf(err, errlen, "Record not found");
		return M_NOTFOUND;
	}
	if (rc != STORE_OK) {
		snprintf(err, errlen, "Database error");
		return M_ERROR;
	}
	return M_OK;
}

enum mresult media_delete(const struct viewer *v, int64_t id, char *err, size_t errlen)
{
	struct media_row m;
	enum mresult r;
	int rc;

	if ((r = own(v, id, &m, err, errlen)) != M_OK)
		return r;
	if (m.post_id) {
		snprintf(err, errlen, "This media is attached to a post: delete the post instead");
		return M_INVALID;
	}
	rc = store_media_delete_unattached(m.account_id, id);
	if (rc == STORE_NOTFOUND) {
		/* attached or deleted since we looked */
		snprintf(err, errlen, "Record not found");
		return M_NOTFOUND;
	}
	if (rc != STORE_OK) {
		snprintf(err, errlen, "Database error");
		return M_ERROR;
	}
	remove_files(&m);
	return M_OK;
}

/* ---- posts ---------------------------------------------------------------- */

enum mresult media_attach(int64_t account_id, const int64_t *ids, size_t n, int64_t post_id,
			  char *err, size_t errlen)
{
	size_t i, j, failed = 0;
	int rc;

	if (n == 0)
		return M_OK;
	if (n > MEDIA_PER_POST) {
		snprintf(err, errlen, "A post can have at most %d attachments", MEDIA_PER_POST);
		return M_INVALID;
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			if (ids[i] == ids[j]) {
				snprintf(err, errlen, "Media %lld is given twice", (long long)ids[i]);
				return M_INVALID;
			}
	rc = store_media_attach(account_id, ids, n, post_id, &failed);
	if (rc == STORE_NOTFOUND) {
		snprintf(err, errlen, "Media %lld cannot be attached: it does not exist, is not yours, "
			 "or is already attached to a post", (long long)ids[failed]);
		return M_INVALID;
	}
	if (rc != STORE_OK) {
		snprintf(err, errlen, "Database error");
		return M_ERROR;
	}
	return M_OK;
}

enum mresult media_list_for_post(int64_t post_id, void (*fn)(const struct media_row *, void *),
				 void *ctx)
{
	return store_media_list_for_post(post_id, fn, ctx) == STORE_OK ? M_OK : M_ERROR;
}

/* The names of files to remove once their rows are gone. */
struct doomed {
	char (*names)[64];
	size_t n, cap;
	int failed;
};

static void collect(const struct media_row *m, void *ctx)
{
	struct doomed *d = ctx;
	int small;

	for (small = 0; small <= 1; small++) {
		char name[64];

		if (!media_file_name(m, small, name, sizeof name))
			continue;
		if (d->n == d->cap) {
			size_t ncap = d->cap ? d->cap * 2 : 8;
			char (*nn)[64] = realloc(d->names, ncap * sizeof *nn);

			if (!nn) {
				d->failed = 1;
				log_error("media: out of memory: %s stays on disk", name);
				continue;
			}
			d->names = nn;
			d->cap = ncap;
		}
		memcpy(d->names[d->n++], name, sizeof name);
	}
}

static void remove_doomed(struct doomed *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		store_media_file_remove(d->names[i]);
	free(d->names);
}

enum mresult media_remove_for_post(int64_t post_id)
{
	struct doomed d = { NULL, 0, 0, 0 };
	int rc = store_media_delete_for_post(post_id, collect, &d);

	/* the rows are gone (the statement has finished): now the files */
	remove_doomed(&d);
	return rc == STORE_OK ? M_OK : M_ERROR;
}

int media_prune_unattached(int64_t now_ms, int limit)
{
	struct doomed d = { NULL, 0, 0, 0 };
	int n = store_media_delete_stale(now_ms - MEDIA_UNATTACHED_TTL_MS, limit, collect, &d);

	remove_doomed(&d);
	if (n > 0)
		log_info("media: removed %d upload%s never attached to a post", n, n == 1 ? "" : "s");
	return n;
}

/* ---- serving -------------------------------------------------------------- */

static int key_ok(const char *s, size_t n)
{
	size_t i;

	if (n != MEDIA_KEY_LEN)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return 0;
	}
	return 1;
}

/* ---- who may fetch a file ------------------------------------------------ */

static int media_mac(const char *name, long long expiry, char *out, size_t n)
{
	unsigned char key[SECRET_KEY_LEN];
	char msg[128];

	if (sitekey_get(key) < 0)
		return -1;
	snprintf(msg, sizeof msg, "media|%s|%lld", name, expiry);
	secret_mac(key, msg, out, n);
	sodium_memzero(key, sizeof key);
	return 0;
}

static int may_serve(const struct viewer *v, const struct media_row *m, const char *name,
		     const char *e, const char *s, int *public_out)
{
	struct post_row p;
	int ok = 0;

	*public_out = 0;
	if (m->post_id && store_post_get(m->post_id, &p) == STORE_OK) {
		*public_out = audience_is_public(&p);
		ok = audience_may_read(v, &p);
		post_row_release(&p);
	} else if (!m->post_id) {
		ok = v->signed_in && v->account.id == m->account_id;
	}
	if (!ok && e && s) {
		char mac[SECRET_TOKEN_LEN + 1], *end;
		long long expiry = strtoll(e, &end, 10);

		if (*end == '\0' && expiry * 1000 > time_now_ms() && media_mac(name, expiry, mac, sizeof mac) == 0)
			ok = secret_equal(mac, s);
	}
	return ok;
}

enum mresult media_read_file(const struct viewer *v, const char *name, const char *exp,
			     const char *sig, struct media_file *out)
{
	const char *dot, *ext;
	char key[MEDIA_KEY_LEN + 1], fname[64];
	int rc;

	memset(out, 0, sizeof *out);
	/* re-encoded images stay below 256 MiB (lib/image.c); PDFs below max_bytes */
	buf_init(&out->data, max_bytes > (256u << 20) ? max_bytes : (256u << 20));
	if (!name || !(dot = strchr(name, '.')) || !key_ok(name, (size_t)(dot - name)))
		return M_NOTFOUND;
	memcpy(key, name, MEDIA_KEY_LEN);
	key[MEDIA_KEY_LEN] = '\0';
	ext = dot + 1;
	if (!strncmp(ext, "small.", 6)) {
		out->small = 1;
		ext += 6;
	}
	rc = store_media_by_key(key, &out->row);
	if (rc == STORE_ERROR)
		return M_ERROR;
	if (rc != STORE_OK || strcmp(ext, out->small ? out->row.thumb_ext : out->row.ext) ||
	    !media_file_name(&out->row, out->small, fname, sizeof fname) ||
	    !may_serve(v, &out->row, name, exp, sig, &out->public_post))
		return M_NOTFOUND;
	out->content_type = image_mime(image_kind_from_ext(ext));
	rc = store_media_file_get(fname, &out->data);
	if (rc != 0) {
		buf_release(&out->data);
		if (rc > 0)
			log_warn("media: the file of medium %lld is missing", (long long)out->row.id);
		return rc > 0 ? M_NOTFOUND : M_ERROR;
	}
	return M_OK;
}


int media_sign(const char *name, struct buf *out)
{
	long long expiry = (time_now_ms() / 3600000 + 25) * 3600;
	char mac[SECRET_TOKEN_LEN + 1];

	if (media_mac(name, expiry, mac, sizeof mac) < 0)
		return -1;
	return buf_printf(out, "?exp=%lld&sig=%s", expiry, mac);
}

