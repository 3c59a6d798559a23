/*
 * json_list.h - a separated list of words as a JSON array of strings.
 *
 * The store keeps short lists as text (OAuth scopes separated by spaces,
 * redirect URIs by newlines); the faces show them as JSON arrays.
 */
#ifndef PARLEY_LIB_JSON_LIST_H
#define PARLEY_LIB_JSON_LIST_H

#include <jansson.h>

/* A new array with the parts of s between the separator character sep
 * (empty parts are skipped). NULL only when out of memory. */
json_t *json_list_split(const char *s, char sep);

#endif
