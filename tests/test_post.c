/* test_post.c — scheduled posts (issue 20): the content calendar's front matter parser
 * (hostile input included), the channel chosen per cohort / programme, drafting and
 * scheduling (never due before its time, back-off), the claim taken once and an interrupted
 * post never resent, the calendar queued once per content, posts in the learner's timeline. */
#include "testutil.h"

#include "store_fixture.h"

#include <sys/stat.h>

#include "base/config.h"
#include "base/day.h"
#include "msg/post.h"
#include "msg/post_file.h"
#include "msg/webhook.h"
#include "store/store.h"
#include "store/store_entity.h"
#include "store/store_message.h"
#include "store/store_post.h"
#include "store/store_view_detail.h"

static int today;
static int64_t now;

static int setup(void **state)
{
    (void)state;
    today = day_from_ymd(2026, 12, 3);
    now = day_to_time(today) + 10 * 3600;
    return 0;
}

static enum lcm_status parse(const char *text, struct post_file *f, struct lcm_err *err)
{
    return post_file_parse("p.md", text, strlen(text), today, now, f, err);
}

/* Parses text, expects a failure whose message starts with want; and no escape byte in it. */
static void bad(const char *text, const char *want)
{
    struct post_file f;
    struct lcm_err err = {0};
    assert_int_equal(parse(text, &f, &err), LCM_ERR_PARSE);
    if (strncmp(err.msg, want, strlen(want)) != 0)
        fail_msg("for %s\nexpected %s\ngot      %s", text, want, err.msg);
    assert_null(strchr(err.msg, '\x1b'));
    assert_null(f.body); /* cleared */
    assert_null(f.cohort);
}

static void test_front_matter_good(void **state)
{
    (void)state;
    struct post_file f;
    struct lcm_err err = {0};
    assert_int_equal(parse("---\n# a comment\nat: 2026-12-07 09:00\ncohort: FR-B1\n"
                           "title: \"Question : « used to »\"\n---\n\n\nLe texte\n\nsuite\n\n",
                           &f, &err),
                     LCM_OK);
    assert_int_equal(f.at, day_to_time(day_from_ymd(2026, 12, 7)) + 9 * 3600);
    assert_string_equal(f.cohort, "FR-B1");
    assert_null(f.program);
    assert_string_equal(f.title, "Question : « used to »");
    assert_string_equal(f.body, "Le texte\n\nsuite");
    assert_int_equal(f.target_line, 4);
    post_file_clear(&f);
    /* CRLF, a byte order mark, a date alone (09:00), program, single quotes */
    assert_int_equal(
        parse("\xEF\xBB\xBF---\r\nprogram: 'ENG'\r\nat: 2026-12-08\r\n---\r\nHi\r\n", &f, &err),
        LCM_OK);
    assert_string_equal(f.program, "ENG");
    assert_int_equal(f.at, day_to_time(day_from_ymd(2026, 12, 8)) + 9 * 3600);
    assert_string_equal(f.body, "Hi");
    post_file_clear(&f);
}

static void test_front_matter_bad(void **state)
{
    (void)state;
    struct post_file f;
    struct lcm_err err = {0};
    assert_int_equal(post_file_parse("p.md", NULL, 0, today, now, &f, &err), LCM_ERR_PARSE);
    bad("", "p.md:1: empty file");
    bad("hello\n", "p.md:1: a post file starts with a line ---");
    bad("---\nat: 2026-12-07 09:00\ncohort: A\n", "p.md:1: the front matter does not end");
    bad("---\nat: 2026-12-07\ncohort: A\nplace: salle 4\n---\nx\n",
        "p.md:4: unknown key \"place\"");
    bad("---\nat: 2026-12-07\nat: 2026-12-08\ncohort: A\n---\nx\n", "p.md:3: \"at\" given twice");
    bad("---\ncohort: A\n---\nx\n", "p.md:3: no \"at:\"");
    bad("---\nat: 2026-12-07\n---\nx\n", "p.md:3: give either \"cohort:\" or \"program:\"");
    bad("---\nat: 2026-12-07\ncohort: A\nprogram: B\n---\nx\n", "p.md:5: give either");
    /* relative dates would move each day the file is read again */
    bad("---\nat: lundi 9h\ncohort: A\n---\nx\n", "p.md:4: at: \"lundi 9h\" is not a date");
    bad("---\nat: 2026-02-30 09:00\ncohort: A\n---\nx\n", "p.md:4: at: \"2026-02-30 09:00\"");
    bad("---\nat: 2026-12-07 25:00\ncohort: A\n---\nx\n", "p.md:4: at: ");
    bad("---\nat: 2026-12-07\ncohort: A\n---\n\n  \n", "p.md:4: post: empty text");
    bad("---\nat: 2026-12-07\ncohort:\n---\nx\n", "p.md:3: \"cohort\" is empty");
    bad("---\nat: 2026-12-07\ncohort: \"A\n---\nx\n", "p.md:3: the value of \"cohort\"");
    /* hostile: escape sequences in a value or a key, NUL bytes, invalid UTF-8 */
    bad("---\nat: 2026-12-07\ncohort: A\x1b]0;pwn\x07\n---\nx\n",
        "p.md:3: the value of \"cohort\"");
    bad("---\nat: 2026-12-07\n\x1b[2J: A\n---\nx\n", "p.md:3: expected \"key: value\"");
    bad("---\nat: 2026-12-07\ntitle: a\tb\ncohort: A\n---\nx\n", "p.md:3: the value of \"title\"");
    bad("---\nat: 2026-12-07\ncohort: A\n---\ncaf\xC3\n", "p.md:1: the file is not valid UTF-8");
    assert_int_equal(post_file_parse("p.md", "---\n\0x", 6, today, now, &f, &err), LCM_ERR_PARSE);
    assert_non_null(strstr(err.msg, "NUL byte"));
    /* the text need not end with a NUL byte (found by fuzz_post_file: a read past the end) */
    char *raw = malloc(3);
    memcpy(raw, "---", 3);
    assert_int_equal(post_file_parse("p.md", raw, 3, today, now, &f, &err), LCM_ERR_PARSE);
    assert_non_null(strstr(err.msg, "p.md:1: the front matter does not end"));
    free(raw);
    /* a body over the webhook's limit */
    size_t n = WEBHOOK_MAX_TEXT + 100;
    char *big = malloc(n + 64);
    int o = sprintf(big, "---\nat: 2026-12-07\ncohort: A\n---\n");
    memset(big + o, 'x', n);
    big[o + n] = '\0';
    assert_int_equal(parse(big, &f, &err), LCM_ERR_PARSE);
    assert_non_null(strstr(err.msg, "p.md:5: post: text longer than"));
    free(big);
}

static void test_check_text_and_title(void **state)
{
    (void)state;
    struct lcm_err err = {0};
    assert_int_equal(post_check(NULL, NULL, &err), LCM_ERR_INVALID);
    assert_int_equal(post_check(NULL, "", &err), LCM_ERR_INVALID);
    assert_int_equal(post_check(NULL, "caf\xC3", &err), LCM_ERR_INVALID);
    assert_int_equal(post_check("a\nb", "x", &err), LCM_ERR_INVALID);
    assert_int_equal(post_check("a\x1b[2Jb", "x", &err), LCM_ERR_INVALID);
    assert_int_equal(post_check("Débat", "Texte\navec \x1b[31m couleurs", &err), LCM_OK);
    assert_int_equal(post_backoff(60, 1), 60);
    assert_int_equal(post_backoff(60, 3), 240);
    assert_int_equal(post_backoff(3600, 20), 6 * 3600);
}

/* The channel: the cohort's entry, else its programme's, else `webhook`. */
static void test_channel_per_cohort_and_program(void **state)
{
    (void)state;
    struct lcm_config cfg;
    struct lcm_err err = {0};
    assert_int_equal(
        config_load_string(&cfg, "t.conf",
                           "webhook: { url = \"http://d/x\"; };\n"
                           "webhooks = ( { cohort = \"B1\"; url = \"http://b1/x\"; },\n"
                           "  { program = \"Anglais\"; url = \"http://eng/x\"; },\n"
                           "  { cohort = \"NOURL\"; } );\n",
                           NULL, &err),
        LCM_OK);
    char label[64];
    const config_setting_t *def = config_section(&cfg, "webhook");
    const config_setting_t *c =
        webhook_channel(&cfg, "B1", "Cohorte B1", "ENG", "Anglais", label, sizeof label);
    assert_string_equal(label, "cohort B1");
    assert_ptr_not_equal(c, def);
    c = webhook_channel(&cfg, "B2", "Cohorte B1", "ENG", "Anglais", label, sizeof label);
    assert_string_equal(label, "program Anglais"); /* by the programme's name */
    /* a programme's own post never takes a cohort's channel */
    c = webhook_channel(&cfg, NULL, NULL, "ENG", "Anglais", label, sizeof label);
    assert_string_equal(label, "program Anglais");
    c = webhook_channel(&cfg, "X", "X", "DEV", "Python", label, sizeof label);
    assert_string_equal(label, "webhook");
    assert_ptr_equal(c, def);
    assert_int_equal(webhook_check(&cfg, c, &err), LCM_OK);
    c = webhook_channel(&cfg, "NOURL", NULL, "DEV", "Python", label, sizeof label);
    assert_int_equal(webhook_check(&cfg, c, &err), LCM_ERR_CONFIG);
    if (!strstr(err.msg, ":4: this webhooks entry has no url")) /* file:line of the entry */
        fail_msg("%s", err.msg);
    int max, base;
    assert_int_equal(webhook_retry_policy(&cfg, &max, &base, &err), LCM_OK);
    assert_int_equal(max, 8);
    assert_int_equal(base, 300);
    config_free(&cfg);
}

/* A `webhooks` entry's url is a secret like webhook.url: a config others can read warns; the
 * list's keys are checked (an unknown one warned). */
static void test_webhooks_url_is_secret(void **state)
{
    (void)state;
    char dir[256], path[512];
    tu_tmpdir(dir);
    tu_write(dir, "config",
             "webhooks = ( { cohort = \"B1\"; url = \"https://hooks.example/T0/B0/s3cr3t\"; } );\n",
             path);
    chmod(path, 0644);
    struct lcm_config cfg;
    struct lcm_err err = {0};
    struct tu_reports rep = {0};
    struct lcm_report r = {tu_report_fn, &rep};
    assert_int_equal(config_load(&cfg, path, true, &r, &err), LCM_OK);
    assert_int_equal(rep.warnings, 1);
    assert_non_null(strstr(rep.text, "readable by others; run chmod 600"));
    assert_null(strstr(rep.text, "s3cr3t"));
    config_free(&cfg);
    tu_write(dir, "config2",
             "webhooks = ( { cohort = \"B1\"; url_env = \"X\"; chanel = \"#typo\"; } );\n", path);
    chmod(path, 0600);
    memset(&rep, 0, sizeof rep);
    assert_int_equal(config_load(&cfg, path, true, &r, &err), LCM_OK);
    char label[64];
    const config_setting_t *c = webhook_channel(&cfg, "B1", NULL, "P", "P", label, sizeof label);
    assert_int_equal(webhook_check(&cfg, c, &err), LCM_ERR_CONFIG); /* X is unset */
    struct webhook_result w;
    assert_int_equal(webhook_deliver(&cfg, c, "x", now, &w, &r, &err), LCM_OK);
    assert_int_equal(w.outcome, WEBHOOK_SETUP); /* nothing sent */
    if (!strstr(rep.text, "chanel (ignored)"))
        fail_msg("%s", rep.text);
    config_free(&cfg);
    tu_rmdir(dir);
}

/* A store with programme ENG, cohorts B1 and B2, one learner in B1; *lid the learner. */
static struct lcm_store *seeded(int64_t *lid)
{
    struct lcm_store *st = sfx_open();
    struct lcm_err err = {0};
    int64_t pid, cid, cid2, eid;
    struct lcm_program p = {.source = "t", .ext_id = "ENG", .name = "Anglais"};
    assert_int_equal(store_entity_program_upsert(st, &p, &pid, &err), LCM_OK);
    struct lcm_cohort c = {.program_id = pid,
                           .source = "t",
                           .ext_id = "B1",
                           .name = "Cohorte B1",
                           .start_day = today - 60,
                           .end_day = DAY_NONE};
    assert_int_equal(store_entity_cohort_upsert(st, &c, &cid, &err), LCM_OK);
    c.ext_id = "B2";
    c.name = "Cohorte B2";
    assert_int_equal(store_entity_cohort_upsert(st, &c, &cid2, &err), LCM_OK);
    struct lcm_learner l = {
        .source = "t", .ext_id = "l", .first_name = "Hélène", .email = "helene@example.fr"};
    assert_int_equal(store_entity_learner_upsert(st, &l, lid, &err), LCM_OK);
    struct lcm_enrollment e = {.learner_id = *lid,
                               .cohort_id = cid,
                               .source = "t",
                               .ext_id = "e",
                               .status = ENROLL_ACTIVE,
                               .start_day = today - 60,
                               .expected_end_day = DAY_NONE,
                               .ended_day = DAY_NONE,
                               .last_activity_day = today - 3};
    assert_int_equal(store_entity_enrollment_upsert(st, &e, &eid, &err), LCM_OK);
    return st;
}

static int due_count(struct lcm_store *st, int64_t at, bool ignore_backoff)
{
    int64_t *ids = NULL;
    int n = 0;
    struct lcm_err err = {0};
    assert_int_equal(store_message_due(st, at, ignore_backoff, 0, &ids, &n, &err), LCM_OK);
    free(ids);
    return n;
}

/* Drafted, approved, due only from its time (even with --retry-now), claimed once; a claim
 * left by a dead run becomes failed "unknown:" and is never due again. */
static void test_schedule_claim_once(void **state)
{
    (void)state;
    int64_t lid;
    struct lcm_store *st = seeded(&lid);
    struct lcm_err err = {0};
    int64_t at = now + 2 * 86400, id = 0, id2 = 0;
    struct store_post_target t;
    struct post_req r = {.target = "Cohorte B1", .text = "Bonjour\nà tous", .at = at};
    assert_int_equal(post_draft(st, &r, now, &id, &t, &err), LCM_OK);
    assert_true(t.cohort_id > 0);
    assert_string_equal(t.program_ext, "ENG");
    struct post_req bad_target = {.target = "nope", .text = "x"};
    assert_int_equal(post_draft(st, &bad_target, now, &id2, NULL, &err), LCM_ERR_NOTFOUND);
    struct post_req bad_text = {.target = "B1", .text = "caf\xC3"};
    assert_int_equal(post_draft(st, &bad_text, now, &id2, NULL, &err), LCM_ERR_INVALID);
    struct post_req prog = {.program = true, .target = "#1", .text = "Pour tous"};
    assert_int_equal(post_draft(st, &prog, now, &id2, &t, &err), LCM_OK);
    assert_int_equal(t.cohort_id, 0);

    struct store_msg_row row;
    assert_int_equal(store_message_get(st, id, &row, &err), LCM_OK);
    assert_string_equal(row.channel, "post");
    assert_string_equal(row.status, "draft");
    assert_string_equal(row.to_name, "#Cohorte B1");
    assert_string_equal(row.subject, "Bonjour"); /* the first line */
    assert_int_equal(row.not_before, at);
    assert_int_equal(row.learner_id, 0);
    store_message_row_clear(&row);

    assert_int_equal(due_count(st, at, false), 0); /* drafts are never due */
    int n;
    assert_int_equal(store_message_approve(st, 0, now, &n, &err), LCM_OK);
    assert_int_equal(n, 2);
    assert_int_equal(due_count(st, now, false), 1); /* the programme's post, not the later one */
    assert_int_equal(due_count(st, at - 1, true), 1);
    assert_int_equal(due_count(st, at, false), 2);

    bool claimed = false;
    assert_int_equal(store_message_claim(st, id, NULL, at, &claimed, &err), LCM_OK);
    assert_true(claimed);
    assert_int_equal(store_message_claim(st, id, NULL, at, &claimed, &err), LCM_OK);
    assert_false(claimed); /* a second run cannot take it */
    assert_int_equal(due_count(st, at, false), 1);
    int rec = 0;
    assert_int_equal(store_message_recover(st, "unknown: interrupted", at, &rec, &err), LCM_OK);
    assert_int_equal(rec, 1);
    assert_int_equal(store_message_get(st, id, &row, &err), LCM_OK);
    assert_string_equal(row.status, "failed");
    assert_int_equal(row.attempts, 1);
    store_message_row_clear(&row);
    assert_int_equal(due_count(st, at + 86400, true), 1); /* only the programme's */

    /* a retry waits for its back-off */
    assert_int_equal(store_message_claim(st, id2, NULL, now, &claimed, &err), LCM_OK);
    assert_true(claimed);
    assert_int_equal(store_message_mark_retry(st, id2, "HTTP 500", now + 60, now, &err), LCM_OK);
    assert_int_equal(due_count(st, now + 59, false), 0);
    assert_int_equal(due_count(st, now + 60, false), 1);

    /* the learner of B1 sees the B1 post and the programme's in the timeline, not B2's */
    struct post_req b2 = {.target = "B2", .text = "Pour B2"};
    assert_int_equal(post_draft(st, &b2, now, &id2, NULL, &err), LCM_OK);
    struct view_event *ev = NULL;
    size_t nev = 0;
    assert_int_equal(store_view_detail_timeline(st, lid, 50, &ev, &nev, &err), LCM_OK);
    int posts = 0;
    for (size_t i = 0; i < nev; i++)
        if (strncmp(ev[i].what, "post · ", strlen("post · ")) == 0) {
            posts++;
            assert_string_not_equal(ev[i].text, "Pour B2");
        }
    assert_int_equal(posts, 2);
    store_view_detail_events_free(&ev, nev);
    store_close(&st);
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void on_warn(void *ctx, enum lcm_level level, const char *msg)
{
    char *buf = ctx; /* every warning, one a line */
    if (level == LCM_LEVEL_WARN)
        snprintf(buf + strlen(buf), 2048 - strlen(buf), "%s\n", msg);
}

/* The content calendar: a due file drafted once, a later one waits, a bad one warned and
 * skipped while the others go on, a changed file drafted again with a warning. */
static void test_calendar_once(void **state)
{
    (void)state;
    int64_t lid;
    struct lcm_store *st = seeded(&lid);
    struct lcm_err err = {0};
    struct post_cal_config c = {.lead_days = 2};
    char dir[256];
    tu_tmpdir(dir);
    snprintf(c.dir, sizeof c.dir, "%s", dir);
    write_file(dir, "a.md", "---\nat: 2026-12-04 09:00\ncohort: B1\n---\nLunch !\n");
    write_file(dir, "b.md", "---\nat: 2026-12-04 09:00\ncohort: NOPE\n---\nx\n");
    write_file(dir, "c.txt", "---\nat: 2026-12-20 09:00\nprogram: ENG\n---\nplus tard\n");
    write_file(dir, "d.md", "---\nat: 2026-12-04\n---\nx\n");
    write_file(dir, ".hidden.md", "junk");
    write_file(dir, "e.org", "junk");
    char warn[2048] = "";
    struct lcm_report rep = {on_warn, warn};
    struct post_cal_result res;
    assert_int_equal(post_file_queue(st, &c, today, now, true, NULL, NULL, &res, &rep, &err),
                     LCM_OK);
    assert_int_equal(res.drafted, 1); /* dry run: counted, nothing written */
    struct store_msg_counts k;
    assert_int_equal(store_message_counts(st, &k, &err), LCM_OK);
    assert_int_equal(k.draft, 0);
    assert_int_equal(post_file_queue(st, &c, today, now, false, NULL, NULL, &res, &rep, &err),
                     LCM_OK);
    assert_int_equal(res.drafted, 1);
    assert_int_equal(res.later, 1);
    assert_int_equal(res.bad, 2);
    assert_non_null(strstr(warn, "d.md:3: give either"));
    assert_non_null(strstr(warn, "b.md:3: cohort \"NOPE\" not found"));
    assert_int_equal(
        post_file_queue(st, &c, today, now + 3600, false, NULL, NULL, &res, &rep, &err), LCM_OK);
    assert_int_equal(res.drafted, 0);
    assert_int_equal(res.seen, 1);
    assert_int_equal(store_message_counts(st, &k, &err), LCM_OK);
    assert_int_equal(k.draft, 1);
    write_file(dir, "a.md", "---\nat: 2026-12-04 09:00\ncohort: B1\n---\nLunch à 12h30 !\n");
    warn[0] = '\0';
    assert_int_equal(
        post_file_queue(st, &c, today, now + 7200, false, NULL, NULL, &res, &rep, &err), LCM_OK);
    assert_int_equal(res.drafted, 1);
    assert_int_equal(store_message_counts(st, &k, &err), LCM_OK);
    assert_int_equal(k.draft, 2);
    assert_non_null(strstr(warn, "a.md changed since post #"));
    /* a missing folder is nothing to do */
    snprintf(c.dir, sizeof c.dir, "%s/none", dir);
    assert_int_equal(post_file_queue(st, &c, today, now, false, NULL, NULL, &res, &rep, &err),
                     LCM_OK);
    assert_int_equal(res.drafted + res.bad + res.later, 0);
    store_close(&st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_front_matter_good),
        cmocka_unit_test(test_front_matter_bad),
        cmocka_unit_test(test_check_text_and_title),
        cmocka_unit_test(test_channel_per_cohort_and_program),
        cmocka_unit_test(test_webhooks_url_is_secret),
        cmocka_unit_test(test_schedule_claim_once),
        cmocka_unit_test(test_calendar_once),
    };
    int rc;
    SFX_RUN_BOTH(rc, tests, setup, NULL);
    return rc;
}
