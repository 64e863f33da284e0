/* inmail_html.c — an HTML mail body reduced to plain text, never rendered: tags dropped, line
 * breaks where the blocks were, entities decoded, scripts and styles gone. See
 * inmail_internal.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/text.h"
#include "base/status.h"
#include "msg/inmail_internal.h"

static const struct {
    const char *name;
    uint32_t cp;
} entities[] = {
    {"amp", '&'},       {"lt", '<'},       {"gt", '>'},        {"quot", '"'},     {"apos", '\''},
    {"nbsp", ' '},      {"eacute", 0xe9},  {"Eacute", 0xc9},   {"egrave", 0xe8},  {"Egrave", 0xc8},
    {"ecirc", 0xea},    {"Ecirc", 0xca},   {"euml", 0xeb},     {"agrave", 0xe0},  {"Agrave", 0xc0},
    {"acirc", 0xe2},    {"Acirc", 0xc2},   {"auml", 0xe4},     {"ccedil", 0xe7},  {"Ccedil", 0xc7},
    {"icirc", 0xee},    {"iuml", 0xef},    {"ocirc", 0xf4},    {"ouml", 0xf6},    {"ugrave", 0xf9},
    {"ucirc", 0xfb},    {"uuml", 0xfc},    {"oelig", 0x153},   {"OElig", 0x152},  {"laquo", 0xab},
    {"raquo", 0xbb},    {"lsquo", 0x2018}, {"rsquo", 0x2019},  {"ldquo", 0x201c}, {"rdquo", 0x201d},
    {"sbquo", 0x201a},  {"bdquo", 0x201e}, {"hellip", 0x2026}, {"ndash", 0x2013}, {"mdash", 0x2014},
    {"euro", 0x20ac},   {"copy", 0xa9},    {"reg", 0xae},      {"trade", 0x2122}, {"deg", 0xb0},
    {"middot", 0xb7},   {"bull", 0x2022},  {"times", 0xd7},    {"ntilde", 0xf1},  {"szlig", 0xdf},
    {"aacute", 0xe1},   {"iacute", 0xed},  {"oacute", 0xf3},   {"uacute", 0xfa},  {"shy", 0xad},
    {"thinsp", 0x2009},
};

/* HTML's reading of &#128;-&#159; (windows-1252), 0 where it has none. */
static const uint16_t cp1252[32] = {0x20ac, 0,      0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
                                    0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017d, 0,
                                    0,      0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
                                    0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0,      0x017e, 0x0178};

/* Tags that end a line (open or close). */
static const char *const blocks[] = {
    "p",      "div",     "li",      "ul",      "ol",   "tr",         "table",  "h1",
    "h2",     "h3",      "h4",      "h5",      "h6",   "pre",        "hr",     "dt",
    "dd",     "dl",      "br",      "tbody",   "td",   "blockquote", "center", "header",
    "footer", "section", "article", "address", "form", "title",      NULL};

struct out {
    struct buf b;
    bool space; /* a blank is pending (collapsed white space) */
};

static bool at_line_start(const struct out *o)
{
    return o->b.len == 0 || o->b.p[o->b.len - 1] == '\n';
}

static void emit(struct out *o, const char *s, size_t n)
{
    if (o->space && !at_line_start(o))
        buf_add(&o->b, " ", 1);
    o->space = false;
    buf_add(&o->b, s, n);
}

static void newline(struct out *o, bool always)
{
    o->space = false;
    if (always || !at_line_start(o))
        buf_add(&o->b, "\n", 1);
}

static void emit_cp(struct out *o, uint32_t cp)
{
    char u[4];
    if (cp >= 0x80 && cp < 0xa0 && cp1252[cp - 0x80])
        cp = cp1252[cp - 0x80];
    size_t k = cp ? text_encode(cp, u) : 0;
    if (k == 0)
        emit(o, "\xEF\xBF\xBD", 3);
    else
        emit(o, u, k);
}

/* An entity at s[0..n) (s[0] == '&'): returns its length after emitting it, 0 when it is none. */
static size_t entity(struct out *o, const char *s, size_t n)
{
    size_t i = 1;
    if (i < n && s[i] == '#') {
        bool hex = i + 1 < n && (s[i + 1] == 'x' || s[i + 1] == 'X');
        i += hex ? 2 : 1;
        size_t d0 = i;
        uint32_t cp = 0;
        for (; i < n && i - d0 < 8; i++) {
            char c = s[i];
            int v = c >= '0' && c <= '9'          ? c - '0'
                    : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                  : -1;
            if (v < 0)
                break;
            cp = cp * (hex ? 16 : 10) + (uint32_t)v;
        }
        if (i == d0)
            return 0;
        if (i < n && s[i] == ';')
            i++;
        emit_cp(o, cp > 0x10ffff ? 0 : cp);
        return i;
    }
    while (i < n && i < 10 && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
        i++;
    if (i >= n || s[i] != ';')
        return 0;
    for (size_t e = 0; e < sizeof entities / sizeof entities[0]; e++)
        if (strlen(entities[e].name) == i - 1 && memcmp(entities[e].name, s + 1, i - 1) == 0) {
            if (entities[e].cp == 0xad)
                return i + 1; /* a soft hyphen: nothing to show */
            emit_cp(o, entities[e].cp);
            return i + 1;
        }
    return 0;
}

/* The end of the tag opening at s[0] ('<'): the offset after its '>' (quotes in attributes
 * respected), or n when it is not closed. */
static size_t tag_end(const char *s, size_t n)
{
    char q = 0;
    for (size_t i = 1; i < n; i++) {
        if (q) {
            if (s[i] == q)
                q = 0;
        } else if (s[i] == '"' || s[i] == '\'') {
            q = s[i];
        } else if (s[i] == '>') {
            return i + 1;
        }
    }
    return n;
}

/* Where the element name (script, style) opened before s ends: the offset after "</name...>",
 * or n when it is never closed. */
static size_t skip_element(const char *s, size_t n, const char *name)
{
    size_t nl = strlen(name);
    for (size_t i = 0; i + 2 + nl <= n; i++)
        if (s[i] == '<' && s[i + 1] == '/' && strncasecmp(s + i + 2, name, nl) == 0)
            return i + tag_end(s + i, n - i);
    return n;
}

static const char *find(const char *s, size_t n, const char *what)
{
    size_t k = strlen(what);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(s + i, what, k) == 0)
            return s + i;
    return NULL;
}

/* A tag at s[0..n) (s[0] == '<'): returns what it takes (the element's content too for script,
 * style and title), 0 when it is a plain '<'. */
static size_t tag(struct out *o, const char *s, size_t n)
{
    if (n >= 4 && memcmp(s, "<!--", 4) == 0) {
        const char *e = find(s + 4, n - 4, "-->");
        return e ? (size_t)(e - s) + 3 : n;
    }
    if (n >= 2 && (s[1] == '!' || s[1] == '?'))
        return tag_end(s, n);
    size_t i = 1;
    bool closing = i < n && s[i] == '/';
    if (closing)
        i++;
    char name[16];
    size_t k = 0;
    while (i < n && k < sizeof name - 1 &&
           ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
            (k > 0 && s[i] >= '0' && s[i] <= '9') || (k > 0 && s[i] == ':')))
        name[k++] = (char)(s[i++] | 0x20);
    name[k] = '\0';
    if (k == 0)
        return 0;
    size_t end = tag_end(s, n);
    if (!closing && (strcmp(name, "script") == 0 || strcmp(name, "style") == 0 ||
                     strcmp(name, "title") == 0 || strcmp(name, "head") == 0)) {
        if (strcmp(name, "head") == 0)
            return end; /* its title and style are dropped on their own */
        return end + skip_element(s + end, n - end, name);
    }
    if (strcmp(name, "br") == 0) {
        newline(o, true);
        return end;
    }
    for (size_t b = 0; blocks[b]; b++)
        if (strcmp(name, blocks[b]) == 0) {
            newline(o, false);
            break;
        }
    if (!closing && strcmp(name, "li") == 0)
        emit(o, "- ", 2);
    return end;
}

/* Collapses runs of more than one blank line to one. */
static void collapse_blank_lines(struct buf *b)
{
    size_t o = 0;
    int nl = 0;
    for (size_t i = 0; i < b->len; i++) {
        char c = b->p[i];
        nl = c == '\n' ? nl + 1 : 0;
        if (nl <= 2)
            b->p[o++] = c;
    }
    b->len = o;
    b->p[o] = '\0';
}

char *inmail_html_text(const char *s, size_t n)
{
    struct out o = {{0}, false};
    buf_add(&o.b, "", 0);
    size_t i = 0;
    while (i < n) {
        char c = s[i];
        size_t k = 0;
        if (c == '<')
            k = tag(&o, s + i, n - i);
        else if (c == '&')
            k = entity(&o, s + i, n - i);
        else if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f') {
            o.space = true;
            k = 1;
        }
        if (k == 0) {
            size_t cl = 1;
            while (i + cl < n && ((unsigned char)s[i + cl] & 0xC0) == 0x80 && cl < 4)
                cl++;
            emit(&o, s + i, cl);
            k = cl;
        }
        i += k;
    }
    inmail_text_trim(&o.b);
    collapse_blank_lines(&o.b);
    size_t a = 0;
    while (a < o.b.len && o.b.p[a] == '\n')
        a++;
    memmove(o.b.p, o.b.p + a, o.b.len - a + 1);
    o.b.len -= a;
    return buf_take(&o.b);
}
