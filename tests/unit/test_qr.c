/*
 * test_qr.c - QR code PNGs (lib/qr.h): the image decodes, has the size
 * the symbol and margin give, and shows the three finder patterns where a
 * reader looks for them.
 */
#include "lib/qr.h"
#include "unit.h"

#include <gd.h>

static int dark(gdImagePtr im, int x, int y)
{
	int c = gdImageGetPixel(im, x, y);

	return gdImageRed(im, c) < 128;
}

static void test_png(void)
{
	struct buf b = BUF_INIT;
	const char *url = "https://parley.example.org/@ada_lovelace";
	int modules = 0, scale = 4, margin = 4, side;
	gdImagePtr im;

	CHECK(qr_png(url, scale, margin, &b, &modules) == 0);
	CHECK(b.len > 8 && !memcmp(b.data, "\x89PNG\r\n\x1a\n", 8));
	/* 41 characters in byte mode at level M: version 3, 29 modules */
	CHECK(modules == 29);
	im = gdImageCreateFromPngPtr((int)b.len, b.data);
	CHECK(im != NULL);
	if (im) {
		side = (modules + 2 * margin) * scale;
		CHECK(gdImageSX(im) == side && gdImageSY(im) == side);
		/* the quiet zone is white, the finder patterns' corners are dark */
		CHECK(!dark(im, 0, 0) && !dark(im, side - 1, side - 1));
		CHECK(dark(im, margin * scale, margin * scale));
		CHECK(dark(im, (margin + modules - 1) * scale, margin * scale));
		CHECK(dark(im, margin * scale, (margin + modules - 1) * scale));
		/* the finder's white ring, one module in */
		CHECK(!dark(im, (margin + 1) * scale, (margin + 1) * scale));
		CHECK(dark(im, (margin + 3) * scale, (margin + 3) * scale));
		gdImageDestroy(im);
	}
	buf_release(&b);
}

static void test_refusals(void)
{
	struct buf b = BUF_INIT;
	char big[3000];

	CHECK(qr_png("", 4, 4, &b, NULL) == -1);
	CHECK(qr_png("x", 0, 4, &b, NULL) == -1);
	CHECK(qr_png("x", 4, 17, &b, NULL) == -1);
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	CHECK(qr_png(big, 4, 4, &b, NULL) == -1);
	CHECK(b.len == 0);
	buf_release(&b);
}

int main(void)
{
	RUN(test_png);
	RUN(test_refusals);
	return unit_finish("test_qr");
}
