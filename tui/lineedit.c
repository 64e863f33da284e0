/* lineedit.c — pure text editing over a UTF-8 buffer. */
#include "tui/lineedit.h"

#include <stdlib.h>
#include <string.h>

#include "base/status.h"
#include "base/text.h"

static void reserve(struct lineedit *le, size_t need)
{
    if (need + 1 <= le->cap)
        return;
    size_t cap = le->cap ? le->cap : 64;
    while (cap < need + 1)
        cap *= 2;
    le->buf = lcm_xrealloc(le->buf, cap);
    le->cap = cap;
}

void lineedit_init(struct lineedit *le, const char *text, bool multiline)
{
    memset(le, 0, sizeof *le);
    le->multiline = multiline;
    reserve(le, 0);
    le->buf[0] = '\0';
    lineedit_set(le, text);
}

void lineedit_free(struct lineedit *le)
{
    free(le->buf);
    memset(le, 0, sizeof *le);
}

void lineedit_set(struct lineedit *le, const char *text)
{
    char *c = text_clean(text, le->multiline);
    size_t n = strlen(c);
    if (le->max && n > le->max) {
        n = le->max;
        while (n > 0 && ((unsigned char)c[n] & 0xc0) == 0x80)
            n--;
    }
    reserve(le, n);
    memcpy(le->buf, c, n);
    le->buf[n] = '\0';
    le->len = le->cur = n;
    free(c);
}

const char *lineedit_text(const struct lineedit *le)
{
    return le->buf ? le->buf : "";
}

bool lineedit_insert_cp(struct lineedit *le, uint32_t cp)
{
    if ((cp < 0x20 && !(cp == '\n' && le->multiline)) || (cp >= 0x7f && cp < 0xa0))
        return false;
    char u[4];
    size_t n = text_encode(cp, u);
    if (n == 0 || (le->max && le->len + n > le->max))
        return false;
    reserve(le, le->len + n);
    memmove(le->buf + le->cur + n, le->buf + le->cur, le->len - le->cur + 1);
    memcpy(le->buf + le->cur, u, n);
    le->len += n;
    le->cur += n;
    return true;
}

bool lineedit_insert(struct lineedit *le, const char *utf8)
{
    size_t n = strlen(utf8), i = 0;
    /* validate first so a refused string changes nothing */
    while (i < n) {
        uint32_t cp;
        size_t l = text_decode(utf8 + i, n - i, &cp);
        if (l == 0 || (cp < 0x20 && !(cp == '\n' && le->multiline)) || (cp >= 0x7f && cp < 0xa0))
            return false;
        i += l;
    }
    if (le->max && le->len + n > le->max)
        return false;
    for (i = 0; i < n;) {
        uint32_t cp;
        i += text_decode(utf8 + i, n - i, &cp);
        lineedit_insert_cp(le, cp);
    }
    return n > 0;
}

static size_t prev_char(const struct lineedit *le, size_t at)
{
    if (at == 0)
        return 0;
    at--;
    while (at > 0 && ((unsigned char)le->buf[at] & 0xc0) == 0x80)
        at--;
    return at;
}

static size_t next_char(const struct lineedit *le, size_t at)
{
    if (at >= le->len)
        return le->len;
    at++;
    while (at < le->len && ((unsigned char)le->buf[at] & 0xc0) == 0x80)
        at++;
    return at;
}

static void cut(struct lineedit *le, size_t from, size_t to)
{
    memmove(le->buf + from, le->buf + to, le->len - to + 1);
    le->len -= to - from;
    le->cur = from;
}

bool lineedit_backspace(struct lineedit *le)
{
    if (le->cur == 0)
        return false;
    cut(le, prev_char(le, le->cur), le->cur);
    return true;
}

bool lineedit_delete(struct lineedit *le)
{
    if (le->cur >= le->len)
        return false;
    size_t c = le->cur;
    cut(le, c, next_char(le, c));
    return true;
}

bool lineedit_left(struct lineedit *le)
{
    if (le->cur == 0)
        return false;
    le->cur = prev_char(le, le->cur);
    return true;
}

bool lineedit_right(struct lineedit *le)
{
    if (le->cur >= le->len)
        return false;
    le->cur = next_char(le, le->cur);
    return true;
}

static size_t line_start(const struct lineedit *le, size_t at)
{
    while (at > 0 && le->buf[at - 1] != '\n')
        at--;
    return at;
}

static size_t line_end(const struct lineedit *le, size_t at)
{
    while (at < le->len && le->buf[at] != '\n')
        at++;
    return at;
}

bool lineedit_home(struct lineedit *le)
{
    size_t s = line_start(le, le->cur);
    bool moved = s != le->cur;
    le->cur = s;
    return moved;
}

bool lineedit_end(struct lineedit *le)
{
    size_t e = line_end(le, le->cur);
    bool moved = e != le->cur;
    le->cur = e;
    return moved;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\n';
}

bool lineedit_word_left(struct lineedit *le)
{
    size_t at = le->cur;
    while (at > 0 && is_space(le->buf[at - 1]))
        at--;
    while (at > 0 && !is_space(le->buf[at - 1]))
        at--;
    bool moved = at != le->cur;
    le->cur = at;
    return moved;
}

bool lineedit_word_right(struct lineedit *le)
{
    size_t at = le->cur;
    while (at < le->len && is_space(le->buf[at]))
        at++;
    while (at < le->len && !is_space(le->buf[at]))
        at++;
    bool moved = at != le->cur;
    le->cur = at;
    return moved;
}

bool lineedit_kill_word(struct lineedit *le)
{
    size_t end = le->cur;
    if (!lineedit_word_left(le))
        return false;
    cut(le, le->cur, end);
    return true;
}

bool lineedit_kill_to_end(struct lineedit *le)
{
    size_t e = line_end(le, le->cur);
    if (e == le->cur)
        return false;
    cut(le, le->cur, e);
    return true;
}

bool lineedit_kill_to_start(struct lineedit *le)
{
    size_t s = line_start(le, le->cur);
    if (s == le->cur)
        return false;
    cut(le, s, le->cur);
    return true;
}

static int char_width(const struct lineedit *le, size_t at, size_t *len)
{
    uint32_t cp;
    *len = text_decode(le->buf + at, le->len - at, &cp);
    if (*len == 0) {
        *len = 1;
        return 1;
    }
    int w = text_cp_width(cp);
    return w < 0 ? 1 : w;
}

/* Appends [s, e) to the array. */
static void push_line(struct le_vline **lines, size_t *n, size_t *cap, size_t s, size_t e)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *lines = lcm_xrealloc(*lines, *cap * sizeof **lines);
    }
    (*lines)[(*n)++] = (struct le_vline){s, e};
}

size_t lineedit_wrap(const struct lineedit *le, int cols, struct le_vline **lines)
{
    size_t n = 0, cap = 0;
    *lines = NULL;
    if (cols < 1)
        cols = 1;
    size_t s = 0;
    for (;;) {
        size_t end = line_end(le, s);
        size_t at = s;
        do {
            size_t i = at, brk = 0;
            int w = 0;
            while (i < end) {
                size_t len;
                int cw = char_width(le, i, &len);
                if (w + cw > cols)
                    break;
                w += cw;
                i += len;
                if (le->buf[i - len] == ' ')
                    brk = i;
            }
            size_t take_end = i < end && brk > at ? brk : i;
            if (take_end == at && at < end) {
                size_t len;
                char_width(le, at, &len);
                take_end = at + len;
            }
            push_line(lines, &n, &cap, at, take_end);
            at = take_end;
        } while (at < end);
        if (end >= le->len)
            break;
        s = end + 1;
    }
    return n;
}

static int width_between(const struct lineedit *le, size_t s, size_t e)
{
    int w = 0;
    for (size_t i = s; i < e;) {
        size_t len;
        w += char_width(le, i, &len);
        i += len;
    }
    return w;
}

static size_t row_of(const struct le_vline *lines, size_t n, size_t cur)
{
    size_t r = 0;
    for (size_t i = 0; i < n; i++)
        if (lines[i].start <= cur)
            r = i;
    return r;
}

void lineedit_cursor(const struct lineedit *le, int cols, int *row, int *col)
{
    struct le_vline *lines;
    size_t n = lineedit_wrap(le, cols, &lines);
    size_t r = row_of(lines, n, le->cur);
    *row = (int)r;
    *col = width_between(le, lines[r].start, le->cur);
    free(lines);
}

static bool move_row(struct lineedit *le, int cols, int delta)
{
    struct le_vline *lines;
    size_t n = lineedit_wrap(le, cols, &lines);
    size_t r = row_of(lines, n, le->cur);
    bool moved = false;
    if ((delta < 0 && r > 0) || (delta > 0 && r + 1 < n)) {
        int col = width_between(le, lines[r].start, le->cur);
        size_t t = delta < 0 ? r - 1 : r + 1;
        size_t at = lines[t].start, stop = lines[t].end;
        /* a soft-wrapped line's last byte belongs to the next row: stay before it */
        if (t + 1 < n && lines[t + 1].start == stop && stop > at)
            stop = prev_char(le, stop);
        int w = 0;
        while (at < stop) {
            size_t len;
            int cw = char_width(le, at, &len);
            if (w + cw > col)
                break;
            w += cw;
            at += len;
        }
        le->cur = at;
        moved = true;
    }
    free(lines);
    return moved;
}

bool lineedit_up(struct lineedit *le, int cols)
{
    return move_row(le, cols, -1);
}

bool lineedit_down(struct lineedit *le, int cols)
{
    return move_row(le, cols, 1);
}
