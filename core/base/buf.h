/* buf.h — a growing NUL-terminated string, for code that builds text piece by piece.
 *
 *     struct buf b = {0};
 *     buf_adds(&b, "Subject: ");
 *     buf_addf(&b, "%d days", n);
 *     char *s = buf_take(&b);   // the caller frees s; b is empty again
 *
 * A zeroed struct is an empty buffer. Once anything has been added, p is never NULL and
 * p[len] == '\0'. Out of memory aborts (lcm_xrealloc). */
#ifndef LCM_BUF_H
#define LCM_BUF_H

#include <stddef.h>

struct buf {
    char *p;
    size_t len, cap;
};

/* Appends s[0..n) (may hold NUL bytes; s may be NULL when n is 0) and keeps p NUL-terminated. */
void buf_add(struct buf *b, const char *s, size_t n);

/* Appends the NUL-terminated string s; a NULL s adds nothing. */
void buf_adds(struct buf *b, const char *s);

/* Appends printf-formatted text. */
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Returns the text as a malloc'ed string the caller frees ("" when nothing was added) and
 * leaves b empty. */
char *buf_take(struct buf *b);

/* Frees the text and leaves b empty. b may be NULL. */
void buf_free(struct buf *b);

#endif
