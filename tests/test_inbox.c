/* test_inbox.c — the inbox's matching and questions in a real store, on SQLite and PostgreSQL:
 * a reply to a sent message (check-in, replied, outreach effect), a known learner's mail, a
 * stranger's (counted, nothing kept), an auto-reply and a bounce (recorded, no question; the
 * bounce marks the sent message), the same message twice (one row), a question answered,
 * closed, forwarded to the configured trainer and the trainer's answer threaded back and
 * reopening it; the reply's threading headers written by mail_mime_build; the inbox config. */
#include "testutil.h"

#include "store_fixture.h"

#include "base/config.h"
#include "base/day.h"
#include "msg/imap.h"
#include "msg/inbox.h"
#include "msg/inmail.h"
#include "msg/mail.h"
#include "msg/outbox.h"
#include "msg/sequence.h"
#include "store/store_checkin.h"
#include "store/store.h"
#include "store/store_effect.h"
#include "store/store_entity.h"
#include "store/store_inbox.h"
#include "store/store_message.h"

static int today;
static int64_t now;

static int setup(void **state)
{
    (void)state;
    today = day_from_ymd(2026, 12, 1);
    now = day_to_time(today) + 9 * 3600;
    return 0;
}

/* One learner (helene@example.fr) in cohort "B2-janvier" of programme "Anglais". */
static struct lcm_store *seeded(int64_t *lid)
{
    struct lcm_err err = {0};
    struct lcm_store *st = sfx_open();
    int64_t pid, cid, eid;
    struct lcm_program p = {.source = "t", .ext_id = "p", .name = "Anglais"};
    assert_int_equal(store_entity_program_upsert(st, &p, &pid, &err), LCM_OK);
    struct lcm_cohort c = {.program_id = pid,
                           .source = "t",
                           .ext_id = "c",
                           .name = "B2-janvier",
                           .start_day = today - 60,
                           .end_day = DAY_NONE};
    assert_int_equal(store_entity_cohort_upsert(st, &c, &cid, &err), LCM_OK);
    struct lcm_learner l = {.source = "t",
                            .ext_id = "l",
                            .first_name = "Hélène",
                            .last_name = "Dupré",
                            .email = "Helene@Example.fr"};
    assert_int_equal(store_entity_learner_upsert(st, &l, lid, &err), LCM_OK);
    struct lcm_enrollment e = {.learner_id = *lid,
                               .cohort_id = cid,
                               .source = "t",
                               .ext_id = "e",
                               .status = ENROLL_ACTIVE,
                               .start_day = today - 60,
                               .expected_end_day = DAY_NONE,
                               .ended_day = DAY_NONE,
                               .progress = 0.4,
                               .last_activity_day = today - 30};
    assert_int_equal(store_entity_enrollment_upsert(st, &e, &eid, &err), LCM_OK);
    return st;
}

/* A message to the learner (or to addr when learner_id is 0), sent at `at` with Message-ID
 * <msgid>. Returns its id. */
static int64_t sent(struct lcm_store *st, int64_t lid, const char *addr, const char *msgid,
                    int64_t at)
{
    struct lcm_err err = {0};
    struct lcm_message m = {.learner_id = lid,
                            .template_name = "relance",
                            .to_addr = addr,
                            .subject = "Votre parcours",
                            .body = "Bonjour",
                            .status = MSG_QUEUED};
    int64_t id = 0;
    bool claimed = false;
    assert_int_equal(outbox_add(st, &m, NULL, NULL, at, &id, &err), LCM_OK);
    char br[200];
    snprintf(br, sizeof br, "<%s>", msgid);
    assert_int_equal(store_message_claim(st, id, br, at, &claimed, &err), LCM_OK);
    assert_true(claimed);
    assert_int_equal(store_message_mark_sent(st, id, at, "lcm", &err), LCM_OK);
    return id;
}

/* Parses raw and records it as UID uid. */
static struct inbox_result record(struct lcm_store *st, const char *raw, int64_t uid)
{
    struct inmail m;
    struct lcm_err err = {0};
    if (inmail_parse(raw, strlen(raw), 0, &m, &err) != LCM_OK)
        fail_msg("inmail_parse: %s", err.msg);
    struct inbox_result res = {0};
    struct inbox_where w = {"INBOX", 7, uid};
    if (inbox_record(st, &m, raw, strlen(raw), &w, now, &res, &err) != LCM_OK)
        fail_msg("inbox_record: %s", err.msg);
    inmail_free(&m);
    return res;
}

struct rows {
    int n;
    int64_t id[8], learner[8];
    char status[8][16], kind[8][16], body[8][200];
};

static enum lcm_status keep_row(void *ctx, const struct store_inbox_row *r)
{
    struct rows *x = ctx;
    if (x->n < 8) {
        x->id[x->n] = r->id;
        x->learner[x->n] = r->learner_id;
        snprintf(x->status[x->n], 16, "%s", r->status);
        snprintf(x->kind[x->n], 16, "%s", r->kind);
        snprintf(x->body[x->n], 200, "%s", r->body);
    }
    x->n++;
    return LCM_OK;
}

static struct rows questions(struct lcm_store *st, const char *status, int64_t question_id)
{
    struct rows x = {0};
    struct lcm_err err = {0};
    assert_int_equal(store_inbox_each(st, status, question_id, keep_row, &x, &err), LCM_OK);
    return x;
}

static const char reply_raw[] =
    "From: =?UTF-8?Q?H=C3=A9l=C3=A8ne_Dupr=C3=A9?= <helene@example.fr>\r\n"
    "To: lcm@lcm.example\r\n"
    "Subject: Re: Votre parcours\r\n"
    "Date: Tue, 1 Dec 2026 08:00:00 +0000\r\n"
    "Message-ID: <r1@example.fr>\r\n"
    "In-Reply-To: <lcmtui.1.100@lcm.example>\r\n"
    "References: <lcmtui.1.100@lcm.example>\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "Je n'arrive pas au module 3, que faire ?\r\n"
    "\r\n"
    "Le lun. 30 nov. 2026, LCM a écrit :\r\n"
    "> Bonjour\r\n";

static void test_reply_matched_once(void **state)
{
    (void)state;
    int64_t lid;
    struct lcm_store *st = seeded(&lid);
    struct lcm_err err = {0};
    int64_t mid = sent(st, lid, "helene@example.fr", "lcmtui.1.100@lcm.example", now - 86400);
    struct inbox_result r = record(st, reply_raw, 1);
    assert_int_equal(r.added, 1);
    assert_int_equal(r.replies, 1);
    assert_int_equal(r.questions, 1);
    struct rows q = questions(st, "open", 0);
    assert_int_equal(q.n, 1);
    assert_int_equal(q.learner[0], lid);
    assert_string_equal(q.kind[0], "reply");
    assert_non_null(strstr(q.body[0], "module 3"));
    struct store_msg_row m;
    assert_int_equal(store_message_get(st, mid, &m, &err), LCM_OK);
    assert_true(m.replied_at > 0 && m.replied_at <= now);
    store_message_row_clear(&m);
    int64_t n, oldest;
    assert_int_equal(store_inbox_waiting(st, &n, &oldest, &err), LCM_OK);
    assert_int_equal(n, 1);
    assert_int_equal(oldest, now);
    /* the same message again (a folder read anew): nothing added */
    r = record(st, reply_raw, 9);
    assert_int_equal(r.added, 0);
    assert_int_equal(r.dup, 1);
    assert_int_equal(questions(st, NULL, 0).n, 1);
    store_close(&st);
}

static enum lcm_status keep_effect(void *ctx, const struct store_effect *e)
{
    *(struct store_effect *)ctx = *e;
    return LCM_OK;
}

/* The reply counts in the outreach effect: replied within 3 and 7 days. */
static void test_reply_counts_in_effect(void **state)
{
    (void)state;
    int64_t lid;
    struct lcm_store *st = seeded(&lid);
    struct lcm_err err = {0};
    sent(st, lid, "helene@example.fr", "lcmtui.1.100@lcm.example", now - 10 * 86400);
    sent(st, lid, "helene@example.fr", "lcmtui.2.100@lcm.example", now - 9 * 86400);
    struct store_effect e = {0};
    assert_int_equal(store_effect_by_template(st, today, keep_effect, &e, &err), LCM_OK);
    assert_int_equal(e.sent, 2);
    assert_int_equal(e.replied3, 0);
    assert_int_equal(e.rdue7, 2);
    /* a reply dated two days after the first message */
    char raw[1024];
    snprintf(raw, sizeof raw,
             "From: helene@example.fr\r\nSubject: Re: x\r\nMessage-ID: <r2@example.fr>\r\n"
             "Date: Sun, 22 Nov 2026 09:00:00 +0000\r\n"
             "In-Reply-To: <lcmtui.1.100@lcm.example>\r\n\r\nMerci\r\n");
    assert_int_equal(record(st, raw, 1).replies, 1);
    assert_int_equal(store_effect_by_template(st, today, keep_effect, &e, &err), LCM_OK);
    assert_int_equal(e.replied3, 1);
    assert_int_equal(e.replied7, 1);
    assert_int_equal(e.rdue3, 2);
    store_close(&st);
}

static void test_known_address_stranger_auto_bounce(void **state)
{
    (void)state;
    int64_t lid;
    struct lcm_store *st = seeded(&lid);
    struct lcm_err err = {0};
    /* the learner writes without replying to anything: a question on her */
    struct inbox_result r = record(st,
                                   "From: HELENE@example.fr\r\nSubject: Question\r\n"
                                   "Message-ID: <q1@example.fr>\r\n\r\nBonjour, une question.\r\n",
                                   1);
    assert_int_equal(r.questions, 1);
    assert_int_equal(r.replies, 0);
    struct rows q = questions(st, "open", 0);
    assert_int_equal(q.n, 1);
    assert_int_equal(q.learner[0], lid);
    assert_string_equal(q.kind[0], "learner");
    /* a stranger: counted, left alone, nothing of it kept but the address */
    r = record(st,
               "From: promo@shop.example\r\nSubject: Soldes\r\nMessage-ID: <p1@shop>\r\n\r\n"
               "Achetez\r\n",
               2);
    assert_int_equal(r.ignored, 1);
    assert_int_equal(r.added, 1);
    assert_int_equal(questions(st, NULL, 0).n, 1);
    /* an auto-reply to a sent message: on the learner, no question, no "replied" */
    int64_t mid = sent(st, lid, "helene@example.fr", "lcmtui.5.100@lcm.example", now - 3600);
    r = record(st,
               "From: helene@example.fr\r\nSubject: Absence du bureau\r\n"
               "Auto-Submitted: auto-replied\r\nMessage-ID: <a1@example.fr>\r\n"
               "In-Reply-To: <lcmtui.5.100@lcm.example>\r\n\r\nJe suis absente.\r\n",
               3);
    assert_int_equal(r.auto_replies, 1);
    assert_int_equal(r.questions, 0);
    struct store_msg_row m;
    assert_int_equal(store_message_get(st, mid, &m, &err), LCM_OK);
    assert_int_equal(m.replied_at, 0);
    assert_int_equal(m.bounced_at, 0);
    store_message_row_clear(&m);
    /* a bounce quoting the sent message's headers: marks it bounced */
    r = record(st,
               "From: MAILER-DAEMON@mx.example\r\nSubject: Undelivered Mail Returned to Sender\r\n"
               "Message-ID: <b1@mx.example>\r\n"
               "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n"
               "\r\n--B\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
               "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
               "Final-Recipient: rfc822; helene@example.fr\r\nStatus: 5.1.1\r\n"
               "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
               "Message-ID: <lcmtui.5.100@lcm.example>\r\nSubject: Votre parcours\r\n"
               "--B--\r\n",
               4);
    assert_int_equal(r.bounces, 1);
    assert_int_equal(r.questions, 0);
    assert_int_equal(store_message_get(st, mid, &m, &err), LCM_OK);
    assert_int_equal(m.bounced_at, now);
    store_message_row_clear(&m);
    assert_int_equal(questions(st, NULL, 0).n, 1);
    store_close(&st);
}

static const char trainers_conf[] =
    "inbox = { url = \"imaps://imap.example\"; username = \"lcm\";\n"
    "  trainers = (\n"
    "    { program = \"Anglais\"; email = \"prof@school.example\";"
    " name = \"Paul Prof\"; },\n"
    "    { email = \"default@school.example\"; }\n"
    "  ); };\n";

static void test_reply_forward_trainer_answer(void **state)
{
    (void)state;
    int64_t lid;
    struct lcm_store *st = seeded(&lid);
    struct lcm_err err = {0};
    struct lcm_config cfg;
    assert_int_equal(config_load_string(&cfg, "cfg", trainers_conf, NULL, &err), LCM_OK);
    sent(st, lid, "helene@example.fr", "lcmtui.1.100@lcm.example", now - 86400);
    record(st, reply_raw, 1);
    int64_t qid = questions(st, "open", 0).id[0];
    /* the programme's trainer */
    const char *email, *name;
    assert_int_equal(inbox_trainer(&cfg, st, lid, &email, &name, &err), LCM_OK);
    assert_string_equal(email, "prof@school.example");
    /* forward: queued to the trainer, the question quoted, the question forwarded */
    int64_t fwd = 0;
    assert_int_equal(inbox_forward(st, &cfg, qid, "Merci Paul", now, &fwd, &err), LCM_OK);
    struct store_msg_row m;
    assert_int_equal(store_message_get(st, fwd, &m, &err), LCM_OK);
    assert_string_equal(m.status, "queued");
    assert_string_equal(m.to_addr, "prof@school.example");
    assert_int_equal(m.learner_id, 0); /* not a touchpoint with the learner */
    assert_non_null(strstr(m.body, "> Je n'arrive pas au module 3"));
    assert_non_null(strstr(m.body, "Merci Paul"));
    assert_null(strstr(m.body, "> > Bonjour")); /* the learner's own quote is cut */
    store_message_row_clear(&m);
    assert_string_equal(questions(st, NULL, 0).status[0], "forwarded");
    assert_int_equal(questions(st, "open", 0).n, 0);
    /* it is sent; the trainer answers it: threaded to the question, which reopens */
    bool claimed;
    assert_int_equal(
        store_message_claim(st, fwd, "<lcmtui.9.200@lcm.example>", now, &claimed, &err), LCM_OK);
    assert_int_equal(store_message_mark_sent(st, fwd, now, "lcm", &err), LCM_OK);
    struct inbox_result r =
        record(st,
               "From: Paul Prof <prof@school.example>\r\nSubject: Re: Question\r\n"
               "Message-ID: <t1@school.example>\r\nIn-Reply-To: <lcmtui.9.200@lcm.example>\r\n"
               "\r\nQu'elle relise l'unité 2.\r\n",
               2);
    assert_int_equal(r.trainer, 1);
    assert_int_equal(r.questions, 0);
    struct rows t = questions(st, NULL, qid);
    assert_int_equal(t.n, 1);
    assert_string_equal(t.kind[0], "trainer");
    assert_non_null(strstr(t.body[0], "unité 2"));
    assert_int_equal(questions(st, "open", 0).n, 1);
    /* the LCM replies: Re: subject, quoted, threaded; the question is answered */
    int64_t rep = 0;
    assert_int_equal(inbox_reply(st, qid, "Relisez l'unité 2.", false, now, &rep, &err), LCM_OK);
    assert_int_equal(store_message_get(st, rep, &m, &err), LCM_OK);
    assert_string_equal(m.subject, "Re: Votre parcours");
    assert_string_equal(m.to_addr, "helene@example.fr");
    assert_int_equal(m.learner_id, lid);
    assert_string_equal(m.in_reply_to, "<r1@example.fr>");
    assert_string_equal(m.refs, "<lcmtui.1.100@lcm.example> <r1@example.fr>");
    assert_non_null(strstr(m.body, "Relisez"));
    assert_non_null(strstr(m.body, "> Je n'arrive pas"));
    store_message_row_clear(&m);
    assert_string_equal(questions(st, NULL, 0).status[0], "answered");
    /* answered: no second reply, no close */
    assert_int_equal(inbox_reply(st, qid, "x", false, now, &rep, &err), LCM_ERR_CONFLICT);
    assert_int_equal(inbox_close(st, qid, now, &err), LCM_ERR_CONFLICT);
    config_free(&cfg);
    store_close(&st);
}

static void test_close_and_not_a_question(void **state)
{
    (void)state;
    int64_t lid;
    struct lcm_store *st = seeded(&lid);
    struct lcm_err err = {0};
    record(st, "From: helene@example.fr\r\nSubject: Merci\r\nMessage-ID: <m@x>\r\n\r\nMerci !\r\n",
           1);
    record(st, "From: x@y.example\r\nSubject: S\r\nMessage-ID: <o@x>\r\n\r\nz\r\n", 2);
    struct rows all = questions(st, NULL, 0);
    assert_int_equal(all.n, 1);
    assert_int_equal(inbox_close(st, all.id[0], now, &err), LCM_OK);
    assert_string_equal(questions(st, NULL, 0).status[0], "closed");
    assert_int_equal(inbox_close(st, all.id[0], now, &err), LCM_ERR_CONFLICT);
    assert_non_null(strstr(err.msg, "closed"));
    assert_int_equal(inbox_close(st, 999, now, &err), LCM_ERR_NOTFOUND);
    /* the stranger's message is no question */
    int64_t other = all.id[0] + 1;
    assert_int_equal(inbox_close(st, other, now, &err), LCM_ERR_CONFLICT);
    int64_t n, oldest;
    assert_int_equal(store_inbox_waiting(st, &n, &oldest, &err), LCM_OK);
    assert_int_equal(n, 0);
    /* the cursor */
    int64_t v, last;
    assert_int_equal(store_inbox_cursor_get(st, "INBOX", &v, &last, &err), LCM_OK);
    assert_int_equal(v + last, 0);
    assert_int_equal(store_inbox_cursor_set(st, "INBOX", 42, 7, now, &err), LCM_OK);
    assert_int_equal(store_inbox_cursor_set(st, "INBOX", 42, 9, now, &err), LCM_OK);
    assert_int_equal(store_inbox_cursor_get(st, "INBOX", &v, &last, &err), LCM_OK);
    assert_int_equal(v, 42);
    assert_int_equal(last, 9);
    store_close(&st);
}

/* The escalate rule: after two unanswered messages, one draft to the manager, once; never the
 * LCM's notes; auto refused. */
static void test_escalate_manager(void **state)
{
    (void)state;
    int64_t lid;
    struct lcm_store *st = seeded(&lid);
    struct lcm_err err = {0};
    struct lcm_learner l = {.source = "t",
                            .ext_id = "l",
                            .manager = "Marc Chef",
                            .manager_email = "marc.chef@acme.example"};
    assert_int_equal(store_entity_learner_upsert(st, &l, &lid, &err), LCM_OK);
    struct lcm_checkin note = {.learner_id = lid,
                               .at = now - 86400,
                               .channel = CH_NOTE,
                               .direction = "out",
                               .note = "PRIVATE remark"};
    int64_t cid;
    assert_int_equal(store_checkin_add(st, &note, &cid, &err), LCM_OK);
    struct lcm_config cfg;
    assert_int_equal(config_load_string(
                         &cfg, "c",
                         "general = { lcm_name = \"Claire\"; lcm_email = \"claire@lcm.example\"; };"
                         "sequences = { quiet_days = 0; rules = ( { name = "
                         "\"esc\"; on = \"escalate\"; nudges = 2; } ); };",
                         NULL, &err),
                     LCM_OK);
    struct seq_config sc;
    assert_int_equal(sequence_config_load(&cfg, &sc, NULL, &err), LCM_OK);
    struct seq_run_opts o = {.share_dir = ".", .today = today, .now = now};
    struct seq_result res;
    sent(st, lid, "helene@example.fr", "lcmtui.1.1@lcm.example", now - 10 * 86400);
    assert_int_equal(sequence_run(st, &sc, &o, &res, &err), LCM_OK);
    assert_int_equal(res.drafts, 0); /* one unanswered message only */
    sent(st, lid, "helene@example.fr", "lcmtui.2.1@lcm.example", now - 5 * 86400);
    assert_int_equal(sequence_run(st, &sc, &o, &res, &err), LCM_OK);
    if (res.failed)
        fail_msg("%s", res.err_first);
    assert_int_equal(res.drafts, 1);
    assert_int_equal(res.queued, 0);
    struct store_msg_row m;
    int64_t mid = 0;
    struct store_msg_counts mc;
    assert_int_equal(store_message_counts(st, &mc, &err), LCM_OK);
    assert_int_equal(mc.draft, 1);
    mid = 3; /* the two sent, then the draft */
    assert_int_equal(store_message_get(st, mid, &m, &err), LCM_OK);
    assert_string_equal(m.status, "draft");
    assert_string_equal(m.to_addr, "marc.chef@acme.example");
    assert_string_equal(m.template_name, "escalate_manager");
    assert_non_null(strstr(m.body, "Marc Chef"));
    assert_non_null(strstr(m.body, "2"));
    assert_null(strstr(m.body, "PRIVATE"));
    store_message_row_clear(&m);
    /* once per episode */
    assert_int_equal(sequence_run(st, &sc, &o, &res, &err), LCM_OK);
    assert_int_equal(res.drafts, 0);
    sequence_config_free(&sc);
    config_free(&cfg);
    /* auto = true is refused */
    assert_int_equal(config_load_string(&cfg, "c",
                                        "sequences = { rules = ( { name = \"esc\"; on = "
                                        "\"escalate\"; auto = true; } ); };",
                                        NULL, &err),
                     LCM_OK);
    assert_int_equal(sequence_config_load(&cfg, &sc, NULL, &err), LCM_ERR_CONFIG);
    assert_non_null(strstr(err.msg, "draft"));
    config_free(&cfg);
    store_close(&st);
}

/* The reply's threading headers, and no header smuggled through them. */
static void test_mime_threading_headers(void **state)
{
    (void)state;
    struct lcm_err err = {0};
    struct mail_msg m = {.from_addr = "lcm@lcm.example",
                         .to_addr = "helene@example.fr",
                         .subject = "Re: x",
                         .body = "ok\n",
                         .message_id = "<lcmtui.3.1@lcm.example>",
                         .in_reply_to = "<r1@example.fr>",
                         .references = "<a@x> <r1@example.fr>",
                         .date = now};
    char *out = NULL;
    size_t len = 0;
    assert_int_equal(mail_mime_build(&m, &out, &len, &err), LCM_OK);
    assert_non_null(strstr(out, "\r\nIn-Reply-To: <r1@example.fr>\r\n"));
    assert_non_null(strstr(out, "\r\nReferences: <a@x>\r\n <r1@example.fr>\r\n"));
    assert_true(mail_mime_longest_header(out) <= 78);
    free(out);
    m.in_reply_to = "<r1@example.fr>\r\nBcc: evil@x";
    assert_int_equal(mail_mime_build(&m, &out, &len, &err), LCM_ERR_INVALID);
    m.in_reply_to = NULL;
    m.references = "not-an-id";
    assert_int_equal(mail_mime_build(&m, &out, &len, &err), LCM_ERR_INVALID);
}

/* The `inbox` group: required keys, STARTTLS, plain IMAP only on loopback. */
static void test_inbox_config(void **state)
{
    (void)state;
    struct lcm_err err = {0};
    struct lcm_config cfg;
    struct imap_server srv;
    assert_int_equal(config_load_string(&cfg, "c", "", NULL, &err), LCM_OK);
    assert_int_equal(imap_server_from_config(&cfg, &srv, NULL, &err), LCM_ERR_CONFIG);
    assert_non_null(strstr(err.msg, "inbox.url"));
    config_free(&cfg);
    assert_int_equal(config_load_string(&cfg, "c",
                                        "inbox = { url = \"imap://mail.example/\"; username = "
                                        "\"lcm\"; password_env = \"T_INBOX_PW\"; };",
                                        NULL, &err),
                     LCM_OK);
    setenv("T_INBOX_PW", "pw s3cret", 1);
    assert_int_equal(imap_server_from_config(&cfg, &srv, NULL, &err), LCM_OK);
    assert_true(srv.require_tls);
    assert_string_equal(srv.url, "imap://mail.example");
    assert_string_equal(srv.folder, "INBOX");
    assert_string_equal(srv.password, "pw s3cret");
    assert_int_equal(srv.max_size, 10 << 20);
    imap_server_free(&srv);
    config_free(&cfg);
    assert_int_equal(config_load_string(&cfg, "c",
                                        "inbox = { url = \"imap://mail.example\"; username = "
                                        "\"lcm\"; require_tls = false; };",
                                        NULL, &err),
                     LCM_OK);
    assert_int_equal(imap_server_from_config(&cfg, &srv, NULL, &err), LCM_ERR_CONFIG);
    assert_non_null(strstr(err.msg, "loopback"));
    config_free(&cfg);
    assert_int_equal(config_load_string(&cfg, "c",
                                        "inbox = { url = \"imap://127.0.0.1:1143\"; username = "
                                        "\"lcm\"; require_tls = false; folder = \"A\\\"B\"; };",
                                        NULL, &err),
                     LCM_OK);
    assert_int_equal(imap_server_from_config(&cfg, &srv, NULL, &err), LCM_ERR_CONFIG);
    assert_non_null(strstr(err.msg, "folder"));
    config_free(&cfg);
    assert_true(imap_url_is_loopback("imap://127.0.0.1:1143"));
    assert_true(imap_url_is_loopback("imap://localhost"));
    assert_true(imap_url_is_loopback("imap://[::1]:143"));
    assert_false(imap_url_is_loopback("imap://127.example.com"));
    assert_false(imap_url_is_loopback("imap://localhost.evil.example"));
    assert_false(imap_url_is_loopback(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reply_matched_once),
        cmocka_unit_test(test_reply_counts_in_effect),
        cmocka_unit_test(test_known_address_stranger_auto_bounce),
        cmocka_unit_test(test_reply_forward_trainer_answer),
        cmocka_unit_test(test_close_and_not_a_question),
        cmocka_unit_test(test_escalate_manager),
    };
    const struct CMUnitTest plain[] = {
        cmocka_unit_test(test_mime_threading_headers),
        cmocka_unit_test(test_inbox_config),
    };
    int rc;
    SFX_RUN_BOTH(rc, tests, setup, NULL);
    return rc + _cmocka_run_group_tests("plain", plain, 2, setup, NULL);
}
