/*
 * qr.h - QR codes as PNG images (libqrencode for the symbol, libgd for
 * the picture), for the profile URL on a person's card.
 *
 * The symbol uses error correction level M and byte mode, so any text
 * (a URL) up to a few hundred bytes fits. Each module is `scale` pixels
 * square; `margin` modules of white surround it (the standard asks for 4).
 * The image is a two-colour palette PNG: black modules on white.
 *
 * Thread-safe (libqrencode built with pthread support, as Debian's is).
 */
#ifndef PARLEY_LIB_QR_H
#define PARLEY_LIB_QR_H

#include <stddef.h>

#include "lib/buf.h"

/* Append the PNG to out. Returns 0, or -1 when the text is empty or too
 * long for a QR code, scale is outside 1..32 or margin outside 0..16, or
 * memory runs out. *modules (when not NULL) gets the symbol's width in
 * modules, without the margin. */
int qr_png(const char *text, int scale, int margin, struct buf *out, int *modules);

#endif
