/* buf.c — a growing NUL-terminated string. See buf.h. */
#include "base/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/status.h"

/* Makes room for n more bytes and the terminating NUL, doubling the capacity. */
static void reserve(struct buf *b, size_t n)
{
    if (b->len + n + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1)
        cap *= 2;
    b->p = lcm_xrealloc(b->p, cap);
    b->cap = cap;
}

void buf_add(struct buf *b, const char *s, size_t n)
{
    reserve(b, n);
    if (n)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void buf_adds(struct buf *b, const char *s)
{
    if (s)
        buf_add(b, s, strlen(s));
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char probe[1];
    int n = vsnprintf(probe, sizeof probe, fmt, ap);
    va_end(ap);
    if (n <= 0)
        return; /* nothing to add, or an encoding error: the text stays as it was */
    reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

char *buf_take(struct buf *b)
{
    if (!b->p)
        return lcm_xstrdup("");
    char *p = b->p;
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}

void buf_free(struct buf *b)
{
    if (!b)
        return;
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}
