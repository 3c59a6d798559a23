/*
 * test_image.c - unit tests for src/lib/image.c: sniffing each kind from
 * its bytes, truncated and lying headers, the size limits (decompression
 * bombs), re-encoding (EXIF gone, orientation applied) and thumbnails.
 *
 * Every test image is made here with libgd itself, then patched where a
 * test needs a header that lies; no binary fixture files.
 */
#include <gd.h>
#include <stdint.h>
#include <stdlib.h>

#include "lib/image.h"
#include "unit.h"

/* ---- making test images ----------------------------------------------- */

struct blob {
	unsigned char *p;
	size_t n;
};

/* A w x h image: a red 1/4 x 1/4 block in the top-left corner on a blue
 * background; with alpha, the right half is fully transparent. */
static gdImagePtr picture(int w, int h, int alpha)
{
	gdImagePtr im = gdImageCreateTrueColor(w, h);

	gdImageAlphaBlending(im, 0);
	gdImageSaveAlpha(im, 1);
	gdImageFilledRectangle(im, 0, 0, w - 1, h - 1, gdTrueColor(20, 40, 200));
	gdImageFilledRectangle(im, 0, 0, w / 4 - 1, h / 4 - 1, gdTrueColor(230, 10, 10));
	if (alpha)
		gdImageFilledRectangle(im, w / 2, 0, w - 1, h - 1, gdTrueColorAlpha(0, 0, 0, 127));
	return im;
}

static struct blob encode_as(gdImagePtr im, enum image_kind k)
{
	struct blob b = { NULL, 0 };
	int size = 0;
	void *p = NULL;

	switch (k) {
	case IMAGE_JPEG: p = gdImageJpegPtr(im, &size, 90); break;
	case IMAGE_PNG: p = gdImagePngPtr(im, &size); break;
	case IMAGE_GIF: p = gdImageGifPtr(im, &size); break;
	case IMAGE_WEBP: p = gdImageWebpPtrEx(im, &size, 80); break;
	default: break;
	}
	if (p && size > 0) {
		b.p = malloc((size_t)size);
		memcpy(b.p, p, (size_t)size);
		b.n = (size_t)size;
	}
	if (p)
		gdFree(p);
	return b;
}

static struct blob make(enum image_kind k, int w, int h, int alpha)
{
	gdImagePtr im = picture(w, h, alpha);
	struct blob b = encode_as(im, k);

	gdImageDestroy(im);
	return b;
}

static struct blob make_webp_lossless(int w, int h)
{
	gdImagePtr im = picture(w, h, 0);
	struct blob b = { NULL, 0 };
	int size = 0;
	void *p = gdImageWebpPtrEx(im, &size, gdWebpLossless);

	if (p && size > 0) {
		b.p = malloc((size_t)size);
		memcpy(b.p, p, (size_t)size);
		b.n = (size_t)size;
	}
	if (p)
		gdFree(p);
	gdImageDestroy(im);
	return b;
}

/* Insert `seg` (a whole marker segment) right after the JPEG's SOI. */
static struct blob jpeg_insert(const struct blob *j, const unsigned char *seg, size_t n)
{
	struct blob b;

	b.n = j->n + n;
	b.p = malloc(b.n);
	memcpy(b.p, j->p, 2);
	memcpy(b.p + 2, seg, n);
	memcpy(b.p + 2 + n, j->p + 2, j->n - 2);
	return b;
}

/* An APP1 Exif segment with IFD0 holding Orientation = o and a fake GPS
 * pointer, in big-endian ("MM") or little-endian ("II") TIFF order. */
static size_t exif_segment(unsigned char *s, int o, int little)
{
	static const unsigned char mm[] = {
		0xFF, 0xE1, 0x00, 0x2E, 'E', 'x', 'i', 'f', 0, 0,
		'M', 'M', 0, 42, 0, 0, 0, 8,             /* TIFF header, IFD0 at 8 */
		0, 2,                                    /* two entries */
		0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0,  /* Orientation SHORT 1 */
		0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0x26, /* GPSInfo LONG 1 */
		0, 0, 0, 0,                              /* no next IFD */
	};
	static const unsigned char ii[] = {
		0xFF, 0xE1, 0x00, 0x2E, 'E', 'x', 'i', 'f', 0, 0,
		'I', 'I', 42, 0, 8, 0, 0, 0,
		2, 0,
		0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0,
		0x25, 0x88, 4, 0, 1, 0, 0, 0, 0x26, 0, 0, 0,
		0, 0, 0, 0,
	};

	memcpy(s, little ? ii : mm, sizeof mm);
	if (little)
		s[28] = (unsigned char)o;
	else
		s[29] = (unsigned char)o;
	return sizeof mm;
}

static int contains(const void *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;
	const unsigned char *h = hay;

	for (i = 0; i + k <= n; i++)
		if (!memcmp(h + i, needle, k))
			return 1;
	return 0;
}

/* The colour of pixel (x, y) of an encoded image, as r,g,b. */
static void pixel_of(const struct buf *b, enum image_kind k, int x, int y, int rgb[3])
{
	gdImagePtr im = NULL;
	int c;

	if (k == IMAGE_JPEG)
		im = gdImageCreateFromJpegPtr((int)b->len, b->data);
	else if (k == IMAGE_PNG)
		im = gdImageCreateFromPngPtr((int)b->len, b->data);
	if (!im) {
		rgb[0] = rgb[1] = rgb[2] = -1;
		return;
	}
	c = gdImageGetTrueColorPixel(im, x, y);
	rgb[0] = gdTrueColorGetRed(c);
	rgb[1] = gdTrueColorGetGreen(c);
	rgb[2] = gdTrueColorGetBlue(c);
	gdImageDestroy(im);
}

static int is_red(const int c[3])
{
	return c[0] > 180 && c[1] < 70 && c[2] < 70;
}

static int is_blue(const int c[3])
{
	return c[0] < 70 && c[1] < 90 && c[2] > 150;
}

/* ---- sniffing ------------------------------------------------------------ */

static void test_sniff_each_kind(void)
{
	static const enum image_kind kinds[] = { IMAGE_JPEG, IMAGE_PNG, IMAGE_GIF, IMAGE_WEBP };
	struct image_info info;
	size_t i;

	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		struct blob b = make(kinds[i], 123, 45, 0);

		CHECK(b.n > 0);
		CHECK(image_sniff(b.p, b.n, &info) == 0);
		CHECK(info.kind == kinds[i]);
		CHECK(info.width == 123);
		CHECK(info.height == 45);
		CHECK(info.orientation == 1);
		CHECK(!image_too_big(&info));
		free(b.p);
	}
	{
		struct blob b = make_webp_lossless(7, 300);

		CHECK(image_sniff(b.p, b.n, &info) == 0);
		CHECK(info.kind == IMAGE_WEBP);
		CHECK(info.lossless == 1);
		CHECK(info.width == 7 && info.height == 300);
		free(b.p);
	}
	{
		static const char pdf[] = "%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n";

		CHECK(image_sniff(pdf, sizeof pdf - 1, &info) == 0);
		CHECK(info.kind == IMAGE_PDF);
		CHECK(info.width == 0 && info.height == 0);
	}
}

static void test_sniff_names(void)
{
	CHECK_STR(image_mime(IMAGE_JPEG), "image/jpeg");
	CHECK_STR(image_mime(IMAGE_PNG), "image/png");
	CHECK_STR(image_mime(IMAGE_GIF), "image/gif");
	CHECK_STR(image_mime(IMAGE_WEBP), "image/webp");
	CHECK_STR(image_mime(IMAGE_PDF), "application/pdf");
	CHECK_STR(image_mime(IMAGE_UNKNOWN), "application/octet-stream");
	CHECK_STR(image_ext(IMAGE_JPEG), "jpg");
	CHECK_STR(image_ext(IMAGE_WEBP), "webp");
	CHECK_STR(image_ext(IMAGE_UNKNOWN), "");
	CHECK(image_kind_from_ext("png") == IMAGE_PNG);
	CHECK(image_kind_from_ext("pdf") == IMAGE_PDF);
	CHECK(image_kind_from_ext("") == IMAGE_UNKNOWN);
	CHECK(image_kind_from_ext("jpeg") == IMAGE_UNKNOWN);
	CHECK(image_kind_from_ext("exe") == IMAGE_UNKNOWN);
}

/* Every prefix of a real file shorter than its header is refused; no
 * prefix makes the sniffer read past it (ASan would say so). */
static void test_sniff_truncated(void)
{
	static const enum image_kind kinds[] = { IMAGE_JPEG, IMAGE_PNG, IMAGE_GIF, IMAGE_WEBP };
	struct image_info info;
	size_t i, cut;

	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		struct blob b = make(kinds[i], 64, 32, 0);
		size_t header = 0;

		for (cut = 0; cut <= b.n; cut++) {
			unsigned char *copy = malloc(cut ? cut : 1);
			int rc;

			memcpy(copy, b.p, cut);
			rc = image_sniff(copy, cut, &info);
			if (rc == 0 && !header) {
				header = cut;
				CHECK(info.width == 64 && info.height == 32);
			}
			if (header && rc != 0)
				CHECK(!"a longer prefix must not be refused once the header fits");
			free(copy);
		}
		CHECK(header > 0);
		/* the header is small: a few hundred bytes at most for these */
		CHECK(header <= 2000);
		free(b.p);
	}
	CHECK(image_sniff(NULL, 0, &info) == -1);
	CHECK(image_sniff("", 0, &info) == -1);
	CHECK(image_sniff("%PDF-1", 6, &info) == -1);
}

static void test_sniff_lies(void)
{
	struct image_info info;
	struct blob png = make(IMAGE_PNG, 10, 10, 0), jpg = make(IMAGE_JPEG, 10, 10, 0);
	unsigned char buf[4096];

	/* text and markup, whatever a client calls them */
	CHECK(image_sniff("hello, world\n", 13, &info) == -1);
	CHECK(image_sniff("<svg xmlns='http://www.w3.org/2000/svg'/>", 40, &info) == -1);
	CHECK(image_sniff("<html><script>alert(1)</script>", 31, &info) == -1);
	CHECK(image_sniff("%PDX-1.4 not a pdf", 18, &info) == -1);
	CHECK(image_sniff("%PDF-x.4 not a pdf", 18, &info) == -1);
	CHECK(image_sniff("RIFF\x10\0\0\0WAVEfmt xxxxxxxxxxxxxxxxxxxx", 36, &info) == -1);
	CHECK(image_sniff("BM\x36\0\0\0\0\0\0\0\x36\0\0\0", 14, &info) == -1); /* BMP: not accepted */

	/* a PNG signature followed by a JPEG */
	memcpy(buf, png.p, 8);
	memcpy(buf + 8, jpg.p, jpg.n);
	CHECK(image_sniff(buf, 8 + jpg.n, &info) == -1);

	/* PNG: IHDR not first, zero width, bad colour type */
	memcpy(buf, png.p, png.n);
	memcpy(buf + 12, "tEXt", 4);
	CHECK(image_sniff(buf, png.n, &info) == -1);
	memcpy(buf, png.p, png.n);
	memset(buf + 16, 0, 4);
	CHECK(image_sniff(buf, png.n, &info) == -1);
	memcpy(buf, png.p, png.n);
	buf[25] = 5;
	CHECK(image_sniff(buf, png.n, &info) == -1);

	/* JPEG: a scan before any frame header; garbage between segments;
	 * a segment longer than the file; a zero height (DNL) */
	{
		static const unsigned char sos_first[] = { 0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x08, 1, 2, 3, 4, 5, 6,
							   0xFF, 0xC0, 0x00, 0x0B, 8, 0, 10, 0, 10, 1, 1, 0x11, 0 };
		static const unsigned char garbage[] = { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0, 0, 0x12,
							 0xFF, 0xC0, 0x00, 0x0B, 8, 0, 10, 0, 10, 1, 1, 0x11, 0 };
		static const unsigned char too_long[] = { 0xFF, 0xD8, 0xFF, 0xE0, 0xFF, 0xF0, 0, 0, 0, 0 };
		static const unsigned char dnl[] = { 0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 8, 0, 0, 0, 10, 1, 1, 0x11, 0 };
		static const unsigned char ok[] = { 0xFF, 0xD8, 0xFF, 0xFF, 0xC2, 0x00, 0x0B, 8, 0, 20, 0, 30, 1, 1, 0x11, 0 };

		CHECK(image_sniff(sos_first, sizeof sos_first, &info) == -1);
		CHECK(image_sniff(garbage, sizeof garbage, &info) == -1);
		CHECK(image_sniff(too_long, sizeof too_long, &info) == -1);
		CHECK(image_sniff(dnl, sizeof dnl, &info) == -1);
		/* fill bytes before a marker are allowed; progressive SOF2 */
		CHECK(image_sniff(ok, sizeof ok, &info) == 0);
		CHECK(info.kind == IMAGE_JPEG && info.width == 30 && info.height == 20);
	}

	/* GIF: a frame outside the logical screen, no frame at all */
	{
		struct blob gif = make(IMAGE_GIF, 40, 30, 0);

		memcpy(buf, gif.p, gif.n);
		buf[6] = 39; /* screen one pixel narrower than the frame */
		CHECK(image_sniff(buf, gif.n, &info) == -1);
		CHECK(image_sniff("GIF89a\x0a\0\x0a\0\0\0\0\x3b", 14, &info) == -1);
		free(gif.p);
	}

	/* WebP: a zero-sized lossy frame, a bad start code, unknown chunk */
	{
		static const unsigned char vp8[30] = { 'R', 'I', 'F', 'F', 22, 0, 0, 0, 'W', 'E', 'B', 'P',
						       'V', 'P', '8', ' ', 10, 0, 0, 0, 0, 0, 0, 0x9D, 0x01, 0x2A,
						       0, 0, 0, 0 };
		unsigned char v[30];

		CHECK(image_sniff(vp8, sizeof vp8, &info) == -1);
		memcpy(v, vp8, sizeof v);
		v[26] = 5;
		v[28] = 7;
		CHECK(image_sniff(v, sizeof v, &info) == 0);
		CHECK(info.width == 5 && info.height == 7);
		v[23] = 0x9C;
		CHECK(image_sniff(v, sizeof v, &info) == -1);
		memcpy(v, vp8, sizeof v);
		memcpy(v + 12, "ALPH", 4);
		CHECK(image_sniff(v, sizeof v, &info) == -1);
	}
	free(png.p);
	free(jpg.p);
}

/* ---- limits --------------------------------------------------------------- */

static void put_be32(unsigned char *p, unsigned long v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void test_limits_and_bombs(void)
{
	struct image_info info;
	struct image_result r;
	char err[256];
	struct blob png = make(IMAGE_PNG, 16, 16, 0);

	/* a 100-byte PNG that declares 50000 x 50000 (7.5 GB of pixels) */
	put_be32(png.p + 16, 50000);
	put_be32(png.p + 20, 50000);
	CHECK(image_sniff(png.p, png.n, &info) == 0);
	CHECK(info.width == 50000 && info.height == 50000);
	CHECK(image_too_big(&info));
	/* image_process refuses it without decoding */
	err[0] = '\0';
	CHECK(image_process(png.p, png.n, &info, 400, &r, err, sizeof err) == -1);
	CHECK(err[0] != '\0');
	CHECK(r.original.len == 0 && r.thumb.len == 0);
	image_result_release(&r);

	/* the edges: a side of 10000 is fine, 10001 is not; 40 MP is fine,
	 * 9000 x 9000 (81 MP) is not */
	info.kind = IMAGE_PNG;
	info.width = 10000;
	info.height = 4000;
	CHECK(!image_too_big(&info));
	info.width = 10001;
	info.height = 10;
	CHECK(image_too_big(&info));
	info.width = 10;
	info.height = 10001;
	CHECK(image_too_big(&info));
	info.width = 9000;
	info.height = 9000;
	CHECK(image_too_big(&info));
	info.width = 8000;
	info.height = 5000;
	CHECK(!image_too_big(&info));
	info.width = 8000;
	info.height = 5001;
	CHECK(image_too_big(&info));

	/* JPEG and GIF headers declaring 65535 x 65535 */
	{
		struct blob j = make(IMAGE_JPEG, 16, 16, 0), g = make(IMAGE_GIF, 16, 16, 0);
		size_t i;

		for (i = 2; i + 9 < j.n; i++)
			if (j.p[i] == 0xFF && j.p[i + 1] == 0xC0) {
				memset(j.p + i + 5, 0xFF, 4);
				break;
			}
		CHECK(image_sniff(j.p, j.n, &info) == 0);
		CHECK(info.width == 65535 && info.height == 65535);
		CHECK(image_too_big(&info));
		memset(g.p + 6, 0xFF, 4);        /* screen */
		for (i = 13; i + 9 < g.n; i++)
			if (g.p[i] == 0x2C) {    /* frame */
				memset(g.p + i + 5, 0xFF, 4);
				break;
			}
		CHECK(image_sniff(g.p, g.n, &info) == 0);
		CHECK(info.width == 65535 && info.height == 65535);
		CHECK(image_too_big(&info));
		free(j.p);
		free(g.p);
	}
	free(png.p);
}

/* ---- processing ---------------------------------------------------------- */

static void test_fit(void)
{
	int w, h;

	image_fit(1000, 500, 400, &w, &h);
	CHECK(w == 400 && h == 200);
	image_fit(500, 1000, 400, &w, &h);
	CHECK(w == 200 && h == 400);
	image_fit(300, 200, 400, &w, &h);
	CHECK(w == 300 && h == 200);   /* never enlarged */
	image_fit(400, 400, 400, &w, &h);
	CHECK(w == 400 && h == 400);
	image_fit(10000, 1, 400, &w, &h);
	CHECK(w == 400 && h == 1);     /* never below one pixel */
	image_fit(1, 10000, 400, &w, &h);
	CHECK(w == 1 && h == 400);
	image_fit(1001, 1000, 400, &w, &h);
	CHECK(w == 400 && h == 400);
	image_fit(3000, 2000, 400, &w, &h);
	CHECK(w == 400 && h == 267);
}

static void test_process_each_kind(void)
{
	static const enum image_kind kinds[] = { IMAGE_JPEG, IMAGE_PNG, IMAGE_GIF, IMAGE_WEBP };
	size_t i;

	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		struct blob b = make(kinds[i], 1000, 500, 0);
		struct image_info info, again;
		struct image_result r;
		char err[256] = "";

		CHECK(image_sniff(b.p, b.n, &info) == 0);
		CHECK(image_process(b.p, b.n, &info, 400, &r, err, sizeof err) == 0);
		CHECK_STR(err, "");
		CHECK(r.width == 1000 && r.height == 500);
		CHECK(r.thumb_width == 400 && r.thumb_height == 200);
		CHECK(r.thumb_kind == IMAGE_JPEG);
		/* the original is the same kind and size again */
		CHECK(image_sniff(r.original.data, r.original.len, &again) == 0);
		CHECK(again.kind == kinds[i]);
		CHECK(again.width == 1000 && again.height == 500);
		/* the thumbnail is a JPEG of its stated size, smaller in bytes */
		CHECK(image_sniff(r.thumb.data, r.thumb.len, &again) == 0);
		CHECK(again.kind == IMAGE_JPEG);
		CHECK(again.width == 400 && again.height == 200);
		CHECK(r.thumb.len < r.original.len || kinds[i] != IMAGE_JPEG); /* flat colours compress well in the others */
		image_result_release(&r);
		free(b.p);
	}
}

static void test_thumbnail_small_and_tall(void)
{
	struct blob b = make(IMAGE_PNG, 120, 900, 0);
	struct image_info info;
	struct image_result r;
	char err[256];
	int c[3];

	CHECK(image_sniff(b.p, b.n, &info) == 0);
	CHECK(image_process(b.p, b.n, &info, 400, &r, err, sizeof err) == 0);
	CHECK(r.thumb_width == 53 && r.thumb_height == 400);
	/* the red corner is still in the thumbnail's top-left corner */
	pixel_of(&r.thumb, IMAGE_JPEG, 3, 3, c);
	CHECK(is_red(c));
	pixel_of(&r.thumb, IMAGE_JPEG, 45, 390, c);
	CHECK(is_blue(c));
	image_result_release(&r);
	free(b.p);

	b = make(IMAGE_GIF, 50, 20, 0);
	CHECK(image_sniff(b.p, b.n, &info) == 0);
	CHECK(image_process(b.p, b.n, &info, 400, &r, err, sizeof err) == 0);
	CHECK(r.thumb_width == 50 && r.thumb_height == 20); /* not enlarged */
	image_result_release(&r);
	free(b.p);
}

static void test_alpha_gives_png_thumbnail(void)
{
	static const enum image_kind kinds[] = { IMAGE_PNG, IMAGE_WEBP };
	size_t i;

	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		struct blob b = make(kinds[i], 800, 800, 1);
		struct image_info info, t;
		struct image_result r;
		char err[256];
		gdImagePtr im;

		CHECK(image_sniff(b.p, b.n, &info) == 0);
		CHECK(image_process(b.p, b.n, &info, 400, &r, err, sizeof err) == 0);
		CHECK(r.thumb_kind == IMAGE_PNG);
		CHECK(image_sniff(r.thumb.data, r.thumb.len, &t) == 0);
		CHECK(t.kind == IMAGE_PNG && t.width == 400 && t.height == 400);
		/* the transparent half stays transparent, the rest opaque */
		im = gdImageCreateFromPngPtr((int)r.thumb.len, r.thumb.data);
		CHECK(im != NULL);
		if (im) {
			CHECK(gdTrueColorGetAlpha(gdImageGetTrueColorPixel(im, 350, 200)) == gdAlphaTransparent);
			CHECK(gdTrueColorGetAlpha(gdImageGetTrueColorPixel(im, 100, 300)) == gdAlphaOpaque);
			gdImageDestroy(im);
		}
		image_result_release(&r);
		free(b.p);
	}
}

static void test_exif_is_stripped_and_orientation_applied(void)
{
	struct blob j = make(IMAGE_JPEG, 64, 32, 0);
	unsigned char seg[64];
	int little;

	for (little = 0; little <= 1; little++) {
		size_t n = exif_segment(seg, 6, little);
		struct blob e = jpeg_insert(&j, seg, n);
		struct image_info info;
		struct image_result r;
		char err[256];
		int c[3];

		CHECK(contains(e.p, e.n, "Exif"));
		CHECK(image_sniff(e.p, e.n, &info) == 0);
		CHECK(info.width == 64 && info.height == 32);
		CHECK(info.orientation == 6);
		CHECK(image_process(e.p, e.n, &info, 400, &r, err, sizeof err) == 0);
		/* turned 90 degrees clockwise: 32 x 64, the red corner at the top right */
		CHECK(r.width == 32 && r.height == 64);
		CHECK(!contains(r.original.data, r.original.len, "Exif"));
		CHECK(!contains(r.thumb.data, r.thumb.len, "Exif"));
		pixel_of(&r.original, IMAGE_JPEG, 28, 3, c);
		CHECK(is_red(c));
		pixel_of(&r.original, IMAGE_JPEG, 3, 3, c);
		CHECK(is_blue(c));
		pixel_of(&r.original, IMAGE_JPEG, 28, 60, c);
		CHECK(is_blue(c));
		image_result_release(&r);
		free(e.p);
	}

	/* every orientation: where the stored top-left (red) corner ends up */
	{
		static const struct { int o, w, h, x, y; } want[] = {
			{ 1, 64, 32, 3, 3 },   { 2, 64, 32, 60, 3 },  { 3, 64, 32, 60, 28 },
			{ 4, 64, 32, 3, 28 },  { 5, 32, 64, 3, 3 },   { 6, 32, 64, 28, 3 },
			{ 7, 32, 64, 28, 60 }, { 8, 32, 64, 3, 60 },
		};
		size_t i;

		for (i = 0; i < sizeof want / sizeof want[0]; i++) {
			size_t n = exif_segment(seg, want[i].o, 0);
			struct blob e = jpeg_insert(&j, seg, n);
			struct image_info info;
			struct image_result r;
			char err[256];
			int c[3];

			CHECK(image_sniff(e.p, e.n, &info) == 0);
			CHECK(info.orientation == want[i].o);
			CHECK(image_process(e.p, e.n, &info, 400, &r, err, sizeof err) == 0);
			CHECK(r.width == want[i].w && r.height == want[i].h);
			pixel_of(&r.original, IMAGE_JPEG, want[i].x, want[i].y, c);
			if (!is_red(c))
				fprintf(stderr, "  orientation %d: (%d,%d) is %d,%d,%d\n", want[i].o,
					want[i].x, want[i].y, c[0], c[1], c[2]);
			CHECK(is_red(c));
			image_result_release(&r);
			free(e.p);
		}
	}

	/* an orientation out of range, or of the wrong type, is ignored */
	{
		size_t n = exif_segment(seg, 9, 0);
		struct blob e = jpeg_insert(&j, seg, n);
		struct image_info info;

		CHECK(image_sniff(e.p, e.n, &info) == 0);
		CHECK(info.orientation == 1);
		free(e.p);
		n = exif_segment(seg, 6, 0);
		seg[23] = 4; /* type LONG */
		e = jpeg_insert(&j, seg, n);
		CHECK(image_sniff(e.p, e.n, &info) == 0);
		CHECK(info.orientation == 1);
		free(e.p);
		n = exif_segment(seg, 6, 0);
		seg[17] = 200; /* IFD0 offset past the segment */
		e = jpeg_insert(&j, seg, n);
		CHECK(image_sniff(e.p, e.n, &info) == 0);
		CHECK(info.orientation == 1);
		free(e.p);
	}
	free(j.p);
}

static void test_corrupt_body_is_refused(void)
{
	static const enum image_kind kinds[] = { IMAGE_JPEG, IMAGE_PNG, IMAGE_GIF, IMAGE_WEBP };
	size_t i;

	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		struct blob b = make(kinds[i], 200, 100, 0);
		struct image_info info;
		struct image_result r;
		char err[256] = "";
		size_t keep = kinds[i] == IMAGE_JPEG ? 0 : b.n / 2;

		CHECK(image_sniff(b.p, b.n, &info) == 0);
		if (kinds[i] == IMAGE_JPEG) {
			/* libjpeg fills a truncated scan in grey: refuse a body
			 * that is not JPEG data at all instead */
			size_t k;

			for (k = 0; k + 1 < b.n; k++)
				if (b.p[k] == 0xFF && b.p[k + 1] == 0xDA)
					break;
			memset(b.p + k, 0x00, b.n - k);
			keep = b.n;
		} else {
			/* cut in the middle of the pixel data */
			memset(b.p + keep, 0, b.n - keep);
		}
		if (image_process(b.p, keep, &info, 400, &r, err, sizeof err) == 0) {
			fprintf(stderr, "  kind %d: a corrupt image was accepted\n", (int)kinds[i]);
			CHECK(0);
		} else {
			CHECK(err[0] != '\0');
			CHECK(r.original.len == 0);
		}
		image_result_release(&r);
		free(b.p);
	}
	/* PDFs and unknown data are not processed */
	{
		struct image_info info;
		struct image_result r;
		char err[256];

		CHECK(image_sniff("%PDF-1.4\n%%EOF\n", 15, &info) == 0);
		CHECK(image_process("%PDF-1.4\n%%EOF\n", 15, &info, 400, &r, err, sizeof err) == -1);
		image_result_release(&r);
	}
}

/* A GIF whose first frame is smaller than its logical screen decodes to
 * the frame's size, which is what the sniffer reports. */
static void test_gif_frame_smaller_than_screen(void)
{
	struct blob g = make(IMAGE_GIF, 40, 30, 0);
	struct image_info info;
	struct image_result r;
	char err[256] = "";

	g.p[6] = 80; /* screen 80 x 60 */
	g.p[8] = 60;
	CHECK(image_sniff(g.p, g.n, &info) == 0);
	CHECK(info.width == 40 && info.height == 30);
	CHECK(image_process(g.p, g.n, &info, 400, &r, err, sizeof err) == 0);
	if (err[0])
		fprintf(stderr, "  %s\n", err);
	CHECK(r.width == 40 && r.height == 30);
	image_result_release(&r);
	free(g.p);
}

int main(void)
{
	RUN(test_sniff_each_kind);
	RUN(test_sniff_names);
	RUN(test_sniff_truncated);
	RUN(test_sniff_lies);
	RUN(test_limits_and_bombs);
	RUN(test_fit);
	RUN(test_process_each_kind);
	RUN(test_thumbnail_small_and_tall);
	RUN(test_alpha_gives_png_thumbnail);
	RUN(test_exif_is_stripped_and_orientation_applied);
	RUN(test_corrupt_body_is_refused);
	RUN(test_gif_frame_smaller_than_screen);
	return unit_finish("image");
}
