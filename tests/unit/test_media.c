/*
 * test_media.c - unit tests for media (src/model/media.c) on a real
 * SQLite database and media directory in a temporary directory, with the
 * store underneath (src/store/sqlite_media.c, src/store/fs_media.c):
 * uploads and their refusals, owner checks, alt text and focus,
 * attaching to posts (all or nothing, order, limits), removal with the
 * post, pruning of forgotten uploads, and reading files back by name.
 */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <ftw.h>
#include <gd.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/id.h"
#include "lib/image.h"
#include "lib/log.h"
#include "lib/secret.h"
#include "lib/timeutil.h"
#include "model/media.h"
#include "store/store.h"
#include "unit.h"

static char dir[256], mdir[300];
static char err[512];
static struct viewer alice, bob, nobody;

static void make_viewer(struct viewer *v, const char *name)
{
	struct account_row *a = &v->account;

	memset(v, 0, sizeof *v);
	a->id = id_next();
	snprintf(a->username, sizeof a->username, "%s", name);
	snprintf(a->email, sizeof a->email, "%s@example.com", name);
	snprintf(a->kind, sizeof a->kind, "staff");
	a->created_at = time_now_ms();
	if (store_account_insert(a) != STORE_OK)
		fprintf(stderr, "  cannot insert account %s\n", name);
	v->signed_in = 1;
}

struct blob {
	void *p;
	int n;
};

static struct blob png_of(int w, int h)
{
	gdImagePtr im = gdImageCreateTrueColor(w, h);
	struct blob b;

	gdImageFilledRectangle(im, 0, 0, w - 1, h - 1, gdTrueColor(200, 100, 50));
	b.p = gdImagePngPtr(im, &b.n);
	gdImageDestroy(im);
	return b;
}

static int file_exists(const char *name)
{
	char path[600];
	struct stat st;

	snprintf(path, sizeof path, "%s/%s", mdir, name);
	return stat(path, &st) == 0;
}

static int files_of(const struct media_row *m)
{
	char name[64];
	int n = 0;

	if (media_file_name(m, 0, name, sizeof name) && file_exists(name))
		n++;
	if (media_file_name(m, 1, name, sizeof name) && file_exists(name))
		n++;
	return n;
}

static int count_files(const char *prefix)
{
	DIR *d = opendir(mdir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' || !strncmp(e->d_name, ".tmp", 4))
			if (!prefix || !strncmp(e->d_name, prefix, strlen(prefix)))
				n++;
	closedir(d);
	return n;
}

static int64_t upload_png(const struct viewer *v, int w, int h, struct media_row *out)
{
	struct blob b = png_of(w, h);
	enum mresult r = media_upload(v, b.p, (size_t)b.n, NULL, NULL, out, err, sizeof err);

	gdFree(b.p);
	if (r != M_OK)
		fprintf(stderr, "  upload failed: %s\n", err);
	return r == M_OK ? out->id : 0;
}

/* ---- uploads ------------------------------------------------------------- */

static void test_upload_image(void)
{
	struct blob b = png_of(800, 600);
	struct media_row m, got;
	char name[64];

	CHECK(media_upload(&alice, b.p, (size_t)b.n, "A warm orange", "0.25,-0.5", &m, err,
			   sizeof err) == M_OK);
	gdFree(b.p);
	CHECK(m.id > 0);
	CHECK(m.account_id == alice.account.id);
	CHECK(m.post_id == 0);
	CHECK_STR(m.type, "image");
	CHECK_STR(m.content_type, "image/png");
	CHECK_STR(m.ext, "png");
	CHECK_STR(m.thumb_ext, "jpg");
	CHECK(strlen(m.file_key) == MEDIA_KEY_LEN);
	CHECK(m.width == 800 && m.height == 600);
	CHECK(m.thumb_width == 400 && m.thumb_height == 300);
	CHECK(m.size > 0);
	CHECK_STR(m.description, "A warm orange");
	CHECK(m.focus_x == 250000 && m.focus_y == -500000);
	CHECK(files_of(&m) == 2);
	{
		char want[64];

		snprintf(want, sizeof want, "%s.small.jpg", m.file_key);
		CHECK_STR(media_file_name(&m, 1, name, sizeof name), want);
		snprintf(want, sizeof want, "%s.png", m.file_key);
		CHECK_STR(media_file_name(&m, 0, name, sizeof name), want);
		CHECK(media_file_name(&m, 0, name, 10) == NULL); /* too small */
	}

	/* the row as stored */
	CHECK(media_get(&alice, m.id, &got, err, sizeof err) == M_OK);
	CHECK(got.id == m.id);
	CHECK_STR(got.file_key, m.file_key);
	CHECK_STR(got.description, "A warm orange");
	CHECK(got.size == m.size);
	CHECK(got.thumb_width == 400);

	/* someone else, or nobody, sees nothing */
	CHECK(media_get(&bob, m.id, &got, err, sizeof err) == M_NOTFOUND);
	CHECK(media_get(&nobody, m.id, &got, err, sizeof err) == M_NOTFOUND);
	CHECK(media_get(&alice, m.id + 1, &got, err, sizeof err) == M_NOTFOUND);
}

static void test_upload_pdf(void)
{
	static const char pdf[] = "%PDF-1.5\n% a tiny document\n%%EOF\n";
	struct media_row m;
	struct media_file f;
	char name[64];

	CHECK(media_upload(&alice, pdf, sizeof pdf - 1, "", "", &m, err, sizeof err) == M_OK);
	CHECK_STR(m.type, "unknown");
	CHECK_STR(m.content_type, "application/pdf");
	CHECK_STR(m.ext, "pdf");
	CHECK_STR(m.thumb_ext, "");
	CHECK(m.width == 0 && m.height == 0);
	CHECK(m.size == (int64_t)(sizeof pdf - 1));
	CHECK(files_of(&m) == 1);
	CHECK(media_file_name(&m, 1, name, sizeof name) == NULL);
	/* kept byte for byte */
	CHECK(media_file_name(&m, 0, name, sizeof name) != NULL);
	CHECK(media_read_file(&alice, name, NULL, NULL, &f) == M_OK);
	CHECK(f.data.len == sizeof pdf - 1 && !memcmp(f.data.data, pdf, f.data.len));
	CHECK_STR(f.content_type, "application/pdf");
	CHECK(!f.small);
	buf_release(&f.data);
}

static void test_upload_refusals(void)
{
	struct blob b = png_of(10, 10);
	struct media_row m;
	char longtext[1700 * 2 + 1];
	int before = count_files(NULL);

	/* not signed in */
	CHECK(media_upload(&nobody, b.p, (size_t)b.n, NULL, NULL, &m, err, sizeof err) == M_UNAUTHORIZED);
	CHECK(media_upload(NULL, b.p, (size_t)b.n, NULL, NULL, &m, err, sizeof err) == M_UNAUTHORIZED);
	/* not an image or PDF, empty */
	CHECK(media_upload(&alice, "plain text, honestly", 20, NULL, NULL, &m, err, sizeof err) == M_INVALID);
	CHECK(strstr(err, "not an image or PDF") != NULL);
	CHECK(media_upload(&alice, NULL, 0, NULL, NULL, &m, err, sizeof err) == M_INVALID);
	CHECK(media_upload(&alice, b.p, 0, NULL, NULL, &m, err, sizeof err) == M_INVALID);
	/* a header declaring too many pixels */
	{
		unsigned char *p = malloc((size_t)b.n);

		memcpy(p, b.p, (size_t)b.n);
		p[16] = 0; p[17] = 0; p[18] = 0x4E; p[19] = 0x20;   /* 20000 wide */
		CHECK(media_upload(&alice, p, (size_t)b.n, NULL, NULL, &m, err, sizeof err) == M_INVALID);
		CHECK(strstr(err, "too big (20000x10)") != NULL);
		free(p);
	}
	/* alt text: 1500 characters of two bytes each are fine, 1501 are not */
	{
		size_t i;

		for (i = 0; i < 1500; i++)
			memcpy(longtext + 2 * i, "\xc3\xa9", 2);
		longtext[3000] = '\0';
		CHECK(media_upload(&alice, b.p, (size_t)b.n, longtext, NULL, &m, err, sizeof err) == M_OK);
		CHECK(strlen(m.description) == 3000);
		memcpy(longtext + 3000, "x", 2);
		CHECK(media_upload(&alice, b.p, (size_t)b.n, longtext, NULL, &m, err, sizeof err) == M_INVALID);
		CHECK(strstr(err, "1500") != NULL);
		CHECK(media_upload(&alice, b.p, (size_t)b.n, "bad \xff utf-8", NULL, &m, err, sizeof err) == M_INVALID);
	}
	/* focus */
	{
		static const char *const bad[] = { "1.5,0", "0,-1.01", "0.5", "0.5,", ",0.5", "a,b",
						   "0.1,0.2,0.3", "nan,0", "inf,0", "0,0x" };
		size_t i;

		for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			err[0] = '\0';
			if (media_upload(&alice, b.p, (size_t)b.n, NULL, bad[i], &m, err, sizeof err) != M_INVALID)
				fprintf(stderr, "  focus \"%s\" was accepted\n", bad[i]);
			CHECK(strstr(err, "focus") != NULL);
		}
		CHECK(media_upload(&alice, b.p, (size_t)b.n, NULL, "-1,1", &m, err, sizeof err) == M_OK);
		CHECK(m.focus_x == -1000000 && m.focus_y == 1000000);
		CHECK(media_upload(&alice, b.p, (size_t)b.n, NULL, " 0.123456 , 0 ", &m, err, sizeof err) == M_OK);
		CHECK(m.focus_x == 123456 && m.focus_y == 0);
	}
	/* the size limit */
	CHECK(media_init(dir, 32, err, sizeof err) == 0);
	CHECK(media_upload(&alice, b.p, (size_t)b.n, NULL, NULL, &m, err, sizeof err) == M_INVALID);
	CHECK(strstr(err, "too large") != NULL);
	CHECK(media_init(dir, 16u << 20, err, sizeof err) == 0);
	gdFree(b.p);
	/* the refusals left nothing behind (the three accepted uploads made six files) */
	CHECK(count_files(NULL) == before + 6);
	CHECK(count_files(".tmp") == 0);
}

static void test_update(void)
{
	struct media_row m, got;

	CHECK(upload_png(&alice, 50, 50, &m) > 0);
	CHECK(media_update(&alice, m.id, "first", NULL, &got, err, sizeof err) == M_OK);
	CHECK_STR(got.description, "first");
	CHECK(got.focus_x == 0);
	CHECK(media_update(&alice, m.id, NULL, "0.5,0.5", &got, err, sizeof err) == M_OK);
	CHECK_STR(got.description, "first");
	CHECK(got.focus_x == 500000 && got.focus_y == 500000);
	CHECK(media_get(&alice, m.id, &got, err, sizeof err) == M_OK);
	CHECK_STR(got.description, "first");
	CHECK(got.focus_y == 500000);
	/* nothing to change: the row as it is */
	CHECK(media_update(&alice, m.id, NULL, NULL, &got, err, sizeof err) == M_OK);
	CHECK_STR(got.description, "first");
	/* "" clears */
	CHECK(media_update(&alice, m.id, "", "", &got, err, sizeof err) == M_OK);
	CHECK_STR(got.description, "");
	CHECK(got.focus_x == 0 && got.focus_y == 0);
	/* bad values change nothing */
	CHECK(media_update(&alice, m.id, "kept?", "9,9", &got, err, sizeof err) == M_INVALID);
	CHECK(media_get(&alice, m.id, &got, err, sizeof err) == M_OK);
	CHECK_STR(got.description, "");
	/* not bob's */
	CHECK(media_update(&bob, m.id, "mine now", NULL, &got, err, sizeof err) == M_NOTFOUND);
	CHECK(media_get(&alice, m.id, &got, err, sizeof err) == M_OK);
	CHECK_STR(got.description, "");
}

static void test_delete(void)
{
	struct media_row m, got;

	CHECK(upload_png(&alice, 40, 40, &m) > 0);
	CHECK(files_of(&m) == 2);
	CHECK(media_delete(&bob, m.id, err, sizeof err) == M_NOTFOUND);
	CHECK(files_of(&m) == 2);
	CHECK(media_delete(&alice, m.id, err, sizeof err) == M_OK);
	CHECK(files_of(&m) == 0);
	CHECK(media_get(&alice, m.id, &got, err, sizeof err) == M_NOTFOUND);
	CHECK(media_delete(&alice, m.id, err, sizeof err) == M_NOTFOUND);
}

/* ---- posts ------------------------------------------------------------------ */

struct listed {
	int64_t ids[8];
	int n;
};

static void list_cb(const struct media_row *m, void *ctx)
{
	struct listed *l = ctx;

	if (l->n < 8)
		l->ids[l->n++] = m->id;
}

static void test_attach(void)
{
	struct media_row a, b, c, d, e, x, got;
	int64_t post = id_next(), post2 = id_next();
	struct listed l = { { 0 }, 0 };

	upload_png(&alice, 20, 20, &a);
	upload_png(&alice, 20, 20, &b);
	upload_png(&alice, 20, 20, &c);
	upload_png(&alice, 20, 20, &d);
	upload_png(&alice, 20, 20, &e);
	upload_png(&bob, 20, 20, &x);

	/* someone else's medium: refused, nothing attached */
	{
		int64_t ids[] = { a.id, x.id };

		CHECK(store_begin() == STORE_OK);
		CHECK(media_attach(alice.account.id, ids, 2, post, err, sizeof err) == M_INVALID);
		store_rollback();
		CHECK(strstr(err, "cannot be attached") != NULL);
		CHECK(media_get(&alice, a.id, &got, err, sizeof err) == M_OK && got.post_id == 0);
	}
	/* all or nothing even without the caller's rollback */
	{
		int64_t ids[] = { a.id, b.id, 999 };

		CHECK(media_attach(alice.account.id, ids, 3, post, err, sizeof err) == M_INVALID);
		CHECK(strstr(err, "999") != NULL);
		CHECK(media_get(&alice, a.id, &got, err, sizeof err) == M_OK && got.post_id == 0);
		CHECK(media_get(&alice, b.id, &got, err, sizeof err) == M_OK && got.post_id == 0);
	}
	/* twice the same, more than four */
	{
		int64_t twice[] = { a.id, a.id }, five[] = { a.id, b.id, c.id, d.id, e.id };

		CHECK(media_attach(alice.account.id, twice, 2, post, err, sizeof err) == M_INVALID);
		CHECK(media_attach(alice.account.id, five, 5, post, err, sizeof err) == M_INVALID);
		CHECK(strstr(err, "4") != NULL);
		CHECK(media_attach(alice.account.id, five, 0, post, err, sizeof err) == M_OK);
	}
	/* four, in the order given (not the upload order) */
	{
		int64_t ids[] = { c.id, a.id, d.id, b.id };

		CHECK(store_begin() == STORE_OK);
		CHECK(media_attach(alice.account.id, ids, 4, post, err, sizeof err) == M_OK);
		CHECK(store_commit() == STORE_OK);
		CHECK(media_list_for_post(post, list_cb, &l) == M_OK);
		CHECK(l.n == 4);
		CHECK(l.ids[0] == c.id && l.ids[1] == a.id && l.ids[2] == d.id && l.ids[3] == b.id);
		CHECK(media_get(&alice, a.id, &got, err, sizeof err) == M_OK);
		CHECK(got.post_id == post && got.position == 1);
	}
	/* attached media cannot go to another post, nor be deleted alone, but
	 * their alt text can still change */
	{
		int64_t ids[] = { e.id, a.id };

		CHECK(media_attach(alice.account.id, ids, 2, post2, err, sizeof err) == M_INVALID);
		CHECK(media_get(&alice, e.id, &got, err, sizeof err) == M_OK && got.post_id == 0);
		CHECK(media_delete(&alice, a.id, err, sizeof err) == M_INVALID);
		CHECK(strstr(err, "attached") != NULL);
		CHECK(files_of(&a) == 2);
		CHECK(media_update(&alice, a.id, "later alt text", NULL, &got, err, sizeof err) == M_OK);
	}
	/* bob's own medium attaches to his post */
	{
		int64_t ids[] = { x.id };

		CHECK(media_attach(bob.account.id, ids, 1, post2, err, sizeof err) == M_OK);
	}
	/* removing the post's media: rows and files, the other post untouched */
	CHECK(media_remove_for_post(post) == M_OK);
	CHECK(files_of(&a) == 0 && files_of(&b) == 0 && files_of(&c) == 0 && files_of(&d) == 0);
	CHECK(media_get(&alice, a.id, &got, err, sizeof err) == M_NOTFOUND);
	l.n = 0;
	CHECK(media_list_for_post(post, list_cb, &l) == M_OK && l.n == 0);
	l.n = 0;
	CHECK(media_list_for_post(post2, list_cb, &l) == M_OK && l.n == 1);
	CHECK(files_of(&x) == 2);
	CHECK(files_of(&e) == 2);
	CHECK(media_remove_for_post(post) == M_OK); /* nothing left: fine */
}

static void test_prune_unattached(void)
{
	struct media_row fresh, kept, got;
	int64_t post = id_next(), ids[1];
	int n;

	upload_png(&alice, 20, 20, &fresh);
	upload_png(&alice, 20, 20, &kept);
	ids[0] = kept.id;
	CHECK(media_attach(alice.account.id, ids, 1, post, err, sizeof err) == M_OK);
	/* not yet stale */
	CHECK(media_prune_unattached(fresh.created_at, 1000) == 0);
	CHECK(media_get(&alice, fresh.id, &got, err, sizeof err) == M_OK);
	/* a day later: every unattached upload goes, attached ones stay */
	n = media_prune_unattached(fresh.created_at + MEDIA_UNATTACHED_TTL_MS + 1, 1000);
	CHECK(n >= 1);
	CHECK(media_get(&alice, fresh.id, &got, err, sizeof err) == M_NOTFOUND);
	CHECK(files_of(&fresh) == 0);
	CHECK(media_get(&alice, kept.id, &got, err, sizeof err) == M_OK);
	CHECK(files_of(&kept) == 2);
	/* the limit is respected */
	upload_png(&alice, 20, 20, &fresh);
	upload_png(&alice, 20, 20, &got);
	CHECK(media_prune_unattached(got.created_at + MEDIA_UNATTACHED_TTL_MS + 1, 1) == 1);
	CHECK(media_prune_unattached(got.created_at + MEDIA_UNATTACHED_TTL_MS + 1, 10) == 1);
	CHECK(media_remove_for_post(post) == M_OK);
}

/* ---- reading files back ----------------------------------------------------- */

static void test_read_file(void)
{
	struct media_row m;
	struct media_file f;
	char name[64], bad[400];
	struct image_info info;

	CHECK(upload_png(&alice, 640, 100, &m) > 0);
	CHECK(media_file_name(&m, 0, name, sizeof name) != NULL);
	CHECK(media_read_file(&alice, name, NULL, NULL, &f) == M_OK);
	CHECK_STR(f.content_type, "image/png");
	CHECK(!f.small);
	CHECK(f.row.id == m.id);
	CHECK(image_sniff(f.data.data, f.data.len, &info) == 0);
	CHECK(info.kind == IMAGE_PNG && info.width == 640 && info.height == 100);
	buf_release(&f.data);
	/* an unattached upload is for its uploader only (and signed URLs) */
	CHECK(media_read_file(&bob, name, NULL, NULL, &f) == M_NOTFOUND);
	CHECK(media_read_file(&nobody, name, NULL, NULL, &f) == M_NOTFOUND);
	CHECK(media_read_file(&bob, name, "99999999999", "forged", &f) == M_NOTFOUND);

	CHECK(media_file_name(&m, 1, name, sizeof name) != NULL);
	CHECK(media_read_file(&alice, name, NULL, NULL, &f) == M_OK);
	CHECK_STR(f.content_type, "image/jpeg");
	CHECK(f.small);
	CHECK(image_sniff(f.data.data, f.data.len, &info) == 0);
	CHECK(info.kind == IMAGE_JPEG && info.width == 400 && info.height == 63);
	buf_release(&f.data);

	/* names that are not exactly right */
	{
		const char *const names[] = { "", "x", ".png", "../parley.db", "/etc/passwd", NULL };
		size_t i;

		for (i = 0; names[i]; i++)
			CHECK(media_read_file(&alice, names[i], NULL, NULL, &f) == M_NOTFOUND);
		CHECK(media_read_file(&alice, NULL, NULL, NULL, &f) == M_NOTFOUND);
	}
	snprintf(bad, sizeof bad, "%s.jpg", m.file_key);
	CHECK(media_read_file(&alice, bad, NULL, NULL, &f) == M_NOTFOUND);
	snprintf(bad, sizeof bad, "%s.small.png", m.file_key);
	CHECK(media_read_file(&alice, bad, NULL, NULL, &f) == M_NOTFOUND);
	snprintf(bad, sizeof bad, "%s.png.png", m.file_key);
	CHECK(media_read_file(&alice, bad, NULL, NULL, &f) == M_NOTFOUND);
	snprintf(bad, sizeof bad, "%s", m.file_key);
	CHECK(media_read_file(&alice, bad, NULL, NULL, &f) == M_NOTFOUND);
	snprintf(bad, sizeof bad, "%sA.png", m.file_key);
	CHECK(media_read_file(&alice, bad, NULL, NULL, &f) == M_NOTFOUND);
	snprintf(bad, sizeof bad, "%.21s/.png", m.file_key);
	CHECK(media_read_file(&alice, bad, NULL, NULL, &f) == M_NOTFOUND);

	/* a row whose file has gone missing is not found, not an error */
	CHECK(media_file_name(&m, 0, name, sizeof name) != NULL);
	snprintf(bad, sizeof bad, "%s/%s", mdir, name);
	CHECK(unlink(bad) == 0);
	CHECK(media_read_file(&alice, name, NULL, NULL, &f) == M_NOTFOUND);
}

static int rm_cb(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int main(void)
{
	log_set_level(LOG_ERROR); /* the missing-file test warns */
	snprintf(dir, sizeof dir, "/tmp/parley-test-media-XXXXXX");
	if (!mkdtemp(dir) || secret_init() < 0 || store_open(dir, err, sizeof err) < 0) {
		fprintf(stderr, "setup failed: %s\n", err);
		return 1;
	}
	if (media_init(dir, 16u << 20, err, sizeof err) < 0) {
		fprintf(stderr, "media_init failed: %s\n", err);
		return 1;
	}
	snprintf(mdir, sizeof mdir, "%s/media", dir);
	make_viewer(&alice, "alice");
	make_viewer(&bob, "bob");
	memset(&nobody, 0, sizeof nobody);

	RUN(test_upload_image);
	RUN(test_upload_pdf);
	RUN(test_upload_refusals);
	RUN(test_update);
	RUN(test_delete);
	RUN(test_attach);
	RUN(test_prune_unattached);
	RUN(test_read_file);

	store_close();
	nftw(dir, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	return unit_finish("media");
}
