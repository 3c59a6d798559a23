/*
 * fuzz_csv.c - libFuzzer target for the CSV reader (lib/csv.c), which
 * reads uploaded HR exports. Any bytes are read record by record with
 * small limits; every record must hold NUL-terminated fields within the
 * limits, the reader must stop for good after an error, and each field
 * written back with csv_put_field() must read back as the same single
 * field. Run with `make fuzz`; seeds in tests/fuzz/corpus/csv.
 */
#include "lib/csv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void roundtrip(const char *field)
{
	struct buf b = BUF_INIT;
	struct csv_reader r;
	struct csv_record rec;
	char err[128];

	if (csv_put_field(&b, field, 0) < 0 || csv_end_record(&b) < 0) {
		buf_release(&b);
		return;
	}
	csv_reader_init(&r, b.data, b.len, 4, 8192);
	/* a field that is only a BOM is dropped by the reader: skip those */
	if (!strncmp(field, "\xef\xbb\xbf", 3)) {
		buf_release(&b);
		return;
	}
	if (csv_next(&r, &rec, err, sizeof err) != 1 || rec.n != 1 || strcmp(rec.fields[0], field))
		abort();
	csv_record_release(&rec);
	buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv_reader r;
	struct csv_record rec;
	char err[128], *copy;
	size_t i;
	int rc, records = 0;

	/* an exact-size heap copy, so ASan sees any read past the end */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	csv_reader_init(&r, copy, size, 16, 256);
	while ((rc = csv_next(&r, &rec, err, sizeof err)) == 1) {
		if (rec.n == 0 || rec.n > 16 || rec.line < 1)
			abort();
		for (i = 0; i < rec.n; i++) {
			if (strlen(rec.fields[i]) > 256)
				abort();
			if (records < 4 && i < 2)
				roundtrip(rec.fields[i]);
		}
		csv_record_release(&rec);
		records++;
	}
	csv_record_release(&rec);
	if (rc < 0 && (csv_next(&r, &rec, err, sizeof err) != -1 || !err[0]))
		abort();
	csv_record_release(&rec);
	free(copy);
	return 0;
}
