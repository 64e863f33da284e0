/* test_mail.c — MIME building: encoded-word subjects, quoted-printable bodies, the Date and
 * Message-ID headers, attachments for invitations, and header injection refused. */
#include "testutil.h"

#include "base/day.h"
#include "msg/mail.h"

static struct mail_msg base(void)
{
    struct mail_msg m = {.from_name = "Claire Martin",
                         .from_addr = "claire@lcm.example",
                         .reply_to = "suivi@lcm.example",
                         .to_name = "Hélène Dupré",
                         .to_addr = "helene@example.fr",
                         .subject = "Bravo Hélène : 75 % de votre parcours !",
                         .body = "Bonjour Hélène,\n\nVous avez atteint 75 % : bravo !\n",
                         .message_id = "<lcmtui.1.2@lcm.example>",
                         .date = 0};
    m.date = day_to_time(day_from_ymd(2026, 11, 28)) + 10 * 3600 + 5;
    return m;
}

/* The value of header name (unfolded), malloc'ed; NULL when absent from the header block. */
static char *header(const char *msg, const char *name)
{
    const char *end = strstr(msg, "\r\n\r\n");
    size_t nl = strlen(name);
    for (const char *p = msg; p && p < end; p = strstr(p, "\r\n"), p = p ? p + 2 : NULL) {
        if (strncmp(p, name, nl) == 0 && p[nl] == ':') {
            char *out = calloc(1, strlen(msg) + 1);
            const char *v = p + nl + 2;
            size_t n = 0;
            while (v < end + 2) {
                if (v[0] == '\r' && v[1] == '\n') {
                    if (v[2] != ' ' && v[2] != '\t')
                        break;
                    v += 2;
                    continue;
                }
                out[n++] = *v++;
            }
            return out;
        }
    }
    return NULL;
}

static int b64val(char c)
{
    const char *t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *p = strchr(t, c);
    return p && c ? (int)(p - t) : -1;
}

/* Decodes a sequence of =?UTF-8?B?...?= words (whitespace between them ignored). */
static void decode_words(const char *v, char *out)
{
    size_t n = 0;
    while ((v = strstr(v, "=?UTF-8?B?")) != NULL) {
        v += 10;
        unsigned acc = 0;
        int bits = 0;
        for (; *v && *v != '?'; v++) {
            int x = b64val(*v);
            if (x < 0)
                continue;
            acc = (acc << 6) | (unsigned)x;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out[n++] = (char)((acc >> bits) & 0xFF);
            }
        }
    }
    out[n] = '\0';
}

static void assert_lines_short(const char *msg)
{
    for (const char *p = msg; *p;) {
        const char *e = strstr(p, "\r\n");
        assert_non_null(e); /* every line ends with CRLF */
        assert_true(e - p <= 78);
        for (const char *q = p; q < e; q++)
            assert_true(*q != '\n' && *q != '\r');
        p = e + 2;
    }
}

static void test_addr_valid_null_and_hostile(void **state)
{
    (void)state;
    assert_false(mail_mime_addr_valid(NULL));
    assert_false(mail_mime_addr_valid(""));
    assert_false(mail_mime_addr_valid("nobody"));
    assert_false(mail_mime_addr_valid("a@b\r\nBcc: x@y"));
    assert_false(mail_mime_addr_valid("a b@c.fr"));
    assert_false(mail_mime_addr_valid("<a@c.fr>"));
    assert_false(mail_mime_addr_valid("a@@c.fr"));
    assert_false(mail_mime_addr_valid("a@c..fr"));
    assert_true(mail_mime_addr_valid("prenom.nom+lcm@example.co.uk"));
}

static void test_subject_encoded_words_round_trip(void **state)
{
    (void)state;
    struct mail_msg m = base();
    m.subject = "Félicitations Hélène, vous avez terminé « Anglais professionnel B2 — "
                "certification » : bravo, c'est une très belle réussite !";
    char *out = NULL;
    size_t len = 0;
    struct lcm_err err = {0};
    assert_int_equal(mail_mime_build(&m, &out, &len, &err), LCM_OK);
    assert_int_equal(len, strlen(out));
    assert_lines_short(out);
    char *subj = header(out, "Subject");
    assert_non_null(subj);
    assert_non_null(strstr(subj, "=?UTF-8?B?"));
    char dec[1024];
    decode_words(subj, dec);
    assert_string_equal(dec, m.subject);
    free(subj);
    char *from = header(out, "From");
    assert_string_equal(from, "\"Claire Martin\" <claire@lcm.example>");
    assert_non_null(strstr(out, "\r\nFrom: \"Claire Martin\" <claire@lcm.example>\r\n"));
    free(from);
    char *to = header(out, "To");
    decode_words(to, dec);
    assert_string_equal(dec, "Hélène Dupré");
    assert_non_null(strstr(to, "<helene@example.fr>"));
    free(to);
    free(out);
}

static void test_ascii_subject_stays_readable_and_folds(void **state)
{
    (void)state;
    struct mail_msg m = base();
    m.subject = "A plain subject that is long enough to need folding because it goes well "
                "beyond the seventy-eight columns of a header line";
    char *out = NULL;
    struct lcm_err err = {0};
    assert_int_equal(mail_mime_build(&m, &out, NULL, &err), LCM_OK);
    assert_lines_short(out);
    char *subj = header(out, "Subject");
    assert_string_equal(subj, m.subject); /* unfolding gives the text back */
    free(subj);
    free(out);
}

static void test_header_injection_refused(void **state)
{
    (void)state;
    struct lcm_err err = {0};
    char *out = (char *)1;
    struct mail_msg m = base();
    m.subject = "Hello\r\nBcc: victim@example.com";
    assert_int_equal(mail_mime_build(&m, &out, NULL, &err), LCM_ERR_INVALID);
    assert_null(out);
    assert_non_null(strstr(err.msg, "subject"));
    /* a display name from the LMS with a line break: cleaned, sent, no header made of it */
    m = base();
    m.to_name = "Eve\nX-Evil: 1\x1b[2J";
    assert_int_equal(mail_mime_build(&m, &out, NULL, &err), LCM_OK);
    assert_null(strstr(out, "\nX-Evil"));
    assert_null(strchr(out, '\x1b'));
    char *eve = header(out, "To");
    assert_non_null(eve);
    assert_non_null(strstr(eve, "Eve X-Evil: 1"));
    free(eve);
    free(out);
    m = base();
    m.to_addr = "eve@example.com>\r\nBcc: <victim@example.com";
    assert_int_equal(mail_mime_build(&m, &out, NULL, &err), LCM_ERR_INVALID);
    m = base();
    m.subject = "";
    assert_int_equal(mail_mime_build(&m, &out, NULL, &err), LCM_ERR_INVALID);
    m = base();
    m.subject = "bad \xC3";
    assert_int_equal(mail_mime_build(&m, &out, NULL, &err), LCM_ERR_INVALID);
    m = base();
    m.message_id = NULL;
    assert_int_equal(mail_mime_build(&m, &out, NULL, &err), LCM_ERR_INVALID);
    /* quotes in an ASCII display name are escaped, not closing the quoted string */
    m = base();
    m.to_name = "Eve\" <eve@evil.example>";
    assert_int_equal(mail_mime_build(&m, &out, NULL, &err), LCM_OK);
    char *to = header(out, "To");
    assert_string_equal(to, "\"Eve\\\" <eve@evil.example>\" <helene@example.fr>");
    free(to);
    free(out);
}

/* Every header line of a message built with hostile names: <= 78 columns, never a bare CR or
 * LF, and unfolding gives the name back. */
static void assert_headers_short(const char *msg)
{
    assert_true(mail_mime_longest_header(msg) <= 78);
    const char *end = strstr(msg, "\r\n\r\n");
    assert_non_null(end);
    for (const char *p = msg; p < end; p++) {
        if (*p == '\r')
            assert_true(p[1] == '\n');
        if (*p == '\n')
            assert_true(p > msg && p[-1] == '\r');
    }
}

static void test_long_display_names_fold(void **state)
{
    (void)state;
    assert_int_equal(mail_mime_longest_header(NULL), 0);
    char *names[6];
    names[0] = malloc(1001); /* 1,000 ASCII characters, no space: cannot fold at a space */
    memset(names[0], 'a', 1000);
    names[0][1000] = '\0';
    names[1] = malloc(1001); /* 1,000 characters with quotes and backslashes */
    for (int i = 0; i < 1000; i++)
        names[1][i] = "\"\\ x"[i % 4];
    names[1][1000] = '\0';
    names[2] = malloc(3001); /* 1,000 three-byte characters */
    for (int i = 0; i < 1000; i++)
        memcpy(names[2] + 3 * i, "\xe2\x82\xac", 3);
    names[2][3000] = '\0';
    names[3] = strdup("=?UTF-8?B?QQ==?= looks encoded");
    names[4] = malloc(1001); /* 70 characters then spaces: quoted, it would pass 78 */
    memset(names[4], ' ', 1000);
    memset(names[4], 'b', 70);
    names[4][1000] = '\0';
    names[5] = strdup("Ann");
    for (int i = 0; i < 6; i++) {
        struct mail_msg m = base();
        m.to_name = names[i];
        m.from_name = names[(i + 1) % 6];
        m.subject = names[(i + 2) % 6];
        char *out = NULL;
        struct lcm_err err = {0};
        assert_int_equal(mail_mime_build(&m, &out, NULL, &err), LCM_OK);
        assert_headers_short(out);
        assert_lines_short(out);
        char *to = header(out, "To");
        assert_non_null(strstr(to, "<helene@example.fr>"));
        if (strncmp(to, "=?UTF-8?B?", 10) == 0) {
            char dec[4096];
            decode_words(to, dec);
            assert_string_equal(dec, names[i]);
        } else {
            assert_int_equal(i, 5);
            assert_string_equal(to, "\"Ann\" <helene@example.fr>");
        }
        free(to);
        free(out);
    }
    /* A 300-character word and a long run of spaces in a subject: encoded, not one long line. */
    struct mail_msg m = base();
    char subj[400];
    memset(subj, 'z', 300);
    strcpy(subj + 300, "                                                                  end");
    m.subject = subj;
    char *out = NULL;
    struct lcm_err err = {0};
    assert_int_equal(mail_mime_build(&m, &out, NULL, &err), LCM_OK);
    assert_headers_short(out);
    char *s = header(out, "Subject"), dec[4096];
    decode_words(s, dec);
    assert_string_equal(dec, subj);
    free(s);
    free(out);
    for (int i = 0; i < 6; i++)
        free(names[i]);
}

/* A long address cannot fold: it stands alone on its line, still far below 998 octets. */
static void test_long_address_alone_on_its_line(void **state)
{
    (void)state;
    char addr[300];
    memset(addr, 'x', 64);
    addr[64] = '@';
    for (int i = 65; i < 250; i++)
        addr[i] = i % 10 == 0 ? '.' : 'd';
    strcpy(addr + 250, "a.fr");
    assert_true(mail_mime_addr_valid(addr));
    struct mail_msg m = base();
    m.to_addr = addr;
    char *out = NULL;
    struct lcm_err err = {0};
    assert_int_equal(mail_mime_build(&m, &out, NULL, &err), LCM_OK);
    assert_true(mail_mime_longest_header(out) <= strlen(addr) + 3);
    char line[400];
    snprintf(line, sizeof line, "\r\n <%s>\r\n", addr);
    assert_non_null(strstr(out, line));
    free(out);
    /* Without a display name too (found by fuzz_mime: "Reply-To: <70 characters>" was 82). */
    m = base();
    char reply[80];
    memset(reply, 'r', 60);
    strcpy(reply + 60, "@example.fr");
    m.reply_to = reply;
    assert_int_equal(mail_mime_build(&m, &out, NULL, &err), LCM_OK);
    assert_true(mail_mime_longest_header(out) <= 78);
    snprintf(line, sizeof line, "\r\nReply-To:\r\n <%s>\r\n", reply);
    assert_non_null(strstr(out, line));
    free(out);
    /* A Message-ID longer than 300 is refused, not written. */
    char id[400];
    memset(id, 'i', sizeof id - 1);
    id[0] = '<';
    id[sizeof id - 1] = '\0';
    m = base();
    m.message_id = id;
    assert_int_equal(mail_mime_build(&m, &out, NULL, &err), LCM_ERR_INVALID);
}

static void test_body_quoted_printable(void **state)
{
    (void)state;
    struct mail_msg m = base();
    m.body = "Café = 3 € \n"
             "From here on\r\n"
             ".\n"
             "0123456789012345678901234567890123456789012345678901234567890123456789"
             "0123456789012345678901234567890123456789\n"
             "trailing tab\t";
    char *out = NULL;
    struct lcm_err err = {0};
    assert_int_equal(mail_mime_build(&m, &out, NULL, &err), LCM_OK);
    assert_lines_short(out);
    assert_non_null(strstr(out, "Content-Type: text/plain; charset=UTF-8\r\n"));
    assert_non_null(strstr(out, "Content-Transfer-Encoding: quoted-printable\r\n"));
    const char *body = strstr(out, "\r\n\r\n") + 4;
    assert_non_null(strstr(body, "Caf=C3=A9 =3D 3 =E2=82=AC=20\r\n"));
    assert_non_null(strstr(body, "=46rom here on\r\n"));
    assert_non_null(strstr(body, "\r\n.\r\n"));
    assert_non_null(strstr(body, "=\r\n")); /* the long line got a soft break */
    assert_non_null(strstr(body, "trailing tab=09\r\n"));
    free(out);
}

static void test_date_message_id_and_no_bcc_header(void **state)
{
    (void)state;
    struct mail_msg m = base();
    char *out = NULL;
    struct lcm_err err = {0};
    assert_int_equal(mail_mime_build(&m, &out, NULL, &err), LCM_OK);
    char *d = header(out, "Date");
    assert_string_equal(d, "Sat, 28 Nov 2026 10:00:05 +0000");
    free(d);
    char *id = header(out, "Message-ID");
    assert_string_equal(id, "<lcmtui.1.2@lcm.example>");
    free(id);
    char *rt = header(out, "Reply-To");
    assert_string_equal(rt, "<suivi@lcm.example>");
    free(rt);
    assert_null(header(out, "Bcc"));
    char *mv = header(out, "MIME-Version");
    assert_string_equal(mv, "1.0");
    free(mv);
    free(out);
    char a[128], b[128];
    mail_mime_message_id(a, sizeof a, 42, 1700000000, "claire@lcm.example");
    mail_mime_message_id(b, sizeof b, 42, 1700000000, "claire@lcm.example");
    assert_string_equal(a, b);
    assert_string_equal(a, "<lcmtui.42.1700000000@lcm.example>");
    mail_mime_message_id(a, sizeof a, 1, 2, NULL);
    assert_string_equal(a, "<lcmtui.1.2@lcmtui.invalid>");
}

static void test_calendar_invitation_parts(void **state)
{
    (void)state;
    const char *ics = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n";
    struct mail_attachment att = {.content_type = "text/calendar; method=REQUEST",
                                  .filename = "invite.ics",
                                  .data = ics,
                                  .len = strlen(ics)};
    struct mail_msg m = base();
    m.att = &att;
    char *out = NULL;
    struct lcm_err err = {0};
    assert_int_equal(mail_mime_build(&m, &out, NULL, &err), LCM_OK);
    assert_lines_short(out);
    char *ct = header(out, "Content-Type");
    assert_non_null(strstr(ct, "multipart/mixed; boundary=\"=_lcmtui_"));
    free(ct);
    assert_non_null(strstr(out, "Content-Type: multipart/alternative; boundary="));
    assert_non_null(strstr(out, "Content-Type: text/calendar; method=REQUEST; charset=UTF-8\r\n"));
    assert_non_null(strstr(out, "Content-Type: application/ics; name=\"invite.ics\"\r\n"));
    /* the base64 of the calendar appears twice: the inline part and the file */
    const char *b64 = "QkVHSU46VkNBTEVOREFSDQpNRVRIT0Q6UkVRVUVTVA0KRU5EOlZDQUxFTkRBUg0K";
    const char *first = strstr(out, b64);
    assert_non_null(first);
    assert_non_null(strstr(first + 1, b64));
    free(out);
    att.filename = "../../etc/passwd";
    assert_int_equal(mail_mime_build(&m, &out, NULL, &err), LCM_ERR_INVALID);
    att.filename = "report.txt";
    att.content_type = "text/plain\r\nX-Evil: 1";
    assert_int_equal(mail_mime_build(&m, &out, NULL, &err), LCM_ERR_INVALID);
}

/* Bidi overrides in a learner's name reorder what a mail reader shows ("Trojan Source"); C1
 * controls are escape sequences to a terminal mail reader: both leave the names, the subject
 * and the body (e2e_hostile.sh found them in a sent message). */
static void test_bidi_and_c1_controls_dropped(void **state)
{
    (void)state;
    struct mail_msg m = base();
    m.to_name = "Eve \xe2\x80\xae"
                "evil\xe2\x81\xa6"; /* U+202E, U+2066 */
    m.subject = "Hello \xe2\x80\xae\xc2\x9b"
                "2J Eve"; /* U+202E, U+009B */
    m.body = "Hello \xe2\x80\xae"
             "Eve\xc2\x9d,\r\n\tbye\n"; /* U+202E, U+009D */
    char *out = NULL;
    struct lcm_err err = {0};
    assert_int_equal(mail_mime_build(&m, &out, NULL, &err), LCM_OK);
    assert_lines_short(out);
    char *to = header(out, "To"), *subject = header(out, "Subject");
    assert_string_equal(to, "\"Eve evil\" <helene@example.fr>");
    assert_string_equal(subject, "Hello  2J Eve");
    const char *body = strstr(out, "\r\n\r\n") + 4;
    assert_non_null(strstr(body, "Hello Eve ,\r\n\tbye\r\n"));
    assert_null(strstr(out, "E2=80=AE"));
    free(to);
    free(subject);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_addr_valid_null_and_hostile),
        cmocka_unit_test(test_subject_encoded_words_round_trip),
        cmocka_unit_test(test_ascii_subject_stays_readable_and_folds),
        cmocka_unit_test(test_header_injection_refused),
        cmocka_unit_test(test_long_display_names_fold),
        cmocka_unit_test(test_long_address_alone_on_its_line),
        cmocka_unit_test(test_body_quoted_printable),
        cmocka_unit_test(test_bidi_and_c1_controls_dropped),
        cmocka_unit_test(test_date_message_id_and_no_bcc_header),
        cmocka_unit_test(test_calendar_invitation_parts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
