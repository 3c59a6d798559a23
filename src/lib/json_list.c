/*
 * json_list.c - a separated list of words as a JSON array (see json_list.h).
 */
#include "lib/json_list.h"

#include <string.h>

json_t *json_list_split(const char *s, char sep)
{
	json_t *arr = json_array();

	while (arr && *s) {
		const char *end = strchr(s, sep);
		size_t len = end ? (size_t)(end - s) : strlen(s);

		if (len)
			json_array_append_new(arr, json_stringn(s, len));
		s += len;
		if (*s)
			s++;
	}
	return arr;
}
