/* rich.c — segment lines for panes (no curses). */
#include "tui/rich.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/status.h"
#include "base/text.h"

void rich_buf_init(struct rbuf *rb)
{
    memset(rb, 0, sizeof *rb);
    rb->cursor_y = rb->cursor_x = -1;
}

void rich_buf_clear(struct rbuf *rb)
{
    for (size_t i = 0; i < rb->n; i++) {
        for (size_t j = 0; j < rb->lines[i].nseg; j++)
            free(rb->lines[i].seg[j].text);
        free(rb->lines[i].seg);
    }
    free(rb->lines);
    rich_buf_init(rb);
}

struct rline *rich_buf_line(struct rbuf *rb, enum role fill)
{
    if (rb->n == rb->cap) {
        rb->cap = rb->cap ? rb->cap * 2 : 64;
        rb->lines = lcm_xrealloc(rb->lines, rb->cap * sizeof *rb->lines);
    }
    struct rline *l = &rb->lines[rb->n++];
    memset(l, 0, sizeof *l);
    l->fill = fill;
    return l;
}

static void push(struct rline *l, enum role role, char *owned, int width)
{
    if (l->nseg == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->seg = lcm_xrealloc(l->seg, l->cap * sizeof *l->seg);
    }
    l->seg[l->nseg++] = (struct rseg){role, owned, width};
    l->width += width;
}

void rich_line_add(struct rline *l, enum role role, const char *text)
{
    char *c = text_clean(text, false);
    push(l, role, c, text_width(c));
}

void rich_line_addf(struct rline *l, enum role role, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    rich_line_add(l, role, buf);
}

void rich_line_data(struct rline *l, enum role role, const char *data, int cols, bool pad)
{
    if (cols < 0) {
        rich_line_add(l, role, data ? data : "");
        return;
    }
    size_t len = (size_t)cols * 4 + 8;
    char *buf = lcm_xmalloc(len);
    int w = text_fit(buf, len, data ? data : "", cols, pad);
    push(l, role, buf, w);
}

void rich_line_pad_to(struct rline *l, enum role role, int col)
{
    if (l->width >= col)
        return;
    int n = col - l->width;
    char *sp = lcm_xmalloc((size_t)n + 1);
    memset(sp, ' ', (size_t)n);
    sp[n] = '\0';
    push(l, role, sp, n);
}

char *rich_line_text(const struct rline *l, char *buf, size_t len)
{
    size_t o = 0;
    if (len)
        buf[0] = '\0';
    for (size_t i = 0; i < l->nseg && o + 1 < len; i++) {
        int n = snprintf(buf + o, len - o, "%s", l->seg[i].text);
        if (n < 0)
            break;
        o += (size_t)n < len - o ? (size_t)n : len - o - 1;
    }
    return buf;
}

/* Emits one wrapped line: indent + bytes [s, s+n). */
static void emit(struct rbuf *rb, enum role role, const char *s, size_t n, int indent)
{
    struct rline *l = rich_buf_line(rb, ROLE_NORMAL);
    if (indent > 0)
        rich_line_pad_to(l, role, indent);
    char *t = lcm_xmalloc(n + 1);
    memcpy(t, s, n);
    t[n] = '\0';
    push(l, role, t, text_width(t));
}

int rich_buf_wrap(struct rbuf *rb, enum role role, const char *clean, int cols, int indent)
{
    int added = 0, room = cols - indent;
    if (room < 1)
        room = 1;
    const char *p = clean ? clean : "";
    do {
        size_t linelen = strcspn(p, "\n");
        const char *end = p + linelen;
        const char *s = p;
        do {
            /* take characters up to room columns; break at the last space when possible */
            size_t i = 0, last_space = 0;
            int w = 0;
            while (s + i < end) {
                uint32_t cp;
                size_t len = text_decode(s + i, (size_t)(end - s - i), &cp);
                if (len == 0)
                    len = 1, cp = '?';
                int cw = text_cp_width(cp);
                if (cw < 0)
                    cw = 1;
                if (w + cw > room)
                    break;
                if (cp == ' ')
                    last_space = i + 1;
                w += cw;
                i += len;
            }
            size_t take = i;
            if (s + i < end && last_space > 0)
                take = last_space;
            if (take == 0 && s < end)
                take = 1; /* a character wider than the room: emit it alone */
            emit(rb, role, s, take, indent);
            added++;
            s += take;
        } while (s < end);
        p = *end ? end + 1 : end;
    } while (*p);
    return added;
}
