/*
 * fuzzy.h - tolerant matching of short names (skill names and aliases):
 * a normal form, and an edit distance with a budget.
 *
 * fuzzy_key() reduces a name to what matters when people type it: the
 * Unicode case fold (as hashtags), keeping letters, digits, '+' and '#'
 * and dropping spaces and other punctuation, so "Node.js", "node js" and
 * "NodeJS" are all "nodejs", while "C++" stays "c++" and "C#" "c#".
 *
 * fuzzy_distance() is the optimal string alignment distance (Levenshtein
 * plus the transposition of two neighbouring characters, each edit costing
 * 1) between two keys, counted in characters (code points), with an early
 * exit: the answer is exact up to `max`, and max + 1 means "further".
 *
 * fuzzy_budget() is how many edits a key of n characters tolerates: none
 * up to 3 characters ("Go" must not become "C"), one up to 7, two from 8.
 * The choice and its measured effect are in docs/ARCHITECTURE.md
 * ("Typo tolerance"); tests/unit/test_fuzzy.c measures it.
 *
 * Pure functions: no allocation, thread-safe.
 */
#ifndef PARLEY_LIB_FUZZY_H
#define PARLEY_LIB_FUZZY_H

#include <stddef.h>

#define FUZZY_MAX_CHARS 64   /* longer keys are compared on their first 64 characters */

/* The key of s into out (n bytes). Returns its length in characters, or
 * -1 when out is too small (out is then ""). */
int fuzzy_key(const char *s, char *out, size_t n);
int fuzzy_distance(const char *a, const char *b, int max);
int fuzzy_budget(size_t chars);

/* The best match for `key` (a fuzzy_key) among keys[0..n): an equal key
 * first; else the smallest distance within fuzzy_budget() of the query's
 * length, ties going to the larger weight (how many people hold the
 * skill; weights may be NULL), then to the earlier key. Returns the index,
 * or -1 when nothing is close enough; *dist (when not NULL) gets the
 * distance. */
long fuzzy_best(const char *key, const char *const *keys, size_t n, const long long *weights,
		int *dist);

#endif
