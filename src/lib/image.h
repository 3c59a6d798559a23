/*
 * image.h - what an uploaded file really is, and safe copies of images.
 *
 * Uploads are judged by their bytes only: the declared Content-Type and
 * the file name are never believed. image_sniff() recognises JPEG, PNG,
 * GIF, WebP and PDF by their magic bytes and reads an image's dimensions
 * from its header without decoding anything, so the caller can refuse a
 * decompression bomb (a small file that declares a huge image) before a
 * single pixel buffer is allocated: see image_too_big().
 *
 * image_process() then decodes the image with libgd and writes two new
 * files from the pixels:
 *   - the original, re-encoded in its own format (JPEG quality 90, PNG,
 *     GIF, WebP). Only pixels survive: EXIF, XMP, IPTC, comments and
 *     colour profiles are dropped. EXIF can carry the GPS position where
 *     a photo was taken, the camera's serial number and the time, which is
 *     why an upload is never served as it came. A JPEG's EXIF orientation
 *     is applied to the pixels first, so photos stay the right way up.
 *     An animated GIF keeps its first frame only.
 *   - a thumbnail that fits in box x box pixels, keeping the aspect ratio
 *     (never enlarged): JPEG (quality 80) for opaque images, PNG when any
 *     pixel of the source is transparent (JPEG has no alpha channel).
 *
 * Thread-safe: nothing is shared between calls (libgd's error messages go
 * to the log at debug level).
 */
#ifndef PARLEY_LIB_IMAGE_H
#define PARLEY_LIB_IMAGE_H

#include <stddef.h>

#include "lib/buf.h"

/* Limits on the declared size of an image (checked before decoding). A
 * decoded image costs 4 bytes a pixel: 40 megapixels is 160 MB. */
#define IMAGE_MAX_SIDE 10000
#define IMAGE_MAX_PIXELS 40000000L

enum image_kind {
	IMAGE_UNKNOWN = 0,
	IMAGE_JPEG,
	IMAGE_PNG,
	IMAGE_GIF,
	IMAGE_WEBP,
	IMAGE_PDF,
};

struct image_info {
	enum image_kind kind;
	/* as the header declares them, before any orientation; 0 for a PDF.
	 * For a GIF, the first frame's size (which must lie inside the
	 * logical screen). */
	long width, height;
	int orientation;     /* EXIF orientation of a JPEG, 1..8 (1: as stored) */
	int lossless;        /* a WebP in the lossless (VP8L) format */
};

/* Recognise data[0..len) and read its header. Returns 0 with *out filled,
 * or -1 when the data is none of the known kinds, or its header is
 * truncated or inconsistent (a zero size, a GIF frame outside its
 * screen, a JPEG scan before its frame header). Reads only inside
 * data[0..len); never decodes, never allocates. */
int image_sniff(const void *data, size_t len, struct image_info *out);

/* 1 when the declared size is past IMAGE_MAX_SIDE or IMAGE_MAX_PIXELS. */
int image_too_big(const struct image_info *info);

/* "image/jpeg" ... "application/pdf"; "application/octet-stream" for
 * IMAGE_UNKNOWN. Static strings. */
const char *image_mime(enum image_kind k);
/* File name extension without the dot: "jpg", "png", "gif", "webp",
 * "pdf"; "" for IMAGE_UNKNOWN. Static strings. */
const char *image_ext(enum image_kind k);
/* The kind for an extension made by image_ext(); IMAGE_UNKNOWN else. */
enum image_kind image_kind_from_ext(const char *ext);

/* The size of w x h scaled to fit in box x box, aspect kept, never
 * enlarged, never below 1 pixel a side. */
void image_fit(long w, long h, int box, int *tw, int *th);

struct image_result {
	struct buf original;          /* the re-encoded image */
	struct buf thumb;             /* the thumbnail */
	enum image_kind thumb_kind;   /* IMAGE_JPEG or IMAGE_PNG */
	int width, height;            /* of the original, as shown (orientation applied) */
	int thumb_width, thumb_height;
};

/* Decode data (sniffed into *info, an image within the limits), and fill
 * *out with the re-encoded original and the thumbnail. Returns 0, or -1
 * with a message in err (the data does not decode as what its header
 * says, or memory ran out); *out is then empty. The caller releases *out
 * with image_result_release() in both cases. */
int image_process(const void *data, size_t len, const struct image_info *info, int box,
		  struct image_result *out, char *err, size_t errlen);
void image_result_release(struct image_result *r);

#endif
