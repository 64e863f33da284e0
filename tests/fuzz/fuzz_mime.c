/* fuzz_mime.c — mail_mime_build() with every header value from the input (NUL-separated:
 * from name, from address, to name, to address, subject, reply-to, then the body): a built
 * message has every header line within 998 octets, within 78 columns unless an address alone is
 * longer, CRLF line ends only, and no header the data could add. */
#include "fuzz.h"

#include "msg/mail.h"

static const char *next(const char **p, const char *end)
{
    const char *s = *p;
    if (s >= end)
        return "";
    *p = s + strlen(s) + 1;
    return s;
}

/* Every header line begins with a header this builder writes, or folds one (space). */
static void check_headers(const char *msg, size_t longest_addr)
{
    static const char *const names[] = {
        "Date",       "From",         "Reply-To", "To",           "Subject",
        "Message-ID", "MIME-Version", "X-Mailer", "Content-Type", "Content-Transfer-Encoding",
        NULL};
    size_t longest = mail_mime_longest_header(msg);
    FUZZ_ASSERT(longest <= 998);
    FUZZ_ASSERT(longest <= 78 || longest <= longest_addr + 3);
    const char *end = strstr(msg, "\r\n\r\n");
    FUZZ_ASSERT(end);
    for (const char *p = msg; p < end + 2;) {
        const char *e = strstr(p, "\r\n");
        FUZZ_ASSERT(e);
        for (const char *q = p; q < e; q++)
            FUZZ_ASSERT(*q != '\r' && *q != '\n');
        bool known = *p == ' ' || *p == '\t';
        for (int i = 0; !known && names[i]; i++)
            known = strncmp(p, names[i], strlen(names[i])) == 0 && p[strlen(names[i])] == ':';
        FUZZ_ASSERT(known);
        p = e + 2;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 16 * 1024)
        return 0;
    char *s = fuzz_str(data, size);
    const char *p = s, *end = s + size;
    struct mail_msg m = {0};
    m.from_name = next(&p, end);
    m.from_addr = next(&p, end);
    m.to_name = next(&p, end);
    m.to_addr = next(&p, end);
    m.subject = next(&p, end);
    m.reply_to = next(&p, end);
    m.body = next(&p, end);
    m.message_id = "<lcmtui.1.2@lcm.example>";
    m.date = 1764324305;
    struct mail_attachment att = {.content_type = "text/calendar; method=REQUEST",
                                  .filename = "invite.ics",
                                  .data = m.body,
                                  .len = strlen(m.body)};
    if (size && data[0] & 1)
        m.att = &att;
    char *out = NULL;
    size_t len = 0;
    struct lcm_err err = {0};
    if (mail_mime_build(&m, &out, &len, &err) == LCM_OK) {
        FUZZ_ASSERT(out && strlen(out) == len);
        size_t la =
            strlen(m.from_addr) > strlen(m.to_addr) ? strlen(m.from_addr) : strlen(m.to_addr);
        if (strlen(m.reply_to) > la)
            la = strlen(m.reply_to);
        check_headers(out, la);
        free(out);
    } else {
        FUZZ_ASSERT(!out && err.msg[0]);
    }
    free(s);
    return 0;
}
