/*
 * fuzz_params.c - libFuzzer target for the request body parsers that face
 * the network: application/x-www-form-urlencoded (params_parse_urlencoded)
 * and JSON bodies flattened into parameters (json_loadb + params_from_json),
 * then every lookup a handler makes. Run with `make fuzz`.
 */
#include "http/params.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct params p;
	const char *arr[8];
	json_t *j;

	params_init(&p);
	if (params_parse_urlencoded(&p, (const char *)data, size) == 0) {
		(void)params_get(&p, "a");
		(void)params_get_array(&p, "a", arr, 8);
		(void)params_get_bool(&p, "b", 0);
	}
	params_release(&p);

	j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	if (j) {
		params_init(&p);
		if (params_from_json(&p, j) == 0)
			(void)params_get_array(&p, "a", arr, 8);
		params_release(&p);
		json_decref(j);
	}
	return 0;
}
