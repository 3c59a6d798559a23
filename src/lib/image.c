/*
 * image.c - sniffing, size checks, re-encoding and thumbnails (see image.h).
 *
 * The header readers below are deliberately strict: when they cannot make
 * sense of a header they refuse the file rather than guess, so that the
 * size they report is the size the decoder will allocate. Each reader
 * follows the layout of its format:
 *   JPEG  FF D8, then marker segments (FF xx, 16-bit big-endian length)
 *         up to the first frame header (SOFn: precision, height, width).
 *         An APP1 "Exif" segment before it may carry the orientation.
 *   PNG   the 8-byte signature, then the IHDR chunk, which must be first:
 *         32-bit big-endian width and height.
 *   GIF   "GIF87a"/"GIF89a", the logical screen (16-bit little-endian
 *         width and height), the optional global colour table, then
 *         extension blocks up to the first image descriptor, whose frame
 *         is what libgd decodes.
 *   WebP  a RIFF container "WEBP" whose first chunk is VP8 (lossy: 14-bit
 *         sizes after the start code 9D 01 2A), VP8L (lossless: 14-bit
 *         sizes minus one after the signature 2F) or VP8X (extended:
 *         24-bit canvas sizes minus one).
 *   PDF   "%PDF-" and a version digit.
 */
#include "lib/image.h"
#include "lib/log.h"

#include <gd.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ---- reading integers ------------------------------------------------- */

static unsigned be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static unsigned long be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

static unsigned le16(const unsigned char *p)
{
	return (unsigned)p[1] << 8 | p[0];
}

static unsigned long le24(const unsigned char *p)
{
	return (unsigned long)p[2] << 16 | (unsigned long)p[1] << 8 | p[0];
}

static unsigned long le32(const unsigned char *p)
{
	return (unsigned long)p[3] << 24 | le24(p);
}

/* ---- JPEG --------------------------------------------------------------- */

/* Start-of-frame markers: C0-CF except DHT (C4), JPG (C8) and DAC (CC). */
static int is_sof(unsigned m)
{
	return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

/* The orientation tag (0x0112) of IFD0 in a TIFF structure (the body of
 * an APP1 "Exif" segment). 1 when absent or unreadable. */
static int exif_orientation(const unsigned char *t, size_t n)
{
	unsigned long ifd, count, k;
	int le;

	if (n < 8)
		return 1;
	if (!memcmp(t, "II*\0", 4))
		le = 1;
	else if (!memcmp(t, "MM\0*", 4))
		le = 0;
	else
		return 1;
	ifd = le ? le32(t + 4) : be32(t + 4);
	if (ifd < 8 || ifd > n - 2)
		return 1;
	count = le ? le16(t + ifd) : be16(t + ifd);
	for (k = 0; k < count; k++) {
		size_t e = ifd + 2 + k * 12;
		unsigned tag, type, v;
		unsigned long cnt;

		if (e + 12 > n)
			break;
		tag = le ? le16(t + e) : be16(t + e);
		if (tag != 0x0112)
			continue;
		type = le ? le16(t + e + 2) : be16(t + e + 2);
		cnt = le ? le32(t + e + 4) : be32(t + e + 4);
		v = le ? le16(t + e + 8) : be16(t + e + 8);
		return type == 3 && cnt == 1 && v >= 1 && v <= 8 ? (int)v : 1;
	}
	return 1;
}

static int sniff_jpeg(const unsigned char *p, size_t len, struct image_info *out)
{
	size_t i = 2;

	out->kind = IMAGE_JPEG;
	for (;;) {
		unsigned m;
		size_t seg;

		if (i >= len || p[i] != 0xFF)
			return -1; /* not a marker where one must be */
		while (i < len && p[i] == 0xFF)
			i++;    /* fill bytes */
		if (i >= len)
			return -1;
		m = p[i++];
		if (m == 0x01 || (m >= 0xD0 && m <= 0xD7))
			continue; /* TEM, RSTn: no length */
		if (m == 0x00 || m == 0xD8 || m == 0xD9 || m == 0xDA)
			return -1; /* stuffing, SOI again, EOI or a scan before any frame */
		if (len - i < 2)
			return -1;
		seg = be16(p + i);
		if (seg < 2 || seg > len - i)
			return -1;
		if (is_sof(m)) {
			if (seg < 8)
				return -1;
			out->height = (long)be16(p + i + 3);
			out->width = (long)be16(p + i + 5);
			/* a height of 0 defers it to a DNL marker after the scan:
			 * the size would not be known before decoding */
			return out->width && out->height ? 0 : -1;
		}
		if (m == 0xE1 && seg >= 8 && !memcmp(p + i + 2, "Exif\0\0", 6) && out->orientation == 1)
			out->orientation = exif_orientation(p + i + 8, seg - 8);
		i += seg;
	}
}

/* ---- PNG, GIF, WebP, PDF ------------------------------------------------ */

static int sniff_png(const unsigned char *p, size_t len, struct image_info *out)
{
	unsigned long w, h;
	unsigned depth, color;

	out->kind = IMAGE_PNG;
	if (len < 8 + 8 + 13 || memcmp(p + 8, "\0\0\0\x0dIHDR", 8))
		return -1;
	w = be32(p + 16);
	h = be32(p + 20);
	depth = p[24];
	color = p[25];
	if (!w || !h || w > 0x7FFFFFFFUL || h > 0x7FFFFFFFUL)
		return -1;
	if (color > 6 || color == 1 || color == 5 ||
	    (depth != 1 && depth != 2 && depth != 4 && depth != 8 && depth != 16))
		return -1;
	out->width = (long)w;
	out->height = (long)h;
	return 0;
}

static int sniff_gif(const unsigned char *p, size_t len, struct image_info *out)
{
	unsigned long sw, sh;
	size_t i = 13;

	out->kind = IMAGE_GIF;
	if (len < 13)
		return -1;
	sw = le16(p + 6);
	sh = le16(p + 8);
	if (p[10] & 0x80)
		i += (size_t)3 << ((p[10] & 7) + 1); /* global colour table */
	while (i < len) {
		if (p[i] == 0x21) {
			/* extension: label, then data sub-blocks up to an empty one */
			i += 2;
			while (i < len && p[i])
				i += (size_t)p[i] + 1;
			if (i >= len)
				return -1;
			i++;
		} else if (p[i] == 0x2C) {
			unsigned long left, top, w, h;

			if (len - i < 10)
				return -1;
			left = le16(p + i + 1);
			top = le16(p + i + 3);
			w = le16(p + i + 5);
			h = le16(p + i + 7);
			if (!w || !h || left + w > sw || top + h > sh)
				return -1;
			out->width = (long)w;
			out->height = (long)h;
			return 0;
		} else {
			return -1; /* the trailer before any image, or garbage */
		}
	}
	return -1;
}

static int sniff_webp(const unsigned char *p, size_t len, struct image_info *out)
{
	const unsigned char *d = p + 20;

	out->kind = IMAGE_WEBP;
	if (len < 30)
		return -1;
	if (!memcmp(p + 12, "VP8 ", 4)) {
		if (d[3] != 0x9D || d[4] != 0x01 || d[5] != 0x2A)
			return -1;
		out->width = (long)(le16(d + 6) & 0x3FFF);
		out->height = (long)(le16(d + 8) & 0x3FFF);
	} else if (!memcmp(p + 12, "VP8L", 4)) {
		unsigned long bits;

		if (d[0] != 0x2F)
			return -1;
		bits = le32(d + 1);
		out->width = (long)(bits & 0x3FFF) + 1;
		out->height = (long)((bits >> 14) & 0x3FFF) + 1;
		out->lossless = 1;
	} else if (!memcmp(p + 12, "VP8X", 4)) {
		if (le32(p + 16) < 10)
			return -1;
		out->width = (long)le24(d + 4) + 1;
		out->height = (long)le24(d + 7) + 1;
	} else {
		return -1;
	}
	return out->width && out->height ? 0 : -1;
}

int image_sniff(const void *data, size_t len, struct image_info *out)
{
	const unsigned char *p = data;

	memset(out, 0, sizeof *out);
	out->orientation = 1;
	if (!p || len < 8)
		return -1;
	if (p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
		return sniff_jpeg(p, len, out);
	if (!memcmp(p, "\x89PNG\r\n\x1a\n", 8))
		return sniff_png(p, len, out);
	if (!memcmp(p, "GIF87a", 6) || !memcmp(p, "GIF89a", 6))
		return sniff_gif(p, len, out);
	if (len >= 12 && !memcmp(p, "RIFF", 4) && !memcmp(p + 8, "WEBP", 4))
		return sniff_webp(p, len, out);
	if (!memcmp(p, "%PDF-", 5) && p[5] >= '0' && p[5] <= '9') {
		out->kind = IMAGE_PDF;
		return 0;
	}
	return -1;
}

int image_too_big(const struct image_info *info)
{
	return info->width > IMAGE_MAX_SIDE || info->height > IMAGE_MAX_SIDE ||
	       info->width * info->height > IMAGE_MAX_PIXELS;
}

const char *image_mime(enum image_kind k)
{
	switch (k) {
	case IMAGE_JPEG:
		return "image/jpeg";
	case IMAGE_PNG:
		return "image/png";
	case IMAGE_GIF:
		return "image/gif";
	case IMAGE_WEBP:
		return "image/webp";
	case IMAGE_PDF:
		return "application/pdf";
	case IMAGE_UNKNOWN:
		break;
	}
	return "application/octet-stream";
}

static const char *const exts[] = { "", "jpg", "png", "gif", "webp", "pdf" };

const char *image_ext(enum image_kind k)
{
	return (unsigned)k < sizeof exts / sizeof exts[0] ? exts[k] : "";
}

enum image_kind image_kind_from_ext(const char *ext)
{
	size_t i;

	for (i = 1; i < sizeof exts / sizeof exts[0]; i++)
		if (!strcmp(ext, exts[i]))
			return (enum image_kind)i;
	return IMAGE_UNKNOWN;
}

void image_fit(long w, long h, int box, int *tw, int *th)
{
	if (w <= box && h <= box) {
		*tw = (int)w;
		*th = (int)h;
	} else if (w >= h) {
		*tw = box;
		*th = (int)((h * box + w / 2) / w);
	} else {
		*th = box;
		*tw = (int)((w * box + h / 2) / h);
	}
	if (*tw < 1)
		*tw = 1;
	if (*th < 1)
		*th = 1;
}

/* ---- decoding and encoding ---------------------------------------------- */

/* An encoded image larger than this is refused (a 40-megapixel PNG of
 * noise with alpha is about 160 MB). */
#define IMAGE_OUTPUT_MAX (256u << 20)

static void gd_log(int priority, const char *fmt, va_list ap)
{
	char msg[256];

	(void)priority;
	vsnprintf(msg, sizeof msg, fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	log_debug("image: libgd: %s", msg);
}

static pthread_once_t gd_once = PTHREAD_ONCE_INIT;

static void gd_setup(void)
{
	gdSetErrorMethod(gd_log);
}

static gdImagePtr decode(const void *data, size_t len, enum image_kind kind)
{
	void *d = (void *)data; /* libgd reads only, but its prototypes are not const */

	switch (kind) {
	case IMAGE_JPEG:
		return gdImageCreateFromJpegPtrEx((int)len, d, 1);
	case IMAGE_PNG:
		return gdImageCreateFromPngPtr((int)len, d);
	case IMAGE_GIF:
		return gdImageCreateFromGifPtr((int)len, d);
	case IMAGE_WEBP:
		return gdImageCreateFromWebpPtr((int)len, d);
	case IMAGE_PDF:
	case IMAGE_UNKNOWN:
		break;
	}
	return NULL;
}

/*
 * A copy of truecolor `im` turned as EXIF orientation `o` asks. For the
 * shown image D (W x H) and the stored one S (w x h):
 *   2 mirror:        D(x,y) = S(w-1-x, y)
 *   3 turn 180:      D(x,y) = S(w-1-x, h-1-y)
 *   4 flip:          D(x,y) = S(x, h-1-y)
 *   5 transpose:     D(x,y) = S(y, x)
 *   6 turn 90 right: D(x,y) = S(y, h-1-x)
 *   7 transverse:    D(x,y) = S(w-1-y, h-1-x)
 *   8 turn 90 left:  D(x,y) = S(w-1-y, x)
 * (5 to 8 swap width and height). NULL when out of memory.
 */
static gdImagePtr orient(gdImagePtr im, int o)
{
	int w = gdImageSX(im), h = gdImageSY(im), swap = o >= 5;
	int W = swap ? h : w, H = swap ? w : h, x, y;
	gdImagePtr d = gdImageCreateTrueColor(W, H);

	if (!d)
		return NULL;
	for (y = 0; y < H; y++) {
		for (x = 0; x < W; x++) {
			int sx, sy;

			switch (o) {
			case 2: sx = w - 1 - x; sy = y; break;
			case 3: sx = w - 1 - x; sy = h - 1 - y; break;
			case 4: sx = x; sy = h - 1 - y; break;
			case 5: sx = y; sy = x; break;
			case 6: sx = y; sy = h - 1 - x; break;
			case 7: sx = w - 1 - y; sy = h - 1 - x; break;
			case 8: sx = w - 1 - y; sy = x; break;
			default: sx = x; sy = y; break;
			}
			d->tpixels[y][x] = im->tpixels[sy][sx];
		}
	}
	return d;
}

static int has_alpha(gdImagePtr im)
{
	int x, y;

	if (!gdImageTrueColor(im))
		return gdImageGetTransparent(im) >= 0;
	for (y = 0; y < gdImageSY(im); y++)
		for (x = 0; x < gdImageSX(im); x++)
			if (gdTrueColorGetAlpha(im->tpixels[y][x]) != gdAlphaOpaque)
				return 1;
	return 0;
}

/* Encode im as kind into b. 0, or -1. */
static int encode(gdImagePtr im, enum image_kind kind, int quality, int lossless, struct buf *b)
{
	void *p = NULL;
	int size = 0, rc;

	switch (kind) {
	case IMAGE_JPEG:
		p = gdImageJpegPtr(im, &size, quality);
		break;
	case IMAGE_PNG:
		gdImageAlphaBlending(im, 0);
		gdImageSaveAlpha(im, 1);
		p = gdImagePngPtrEx(im, &size, 6);
		break;
	case IMAGE_GIF:
		p = gdImageGifPtr(im, &size);
		break;
	case IMAGE_WEBP:
		gdImageSaveAlpha(im, 1);
		p = gdImageWebpPtrEx(im, &size, lossless ? gdWebpLossless : quality);
		break;
	case IMAGE_PDF:
	case IMAGE_UNKNOWN:
		break;
	}
	if (!p || size <= 0) {
		if (p)
			gdFree(p);
		return -1;
	}
	buf_reset(b);
	rc = buf_append(b, p, (size_t)size);
	gdFree(p);
	return rc;
}

static gdImagePtr thumbnail(gdImagePtr im, int box, int alpha)
{
	int tw, th;
	gdImagePtr t;

	image_fit(gdImageSX(im), gdImageSY(im), box, &tw, &th);
	t = gdImageCreateTrueColor(tw, th);
	if (!t)
		return NULL;
	if (alpha) {
		gdImageAlphaBlending(t, 0);
		gdImageSaveAlpha(t, 1);
		gdImageFilledRectangle(t, 0, 0, tw - 1, th - 1, gdTrueColorAlpha(0, 0, 0, gdAlphaTransparent));
	} else {
		gdImageFilledRectangle(t, 0, 0, tw - 1, th - 1, gdTrueColor(255, 255, 255));
	}
	gdImageCopyResampled(t, im, 0, 0, 0, 0, tw, th, gdImageSX(im), gdImageSY(im));
	return t;
}

int image_process(const void *data, size_t len, const struct image_info *info, int box,
		  struct image_result *out, char *err, size_t errlen)
{
	gdImagePtr im = NULL, t = NULL;
	int alpha;

	memset(out, 0, sizeof *out);
	buf_init(&out->original, IMAGE_OUTPUT_MAX);
	buf_init(&out->thumb, IMAGE_OUTPUT_MAX);
	if (info->kind < IMAGE_JPEG || info->kind > IMAGE_WEBP || image_too_big(info) ||
	    len > INT_MAX || box < 1) {
		snprintf(err, errlen, "not an image that can be processed");
		return -1;
	}
	pthread_once(&gd_once, gd_setup);
	im = decode(data, len, info->kind);
	if (!im) {
		snprintf(err, errlen, "the %s image could not be decoded", image_ext(info->kind));
		return -1;
	}
	/* the decoder must have made what the header declared: the limits
	 * were checked on the header's figures */
	if (gdImageSX(im) != info->width || gdImageSY(im) != info->height) {
		snprintf(err, errlen, "the image's size (%dx%d) differs from its header's (%ldx%ld)",
			 gdImageSX(im), gdImageSY(im), info->width, info->height);
		goto fail;
	}
	if (info->kind == IMAGE_JPEG && info->orientation > 1 && gdImageTrueColor(im)) {
		gdImagePtr o = orient(im, info->orientation);

		if (!o)
			goto oom;
		gdImageDestroy(im);
		im = o;
	}
	alpha = has_alpha(im);
	if (encode(im, info->kind, 90, info->lossless, &out->original) < 0)
		goto noenc;
	out->width = gdImageSX(im);
	out->height = gdImageSY(im);

	if (!gdImageTrueColor(im) && !gdImagePaletteToTrueColor(im))
		goto oom;
	t = thumbnail(im, box, alpha);
	if (!t)
		goto oom;
	out->thumb_kind = alpha ? IMAGE_PNG : IMAGE_JPEG;
	if (encode(t, out->thumb_kind, 80, 0, &out->thumb) < 0)
		goto noenc;
	out->thumb_width = gdImageSX(t);
	out->thumb_height = gdImageSY(t);
	gdImageDestroy(t);
	gdImageDestroy(im);
	return 0;
oom:
	snprintf(err, errlen, "out of memory while processing the image");
	goto fail;
noenc:
	snprintf(err, errlen, "the image could not be encoded again (out of memory, or over %u MiB)",
		 IMAGE_OUTPUT_MAX >> 20);
fail:
	if (t)
		gdImageDestroy(t);
	gdImageDestroy(im);
	image_result_release(out);
	return -1;
}

void image_result_release(struct image_result *r)
{
	buf_release(&r->original);
	buf_release(&r->thumb);
	r->width = r->height = r->thumb_width = r->thumb_height = 0;
	r->thumb_kind = IMAGE_UNKNOWN;
}
