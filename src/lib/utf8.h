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

/* Copy src into dst (n bytes) as valid UTF-8: each byte that does not
 * start a well-formed character becomes '?', control characters become
 * ' ', and the copy is cut only between characters. Always NUL-terminates
 * (n > 0). For text from headers (User-Agent) that is shown later. */
void utf8_copy(char *dst, size_t n, const char *src);

/* Characters (code points) of valid UTF-8 text. */
size_t utf8_chars(const char *s);

#endif
