/* mail_mime.c — building the message: header encoding (RFC 2047), quoted-printable, base64,
 * multipart structure. See mail.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "msg/mail.h"
#include "base/text.h"

/* A Message-ID longer than this is refused: "Message-ID: " and it stay far below 998 octets. */
#define MAIL_ID_MAX 300

static bool has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

static bool is_plain_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
            return false;
    return true;
}

static const char b64chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void b64_encode(struct buf *b, const unsigned char *in, size_t n)
{
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)in[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)in[i + 1] << 8;
        if (i + 2 < n)
            v |= in[i + 2];
        char q[4] = {b64chars[(v >> 18) & 63], b64chars[(v >> 12) & 63],
                     i + 1 < n ? b64chars[(v >> 6) & 63] : '=', i + 2 < n ? b64chars[v & 63] : '='};
        buf_add(b, q, 4);
    }
}

/* Base64 body of a part: lines of 76 characters. */
static void b64_lines(struct buf *b, const char *data, size_t n)
{
    for (size_t i = 0; i < n; i += 57) {
        size_t k = n - i < 57 ? n - i : 57;
        b64_encode(b, (const unsigned char *)data + i, k);
        buf_adds(b, "\r\n");
    }
}

/* Writes text as B encoded-words, each at most 75 characters and holding whole UTF-8
 * characters, separated by CRLF SP (whitespace between encoded-words is not displayed). */
static void encoded_words(struct buf *b, size_t col, const char *text)
{
    const unsigned char *p = (const unsigned char *)text;
    bool first = true;
    while (*p) {
        /* A word is 12 characters of syntax plus 4 per 3 bytes; the line stays <= 78. */
        size_t max = (78 - (first ? col : 1) - 12) / 4 * 3, n = 0;
        if (max > 45)
            max = 45;
        while (p[n]) {
            size_t k = text_char_len((const char *)p + n);
            if (n + k > max)
                break;
            n += k;
        }
        if (n == 0)
            n = text_char_len((const char *)p);
        if (!first)
            buf_adds(b, "\r\n ");
        buf_adds(b, "=?UTF-8?B?");
        b64_encode(b, p, n);
        buf_adds(b, "?=");
        first = false;
        p += n;
    }
}

/* The length of the longest line in b from offset from on (CRLF not counted). */
static size_t longest_line(const struct buf *b, size_t from)
{
    size_t best = 0, col = 0;
    for (size_t i = from; i < b->len; i++) {
        if (b->p[i] == '\r' || b->p[i] == '\n') {
            col = 0;
            continue;
        }
        if (++col > best)
            best = col;
    }
    return best;
}

/* Plain ASCII folded at spaces: the spaces before a word start the continuation line. */
static void fold_plain(struct buf *b, size_t col, const char *value)
{
    const char *w = value;
    while (*w) {
        size_t sp = strspn(w, " ");
        size_t k = strcspn(w + sp, " ");
        if (col + sp + k > 76 && sp > 0 && k > 0) {
            buf_adds(b, "\r\n");
            col = 0;
        }
        buf_add(b, w, sp + k);
        col += sp + k;
        w += sp + k;
    }
}

/* An unstructured header (Subject). Plain ASCII stays readable, folded at spaces; anything else
 * (an ASCII text that looks like an encoded-word, or one that cannot fold within 78 columns:
 * an overlong word, a long run of spaces) is encoded, which always fits. */
static void header_text(struct buf *b, const char *name, const char *value)
{
    size_t start = b->len;
    buf_adds(b, name);
    buf_adds(b, ": ");
    size_t col = strlen(name) + 2, body = b->len;
    if (is_plain_ascii(value) && !strstr(value, "=?")) {
        fold_plain(b, col, value);
        if (longest_line(b, start) <= 78) {
            buf_adds(b, "\r\n");
            return;
        }
        b->len = body; /* did not fit: encode instead */
        b->p[b->len] = '\0';
    }
    encoded_words(b, col, value);
    buf_adds(b, "\r\n");
}

/* "Name <addr>" (name quoted or encoded as needed), or just addr. A plain ASCII name is one
 * quoted string when that fits on the first line; a longer one (a 1,000-character learner
 * name) is encoded-words, which fold, so no line of the header passes 78 columns except one
 * holding a long address alone. */
static void header_address(struct buf *b, const char *name, const char *disp, const char *addr)
{
    buf_adds(b, name);
    if (!(disp && *disp) && strlen(name) + strlen(addr) + 4 > 78) {
        buf_adds(b, ":\r\n <"); /* a long address alone: its own line */
        buf_adds(b, addr);
        buf_adds(b, ">\r\n");
        return;
    }
    buf_adds(b, ": ");
    if (disp && *disp) {
        size_t quoted = 2;
        for (const char *p = disp; *p; p++)
            quoted += 1 + (*p == '"' || *p == '\\');
        if (is_plain_ascii(disp) && !strstr(disp, "=?") && strlen(name) + 2 + quoted <= 78) {
            buf_adds(b, "\"");
            for (const char *p = disp; *p; p++) {
                if (*p == '"' || *p == '\\')
                    buf_adds(b, "\\");
                buf_add(b, p, 1);
            }
            buf_adds(b, "\"");
        } else {
            encoded_words(b, strlen(name) + 2, disp);
        }
        const char *line = b->p + b->len;
        while (line > b->p && line[-1] != '\n')
            line--;
        size_t col = (size_t)(b->p + b->len - line);
        buf_adds(b, col + strlen(addr) + 3 > 78 ? "\r\n <" : " <");
    } else {
        buf_adds(b, "<");
    }
    buf_adds(b, addr);
    buf_adds(b, ">\r\n");
}

size_t mail_mime_longest_header(const char *msg)
{
    if (!msg)
        return 0;
    size_t best = 0;
    for (const char *p = msg; *p;) {
        size_t n = strcspn(p, "\r\n");
        if (n == 0 && p[0] == '\r' && p[1] == '\n')
            break; /* the blank line: the body follows */
        if (n > best)
            best = n;
        p += n;
        if (*p == '\r')
            p++;
        if (*p == '\n')
            p++;
    }
    return best;
}

bool mail_mime_addr_valid(const char *addr)
{
    if (!addr || !*addr || strlen(addr) > 254)
        return false;
    const char *at = strchr(addr, '@');
    if (!at || at == addr || !at[1] || strchr(at + 1, '@') || at - addr > 64)
        return false;
    for (const char *p = addr; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= 0x20 || c >= 0x7f || strchr("\"(),:;<>[\\]", c))
            return false;
    }
    const char *dom = at + 1;
    if (*dom == '.' || dom[strlen(dom) - 1] == '.' || strstr(dom, ".."))
        return false;
    return true;
}

/* Quoted-printable (RFC 2045) of a UTF-8 text, with CRLF line ends and lines <= 76. */
static void qp_body(struct buf *b, const char *text)
{
    static const char hex[] = "0123456789ABCDEF";
    const char *p = text;
    while (*p) {
        size_t n = strcspn(p, "\n");
        size_t end = n > 0 && p[n - 1] == '\r' ? n - 1 : n;
        size_t col = 0;
        for (size_t i = 0; i < end; i++) {
            unsigned char c = (unsigned char)p[i];
            char enc[3];
            size_t k = 1;
            bool last = i + 1 == end;
            bool lit = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last);
            /* "From " at a line start is mangled by mbox writers: encode its F. */
            if (i == 0 && c == 'F' && strncmp(p, "From ", 5) == 0)
                lit = false;
            if (lit) {
                enc[0] = (char)c;
            } else {
                enc[0] = '=', enc[1] = hex[c >> 4], enc[2] = hex[c & 15];
                k = 3;
            }
            if (col + k > (last ? 76u : 75u)) {
                buf_adds(b, "=\r\n");
                col = 0;
            }
            buf_add(b, enc, k);
            col += k;
        }
        buf_adds(b, "\r\n");
        p += n;
        if (*p == '\n')
            p++;
    }
}

static void header_date(struct buf *b, int64_t t)
{
    static const char *const wd[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const mo[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    buf_addf(b, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n", wd[tm.tm_wday], tm.tm_mday,
             mo[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void text_part(struct buf *b, const char *body)
{
    buf_adds(b, "Content-Type: text/plain; charset=UTF-8\r\n"
                "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
    qp_body(b, body);
}

/* A boundary no encoded content can contain: QP writes '=' as =3D and base64 has no '_'. */
static void boundary(char *buf, size_t len, const char *msgid, int level)
{
    unsigned long h = 5381;
    for (const char *p = msgid; *p; p++)
        h = h * 33 + (unsigned char)*p;
    snprintf(buf, len, "=_lcmtui_%08lx_%d", h & 0xffffffffUL, level);
}

/* Appends `; key="value"` to the header line being written, on a continuation line when it
 * would pass 78 columns (value is a safe_filename(): no quoting needed, at most 60 bytes). */
static void header_param(struct buf *b, const char *key, const char *value)
{
    const char *line = b->p + b->len;
    while (line > b->p && line[-1] != '\n')
        line--;
    size_t col = (size_t)(b->p + b->len - line);
    buf_adds(b, col + 2 + strlen(key) + 3 + strlen(value) > 78 ? ";\r\n " : "; ");
    buf_addf(b, "%s=\"%s\"", key, value);
}

static void attachment_part(struct buf *b, const struct mail_attachment *a, bool calendar_copy)
{
    const char *fname = a->filename && *a->filename ? a->filename : "attachment";
    if (calendar_copy) {
        buf_adds(b, "Content-Type: application/ics");
    } else {
        buf_adds(b, "Content-Type: ");
        buf_adds(b, a->content_type);
        if (strncmp(a->content_type, "text/", 5) == 0 && !strstr(a->content_type, "charset"))
            buf_adds(b, "; charset=UTF-8");
    }
    header_param(b, "name", fname);
    buf_adds(b, "\r\nContent-Disposition: attachment");
    header_param(b, "filename", fname);
    buf_adds(b, "\r\nContent-Transfer-Encoding: base64\r\n\r\n");
    b64_lines(b, a->data, a->len);
}

static void calendar_alternative(struct buf *b, const struct mail_msg *m, const char *bnd)
{
    buf_adds(b, "Content-Type: multipart/alternative; boundary=\"");
    buf_adds(b, bnd);
    buf_adds(b, "\"\r\n\r\n--");
    buf_adds(b, bnd);
    buf_adds(b, "\r\n");
    text_part(b, m->body);
    buf_adds(b, "--");
    buf_adds(b, bnd);
    buf_adds(b, "\r\nContent-Type: ");
    buf_adds(b, m->att->content_type);
    if (!strstr(m->att->content_type, "charset"))
        buf_adds(b, "; charset=UTF-8");
    buf_adds(b, "\r\nContent-Transfer-Encoding: base64\r\n\r\n");
    b64_lines(b, m->att->data, m->att->len);
    buf_adds(b, "--");
    buf_adds(b, bnd);
    buf_adds(b, "--\r\n");
}

static void mime_body(struct buf *b, const struct mail_msg *m)
{
    if (!m->att) {
        text_part(b, m->body);
        return;
    }
    char outer[64], inner[64];
    boundary(outer, sizeof outer, m->message_id, 1);
    boundary(inner, sizeof inner, m->message_id, 2);
    bool cal = strncmp(m->att->content_type, "text/calendar", 13) == 0;
    buf_adds(b, "Content-Type: multipart/mixed; boundary=\"");
    buf_adds(b, outer);
    buf_adds(b, "\"\r\n\r\nThis is a multi-part message in MIME format.\r\n\r\n--");
    buf_adds(b, outer);
    buf_adds(b, "\r\n");
    if (cal)
        calendar_alternative(b, m, inner);
    else
        text_part(b, m->body);
    buf_adds(b, "--");
    buf_adds(b, outer);
    buf_adds(b, "\r\n");
    attachment_part(b, m->att, cal);
    buf_adds(b, "--");
    buf_adds(b, outer);
    buf_adds(b, "--\r\n");
}

static bool safe_filename(const char *s)
{
    if (!s || !*s)
        return true;
    if (strlen(s) > 60 || *s == '.')
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '.' || *s == '-' || *s == '_'))
            return false;
    return true;
}

/* True when s is empty or a space-separated list of "<msg-id>" we can write as they are. */
static bool msgids_ok(const char *s)
{
    if (!s)
        return true;
    while (*s) {
        while (*s == ' ')
            s++;
        if (!*s)
            break;
        size_t n = strcspn(s, " ");
        if (n < 3 || n > MAIL_ID_MAX || s[0] != '<' || s[n - 1] != '>')
            return false;
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f ||
                (i > 0 && i + 1 < n && (s[i] == '<' || s[i] == '>')))
                return false;
        s += n;
    }
    return true;
}

/* A header of msg-ids, one per folded line, at most the last max of them. */
static void header_msgids(struct buf *b, const char *name, const char *ids, int max)
{
    int total = 0;
    for (const char *p = ids; *p; p++)
        if (*p == '<')
            total++;
    if (total == 0)
        return;
    buf_adds(b, name);
    buf_adds(b, ":");
    int k = 0;
    for (const char *p = ids; *p;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (n && k++ >= total - max) {
            buf_adds(b, k > 1 && k > total - max + 1 ? "\r\n " : " ");
            buf_add(b, p, n);
        }
        p += n;
    }
    buf_adds(b, "\r\n");
}

/* Every check of mail_mime_build's inputs, with one message naming the field. */
static enum lcm_status check_msg(const struct mail_msg *m, struct lcm_err *err)
{
    if (!mail_mime_addr_valid(m->from_addr))
        return lcm_err_set(err, LCM_ERR_INVALID, _("mail: From address \"%s\" is not valid"),
                           m->from_addr ? m->from_addr : "");
    if (!mail_mime_addr_valid(m->to_addr))
        return lcm_err_set(err, LCM_ERR_INVALID, _("mail: To address \"%s\" is not valid"),
                           m->to_addr ? m->to_addr : "");
    if (m->reply_to && *m->reply_to && !mail_mime_addr_valid(m->reply_to))
        return lcm_err_set(err, LCM_ERR_INVALID, _("mail: Reply-To address \"%s\" is not valid"),
                           m->reply_to);
    /* The display names come from the LMS: cleaned when built (a control becomes a space), so
     * a learner whose name holds one still gets the mail and no header can come of it. */
    const char *fields[][2] = {{"subject", m->subject}, {"Message-ID", m->message_id}};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const char *v = fields[i][1];
        if (v && (has_control(v) || !text_valid(v, strlen(v))))
            return lcm_err_set(err, LCM_ERR_INVALID,
                               _("mail: the %s holds a line break, a control character or invalid "
                                 "UTF-8: refused"),
                               fields[i][0]);
    }
    if (!m->subject || !*m->subject)
        return lcm_err_set(err, LCM_ERR_INVALID, _("mail: empty subject"));
    if (!m->message_id || m->message_id[0] != '<' || !is_plain_ascii(m->message_id) ||
        strchr(m->message_id, ' ') || strlen(m->message_id) > MAIL_ID_MAX)
        return lcm_err_set(err, LCM_ERR_INVALID, _("mail: no valid Message-ID"));
    if (!msgids_ok(m->in_reply_to) || !msgids_ok(m->references))
        return lcm_err_set(err, LCM_ERR_INVALID,
                           _("mail: In-Reply-To or References is not a "
                             "list of <msg-id>: refused"));
    if (!m->body || !text_valid(m->body, strlen(m->body)))
        return lcm_err_set(err, LCM_ERR_INVALID, _("mail: the body is not valid UTF-8"));
    if (m->att && (!m->att->content_type || !is_plain_ascii(m->att->content_type) ||
                   strlen(m->att->content_type) > 200 || !strchr(m->att->content_type, '/') ||
                   !m->att->data || !safe_filename(m->att->filename)))
        return lcm_err_set(err, LCM_ERR_INVALID, _("mail: invalid attachment type or file name"));
    return LCM_OK;
}

/* The body as text_clean_plain() keeps it, its CRLF line ends read as LF first (a lone CR
 * becomes a space). malloc'ed. */
static char *body_clean(const char *body)
{
    char *lf = lcm_xstrdup(body), *o = lf;
    for (const char *p = body; *p; p++)
        if (!(p[0] == '\r' && p[1] == '\n'))
            *o++ = *p;
    *o = '\0';
    char *clean = text_clean_plain(lf, true, SIZE_MAX);
    free(lf);
    return clean;
}

enum lcm_status mail_mime_build(const struct mail_msg *m, char **out, size_t *len,
                                struct lcm_err *err)
{
    *out = NULL;
    if (len)
        *len = 0;
    enum lcm_status rc = check_msg(m, err);
    if (rc != LCM_OK)
        return rc;
    /* What reaches the recipient's mail reader goes through the one cleaner of text for files
     * (base/text.h): the names, subject and body lose the bidi controls (a reordered name or
     * subject) and C1 controls become spaces; C0 controls in a header were refused above. */
    struct mail_msg c = *m;
    char *from_name = text_clean_plain(m->from_name, false, SIZE_MAX),
         *to_name = text_clean_plain(m->to_name, false, SIZE_MAX),
         *subject = text_clean_plain(m->subject, false, SIZE_MAX), *body = body_clean(m->body);
    c.from_name = from_name, c.to_name = to_name, c.subject = subject, c.body = body;
    struct buf b = {0};
    header_date(&b, c.date);
    header_address(&b, "From", c.from_name, c.from_addr);
    if (c.reply_to && *c.reply_to)
        header_address(&b, "Reply-To", NULL, c.reply_to);
    header_address(&b, "To", c.to_name, c.to_addr);
    header_text(&b, "Subject", *c.subject ? c.subject : "-");
    buf_adds(&b, "Message-ID: ");
    buf_adds(&b, c.message_id);
    buf_adds(&b, "\r\n");
    if (c.in_reply_to && *c.in_reply_to)
        header_msgids(&b, "In-Reply-To", c.in_reply_to, 1);
    if (c.references && *c.references)
        header_msgids(&b, "References", c.references, 20);
    buf_adds(&b, "MIME-Version: 1.0\r\nX-Mailer: lcmtui\r\n");
    mime_body(&b, &c);
    free(from_name);
    free(to_name);
    free(subject);
    free(body);
    if (len)
        *len = b.len;
    *out = buf_take(&b);
    return LCM_OK;
}

void mail_mime_message_id(char *buf, size_t len, int64_t id, int64_t created, const char *from_addr)
{
    const char *dom = from_addr ? strchr(from_addr, '@') : NULL;
    dom = dom && dom[1] && mail_mime_addr_valid(from_addr) ? dom + 1 : "lcmtui.invalid";
    snprintf(buf, len, "<lcmtui.%lld.%lld@%s>", (long long)id, (long long)created, dom);
}
