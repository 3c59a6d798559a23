/*
 * buf.h - a growable byte buffer with a hard size cap.
 *
 * Every piece of output Parley builds (HTML, JSON, SQL parameters, log
 * lines) goes through a struct buf. The cap means a runaway loop or a
 * hostile input fails cleanly with an error code instead of eating memory.
 *
 * Ownership: the buffer owns `data`. buf_release() frees it; buf_detach()
 * hands it to the caller (who then frees it with free()). `data` is always
 * NUL-terminated once anything has been appended, so it can be used as a
 * C string when the content is text.
 *
 * Failure: an append that would exceed `max` (or fails to allocate) appends
 * nothing, returns -1 and sets `failed`; later appends keep failing, so a
 * caller may append many times and check `failed` once at the end.
 */
#ifndef PARLEY_LIB_BUF_H
#define PARLEY_LIB_BUF_H

#include <stdarg.h>
#include <stddef.h>

#define BUF_DEFAULT_MAX (64u * 1024 * 1024)

struct buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
	int failed;
};

#define BUF_INIT { NULL, 0, 0, BUF_DEFAULT_MAX, 0 }

/* Initialise an empty buffer that may grow to at most `max` bytes
 * (0 means BUF_DEFAULT_MAX). Allocates nothing. */
void buf_init(struct buf *b, size_t max);

/* Free the storage and reset to empty (the cap is kept). */
void buf_release(struct buf *b);

/* Give the storage to the caller; the buffer is left empty. Returns a
 * NUL-terminated string (an empty one if nothing was appended), or NULL
 * when allocation fails. */
char *buf_detach(struct buf *b, size_t *len_out);

/* Forget the content but keep the allocation. */
void buf_reset(struct buf *b);

int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);

/* Make sure `n` more bytes fit (without appending). */
int buf_reserve(struct buf *b, size_t n);

/* A C string view of the content: "" when empty, never NULL. */
const char *buf_str(const struct buf *b);

#endif
