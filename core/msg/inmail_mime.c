/* inmail_mime.c — the header blocks and the MIME tree of a received mail: fields unfolded,
 * parameters read, multiparts split (a missing closing delimiter is fine), the readable text
 * chosen and the rest counted. See inmail_internal.h. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/status.h"
#include "msg/inmail_internal.h"

/* The length of the line at p[0..n) without its end, and in *next the offset after it. */
static size_t line_len(const char *p, size_t n, size_t *next)
{
    const char *e = memchr(p, '\n', n);
    size_t l = e ? (size_t)(e - p) : n;
    *next = e ? l + 1 : n;
    if (l > 0 && p[l - 1] == '\r')
        l--;
    return l;
}

/* The length of the field name starting line p[0..l) (before the ':'), 0 when it is not one. */
static size_t field_name(const char *p, size_t l)
{
    size_t i = 0;
    while (i < l && (unsigned char)p[i] > ' ' && (unsigned char)p[i] < 0x7f && p[i] != ':')
        i++;
    size_t k = i;
    while (i < l && (p[i] == ' ' || p[i] == '\t')) /* obsolete: blanks before the colon */
        i++;
    return k > 0 && i < l && p[i] == ':' ? k : 0;
}

static void add_value(struct buf *v, const char *s, size_t n)
{
    if (v->len >= INMAIL_FIELD_MAX)
        return;
    if (n > INMAIL_FIELD_MAX - v->len)
        n = INMAIL_FIELD_MAX - v->len;
    buf_add(v, s, n);
}

static void trim_value(struct buf *v)
{
    size_t a = 0;
    while (a < v->len && (v->p[a] == ' ' || v->p[a] == '\t'))
        a++;
    memmove(v->p, v->p + a, v->len - a + 1);
    v->len -= a;
    while (v->len && (v->p[v->len - 1] == ' ' || v->p[v->len - 1] == '\t'))
        v->p[--v->len] = '\0';
}

size_t inmail_mime_fields(const char *p, size_t n, struct inmail_fields *f, bool *sep)
{
    inmail_mime_fields_free(f);
    *sep = false;
    size_t off = 0;
    struct inmail_field *cur = NULL; /* the field a folded line continues */
    while (off < n) {
        size_t next, l = line_len(p + off, n - off, &next);
        const char *s = p + off;
        if (l == 0) {
            *sep = true;
            off += next;
            break;
        }
        if (s[0] == ' ' || s[0] == '\t') {
            if (cur)
                add_value(&cur->value, s, l);
        } else if (field_name(s, l)) {
            size_t k = field_name(s, l);
            cur = NULL;
            if (f->n < INMAIL_FIELDS_MAX) {
                if (f->n == f->cap) {
                    f->cap = f->cap ? f->cap * 2 : 16;
                    f->v = lcm_xrealloc(f->v, f->cap * sizeof *f->v);
                }
                cur = &f->v[f->n++];
                cur->name = s;
                cur->nlen = k;
                cur->value = (struct buf){0};
                const char *c = memchr(s, ':', l);
                add_value(&cur->value, c + 1, l - (size_t)(c + 1 - s));
            }
        } else if (off == 0 && !(l >= 5 && memcmp(s, "From ", 5) == 0)) {
            return 0; /* not a header block: all of it is body */
        } else {
            cur = NULL; /* a line that is no field (an mbox "From " line, garbage): skipped */
        }
        off += next;
    }
    for (size_t i = 0; i < f->n; i++) {
        buf_add(&f->v[i].value, "", 0);
        trim_value(&f->v[i].value);
    }
    return off;
}

const char *inmail_mime_field(const struct inmail_fields *f, const char *name)
{
    size_t k = strlen(name);
    for (size_t i = 0; i < f->n; i++)
        if (f->v[i].nlen == k && strncasecmp(f->v[i].name, name, k) == 0)
            return f->v[i].value.p;
    return NULL;
}

void inmail_mime_fields_free(struct inmail_fields *f)
{
    for (size_t i = 0; i < f->n; i++)
        buf_free(&f->v[i].value);
    free(f->v);
    *f = (struct inmail_fields){0};
}

/* Reads a parameter value at s (after '='): a quoted string or a token. */
static char *param_value(const char *s, const char **end)
{
    struct buf b = {0};
    buf_add(&b, "", 0);
    if (*s == '"') {
        s++;
        while (*s && *s != '"') {
            if (*s == '\\' && s[1])
                s++;
            buf_add(&b, s, 1);
            s++;
        }
        if (*s == '"')
            s++;
    } else {
        while (*s && *s != ';' && *s != ' ' && *s != '\t') {
            buf_add(&b, s, 1);
            s++;
        }
    }
    *end = s;
    return buf_take(&b);
}

static int hexv(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* An RFC 2231 extended value "charset'lang'%XX..." without its charset and language. */
static char *ext_value(char *v)
{
    char *q1 = strchr(v, '\'');
    char *q2 = q1 ? strchr(q1 + 1, '\'') : NULL;
    const char *s = q2 ? q2 + 1 : v;
    struct buf b = {0};
    buf_add(&b, "", 0);
    for (; *s; s++) {
        if (*s == '%' && hexv(s[1]) >= 0 && hexv(s[2]) >= 0) {
            char c = (char)(hexv(s[1]) * 16 + hexv(s[2]));
            buf_add(&b, &c, 1);
            s += 2;
        } else {
            buf_add(&b, s, 1);
        }
    }
    free(v);
    return buf_take(&b);
}

char *inmail_mime_param(const char *value, const char *name)
{
    if (!value)
        return NULL;
    size_t k = strlen(name);
    const char *s = value;
    bool in_q = false;
    for (; *s; s++) { /* skip the type itself */
        if (*s == '"')
            in_q = !in_q;
        if (*s == ';' && !in_q)
            break;
    }
    while (*s == ';') {
        s++;
        while (*s == ' ' || *s == '\t' || *s == ';')
            s++;
        const char *n0 = s;
        while (*s && *s != '=' && *s != ';' && *s != ' ' && *s != '\t')
            s++;
        size_t nl = (size_t)(s - n0);
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s != '=')
            continue;
        s++;
        while (*s == ' ' || *s == '\t')
            s++;
        const char *e;
        char *v = param_value(s, &e);
        s = e;
        if (nl == k && strncasecmp(n0, name, k) == 0)
            return v;
        if (nl == k + 1 && strncasecmp(n0, name, k) == 0 && n0[k] == '*')
            return ext_value(v);
        free(v);
        while (*s && *s != ';')
            s++;
    }
    return NULL;
}

char *inmail_mime_msgid(const char *s, const char **end)
{
    if (end)
        *end = s ? s + strlen(s) : s;
    if (!s)
        return NULL;
    const char *a = strchr(s, '<');
    const char *b;
    if (a) {
        a++;
        b = strchr(a, '>');
        if (!b)
            b = a + strlen(a);
    } else {
        a = s;
        while (*a == ' ' || *a == '\t')
            a++;
        b = a;
        while (*b && *b != ' ' && *b != '\t' && *b != ',')
            b++;
    }
    if (end)
        *end = *b ? b + 1 : b;
    struct buf v = {0};
    for (const char *c = a; c < b && v.len < 998; c++)
        if ((unsigned char)*c > ' ' && (unsigned char)*c < 0x7f && *c != '<')
            buf_add(&v, c, 1);
    if (!v.len) {
        buf_free(&v);
        return NULL;
    }
    return buf_take(&v);
}

/* ---- the walk ---- */

struct part {
    char type[64];   /* "text/plain", lower-case; "" when unreadable */
    char *charset;   /* NULL when absent */
    char *ct;        /* the Content-Type value, or NULL */
    bool attachment; /* Content-Disposition: attachment */
    int cte;         /* 0 identity, 1 quoted-printable, 2 base64 */
};

static void part_read(struct part *pt, const struct inmail_fields *f, const char *deflt)
{
    const char *ct = inmail_mime_field(f, "Content-Type");
    const char *t = ct && *ct ? ct : deflt;
    size_t i = 0;
    while (t[i] && t[i] != ';' && t[i] != ' ' && t[i] != '\t' && i < sizeof pt->type - 1) {
        pt->type[i] = (char)((t[i] >= 'A' && t[i] <= 'Z') ? t[i] | 0x20 : t[i]);
        i++;
    }
    pt->type[i] = '\0';
    if (!strchr(pt->type, '/')) /* RFC 2045 5.2: an unreadable type is text/plain */
        strcpy(pt->type, "text/plain");
    pt->ct = ct ? lcm_xstrdup(ct) : NULL;
    pt->charset = inmail_mime_param(ct, "charset");
    const char *cd = inmail_mime_field(f, "Content-Disposition");
    pt->attachment = cd && strncasecmp(cd, "attachment", 10) == 0;
    const char *cte = inmail_mime_field(f, "Content-Transfer-Encoding");
    pt->cte = !cte                                            ? 0
              : strncasecmp(cte, "quoted-printable", 16) == 0 ? 1
              : strncasecmp(cte, "base64", 6) == 0            ? 2
                                                              : 0;
}

static void part_free(struct part *pt)
{
    free(pt->charset);
    free(pt->ct);
}

/* The body decoded from its transfer encoding and converted to UTF-8 (not cleaned). */
static char *part_utf8(const struct part *pt, const char *body, size_t n, size_t *len)
{
    struct buf raw = {0};
    if (pt->cte == 1)
        inmail_text_qp(&raw, body, n, false);
    else if (pt->cte == 2)
        inmail_text_base64(&raw, body, n);
    else
        buf_add(&raw, body, n);
    char *u = inmail_text_utf8(raw.p, raw.len, pt->charset, len);
    buf_free(&raw);
    return u;
}

/* Appends a piece of readable text (cleaned) to the walk's text, a blank line between two. */
static void add_text(struct inmail_walk *w, struct buf *t, bool html)
{
    inmail_text_trim(t);
    if (!t->len)
        return;
    if (w->text.len)
        buf_adds(&w->text, "\n\n");
    buf_add(&w->text, t->p, t->len);
    w->from_html = w->have_text ? w->from_html && html : html;
    w->have_text = true;
}

static void walk_text(struct inmail_walk *w, const struct part *pt, const char *body, size_t n)
{
    size_t len;
    char *u = part_utf8(pt, body, n, &len);
    struct buf t = {0};
    bool html = strcmp(pt->type, "text/html") == 0;
    if (html) {
        char *h = inmail_html_text(u, len);
        inmail_text_clean(&t, h, strlen(h), true);
        free(h);
    } else {
        inmail_text_clean(&t, u, len, true);
        char *fmt = inmail_mime_param(pt->ct, "format");
        if (fmt && strcasecmp(fmt, "flowed") == 0) {
            char *delsp = inmail_mime_param(pt->ct, "delsp");
            inmail_text_unflow(&t, delsp && strcasecmp(delsp, "yes") == 0);
            free(delsp);
        }
        free(fmt);
    }
    free(u);
    add_text(w, &t, html);
    buf_free(&t);
}

/* The METHOD: line of an iCalendar text, upper-case; NULL when none. */
static char *ical_method(const char *s)
{
    for (const char *p = s; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        if (strncasecmp(p, "METHOD:", 7) == 0) {
            p += 7;
            struct buf b = {0};
            while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '-') {
                char c = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
                buf_add(&b, &c, 1);
                p++;
            }
            return b.len ? buf_take(&b) : NULL;
        }
        if (strncasecmp(p, "BEGIN:VEVENT", 12) == 0)
            break; /* METHOD belongs to the VCALENDAR, before the components */
    }
    return NULL;
}

static void walk_calendar(struct inmail_walk *w, const struct part *pt, const char *body, size_t n)
{
    size_t len;
    char *u = part_utf8(pt, body, n, &len);
    struct buf t = {0};
    inmail_text_clean(&t, u, len, true);
    free(u);
    w->calendar = buf_take(&t);
    char *m = inmail_mime_param(pt->ct, "method");
    if (m) {
        struct buf b = {0};
        for (char *c = m; *c; c++)
            if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || *c == '-') {
                char u2 = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
                buf_add(&b, &u2, 1);
            }
        free(m);
        w->calendar_method = b.len ? buf_take(&b) : NULL;
        buf_free(&b);
    }
    if (!w->calendar_method)
        w->calendar_method = ical_method(w->calendar);
}

static char *lower_addr(const char *s)
{
    if (!s)
        return NULL;
    const char *semi = strchr(s, ';'); /* "rfc822; user@example.org" */
    s = semi ? semi + 1 : s;
    while (*s == ' ' || *s == '\t' || *s == '<')
        s++;
    struct buf b = {0};
    for (; *s && *s != '>' && *s != ' ' && b.len < 320; s++)
        if ((unsigned char)*s > ' ' && (unsigned char)*s < 0x7f) {
            char c = (char)(*s >= 'A' && *s <= 'Z' ? *s | 0x20 : *s);
            buf_add(&b, &c, 1);
        }
    if (!b.len || !strchr(b.p, '@')) {
        buf_free(&b);
        return NULL;
    }
    return buf_take(&b);
}

/* message/delivery-status: per-message fields, then one block per recipient. */
static void walk_dsn(struct inmail_walk *w, const struct part *pt, const char *body, size_t n)
{
    size_t len;
    char *u = part_utf8(pt, body, n, &len);
    size_t off = 0;
    for (int block = 0; off < len && block < 50 && !w->bounce_recipient; block++) {
        struct inmail_fields f = {0};
        bool sep;
        size_t used = inmail_mime_fields(u + off, len - off, &f, &sep);
        const char *r = inmail_mime_field(&f, "Final-Recipient");
        if (!r)
            r = inmail_mime_field(&f, "Original-Recipient");
        if (r) {
            w->bounce_recipient = lower_addr(r);
            const char *st = inmail_mime_field(&f, "Status");
            if (st) {
                struct buf b = {0};
                for (; *st && (*st == '.' || (*st >= '0' && *st <= '9')) && b.len < 16; st++)
                    buf_add(&b, st, 1);
                w->bounce_status = b.len ? buf_take(&b) : NULL;
                buf_free(&b);
            }
        }
        inmail_mime_fields_free(&f);
        if (used == 0) {
            /* a blank line or a line that is not a field: step over it */
            size_t next;
            line_len(u + off, len - off, &next);
            used = next;
        }
        off += used;
    }
    free(u);
}

static void walk_entity(struct inmail_walk *w, const struct inmail_fields *f, const char *body,
                        size_t n, int depth, const char *deflt, bool in_report);

/* Finds the next delimiter line "--boundary" at or after off: returns its offset (n when none),
 * with *close true for "--boundary--" and *after the offset after the line. */
static size_t next_delim(const char *p, size_t n, size_t off, const char *bd, size_t bl,
                         bool *close, size_t *after)
{
    while (off < n) {
        size_t next, l = line_len(p + off, n - off, &next);
        if (l >= bl + 2 && p[off] == '-' && p[off + 1] == '-' && memcmp(p + off + 2, bd, bl) == 0) {
            size_t r = bl + 2;
            *close = l >= r + 2 && p[off + r] == '-' && p[off + r + 1] == '-';
            if (*close)
                r += 2;
            while (r < l && (p[off + r] == ' ' || p[off + r] == '\t'))
                r++;
            if (r == l) {
                *after = off + next;
                return off;
            }
        }
        off += next;
    }
    *close = true;
    *after = n;
    return n;
}

/* The best of an alternative's parts: text/plain, else HTML, else the first with text. */
static int alt_rank(const struct inmail_walk *s)
{
    return !s->have_text ? 0 : s->from_html ? 1 : 2;
}

static void take_str(char **dst, char **src)
{
    if (!*dst) {
        *dst = *src;
        *src = NULL;
    }
}

/* Merges what a sub-walk found (its text when with_text) into w, and frees sub. */
static void merge(struct inmail_walk *w, struct inmail_walk *sub, bool with_text)
{
    if (with_text && sub->have_text) {
        struct buf t = sub->text;
        sub->text = (struct buf){0};
        add_text(w, &t, sub->from_html);
        buf_free(&t);
    }
    w->bounce = w->bounce || sub->bounce;
    w->n_attachments += sub->n_attachments;
    if (w->calendar && sub->calendar)
        w->n_attachments++; /* a second calendar (the .ics copy of an invitation) */
    take_str(&w->calendar, &sub->calendar);
    take_str(&w->calendar_method, &sub->calendar_method);
    take_str(&w->bounce_recipient, &sub->bounce_recipient);
    take_str(&w->bounce_status, &sub->bounce_status);
    take_str(&w->bounce_message_id, &sub->bounce_message_id);
    inmail_mime_walk_free(sub);
}

static void walk_multipart(struct inmail_walk *w, const struct part *pt, const char *body, size_t n,
                           int depth)
{
    char *bd = inmail_mime_param(pt->ct, "boundary");
    size_t bl = bd ? strlen(bd) : 0;
    bool close = true;
    size_t after = n;
    size_t d = bl && bl <= 200 ? next_delim(body, n, 0, bd, bl, &close, &after) : n;
    if (d == n) { /* no boundary, or never used: the body is read as text */
        free(bd);
        struct part tp = {.type = "text/plain", .charset = NULL, .ct = NULL};
        walk_text(w, &tp, body, n);
        return;
    }
    bool alt = strcmp(pt->type, "multipart/alternative") == 0;
    bool report = strcmp(pt->type, "multipart/report") == 0;
    if (report) {
        char *rt = inmail_mime_param(pt->ct, "report-type");
        if (rt && strcasecmp(rt, "delivery-status") == 0)
            w->bounce = true;
        free(rt);
    }
    const char *deflt = strcmp(pt->type, "multipart/digest") == 0 ? "message/rfc822" : "text/plain";
    struct inmail_walk best = {0};
    int best_rank = -1;
    while (!close && w->parts < INMAIL_PARTS_MAX) {
        size_t start = after;
        size_t e = next_delim(body, n, start, bd, bl, &close, &after);
        size_t end = e; /* the CRLF before a delimiter belongs to it */
        if (end > start && body[end - 1] == '\n')
            end--;
        if (end > start && body[end - 1] == '\r')
            end--;
        struct inmail_fields pf = {0};
        bool sep;
        size_t boff = inmail_mime_fields(body + start, end - start, &pf, &sep);
        struct inmail_walk sub = {0};
        sub.parts = w->parts;
        walk_entity(&sub, &pf, body + start + boff, end - start - boff, depth + 1, deflt, report);
        w->parts = sub.parts;
        inmail_mime_fields_free(&pf);
        if (alt) {
            int r = alt_rank(&sub);
            if (r > best_rank) {
                struct inmail_walk old = best;
                best = sub;
                best_rank = r;
                old.n_attachments = 0; /* another form of the same content */
                merge(w, &old, false);
            } else {
                sub.n_attachments = 0; /* another form of the same content */
                merge(w, &sub, false);
            }
        } else {
            merge(w, &sub, true);
        }
    }
    if (alt)
        merge(w, &best, true);
    free(bd);
}

static void walk_rfc822(struct inmail_walk *w, const struct part *pt, const char *body, size_t n,
                        int depth, bool in_report)
{
    struct buf raw = {0};
    if (pt->cte == 1)
        inmail_text_qp(&raw, body, n, false);
    else if (pt->cte == 2)
        inmail_text_base64(&raw, body, n);
    else
        buf_add(&raw, body, n);
    struct inmail_fields f = {0};
    bool sep;
    size_t boff = inmail_mime_fields(raw.p, raw.len, &f, &sep);
    if (in_report) { /* the returned message: only its Message-ID matters */
        if (!w->bounce_message_id)
            w->bounce_message_id = inmail_mime_msgid(inmail_mime_field(&f, "Message-ID"), NULL);
    } else {
        struct inmail_walk sub = {0};
        sub.parts = w->parts;
        walk_entity(&sub, &f, raw.p + boff, raw.len - boff, depth + 1, "text/plain", false);
        w->parts = sub.parts;
        merge(w, &sub, true);
    }
    inmail_mime_fields_free(&f);
    buf_free(&raw);
}

static bool is_calendar(const struct part *pt)
{
    return strcmp(pt->type, "text/calendar") == 0 || strcmp(pt->type, "application/ics") == 0;
}

static void walk_entity(struct inmail_walk *w, const struct inmail_fields *f, const char *body,
                        size_t n, int depth, const char *deflt, bool in_report)
{
    if (++w->parts > INMAIL_PARTS_MAX)
        return;
    struct part pt = {0};
    part_read(&pt, f, deflt);
    bool multi = strncmp(pt.type, "multipart/", 10) == 0;
    bool msg = strcmp(pt.type, "message/rfc822") == 0 || strcmp(pt.type, "message/global") == 0;
    if (depth > INMAIL_DEPTH_MAX && (multi || msg)) {
        w->n_attachments++;
    } else if (multi) {
        walk_multipart(w, &pt, body, n, depth);
    } else if (msg) {
        walk_rfc822(w, &pt, body, n, depth, in_report);
    } else if (in_report && strcmp(pt.type, "text/rfc822-headers") == 0) {
        walk_rfc822(w, &pt, body, n, depth, true);
    } else if (strcmp(pt.type, "message/delivery-status") == 0 ||
               strcmp(pt.type, "message/global-delivery-status") == 0) {
        walk_dsn(w, &pt, body, n);
    } else if (is_calendar(&pt) && !w->calendar) {
        walk_calendar(w, &pt, body, n);
    } else if (!pt.attachment &&
               (strcmp(pt.type, "text/plain") == 0 || strcmp(pt.type, "text/html") == 0)) {
        walk_text(w, &pt, body, n);
    } else {
        w->n_attachments++;
    }
    part_free(&pt);
}

void inmail_mime_walk(struct inmail_walk *w, const struct inmail_fields *f, const char *body,
                      size_t n)
{
    walk_entity(w, f, body, n, 0, "text/plain", false);
}

void inmail_mime_walk_free(struct inmail_walk *w)
{
    buf_free(&w->text);
    free(w->calendar);
    free(w->calendar_method);
    free(w->bounce_recipient);
    free(w->bounce_status);
    free(w->bounce_message_id);
    *w = (struct inmail_walk){0};
}
