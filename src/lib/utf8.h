/*
 * utf8.h - UTF-8 validation.
 *
 * Everything Parley stores or shows as text must be valid UTF-8 without
 * NUL bytes: jansson refuses to make JSON strings of anything else, and a
 * NUL would silently cut a C string. Request parameters are checked when
 * they are parsed (http/params.c), so the layers above only see valid text.
 */
#ifndef PARLEY_LIB_UTF8_H
#define PARLEY_LIB_UTF8_H

#include <stddef.h>

/* 1 when s[0..len) is well-formed UTF-8 (no overlong forms, no
 * surrogates, nothing above U+10FFFF) with no NUL byte; else 0. */
int utf8_valid(const char *s, size_t len);

#endif
