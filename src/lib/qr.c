/*
 * qr.c - QR code PNGs (see qr.h).
 */
#include "lib/qr.h"

#include <gd.h>
#include <qrencode.h>
#include <string.h>

int qr_png(const char *text, int scale, int margin, struct buf *out, int *modules)
{
	QRcode *qr;
	gdImagePtr im;
	int side, x, y, white, black, size = 0, rc = -1;
	void *png;

	if (!text || !*text || strlen(text) > 2000 || scale < 1 || scale > 32 || margin < 0 || margin > 16)
		return -1;
	qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!qr)
		return -1;
	side = (qr->width + 2 * margin) * scale;
	im = gdImageCreate(side, side);
	if (!im) {
		QRcode_free(qr);
		return -1;
	}
	white = gdImageColorAllocate(im, 255, 255, 255);   /* the first colour is the background */
	black = gdImageColorAllocate(im, 0, 0, 0);
	(void)white;
	for (y = 0; y < qr->width; y++)
		for (x = 0; x < qr->width; x++)
			if (qr->data[y * qr->width + x] & 1)
				gdImageFilledRectangle(im, (x + margin) * scale, (y + margin) * scale,
						       (x + margin + 1) * scale - 1, (y + margin + 1) * scale - 1, black);
	png = gdImagePngPtr(im, &size);
	if (png && size > 0 && buf_append(out, png, (size_t)size) == 0)
		rc = 0;
	if (png)
		gdFree(png);
	if (modules)
		*modules = qr->width;
	gdImageDestroy(im);
	QRcode_free(qr);
	return rc;
}
