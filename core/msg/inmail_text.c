/* inmail_text.c — what a received mail's bytes become as text: charsets to UTF-8 (iconv),
 * base64 and quoted-printable, RFC 2047 encoded-words, HTML reduced to text, and the cleaning
 * that leaves only valid UTF-8 without control characters. See inmail_internal.h. */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/text.h"
#include "base/status.h"
#include "msg/inmail_internal.h"

static const char fffd[] = "\xEF\xBF\xBD";

/* The length of the terminal escape sequence at s[0..n) (ESC or a UTF-8 C1 CSI/OSC first):
 * CSI "ESC [" parameters and a final byte, OSC/DCS/APC/PM/SOS strings up to BEL or "ESC \\",
 * else ESC and one character. At most 64 bytes are taken, so text after a broken one stays. */
static size_t escape_len(const char *s, size_t n)
{
    size_t i;
    char kind;
    if ((unsigned char)s[0] == 0x1b) {
        if (n < 2)
            return 1;
        kind = s[1];
        i = 2;
    } else { /* U+009B CSI, U+009D OSC, U+0090 DCS... as two bytes C2 xx */
        unsigned char c1 = (unsigned char)s[1];
        kind = c1 == 0x9b   ? '['
               : c1 == 0x9d ? ']'
               : c1 == 0x90 ? 'P'
               : c1 == 0x9e ? '^'
               : c1 == 0x9f ? '_'
               : c1 == 0x98 ? 'X'
                            : 0;
        i = 2;
        if (!kind)
            return 2;
    }
    size_t max = n < 64 ? n : 64;
    if (kind == '[') {
        while (i < max && (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] <= 0x3f)
            i++;
        return i < max && (unsigned char)s[i] >= 0x40 && (unsigned char)s[i] <= 0x7e ? i + 1 : i;
    }
    if (kind == ']' || kind == 'P' || kind == '^' || kind == '_' || kind == 'X') {
        for (size_t j = i; j < max; j++) {
            if (s[j] == 0x07)
                return j + 1;
            if (s[j] == 0x1b && j + 1 < n && s[j + 1] == '\\')
                return j + 2;
            if (s[j] == '\n' || s[j] == '\r')
                return j;
        }
        return i;
    }
    return (unsigned char)kind >= 0x20 && (unsigned char)kind < 0x7f ? 2 : 1;
}

void inmail_text_clean(struct buf *b, const char *s, size_t n, bool lines)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0x1b || (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
                          (unsigned char)s[i + 1] < 0xa0)) {
            i += escape_len(s + i, n - i);
            continue;
        }
        if (c == '\r' || c == '\n' || c == '\t') {
            if (c == '\r' && i + 1 < n && s[i + 1] == '\n')
                i++;
            buf_add(b, !lines ? " " : c == '\t' ? "\t" : "\n", 1);
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            i++;
        } else if (c < 0x80) {
            buf_add(b, s + i, 1);
            i++;
        } else {
            uint32_t cp;
            size_t k = text_decode(s + i, n - i, &cp);
            if (k == 0) {
                buf_adds(b, fffd);
                i++;
            } else {
                if (cp >= 0xa0)
                    buf_add(b, s + i, k);
                i += k;
            }
        }
    }
    if (!b->p)
        buf_add(b, "", 0);
}

/* A charset name iconv may see: short, letters, digits and "-_.:" only (no "//" suffix). */
static bool charset_ok(const char *cs)
{
    size_t n = strlen(cs);
    if (n == 0 || n > 40)
        return false;
    for (const char *p = cs; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr("-_.:", *p)))
            return false;
    return true;
}

/* s[0..n) from charset `from` to UTF-8 with iconv; NULL when iconv does not know it. */
static char *iconv_utf8(const char *s, size_t n, const char *from, size_t *len)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return NULL;
    struct buf b = {0};
    char out[4096];
    char *in = (char *)s;
    size_t left = n;
    while (left > 0) {
        char *o = out;
        size_t ol = sizeof out;
        size_t r = iconv(cd, &in, &left, &o, &ol);
        buf_add(&b, out, sizeof out - ol);
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG)
            continue;
        buf_adds(&b, fffd);
        if (errno != EILSEQ)
            break; /* EINVAL: a character cut at the end */
        in++, left--;
        iconv(cd, NULL, NULL, NULL, NULL);
    }
    char *o = out;
    size_t ol = sizeof out;
    iconv(cd, NULL, NULL, &o, &ol);
    buf_add(&b, out, sizeof out - ol);
    iconv_close(cd);
    *len = b.len;
    return buf_take(&b);
}

static bool name_is(const char *cs, const char *const *names)
{
    for (; *names; names++)
        if (strcasecmp(cs, *names) == 0)
            return true;
    return false;
}

char *inmail_text_utf8(const char *s, size_t n, const char *charset, size_t *len)
{
    static const char *const utf8[] = {"utf-8",     "utf8",           "us-ascii",
                                       "ascii",     "ansi_x3.4-1968", "unknown-8bit",
                                       "x-unknown", "default",        NULL};
    static const char *const latin1[] = {"iso-8859-1",   "iso8859-1", "iso_8859-1", "latin1", "l1",
                                         "windows-1252", "cp1252",    "x-cp1252",   NULL};
    const char *cs = charset && charset_ok(charset) ? charset : "";
    char *out = NULL;
    if (name_is(cs, latin1))
        out = iconv_utf8(s, n, "WINDOWS-1252", len);
    else if (*cs && !name_is(cs, utf8))
        out = iconv_utf8(s, n, cs, len);
    if (out)
        return out;
    if (!text_valid(s, n) && (out = iconv_utf8(s, n, "WINDOWS-1252", len)) != NULL)
        return out;
    out = lcm_xmalloc(n + 1);
    if (n)
        memcpy(out, s, n);
    out[n] = '\0';
    *len = n;
    return out;
}

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

void inmail_text_base64(struct buf *out, const char *s, size_t n)
{
    unsigned v = 0;
    int bits = 0;
    for (size_t i = 0; i < n && s[i] != '='; i++) {
        int d = b64_value((unsigned char)s[i]);
        if (d < 0)
            continue;
        v = (v << 6) | (unsigned)d;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            char c = (char)((v >> bits) & 0xff);
            buf_add(out, &c, 1);
        }
    }
    if (!out->p)
        buf_add(out, "", 0);
}

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

void inmail_text_qp(struct buf *out, const char *s, size_t n, bool q)
{
    size_t i = 0;
    while (i < n) {
        char c = s[i];
        if (c == '_' && q) {
            buf_add(out, " ", 1);
            i++;
            continue;
        }
        if (c != '=') {
            /* Blanks at a line end were added in transport (RFC 2045 6.7 (3)). */
            if ((c == ' ' || c == '\t') && !q) {
                size_t j = i;
                while (j < n && (s[j] == ' ' || s[j] == '\t'))
                    j++;
                if (j == n || s[j] == '\n' || s[j] == '\r') {
                    i = j;
                    continue;
                }
            }
            buf_add(out, &c, 1);
            i++;
            continue;
        }
        int h1 = i + 1 < n ? hex_value((unsigned char)s[i + 1]) : -1;
        int h2 = i + 2 < n ? hex_value((unsigned char)s[i + 2]) : -1;
        if (h1 >= 0 && h2 >= 0) {
            char d = (char)(h1 * 16 + h2);
            buf_add(out, &d, 1);
            i += 3;
            continue;
        }
        size_t j = i + 1;
        while (j < n && (s[j] == ' ' || s[j] == '\t'))
            j++;
        if (!q && (j == n || s[j] == '\n' || s[j] == '\r')) { /* a soft line break */
            if (j < n && s[j] == '\r')
                j++;
            if (j < n && s[j] == '\n')
                j++;
            i = j;
            continue;
        }
        buf_add(out, "=", 1);
        i++;
    }
    if (!out->p)
        buf_add(out, "", 0);
}

/* An encoded-word "=?charset?B|Q?text?=" at s[0..n): returns its length and, with raw, appends
 * its decoded bytes there and its charset (without an RFC 2231 "*lang") to cs; 0 when s does not
 * start with a well-formed one. */
static size_t encoded_word(const char *s, size_t n, char cs[48], struct buf *raw)
{
    if (n < 8 || s[0] != '=' || s[1] != '?')
        return 0;
    size_t i = 2;
    while (i < n && i < 44 && s[i] != '?' && (unsigned char)s[i] > ' ' &&
           (unsigned char)s[i] < 0x7f)
        i++;
    if (i >= n || s[i] != '?' || i == 2 || i + 2 >= n || s[i + 2] != '?')
        return 0;
    char enc = (char)(s[i + 1] | 0x20);
    if (enc != 'b' && enc != 'q')
        return 0;
    size_t t0 = i + 3, t = t0;
    while (t + 1 < n && !(s[t] == '?' && s[t + 1] == '=')) {
        if ((unsigned char)s[t] <= ' ' || (unsigned char)s[t] >= 0x7f)
            return 0;
        t++;
    }
    if (t + 1 >= n)
        return 0;
    if (raw) {
        size_t cl = i - 2;
        memcpy(cs, s + 2, cl);
        cs[cl] = '\0';
        char *star = strchr(cs, '*');
        if (star)
            *star = '\0';
        if (enc == 'b')
            inmail_text_base64(raw, s + t0, t - t0);
        else
            inmail_text_qp(raw, s + t0, t - t0, true);
    }
    return t + 2;
}

/* Appends pend (in charset cs; "" for raw header bytes) converted to UTF-8, and empties it. */
static void flush(struct buf *out, struct buf *pend, const char *cs)
{
    if (pend->len) {
        size_t len;
        char *u = inmail_text_utf8(pend->p, pend->len, cs, &len);
        buf_add(out, u, len);
        free(u);
    }
    pend->len = 0;
}

static bool is_wsp(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Cuts b to at most max bytes on a character boundary (b is valid UTF-8). */
static void cut_utf8(struct buf *b, size_t max)
{
    if (b->len <= max)
        return;
    size_t n = max;
    while (n > 0 && ((unsigned char)b->p[n] & 0xC0) == 0x80)
        n--;
    b->len = n;
    b->p[n] = '\0';
}

char *inmail_text_header(const char *s, size_t n)
{
    struct buf out = {0}, pend = {0}, word = {0};
    char pcs[48] = "", cs[48];
    bool encoded = false; /* pend holds encoded-word bytes in charset pcs */
    size_t i = 0;
    while (i < n) {
        size_t k = s[i] == '=' ? encoded_word(s + i, n - i, cs, NULL) : 0;
        if (k) {
            word.len = 0;
            encoded_word(s + i, n - i, cs, &word);
            if (!encoded || strcasecmp(cs, pcs) != 0) {
                flush(&out, &pend, encoded ? pcs : "");
                memcpy(pcs, cs, sizeof pcs);
            }
            encoded = true;
            buf_add(&pend, word.p, word.len);
            i += k;
            size_t j = i;
            while (j < n && is_wsp(s[j]))
                j++;
            if (j > i && j < n && encoded_word(s + j, n - j, cs, NULL))
                i = j; /* white space between two encoded-words is not text */
            continue;
        }
        if (encoded) {
            flush(&out, &pend, pcs);
            encoded = false;
        }
        buf_add(&pend, s + i, 1);
        i++;
    }
    flush(&out, &pend, encoded ? pcs : "");
    struct buf clean = {0};
    inmail_text_clean(&clean, out.p, out.len, false);
    buf_free(&out);
    buf_free(&pend);
    buf_free(&word);
    size_t a = 0;
    while (a < clean.len && clean.p[a] == ' ')
        a++;
    memmove(clean.p, clean.p + a, clean.len - a + 1);
    clean.len -= a;
    while (clean.len && clean.p[clean.len - 1] == ' ')
        clean.p[--clean.len] = '\0';
    cut_utf8(&clean, INMAIL_VALUE_MAX);
    return buf_take(&clean);
}

void inmail_text_trim(struct buf *b)
{
    if (!b->p)
        return;
    size_t o = 0, line = 0; /* o: write position; line: where the written line starts */
    for (size_t i = 0; i < b->len; i++) {
        char c = b->p[i];
        if (c == '\n') {
            while (o > line && (b->p[o - 1] == ' ' || b->p[o - 1] == '\t'))
                o--;
            b->p[o++] = '\n';
            line = o;
        } else {
            b->p[o++] = c;
        }
    }
    while (o > line && (b->p[o - 1] == ' ' || b->p[o - 1] == '\t'))
        o--;
    while (o > 0 && b->p[o - 1] == '\n')
        o--;
    b->len = o;
    b->p[o] = '\0';
}

void inmail_text_unflow(struct buf *b, bool delsp)
{
    if (!b->p)
        return;
    struct buf out = {0};
    buf_add(&out, "", 0);
    const char *s = b->p, *end = b->p + b->len;
    bool joining = false; /* the previous line was flowed: this one continues it */
    size_t prev_depth = 0;
    while (s < end) {
        const char *e = memchr(s, '\n', (size_t)(end - s));
        if (!e)
            e = end;
        size_t depth = 0;
        const char *c = s;
        while (c < e && *c == '>')
            c++, depth++;
        if (c < e && *c == ' ') /* space-stuffing (or the blank after the quote marks) */
            c++;
        size_t l = (size_t)(e - c);
        bool sig = l == 3 && memcmp(c, "-- ", 3) == 0;
        if (joining && depth != prev_depth)
            buf_add(&out, "\n", 1); /* a flowed line followed by another depth: it ends */
        if (!joining || depth != prev_depth) {
            for (size_t i = 0; i < depth; i++)
                buf_add(&out, ">", 1);
            if (depth)
                buf_add(&out, " ", 1);
        }
        bool flowed = !sig && l > 0 && c[l - 1] == ' ';
        buf_add(&out, c, flowed && delsp ? l - 1 : l);
        if (!flowed && e < end)
            buf_add(&out, "\n", 1);
        joining = flowed;
        prev_depth = depth;
        s = e < end ? e + 1 : end;
    }
    buf_free(b);
    *b = out;
}
