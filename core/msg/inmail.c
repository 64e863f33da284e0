/* inmail.c — one received mail read into a struct inmail (see inmail.h): the header fields the
 * inbox needs (ids, addresses, subject, date), what kind of mail it is (auto-reply, bounce), and
 * the text from the MIME walk (inmail_mime.c); and the quoted part of a reply cut off. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/text.h"
#include "msg/inmail.h"
#include "msg/inmail_internal.h"

/* References keeps at most this many ids: the first (the thread's root) and the last ones. */
#define INMAIL_REFS_MAX 100

/* The end of the first address of a list at s: the first ',' outside quotes, comments and
 * angle brackets. */
static const char *addr_end(const char *s)
{
    bool q = false;
    int paren = 0, angle = 0;
    for (; *s; s++) {
        if (q) {
            if (*s == '\\' && s[1])
                s++;
            else if (*s == '"')
                q = false;
        } else if (*s == '"') {
            q = true;
        } else if (*s == '(') {
            paren++;
        } else if (*s == ')' && paren) {
            paren--;
        } else if (*s == '<' && !paren) {
            angle = 1;
        } else if (*s == '>' && !paren) {
            angle = 0;
        } else if (*s == ',' && !paren && !angle) {
            break;
        }
    }
    return s;
}

/* An addr-spec s[0..n) lower-cased, blanks and comments dropped; NULL unless it is one word
 * with an '@' between two non-empty parts, printable ASCII or UTF-8 (no control, no quote
 * trickery beyond a quoted local part). */
static char *addr_spec(const char *s, size_t n)
{
    struct buf b = {0};
    int paren = 0;
    for (size_t i = 0; i < n && b.len < 320; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '(')
            paren++;
        else if (c == ')' && paren)
            paren--;
        else if (paren || c == ' ' || c == '\t' || c == '<' || c == '>')
            continue;
        else {
            char l = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
            buf_add(&b, &l, 1);
        }
    }
    bool ok = b.len > 2;
    char *at = ok ? strrchr(b.p, '@') : NULL;
    ok = at && at != b.p && at[1] && text_valid(b.p, b.len) && !strchr(at + 1, '"');
    for (size_t i = 0; ok && i < b.len; i++)
        ok = (unsigned char)b.p[i] > ' ' && b.p[i] != 0x7f && b.p[i] != ',' && b.p[i] != ';';
    if (!ok) {
        buf_free(&b);
        return NULL;
    }
    return buf_take(&b);
}

/* The first mailbox of an address list: its addr-spec (lower-cased, NULL when unreadable) and,
 * with name, its display name decoded ("" when none; an old "addr (Name)" comment counts). */
static char *first_mailbox(const char *v, char **name)
{
    if (name)
        *name = NULL;
    if (!v) {
        if (name)
            *name = lcm_xstrdup("");
        return NULL;
    }
    const char *colon = NULL; /* a group: "Team: a@x, b@y;" */
    for (const char *c = v; *c && *c != '"' && *c != '<' && *c != '@'; c++)
        if (*c == ':') {
            colon = c;
            break;
        }
    if (colon)
        v = colon + 1;
    const char *e = addr_end(v);
    const char *lt = NULL, *gt = NULL;
    bool q = false;
    for (const char *c = v; c < e; c++) {
        if (*c == '\\' && q && c + 1 < e)
            c++;
        else if (*c == '"')
            q = !q;
        else if (*c == '<' && !q && !lt)
            lt = c;
        else if (*c == '>' && lt && !gt)
            gt = c;
    }
    char *addr;
    struct buf nm = {0};
    buf_add(&nm, "", 0);
    if (lt) {
        addr = addr_spec(lt + 1, (size_t)((gt ? gt : e) - lt - 1));
        for (const char *c = v; c < lt; c++) { /* the phrase, its quotes and escapes removed */
            if (*c == '"')
                continue;
            if (*c == '\\' && c + 1 < lt)
                c++;
            buf_add(&nm, c, 1);
        }
    } else {
        addr = addr_spec(v, (size_t)(e - v));
        const char *p0 = memchr(v, '(', (size_t)(e - v));
        const char *p1 = p0 ? memchr(p0, ')', (size_t)(e - p0)) : NULL;
        if (p0 && p1)
            buf_add(&nm, p0 + 1, (size_t)(p1 - p0 - 1));
    }
    if (name) {
        *name = inmail_text_header(nm.p, nm.len);
        if (addr && strcasecmp(*name, addr) == 0)
            (*name)[0] = '\0'; /* "a@x <a@x>": no name */
    }
    buf_free(&nm);
    return addr;
}

static void read_references(struct inmail *m, const char *v)
{
    if (!v)
        return;
    size_t cap = 0;
    const char *s = v;
    while (*s) {
        const char *next;
        if (!strchr(s, '<'))
            break;
        char *id = inmail_mime_msgid(s, &next);
        s = next;
        if (!id)
            continue;
        if (m->n_references == INMAIL_REFS_MAX) { /* keep the root, drop the oldest after it */
            free(m->references[1]);
            memmove(m->references + 1, m->references + 2,
                    (INMAIL_REFS_MAX - 2) * sizeof *m->references);
            m->n_references--;
        }
        if (m->n_references == cap) {
            cap = cap ? cap * 2 : 8;
            m->references = lcm_xrealloc(m->references, cap * sizeof *m->references);
        }
        m->references[m->n_references++] = id;
    }
}

/* ASCII case-insensitive search of needle in hay (needle lower-case). */
static bool has(const char *hay, const char *needle)
{
    size_t k = strlen(needle);
    for (const char *h = hay; *h; h++)
        if (strncasecmp(h, needle, k) == 0)
            return true;
    return false;
}

static bool is_auto_reply(const struct inmail_fields *f, const char *subject)
{
    const char *as = inmail_mime_field(f, "Auto-Submitted");
    if (as && *as && strncasecmp(as, "no", 2) != 0)
        return true;
    if (inmail_mime_field(f, "X-Autoreply") || inmail_mime_field(f, "X-Autorespond"))
        return true;
    const char *prec = inmail_mime_field(f, "Precedence");
    if (prec && (has(prec, "auto_reply") || has(prec, "bulk") || has(prec, "junk")))
        return true;
    /* "ponse automatique": "Réponse" and "RÉPONSE" alike (strncasecmp is ASCII only) */
    static const char *const subjects[] = {"absence du bureau",
                                           "absent du bureau",
                                           "out of office",
                                           "out of the office",
                                           "automatic reply",
                                           "auto-reply",
                                           "autoreply",
                                           "ponse automatique",
                                           "message automatique",
                                           "abwesenheitsnotiz",
                                           NULL};
    for (int i = 0; subjects[i]; i++)
        if (has(subject, subjects[i]))
            return true;
    return strncasecmp(subject, "auto:", 5) == 0; /* Outlook's "Auto: <subject>" */
}

static bool is_bounce_sender(const char *addr)
{
    if (!addr)
        return false;
    return strncmp(addr, "mailer-daemon@", 14) == 0 || strncmp(addr, "postmaster@", 11) == 0;
}

enum lcm_status inmail_parse(const char *raw, size_t len, size_t max_len, struct inmail *out,
                             struct lcm_err *err)
{
    *out = (struct inmail){0};
    if (max_len && len > max_len)
        return lcm_err_set(err, LCM_ERR_INVALID, _("message of %zu bytes refused (limit %zu)"), len,
                           max_len);
    if (!raw || len == 0)
        return lcm_err_set(err, LCM_ERR_PARSE, _("empty message"));
    struct inmail_fields f = {0};
    bool sep;
    size_t boff = inmail_mime_fields(raw, len, &f, &sep);
    if (f.n == 0) {
        inmail_mime_fields_free(&f);
        return lcm_err_set(err, LCM_ERR_PARSE, _("not a mail message: no header field"));
    }
    struct inmail *m = out;
    m->message_id = inmail_mime_msgid(inmail_mime_field(&f, "Message-ID"), NULL);
    m->in_reply_to = inmail_mime_msgid(inmail_mime_field(&f, "In-Reply-To"), NULL);
    read_references(m, inmail_mime_field(&f, "References"));
    m->from_addr = first_mailbox(inmail_mime_field(&f, "From"), &m->from_name);
    if (!m->from_addr) /* no From: the envelope sender, as a last resort */
        m->from_addr = first_mailbox(inmail_mime_field(&f, "Sender"), NULL);
    m->reply_to = first_mailbox(inmail_mime_field(&f, "Reply-To"), NULL);
    m->to_addr = first_mailbox(inmail_mime_field(&f, "To"), NULL);
    const char *subj = inmail_mime_field(&f, "Subject");
    m->subject = subj ? inmail_text_header(subj, strlen(subj)) : lcm_xstrdup("");
    m->date = inmail_date_parse(inmail_mime_field(&f, "Date"));

    struct inmail_walk w = {0};
    inmail_mime_walk(&w, &f, raw + boff, len - boff);
    m->text = buf_take(&w.text);
    m->text_from_html = w.have_text && w.from_html;
    m->n_attachments = w.n_attachments;
    m->calendar = w.calendar;
    m->calendar_method = w.calendar_method;
    m->bounce_recipient = w.bounce_recipient;
    m->bounce_status = w.bounce_status;
    m->bounce_message_id = w.bounce_message_id;
    w.calendar = w.calendar_method = NULL;
    w.bounce_recipient = w.bounce_status = w.bounce_message_id = NULL;
    m->bounce = w.bounce || is_bounce_sender(m->from_addr) ||
                inmail_mime_field(&f, "X-Failed-Recipients") != NULL;
    m->auto_reply = is_auto_reply(&f, m->subject);
    inmail_mime_walk_free(&w);
    inmail_mime_fields_free(&f);
    return LCM_OK;
}

void inmail_free(struct inmail *m)
{
    if (!m)
        return;
    free(m->message_id);
    free(m->in_reply_to);
    for (size_t i = 0; i < m->n_references; i++)
        free(m->references[i]);
    free(m->references);
    free(m->from_addr);
    free(m->from_name);
    free(m->reply_to);
    free(m->to_addr);
    free(m->subject);
    free(m->text);
    free(m->calendar);
    free(m->calendar_method);
    free(m->bounce_recipient);
    free(m->bounce_status);
    free(m->bounce_message_id);
    *m = (struct inmail){0};
}

/* ---- the quoted part of a reply ---- */

static bool starts(const char *l, size_t n, const char *p)
{
    size_t k = strlen(p);
    return n >= k && strncasecmp(l, p, k) == 0;
}

static bool ends(const char *l, size_t n, const char *p)
{
    size_t k = strlen(p);
    while (n && (l[n - 1] == ' ' || l[n - 1] == '\t'))
        n--;
    return n >= k && strncasecmp(l + n - k, p, k) == 0;
}

struct line {
    const char *s;
    size_t n;
};

/* A header line of a quoted Outlook block: "From:", "De :", "Sent:", "Envoyé :", ... */
static bool outlook_field(struct line l)
{
    static const char *const names[] = {"from",  "de",      "sent",     "envoy\xC3\xA9",
                                        "date",  "to",      "\xC3\xA0", "\xC3\x80",
                                        "objet", "subject", "cc",       NULL};
    for (int i = 0; names[i]; i++) {
        size_t k = strlen(names[i]);
        if (l.n > k && strncasecmp(l.s, names[i], k) == 0) {
            size_t j = k;
            while (j < l.n && (l.s[j] == ' ' || (unsigned char)l.s[j] == 0xC2 ||
                               (unsigned char)l.s[j] == 0xA0)) /* "De :" with a no-break space */
                j++;
            if (j < l.n && l.s[j] == ':')
                return true;
        }
    }
    return false;
}

/* Whether the quoted part starts at line i of lines[0..n). */
static bool quote_starts(const struct line *v, size_t n, size_t i)
{
    struct line l = v[i];
    if (l.n == 3 && memcmp(l.s, "-- ", 3) == 0)
        return true;
    if ((l.n == 2 && memcmp(l.s, "--", 2) == 0))
        return true;
    if (starts(l.s, l.n, "-----original message") || starts(l.s, l.n, "-----message d'origine") ||
        starts(l.s, l.n, "-------- original message") ||
        starts(l.s, l.n, "-------- message original") ||
        starts(l.s, l.n, "-------- forwarded message") ||
        starts(l.s, l.n, "---------- forwarded message"))
        return true;
    bool on = starts(l.s, l.n, "on "), le = starts(l.s, l.n, "le ");
    if (on || le) {
        for (size_t j = i; j < n && j < i + 3; j++) { /* Gmail folds a long attribution */
            if (on && ends(v[j].s, v[j].n, "wrote:"))
                return true;
            /* "a écrit :" (the a maybe at the end of the line before), NBSP or no space */
            if (le && (ends(v[j].s, v[j].n,
                            "\xC3\xA9"
                            "crit :") ||
                       ends(v[j].s, v[j].n,
                            "\xC3\xA9"
                            "crit\xC2\xA0:") ||
                       ends(v[j].s, v[j].n,
                            "\xC3\xA9"
                            "crit:")))
                return true;
            if (j > i && v[j].n == 0)
                break;
        }
    }
    /* Outlook: "From: X" then "Sent:"/"Date:" and "To:"/"Subject:" lines, maybe after a rule */
    size_t k = i;
    if (l.n >= 10 && strspn(l.s, "_") == l.n)
        k = i + 1;
    if (k < n && (starts(v[k].s, v[k].n, "from") || starts(v[k].s, v[k].n, "de")) &&
        outlook_field(v[k])) {
        int fields = 0;
        for (size_t j = k + 1; j < n && j < k + 5 && outlook_field(v[j]); j++)
            fields++;
        return fields >= 2;
    }
    return false;
}

char *inmail_strip_quoted(const char *text)
{
    if (!text)
        return lcm_xstrdup("");
    size_t n = 0, cap = 0;
    struct line *v = NULL;
    for (const char *s = text;;) {
        const char *e = strchr(s, '\n');
        size_t l = e ? (size_t)(e - s) : strlen(s);
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            v = lcm_xrealloc(v, cap * sizeof *v);
        }
        v[n++] = (struct line){s, l && s[l - 1] == '\r' ? l - 1 : l};
        if (!e)
            break;
        s = e + 1;
    }
    struct buf out = {0};
    buf_add(&out, "", 0);
    for (size_t i = 0; i < n; i++) {
        if (quote_starts(v, n, i))
            break;
        if (v[i].n && v[i].s[0] == '>')
            continue;
        buf_add(&out, v[i].s, v[i].n);
        buf_add(&out, "\n", 1);
    }
    free(v);
    inmail_text_trim(&out);
    size_t a = 0; /* leading blank lines too */
    while (a < out.len && out.p[a] == '\n')
        a++;
    memmove(out.p, out.p + a, out.len - a + 1);
    out.len -= a;
    return buf_take(&out);
}
