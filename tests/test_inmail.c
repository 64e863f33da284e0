/* test_inmail.c — the received-mail parser (msg/inmail.h) over mails shaped as clients send them
 * (the fixtures in tests/fixtures/mail: Thunderbird, Outlook, Gmail, an auto-reply, a bounce, an
 * iTIP reply, HTML only, Latin-1, an attachment) and hostile ones (truncated, no boundary, 8-bit
 * garbage, terminal escapes, CR/LF in encoded-words, huge headers, deep nesting); its pieces
 * (encoded-words, quoted-printable, format=flowed, dates); and the quoted part of replies cut. */
#include "testutil.h"

#include "base/buf.h"
#include "base/text.h"
#include "msg/inmail.h"
#include "msg/inmail_internal.h"

#define FIX "tests/fixtures/mail/"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot read %s", path);
    struct buf b = {0};
    char chunk[4096];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(&b, chunk, k);
    fclose(f);
    *len = b.len;
    return buf_take(&b);
}

/* Parses a fixture into *m (asserting success). */
static void parse_fixture(const char *name, struct inmail *m)
{
    char path[256];
    snprintf(path, sizeof path, FIX "%s", name);
    size_t len;
    char *raw = slurp(path, &len);
    struct lcm_err err = {0};
    assert_int_equal(inmail_parse(raw, len, 0, m, &err), LCM_OK);
    free(raw);
}

/* Every string of m is valid UTF-8 with no control (text: '\n' and '\t' allowed). */
static void assert_clean(const char *s, bool lines)
{
    if (!s)
        return;
    assert_true(text_valid(s, strlen(s)));
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (lines && (*p == '\n' || *p == '\t'))
            continue;
        assert_true(*p >= 0x20 && *p != 0x7f);
        if (p[0] == 0xc2)
            assert_true(p[1] >= 0xa0); /* no C1 control */
    }
}

static void assert_all_clean(const struct inmail *m)
{
    assert_clean(m->message_id, false);
    assert_clean(m->in_reply_to, false);
    for (size_t i = 0; i < m->n_references; i++)
        assert_clean(m->references[i], false);
    assert_clean(m->from_addr, false);
    assert_clean(m->from_name, false);
    assert_clean(m->reply_to, false);
    assert_clean(m->to_addr, false);
    assert_clean(m->subject, false);
    assert_clean(m->text, true);
    assert_clean(m->calendar, true);
    assert_clean(m->calendar_method, false);
}

/* ---- NULL, empty, refused ---- */

static void test_null_empty_and_headerless_input_is_refused_with_nothing_allocated(void **state)
{
    (void)state;
    struct inmail m;
    struct lcm_err err = {0};
    memset(&m, 0xAB, sizeof m);
    assert_int_equal(inmail_parse(NULL, 0, 0, &m, &err), LCM_ERR_PARSE);
    assert_null(m.subject);
    assert_null(m.text);
    assert_string_equal(err.msg, "empty message");
    assert_int_equal(inmail_parse("", 0, 0, &m, &err), LCM_ERR_PARSE);
    const char *body = "just some words, no header at all\n";
    assert_int_equal(inmail_parse(body, strlen(body), 0, &m, &err), LCM_ERR_PARSE);
    assert_string_equal(err.msg, "not a mail message: no header field");
    assert_null(m.text);
    inmail_free(NULL);
    inmail_free(&m); /* a zeroed struct */
    char *s = inmail_strip_quoted(NULL);
    assert_string_equal(s, "");
    free(s);
}

static void test_a_message_over_max_len_is_refused_in_one_line(void **state)
{
    (void)state;
    const char *raw = "Subject: x\r\n\r\n0123456789012345678901234567890123456789\r\n";
    struct inmail m;
    struct lcm_err err = {0};
    assert_int_equal(inmail_parse(raw, strlen(raw), 20, &m, &err), LCM_ERR_INVALID);
    assert_string_equal(err.msg, "message of 56 bytes refused (limit 20)");
    assert_null(m.subject);
    assert_int_equal(inmail_parse(raw, strlen(raw), strlen(raw), &m, &err), LCM_OK);
    assert_string_equal(m.text, "0123456789012345678901234567890123456789");
    assert_string_equal(m.from_name, "");
    assert_null(m.from_addr);
    assert_null(m.message_id);
    assert_int_equal(m.date, 0);
    inmail_free(&m);
    assert_null(m.text);
}

static void test_headers_only_without_blank_line_and_a_not_nul_terminated_buffer(void **state)
{
    (void)state;
    char raw[] = "From: a@b.example\nSubject: hi\nXXXX"; /* parse only up to "hi\n" */
    struct inmail m;
    struct lcm_err err = {0};
    assert_int_equal(inmail_parse(raw, strlen(raw) - 4, 0, &m, &err), LCM_OK);
    assert_string_equal(m.subject, "hi");
    assert_string_equal(m.text, "");
    assert_false(m.text_from_html);
    inmail_free(&m);
}

/* ---- the clients ---- */

static void test_thunderbird_reply_flowed_with_threading(void **state)
{
    (void)state;
    struct inmail m;
    parse_fixture("thunderbird_reply.eml", &m);
    assert_all_clean(&m);
    assert_string_equal(m.message_id, "8c1f2e3a-4b5c-6d7e-8f90-a1b2c3d4e5f6@example.fr");
    assert_string_equal(m.in_reply_to, "lcmtui.42.1764662400@lcm.example");
    assert_int_equal(m.n_references, 2);
    assert_string_equal(m.references[0], "lcmtui.41.1764600000@lcm.example");
    assert_string_equal(m.references[1], "lcmtui.42.1764662400@lcm.example");
    assert_string_equal(m.from_addr, "camille.martin@example.fr");
    assert_string_equal(m.from_name, "Camille Martin");
    assert_string_equal(m.to_addr, "alice@lcm.example");
    assert_null(m.reply_to);
    assert_string_equal(m.subject, "Re: Votre parcours d'anglais : où en êtes-vous ?");
    assert_int_equal(m.date, 1796204467); /* 2026-12-02 09:41:07 UTC */
    assert_false(m.text_from_html);
    assert_false(m.auto_reply);
    assert_false(m.bounce);
    assert_int_equal(m.n_attachments, 0);
    assert_null(m.calendar);
    /* the flowed line joined to the next; the quote kept its marks */
    assert_non_null(strstr(m.text, "J'ai pris du retard car j'étais en déplacement, mais je "
                                   "reprends l'unité 3 dès demain.\n"));
    assert_non_null(strstr(m.text, "\n> Je n'ai pas vu de connexion"));
    char *r = inmail_strip_quoted(m.text);
    assert_string_equal(r, "Bonjour Alice,\n\nMerci pour votre message. J'ai pris du retard car "
                           "j'étais en déplacement, mais je reprends l'unité 3 dès demain.\n\n"
                           "Bonne journée,\nCamille");
    free(r);
    inmail_free(&m);
}

static void test_outlook_reply_windows_1252_plain_preferred_over_html(void **state)
{
    (void)state;
    struct inmail m;
    parse_fixture("outlook_reply.eml", &m);
    assert_all_clean(&m);
    assert_string_equal(m.message_id, "AM0PR01MB1234ABCD5678EF90A1B2C3D4E5F6A@AM0PR01MB1234."
                                      "eurprd01.prod.outlook.com");
    assert_string_equal(m.in_reply_to, "lcmtui.43.1764666720@lcm.example");
    assert_string_equal(m.from_addr, "jerome.dupre@entreprise.example");
    assert_string_equal(m.from_name, "Jérôme Dupré");
    /* =96 in a "iso-8859-1" word is windows-1252's en dash, as Outlook means it */
    assert_string_equal(m.subject, "RE: Point sur votre formation – étape 2");
    assert_int_equal(m.date, 1796209432);
    assert_false(m.text_from_html);
    assert_int_equal(m.n_attachments, 0);
    assert_non_null(strstr(m.text, "Envoyé : mercredi 2 décembre 2026 09:12\nÀ : Jérôme"));
    char *r = inmail_strip_quoted(m.text);
    assert_string_equal(r, "Bonjour,\n\nOui, je serai disponible jeudi à 14h pour faire le "
                           "point.\nCordialement,\nJérôme");
    free(r);
    inmail_free(&m);
}

static void test_gmail_reply_base64_utf8_and_folded_attribution(void **state)
{
    (void)state;
    struct inmail m;
    parse_fixture("gmail_reply.eml", &m);
    assert_all_clean(&m);
    assert_string_equal(m.message_id, "CAFx9Qp2u=Lk3mZ_vY8nO-b7Rk@mail.gmail.example");
    assert_string_equal(m.in_reply_to, "lcmtui.44.1764666720@lcm.example");
    assert_int_equal(m.n_references, 1);
    assert_string_equal(m.from_addr, "sam.oneil@gmail.example");
    assert_string_equal(m.from_name, "Sam O'Neil");
    assert_string_equal(m.subject, "Re: Your English course: how is it going?");
    assert_int_equal(m.date, 1796285730);
    assert_false(m.text_from_html);
    assert_int_equal(m.n_attachments, 0);
    char *r = inmail_strip_quoted(m.text);
    assert_string_equal(r, "Hi Alice,\n\nSorry for the silence, I was ill. I'll catch up on "
                           "units 3 and 4 this week — promise!\n\nSam");
    free(r);
    inmail_free(&m);
}

static void test_auto_reply_absence_du_bureau(void **state)
{
    (void)state;
    struct inmail m;
    parse_fixture("auto_reply.eml", &m);
    assert_all_clean(&m);
    assert_true(m.auto_reply);
    assert_false(m.bounce);
    assert_string_equal(m.subject, "Absence du bureau : Point sur votre formation");
    assert_string_equal(m.in_reply_to, "lcmtui.45.1764666720@lcm.example");
    assert_string_equal(m.text, "Bonjour,\n\nJe suis absente du bureau jusqu'au 7 décembre "
                                "inclus, avec un accès limité à mes e-mails.\n\nNadia");
    assert_int_equal(m.date, 1796199164);
    inmail_free(&m);
}

static void test_auto_reply_by_other_marks_and_not_by_auto_submitted_no(void **state)
{
    (void)state;
    static const struct {
        const char *raw;
        bool auto_reply;
    } cases[] = {
        {"From: a@x.example\nAuto-Submitted: no\nSubject: hello\n\nhi\n", false},
        {"From: a@x.example\nAuto-Submitted: auto-generated\nSubject: hello\n\nhi\n", true},
        {"From: a@x.example\nX-Autoreply: yes\nSubject: hello\n\nhi\n", true},
        {"From: a@x.example\nX-Autorespond: yes\nSubject: hello\n\nhi\n", true},
        {"From: a@x.example\nPrecedence: bulk\nSubject: hello\n\nhi\n", true},
        {"From: a@x.example\nSubject: Out of Office: Re: course\n\nhi\n", true},
        {"From: a@x.example\nSubject: =?utf-8?Q?R=C3=89PONSE_AUTOMATIQUE?=\n\nhi\n", true},
        {"From: a@x.example\nSubject: Automatic reply: course\n\nhi\n", true},
        {"From: a@x.example\nSubject: Auto: course\n\nhi\n", true},
        {"From: a@x.example\nSubject: About the office\n\nhi\n", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct inmail m;
        struct lcm_err err = {0};
        assert_int_equal(inmail_parse(cases[i].raw, strlen(cases[i].raw), 0, &m, &err), LCM_OK);
        if (m.auto_reply != cases[i].auto_reply)
            fail_msg("case %zu: auto_reply %d", i, m.auto_reply);
        inmail_free(&m);
    }
}

static void test_bounce_delivery_status_from_mailer_daemon(void **state)
{
    (void)state;
    struct inmail m;
    parse_fixture("bounce.eml", &m);
    assert_all_clean(&m);
    assert_true(m.bounce);
    assert_string_equal(m.from_addr, "mailer-daemon@mx.lcm.example");
    assert_string_equal(m.from_name, "Mail Delivery System");
    assert_string_equal(m.bounce_recipient, "old.learner@gone.example");
    assert_string_equal(m.bounce_status, "5.1.1");
    assert_string_equal(m.bounce_message_id, "lcmtui.46.1764663178@lcm.example");
    assert_int_equal(m.date, 1796199182);
    assert_int_equal(m.n_attachments, 0);
    /* the human part only: neither the report fields nor the returned message */
    assert_true(strncmp(m.text, "This is the mail system at host mx.lcm.example.\n", 48) == 0);
    assert_null(strstr(m.text, "Reporting-MTA"));
    assert_null(strstr(m.text, "We have not seen you"));
    inmail_free(&m);

    const char *pm = "From: Postmaster <POSTMASTER@x.example>\nSubject: failure\n\nno\n";
    struct lcm_err err = {0};
    assert_int_equal(inmail_parse(pm, strlen(pm), 0, &m, &err), LCM_OK);
    assert_true(m.bounce);
    assert_null(m.bounce_recipient);
    inmail_free(&m);
}

static void test_html_only_scripts_dropped_entities_decoded(void **state)
{
    (void)state;
    struct inmail m;
    parse_fixture("html_only.eml", &m);
    assert_all_clean(&m);
    assert_true(m.text_from_html);
    assert_string_equal(m.from_name, "Newsletter LMS");
    assert_string_equal(m.subject, "Nouveaut&eacute;s"); /* a header is not HTML */
    assert_int_equal(m.date, 1796126400);
    assert_string_equal(m.text, "Bonjour Alice,\n"
                                "Les cours de décembre\u202f: Fish & Chips <niveau 2>\n"
                                "et \"Grammaire\" été.\n"
                                "- Unité 1\n"
                                "- Unité 2\n"
                                "© 2026 &unknown; \uFFFD");
    inmail_free(&m);
}

static void test_latin1_mail_with_split_encoded_word_subject(void **state)
{
    (void)state;
    struct inmail m;
    parse_fixture("latin1_subject.eml", &m);
    assert_all_clean(&m);
    assert_string_equal(m.from_name, "François Léger");
    assert_string_equal(m.from_addr, "francois.leger@example.fr");
    assert_string_equal(m.subject, "Question sur le module « Rédiger un e-mail »");
    assert_int_equal(m.date, 1796146200); /* no day name, no seconds */
    assert_string_equal(m.text, "Bonjour, le module « Rédiger » ne s'ouvre pas. Merci d'avance."
                                "\nFrançois");
    inmail_free(&m);
}

static void test_attachments_counted_and_not_read(void **state)
{
    (void)state;
    struct inmail m;
    parse_fixture("attachment.eml", &m);
    assert_all_clean(&m);
    assert_int_equal(m.n_attachments, 3); /* pdf, inline png, a text file as attachment */
    assert_string_equal(m.text, "Voici mon attestation, et une capture.");
    assert_false(m.text_from_html);
    inmail_free(&m);
}

static void test_itip_reply_calendar_and_method_captured(void **state)
{
    (void)state;
    struct inmail m;
    parse_fixture("itip_reply.eml", &m);
    assert_all_clean(&m);
    assert_string_equal(m.subject, "Accepté : Point de suivi");
    assert_string_equal(m.calendar_method, "REPLY");
    assert_non_null(m.calendar);
    assert_true(strncmp(m.calendar, "BEGIN:VCALENDAR\nPRODID:", 23) == 0);
    assert_non_null(strstr(m.calendar, "\nATTENDEE;PARTSTAT=ACCEPTED;CN=Camille Martin:mailto:"
                                       "camille.martin@example.fr\n"));
    assert_string_equal(m.text, "Camille Martin a accepté l'invitation.");
    assert_int_equal(m.n_attachments, 1); /* the invite.ics copy */
    inmail_free(&m);

    /* a METHOD only in the body; no text part at all */
    const char *raw = "From: x@y.example\nContent-Type: text/calendar\n\nBEGIN:VCALENDAR\r\n"
                      "METHOD:request\r\nBEGIN:VEVENT\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    struct lcm_err err = {0};
    assert_int_equal(inmail_parse(raw, strlen(raw), 0, &m, &err), LCM_OK);
    assert_string_equal(m.calendar_method, "REQUEST");
    assert_string_equal(m.text, "");
    inmail_free(&m);
}

/* ---- malformed and hostile ---- */

static void test_truncated_multipart_keeps_what_arrived(void **state)
{
    (void)state;
    struct inmail m;
    parse_fixture("truncated_multipart.eml", &m);
    assert_all_clean(&m);
    assert_string_equal(m.text, "first part\n\nsecond part, cu");
    inmail_free(&m);
}

static void test_multipart_without_boundary_is_read_as_text(void **state)
{
    (void)state;
    struct inmail m;
    parse_fixture("no_boundary.eml", &m);
    assert_all_clean(&m);
    assert_string_equal(m.text, "--someboundary\nContent-Type: text/plain\n\nhello\n"
                                "--someboundary--");
    assert_int_equal(m.n_attachments, 0);
    inmail_free(&m);
}

static void test_8bit_garbage_becomes_valid_utf8(void **state)
{
    (void)state;
    struct inmail m;
    parse_fixture("garbage_8bit.eml", &m);
    assert_all_clean(&m);
    assert_string_equal(m.from_addr, "bob@example.org");
    assert_string_equal(m.from_name, "ÿþ Bob"); /* not UTF-8: read as windows-1252 */
    /* a body that is not UTF-8 is read as windows-1252: every byte is kept as a character
     * (0x85 is "…"), NUL and DEL dropped */
    assert_string_equal(m.text, "not utf-8: café and Ã© and í\u00a0€ and ø\u02c6€€€\n"
                                "nul::del::c1:Â…:");
    inmail_free(&m);
}

static void test_terminal_escapes_removed_from_subject_and_body(void **state)
{
    (void)state;
    struct inmail m;
    parse_fixture("escapes.eml", &m);
    assert_all_clean(&m);
    assert_string_equal(m.subject, "Hello red Bcc: x@y");
    assert_string_equal(m.text, "line1 red\n c1 link\nbell bs nul tab\tend\n=?utf-8?Q?=1B?=");
    inmail_free(&m);
}

static void test_crlf_in_encoded_words_stays_on_one_line(void **state)
{
    (void)state;
    struct inmail m;
    parse_fixture("crlf_injection.eml", &m);
    assert_all_clean(&m);
    assert_string_equal(m.from_name, "Mallory Bcc: victim@example.org");
    assert_string_equal(m.from_addr, "mallory@evil.example");
    assert_string_equal(m.subject, "Hello Bcc: victim@example.org  body");
    assert_string_equal(m.in_reply_to, "ab@evil.example"); /* folded inside the brackets */
    assert_string_equal(m.text, "body");
    inmail_free(&m);
}

static void test_huge_header_many_fields_and_references_are_bounded(void **state)
{
    (void)state;
    struct buf b = {0};
    buf_adds(&b, "From: a@b.example\r\nSubject: ");
    for (int i = 0; i < 200000; i++)
        buf_adds(&b, "é=?utf-8?B?w6k=?= ");
    buf_adds(&b, "\r\nReferences:");
    for (int i = 0; i < 1000; i++)
        buf_addf(&b, " <r%d@x.example>", i);
    buf_adds(&b, "\r\n");
    for (int i = 0; i < 5000; i++)
        buf_addf(&b, "X-Filler-%d: %d\r\n", i, i);
    buf_adds(&b, "X-Long: ");
    for (int i = 0; i < 100000; i++)
        buf_adds(&b, "\r\n folded");
    buf_adds(&b, "\r\n\r\nthe body\r\n");
    struct inmail m;
    struct lcm_err err = {0};
    assert_int_equal(inmail_parse(b.p, b.len, 0, &m, &err), LCM_OK);
    assert_all_clean(&m);
    assert_true(strlen(m.subject) <= INMAIL_VALUE_MAX);
    assert_true(strlen(m.subject) > INMAIL_VALUE_MAX - 4);
    assert_true(strncmp(m.subject, "éé éé", 11) == 0 || strncmp(m.subject, "é", 2) == 0);
    assert_int_equal(m.n_references, 100);
    assert_string_equal(m.references[0], "r0@x.example");    /* the root */
    assert_string_equal(m.references[1], "r901@x.example");  /* then the newest 99 */
    assert_string_equal(m.references[99], "r999@x.example"); /* the parent */
    assert_string_equal(m.text, "the body");
    inmail_free(&m);
    buf_free(&b);
}

static void test_deep_nesting_is_cut_and_counted(void **state)
{
    (void)state;
    struct buf b = {0};
    buf_adds(&b, "From: a@b.example\nContent-Type: multipart/mixed; boundary=b0\n\n");
    for (int i = 1; i <= 200; i++)
        buf_addf(&b, "--b%d\nContent-Type: multipart/mixed; boundary=b%d\n\n", i - 1, i);
    buf_adds(&b, "--b200\nContent-Type: text/plain\n\ndeep\n");
    struct inmail m;
    struct lcm_err err = {0};
    assert_int_equal(inmail_parse(b.p, b.len, 0, &m, &err), LCM_OK);
    assert_string_equal(m.text, "");
    assert_int_equal(m.n_attachments, 1);
    inmail_free(&m);
    buf_free(&b);

    /* many parts: at most INMAIL_PARTS_MAX read */
    buf_adds(&b, "From: a@b.example\nContent-Type: multipart/mixed; boundary=z\n\n");
    for (int i = 0; i < 2000; i++)
        buf_adds(&b, "--z\nContent-Type: image/png\n\nx\n");
    buf_adds(&b, "--z--\n");
    assert_int_equal(inmail_parse(b.p, b.len, 0, &m, &err), LCM_OK);
    assert_int_equal(m.n_attachments, INMAIL_PARTS_MAX - 1);
    inmail_free(&m);
    buf_free(&b);
}

static void test_message_rfc822_part_is_read_and_alternative_inside_related(void **state)
{
    (void)state;
    const char *raw =
        "From: a@b.example\nContent-Type: multipart/mixed; boundary=\"o\"\n\n--o\n"
        "Content-Type: text/plain\n\nSee below.\n--o\nContent-Type: message/rfc822\n\n"
        "From: c@d.example\nSubject: inner\nContent-Type: multipart/related; boundary=r\n\n"
        "--r\nContent-Type: multipart/alternative; boundary=a\n\n--a\n"
        "Content-Type: text/html; charset=utf-8\n\n<p>Inner&nbsp;<b>HTML</b></p>\n--a--\n"
        "--r\nContent-Type: image/gif\nContent-ID: <i1>\n\nGIF\n--r--\n--o--\n";
    struct inmail m;
    struct lcm_err err = {0};
    assert_int_equal(inmail_parse(raw, strlen(raw), 0, &m, &err), LCM_OK);
    assert_string_equal(m.text, "See below.\n\nInner HTML");
    assert_false(m.text_from_html); /* one part was plain */
    assert_int_equal(m.n_attachments, 1);
    inmail_free(&m);
}

/* ---- the pieces ---- */

static void test_encoded_words_joined_and_malformed_ones_kept(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"=?utf-8?q?caf=C3=A9?= =?utf-8?q?_cr=C3=A8me?=", "café crème"},
        {"=?UTF-8?B?w6k=?=\r\n =?UTF-8?B?w6g=?=", "éè"},
        {"=?utf-8?B?4oK=?= =?utf-8?B?rA==?=", "€"}, /* a character split over two words */
        {"a =?iso-8859-15?q?=A4?= b", "a € b"},
        {"=?koi8-r?b?8NLJ18XU?=", "Привет"},
        {"=?utf-8*fr?q?Bonjour?=", "Bonjour"},
        {"=?x-no-such-charset?q?caf=E9?=", "café"},
        {"=?utf-8?x?abc?= =?utf-8?q?bad word?=", "=?utf-8?x?abc?= =?utf-8?q?bad word?="},
        {"=?utf-8?q?unterminated", "=?utf-8?q?unterminated"},
        {"plain  =?utf-8?q?a?=  text", "plain  a  text"},
        {"", ""},
        {"   ", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = inmail_text_header(cases[i].in, strlen(cases[i].in));
        if (strcmp(s, cases[i].out) != 0)
            fail_msg("case %zu: \"%s\", expected \"%s\"", i, s, cases[i].out);
        free(s);
    }
}

static void test_quoted_printable_and_base64_decoding(void **state)
{
    (void)state;
    struct buf b = {0};
    const char *qp = "caf=C3=A9 =\r\nsoft=3d=3Dx  \r\nend=\nbad=ZZ=4";
    inmail_text_qp(&b, qp, strlen(qp), false);
    assert_string_equal(b.p, "café soft==x\r\nendbad=ZZ=4");
    buf_free(&b);
    inmail_text_qp(&b, "a_b=5F", 6, true);
    assert_string_equal(b.p, "a b_");
    buf_free(&b);
    const char *b64 = "w6l0\r\nw6k*!\n"; /* noise skipped, no padding needed */
    inmail_text_base64(&b, b64, strlen(b64));
    assert_string_equal(b.p, "été");
    buf_free(&b);
    inmail_text_base64(&b, "w6k=w6k=", 8); /* it stops at the padding */
    assert_string_equal(b.p, "é");
    buf_free(&b);
    inmail_text_base64(&b, "", 0);
    assert_string_equal(b.p, "");
    buf_free(&b);
}

static void test_format_flowed_joined_by_depth_with_delsp(void **state)
{
    (void)state;
    struct buf b = {0};
    buf_adds(&b, "one \ntwo\n> q1 \n> q2\n>> deep \nback\n From stuffed\n-- \nsig");
    inmail_text_unflow(&b, false);
    assert_string_equal(b.p, "one two\n> q1 q2\n>> deep \nback\nFrom stuffed\n-- \nsig");
    buf_free(&b);
    buf_adds(&b, "Ger \nman");
    inmail_text_unflow(&b, true);
    assert_string_equal(b.p, "German");
    buf_free(&b);
}

static void test_dates_in_current_and_obsolete_forms(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        int64_t t;
    } cases[] = {
        {"Wed, 02 Dec 2026 09:12:44 +0100", 1796199164},
        {"Wed, 2 Dec 2026 09:13:02 +0100 (CET)", 1796199182},
        {"2 Dec 2026 08:12:44 GMT", 1796199164},
        {"Wed, 2 Dec 26 03:12:44 EST", 1796199164},
        {"Wednesday, 02-Dec-2026 00:12:44 PST", 1796199164},
        {"Wed, 2 Dec 126 08:12:44 +0000", 1796199164}, /* three-digit year: 1900 + 126 */
        {"Wed,  2 Dec 2026 08:12 UT", 1796199120},
        {"  (c) Wed , 2 dec 2026 08:12:44 Z", 1796199164},
        {"Wed, 2 Dec 2026 08:12:44 A", 1796199164}, /* military: unknown, read as UTC */
        {"Wed, 2 Dec 2026 08:12:44 -0000", 1796199164},
        {"Thu, 01 Jan 1970 00:00:00 +0000", 0},
        {"Wed, 31 Feb 2026 08:12:44 +0000", 0},
        {"Wed, 2 Dec 2026 25:12:44 +0000", 0},
        {"yesterday", 0},
        {"", 0},
        {NULL, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t t = inmail_date_parse(cases[i].in);
        if (t != cases[i].t)
            fail_msg("case %zu (%s): %lld", i, cases[i].in ? cases[i].in : "NULL", (long long)t);
    }
}

static void test_addresses_in_their_many_forms(void **state)
{
    (void)state;
    static const struct {
        const char *from, *addr, *name;
    } cases[] = {
        {"\"Martin, Camille\" <C.Martin@Example.fr>", "c.martin@example.fr", "Martin, Camille"},
        {"camille@example.fr (Camille Martin)", "camille@example.fr", "Camille Martin"},
        {"<camille@example.fr>", "camille@example.fr", ""},
        {"camille@example.fr", "camille@example.fr", ""},
        {"\"=?utf-8?q?L=C3=A9a?=\" <lea@example.org>", "lea@example.org", "Léa"},
        {"Team: a@x.example, b@y.example;", "a@x.example", ""},
        {"\"a@x.example\" <a@x.example>", "a@x.example", ""},
        {"\"Quote \\\" in\" <q@x.example>", "q@x.example", "Quote \" in"},
        {"no address here", NULL, ""},
        {"undisclosed-recipients:;", NULL, ""},
        {"Bad <a b@c d>", "ab@cd", "Bad"},
        {"<@nope>", NULL, ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char raw[512];
        snprintf(raw, sizeof raw, "From: %s\nTo: %s\n\n", cases[i].from, cases[i].from);
        struct inmail m;
        struct lcm_err err = {0};
        assert_int_equal(inmail_parse(raw, strlen(raw), 0, &m, &err), LCM_OK);
        if ((cases[i].addr == NULL) != (m.from_addr == NULL) ||
            (cases[i].addr && strcmp(m.from_addr, cases[i].addr) != 0) ||
            strcmp(m.from_name, cases[i].name) != 0)
            fail_msg("case %zu: addr %s name \"%s\"", i, m.from_addr ? m.from_addr : "NULL",
                     m.from_name);
        if (cases[i].addr)
            assert_string_equal(m.to_addr, cases[i].addr);
        inmail_free(&m);
    }
}

static void test_strip_quoted_french_and_english_clients(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"", ""},
        {"Oui.\n> Tu viens ?\n> \nMerci", "Oui.\nMerci"},
        {"Oui.\n\nLe lun. 2 déc. 2026 à 09:12, Alice <a@x.example> a écrit :\n> q", "Oui."},
        {"Oui.\nLe 02/12/2026 à 09:12, Alice Lcm a\nécrit :\n> q", "Oui."},
        {"Yes.\nOn Mon, Dec 2, 2026 at 9:12 AM Alice <a@x.example> wrote:\n> q", "Yes."},
        {"Yes.\n-----Original Message-----\nFrom: Alice\nSent: Monday\nTo: Sam\n\nold", "Yes."},
        {"Oui\n\n________________________________\nDe : Alice Lcm <a@x.example>\n"
         "Envoyé : lundi 2 décembre 2026 09:12\nÀ : Jérôme\nObjet : Point\n\nvieux",
         "Oui"},
        {"Oui\nDe\u00a0: Alice\nEnvoyé\u00a0: lundi\nÀ\u00a0: Jérôme\n\nvieux", "Oui"},
        {"Merci\n-- \nCamille\n06 12 34 56 78", "Merci"},
        {"De : moi, un mot\nsans plus", "De : moi, un mot\nsans plus"},
        {"On the other hand, I agree.\nSee you", "On the other hand, I agree.\nSee you"},
        {"Le cours est fini.\nMerci", "Le cours est fini.\nMerci"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = inmail_strip_quoted(cases[i].in);
        if (strcmp(s, cases[i].out) != 0)
            fail_msg("case %zu: \"%s\"", i, s);
        free(s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_null_empty_and_headerless_input_is_refused_with_nothing_allocated),
        cmocka_unit_test(test_a_message_over_max_len_is_refused_in_one_line),
        cmocka_unit_test(test_headers_only_without_blank_line_and_a_not_nul_terminated_buffer),
        cmocka_unit_test(test_thunderbird_reply_flowed_with_threading),
        cmocka_unit_test(test_outlook_reply_windows_1252_plain_preferred_over_html),
        cmocka_unit_test(test_gmail_reply_base64_utf8_and_folded_attribution),
        cmocka_unit_test(test_auto_reply_absence_du_bureau),
        cmocka_unit_test(test_auto_reply_by_other_marks_and_not_by_auto_submitted_no),
        cmocka_unit_test(test_bounce_delivery_status_from_mailer_daemon),
        cmocka_unit_test(test_html_only_scripts_dropped_entities_decoded),
        cmocka_unit_test(test_latin1_mail_with_split_encoded_word_subject),
        cmocka_unit_test(test_attachments_counted_and_not_read),
        cmocka_unit_test(test_itip_reply_calendar_and_method_captured),
        cmocka_unit_test(test_truncated_multipart_keeps_what_arrived),
        cmocka_unit_test(test_multipart_without_boundary_is_read_as_text),
        cmocka_unit_test(test_8bit_garbage_becomes_valid_utf8),
        cmocka_unit_test(test_terminal_escapes_removed_from_subject_and_body),
        cmocka_unit_test(test_crlf_in_encoded_words_stays_on_one_line),
        cmocka_unit_test(test_huge_header_many_fields_and_references_are_bounded),
        cmocka_unit_test(test_deep_nesting_is_cut_and_counted),
        cmocka_unit_test(test_message_rfc822_part_is_read_and_alternative_inside_related),
        cmocka_unit_test(test_encoded_words_joined_and_malformed_ones_kept),
        cmocka_unit_test(test_quoted_printable_and_base64_decoding),
        cmocka_unit_test(test_format_flowed_joined_by_depth_with_delsp),
        cmocka_unit_test(test_dates_in_current_and_obsolete_forms),
        cmocka_unit_test(test_addresses_in_their_many_forms),
        cmocka_unit_test(test_strip_quoted_french_and_english_clients),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
