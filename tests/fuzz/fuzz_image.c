/*
 * fuzz_image.c - libFuzzer target for the upload sniffer (lib/image.c):
 * any bytes through image_sniff(), which walks JPEG segments (and the EXIF
 * orientation inside them), the PNG IHDR, GIF blocks up to the first
 * frame and the WebP chunk header. The sniffer must never read outside
 * the input, and what it accepts must be coherent: a known kind, a
 * positive size for images, an orientation from 1 to 8. Run with
 * `make fuzz`; seeds in tests/fuzz/corpus/image.
 */
#include "lib/image.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct image_info info;
	uint8_t *copy;
	int tw, th;

	/* an exact-size heap copy, so ASan sees any read past the end */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (image_sniff(copy, size, &info) == 0) {
		if (info.kind < IMAGE_JPEG || info.kind > IMAGE_PDF)
			abort();
		if (info.kind != IMAGE_PDF && (info.width <= 0 || info.height <= 0))
			abort();
		if (info.orientation < 1 || info.orientation > 8)
			abort();
		if (info.kind != IMAGE_PDF && !image_too_big(&info)) {
			image_fit(info.width, info.height, 400, &tw, &th);
			if (tw < 1 || th < 1 || tw > 400 || th > 400 || tw > info.width || th > info.height)
				abort();
		}
		(void)image_mime(info.kind);
		if (image_kind_from_ext(image_ext(info.kind)) != info.kind)
			abort();
	}
	free(copy);
	return 0;
}
