/* text.c — UTF-8, display widths and sanitising for terminal output. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* wcwidth */
#endif
#include "base/text.h"

#include "base/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

size_t text_decode(const char *s, size_t n, uint32_t *cp)
{
    if (n == 0)
        return 0;
    const unsigned char *u = (const unsigned char *)s;
    *cp = u[0];
    if (u[0] < 0x80)
        return 1;
    size_t len;
    uint32_t c, min;
    if ((u[0] & 0xe0) == 0xc0) {
        len = 2, c = u[0] & 0x1f, min = 0x80;
    } else if ((u[0] & 0xf0) == 0xe0) {
        len = 3, c = u[0] & 0x0f, min = 0x800;
    } else if ((u[0] & 0xf8) == 0xf0) {
        len = 4, c = u[0] & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((u[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (u[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return len;
}

bool text_valid(const char *s, size_t n)
{
    uint32_t cp;
    for (size_t i = 0; i < n;) {
        size_t len = text_decode(s + i, n - i, &cp);
        if (len == 0)
            return false;
        i += len;
    }
    return true;
}

size_t text_char_len(const char *s)
{
    if (!*s)
        return 0;
    uint32_t cp;
    size_t len = text_decode(s, strnlen(s, 4), &cp);
    return len ? len : 1;
}

/* The bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): in a
 * name they reorder what follows on the line ("Trojan Source"), and no name needs them. */
static bool is_bidi_control(uint32_t cp)
{
    return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

char *text_clean_plain(const char *s, bool keep_newlines, size_t max)
{
    if (!s)
        s = "";
    size_t n = strlen(s), cap = n < max ? n : max;
    char *out = lcm_xmalloc(cap + 1);
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = text_decode(s + i, n - i, &cp);
        if (o + (len ? len : 1) > cap)
            break;
        if (len == 0) {
            out[o++] = '?';
            i++;
            continue;
        }
        if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
            out[o++] = keep_newlines && (cp == '\n' || cp == '\t') ? (char)cp : ' ';
        else if (is_bidi_control(cp))
            ; /* dropped */
        else
            memcpy(out + o, s + i, len), o += len;
        i += len;
    }
    out[o] = '\0';
    return out;
}

size_t text_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
        return 0;
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

static bool is_control(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7f && cp < 0xa0);
}

/* Used when the C library's locale cannot tell (a non-UTF-8 locale): the main East Asian
 * wide ranges and the common combining blocks. */
static int fallback_width(uint32_t cp)
{
    if ((cp >= 0x0300 && cp <= 0x036f) || (cp >= 0x1ab0 && cp <= 0x1aff) ||
        (cp >= 0x20d0 && cp <= 0x20ff) || (cp >= 0xfe20 && cp <= 0xfe2f) || cp == 0x200b ||
        (cp >= 0x200c && cp <= 0x200f))
        return 0;
    if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0x303e) ||
        (cp >= 0x3041 && cp <= 0x33ff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
        (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xa000 && cp <= 0xa4cf) ||
        (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
        (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
        (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) ||
        (cp >= 0x1f900 && cp <= 0x1f9ff) || (cp >= 0x20000 && cp <= 0x3fffd))
        return 2;
    return 1;
}

int text_cp_width(uint32_t cp)
{
    if (is_control(cp))
        return -1;
    if (cp < 0x7f)
        return 1;
    int w = wcwidth((wchar_t)cp);
    if (w >= 0)
        return w;
    return fallback_width(cp);
}

/* Appends the visible form of one unsafe byte or code point. */
static size_t visible_form(uint32_t cp, bool invalid_byte, char out[8])
{
    if (invalid_byte || cp >= 0x80)
        return (size_t)snprintf(out, 8, "\\x%02X", (unsigned)(cp & 0xff));
    out[0] = '^';
    out[1] = (char)(cp == 0x7f ? '?' : cp + 0x40);
    return 2;
}

char *text_clean(const char *s, bool keep_newlines)
{
    if (!s)
        s = "";
    size_t n = strlen(s);
    char *out = lcm_xmalloc(n * 4 + 1);
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = text_decode(s + i, n - i, &cp);
        if (len == 0) {
            o += visible_form((unsigned char)s[i], true, out + o);
            i++;
            continue;
        }
        if (is_control(cp)) {
            if (keep_newlines && cp == '\n')
                out[o++] = '\n';
            else if (keep_newlines && cp == '\t')
                out[o++] = ' ';
            else
                o += visible_form(cp, false, out + o);
        } else if (is_bidi_control(cp)) {
            o += (size_t)snprintf(out + o, 8, "\\u%04X", (unsigned)cp); /* 3 bytes -> 6 */
        } else {
            memcpy(out + o, s + i, len);
            o += len;
        }
        i += len;
    }
    out[o] = '\0';
    return out;
}

/* The character at s (n > 0 bytes left) as text_width counts it: its length in bytes is
 * returned and its columns stored in *cols (an invalid byte: 1 byte, 4 columns, as "\xNN";
 * a control or unknown width: 2). */
static size_t char_step(const char *s, size_t n, int *cols)
{
    uint32_t cp;
    size_t len = text_decode(s, n, &cp);
    if (len == 0) {
        *cols = 4;
        return 1;
    }
    int cw = text_cp_width(cp);
    *cols = cw < 0 ? 2 : cw;
    return len;
}

int text_width(const char *s)
{
    int w = 0;
    size_t n = s ? strlen(s) : 0;
    for (size_t i = 0; i < n;) {
        int cw;
        i += char_step(s + i, n - i, &cw);
        w += cw;
    }
    return w;
}

int text_fit(char *out, size_t outlen, const char *s, int cols, bool pad)
{
    if (outlen == 0)
        return 0;
    char *clean = text_clean(s, false);
    size_t n = strlen(clean);
    int total = text_width(clean);
    int limit = total <= cols ? cols : cols - 1; /* keep a column for the ellipsis */
    size_t o = 0;
    int w = 0;
    for (size_t i = 0; i < n && cols > 0;) {
        uint32_t cp;
        size_t len = text_decode(clean + i, n - i, &cp);
        if (len == 0)
            len = 1, cp = '?';
        int cw = text_cp_width(cp);
        if (cw < 0)
            cw = 1;
        if (w + cw > limit || o + len + 1 >= outlen)
            break;
        memcpy(out + o, clean + i, len);
        o += len;
        w += cw;
        i += len;
    }
    if (total > cols && cols > 0 && o + 4 < outlen) {
        memcpy(out + o, "\xe2\x80\xa6", 3);
        o += 3;
        w++;
    }
    while (pad && w < cols && o + 1 < outlen) {
        out[o++] = ' ';
        w++;
    }
    out[o] = '\0';
    free(clean);
    return w;
}

size_t text_col_offset(const char *s, int col)
{
    size_t n = strlen(s), i = 0;
    int w = 0;
    while (i < n && w < col) {
        int cw;
        i += char_step(s + i, n - i, &cw);
        w += cw;
    }
    return i;
}
