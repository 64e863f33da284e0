/* test_privacy.c — retention on both engines (store_privacy.c): a purge of the enrolments
 * ended long ago leaves the report's figures as they were (every format, the scan on one
 * connection and in parallel, a period of whole weeks), removes their daily activity, notes
 * and sent bodies and nothing of the others, changes nothing when run again, and does not
 * count twice a day an LMS sends again after it. The check-ins stay append-only outside it. */
#include "testutil.h"

#include "store_fixture.h"

#include "base/day.h"
#include "report/kpi.h"
#include "report/report.h"
#include "store/store.h"
#include "store/store_internal.h"
#include "store/store_effect.h"
#include "store/store_privacy.h"
#include "demo/demo.h"

#define TODAY day_from_ymd(2026, 12, 3)
#define NOW ((int64_t)day_to_time(TODAY) + 9 * 3600)
#define KEEP 30 /* privacy.retention_days */
#define ENDED "status <> 'active' AND ended_day < '2026-11-03'"

struct fx {
    char dir[256], path[1200];
    struct lcm_store *st;
};

static void open_demo(struct fx *x)
{
    tu_tmpdir(x->dir);
    snprintf(x->path, sizeof x->path, "%s/privacy.db", x->dir);
    sfx_path(x->path, sizeof x->path);
    struct lcm_err err = {0};
    assert_int_equal(store_open(x->path, &x->st, &err), LCM_OK);
    struct demo_opts o;
    demo_opts_init(&o, TODAY);
    assert_int_equal(demo_generate(x->st, &o, NULL, NULL, &err), LCM_OK);
}

static void close_fx(struct fx *x)
{
    store_close(&x->st);
    tu_rmdir(x->dir);
}

static int64_t count(struct lcm_store *st, const char *sql)
{
    struct lcm_err err = {0};
    struct db_stmt *s = db_prepare_new(st->db, sql, &err);
    if (!s)
        fail_msg("%s: %s", sql, err.msg);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t n = db_column_int64(s, 0);
    db_finalize(&s);
    return n;
}

static void exec(struct lcm_store *st, const char *sql)
{
    struct lcm_err err = {0};
    if (db_exec(st->db, sql, &err) != LCM_OK)
        fail_msg("%s: %s", sql, err.msg);
}

/* The report in format fmt over [from, to], threads scan threads, without the purge's own
 * line (malloc'ed). */
static char *render(struct lcm_store *st, const char *fmt, int from, int to, int threads)
{
    struct kpi_filter f = {.from_day = from, .to_day = to};
    struct kpi_options ko = {.learners = true, .threads = threads};
    struct kpi_result r;
    struct lcm_err err = {0};
    assert_int_equal(kpi_compute(st, &f, TODAY, &ko, &r, &err), LCM_OK);
    struct report_options ro = {.format = report_format_parse(fmt), .today = TODAY};
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    assert_int_equal(report_write(m, &r, &ro, &err), LCM_OK);
    fclose(m);
    kpi_result_free(&r);
    /* drop the lines that name the purge */
    char *out = calloc(1, len + 1), *o = out;
    for (char *line = buf; *line;) {
        char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line + 1) : strlen(line);
        char keep = line[n];
        line[n] = '\0';
        bool purge_line = strstr(line, "data purged") != NULL;
        line[n] = keep;
        if (!purge_line) {
            memcpy(o, line, n);
            o += n;
        }
        line += n;
    }
    free(buf);
    return out;
}

#define N_VIEWS 5
static void views(struct lcm_store *st, char *v[N_VIEWS])
{
    v[0] = render(st, "md", DAY_NONE, DAY_NONE, 0);
    v[1] = render(st, "csv", DAY_NONE, DAY_NONE, 2);
    v[2] = render(st, "html", DAY_NONE, DAY_NONE, 1);
    /* whole weeks: Monday 2026-09-14 to Sunday 2026-11-01 */
    v[3] = render(st, "csv", day_from_ymd(2026, 9, 14), day_from_ymd(2026, 11, 1), 2);
    v[4] = render(st, "csv", day_from_ymd(2026, 9, 14), day_from_ymd(2026, 11, 1), 0);
}

static void test_purge_keeps_figures(void **state)
{
    (void)state;
    struct fx x;
    open_demo(&x);
    int64_t ended = count(x.st, "SELECT count(*) FROM enrollment WHERE " ENDED);
    int64_t their_days = count(x.st, "SELECT count(*) FROM activity_day WHERE enrollment_id IN "
                                     "(SELECT id FROM enrollment WHERE " ENDED ")");
    int64_t other_days = count(x.st, "SELECT count(*) FROM activity_day") - their_days;
    int64_t other_notes =
        count(x.st, "SELECT count(*) FROM checkin WHERE note IS NOT NULL AND "
                    "enrollment_id NOT IN (SELECT id FROM enrollment WHERE " ENDED ")");
    assert_true(ended > 0 && their_days > 0 && other_days > 0);
    /* the xAPI source's running totals of one ended and one running enrolment */
    char sql[600];
    int64_t gone = count(x.st, "SELECT min(id) FROM enrollment WHERE " ENDED);
    int64_t kept = count(x.st, "SELECT min(id) FROM enrollment WHERE status = 'active'");
    snprintf(sql, sizeof sql,
             "INSERT INTO sync_value (source, item_id, value) VALUES "
             "('lrs', 'day:%lld:2026-09-01', '1 2 3'), ('lrs', 'day:%lld:2026-09-01', '1 2 3'),"
             "('lrs', 'day:x:1', 'odd')",
             (long long)gone, (long long)kept);
    exec(x.st, sql);
    char *before[N_VIEWS], *after[N_VIEWS];
    views(x.st, before);
    struct store_privacy_counts c;
    struct lcm_err err = {0};
    assert_int_equal(store_privacy_purge(x.st, TODAY, 0, NOW, false, &c, &err), LCM_ERR_USAGE);
    /* a dry run counts and changes nothing */
    assert_int_equal(store_privacy_purge(x.st, TODAY, KEEP, NOW, true, &c, &err), LCM_OK);
    assert_int_equal(c.enrollments, ended);
    assert_int_equal(c.activity_rows, their_days);
    assert_int_equal(count(x.st, "SELECT count(*) FROM activity_week"), 0);
    assert_int_equal(count(x.st, "SELECT count(*) FROM privacy_purge"), 0);
    assert_int_equal(store_privacy_purge(x.st, TODAY, KEEP, NOW, false, &c, &err), LCM_OK);
    assert_int_equal(c.enrollments, ended);
    assert_int_equal(c.activity_rows, their_days);
    assert_true(c.weeks > 0 && c.weeks < their_days);
    assert_int_equal(count(x.st, "SELECT count(*) FROM activity_day WHERE enrollment_id IN "
                                 "(SELECT id FROM enrollment WHERE " ENDED ")"),
                     0);
    assert_int_equal(count(x.st, "SELECT count(*) FROM activity_day"), other_days);
    assert_int_equal(count(x.st, "SELECT count(*) FROM checkin WHERE (note IS NOT NULL OR "
                                 "next_step IS NOT NULL) AND enrollment_id IN "
                                 "(SELECT id FROM enrollment WHERE " ENDED ")"),
                     0);
    assert_int_equal(count(x.st,
                           "SELECT count(*) FROM checkin WHERE note IS NOT NULL AND "
                           "enrollment_id NOT IN (SELECT id FROM enrollment WHERE " ENDED ")"),
                     other_notes);
    assert_int_equal(count(x.st, "SELECT count(*) FROM enrollment WHERE purged_day IS NOT NULL"),
                     ended);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM sync_value WHERE item_id = 'day:%lld:2026-09-01'",
             (long long)gone);
    assert_int_equal(count(x.st, sql), 0);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM sync_value WHERE item_id = 'day:%lld:2026-09-01'",
             (long long)kept);
    assert_int_equal(count(x.st, sql), 1);
    assert_int_equal(count(x.st, "SELECT count(*) FROM sync_value WHERE item_id = 'day:x:1'"), 1);
    views(x.st, after);
    for (int i = 0; i < N_VIEWS; i++) {
        if (strcmp(before[i], after[i]) != 0)
            fail_msg("view %d differs after the purge:\n--- before\n%s\n--- after\n%s", i,
                     before[i], after[i]);
        free(after[i]);
    }
    /* the report says it */
    struct kpi_filter f = {.from_day = DAY_NONE, .to_day = DAY_NONE};
    struct kpi_options ko = {0};
    struct kpi_result r;
    assert_int_equal(kpi_compute(x.st, &f, TODAY, &ko, &r, &err), LCM_OK);
    assert_int_equal(r.purged, ended);
    assert_int_equal(r.purge_days, KEEP);
    kpi_result_free(&r);
    /* again: nothing to do, the same figures */
    assert_int_equal(store_privacy_purge(x.st, TODAY, KEEP, NOW, false, &c, &err), LCM_OK);
    assert_int_equal(c.enrollments, 0);
    assert_int_equal(c.activity_rows, 0);
    assert_int_equal(c.notes, 0);
    views(x.st, after);
    for (int i = 0; i < N_VIEWS; i++) {
        if (strcmp(before[i], after[i]) != 0)
            fail_msg("view %d differs after a second purge", i);
        free(before[i]);
        free(after[i]);
    }
    close_fx(&x);
}

/* An LMS that sends a purged day again (a full re-sync) does not make it count twice; a new
 * day adds to its week. */
static void test_days_sent_again(void **state)
{
    (void)state;
    struct fx x;
    open_demo(&x);
    struct lcm_err err = {0};
    struct store_privacy_counts c;
    int64_t eid = count(x.st, "SELECT min(e.id) FROM enrollment e WHERE " ENDED
                              " AND EXISTS (SELECT 1 FROM activity_day a WHERE a.enrollment_id "
                              "= e.id AND a.sessions > 0)");
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT day FROM activity_day WHERE enrollment_id = %lld AND sessions > 0 "
             "ORDER BY day LIMIT 1",
             (long long)eid);
    struct db_stmt *s = db_prepare_new(x.st->db, sql, &err);
    assert_int_equal(db_step(s), DB_ROW);
    char day[16];
    snprintf(day, sizeof day, "%s", db_column_text(s, 0));
    db_finalize(&s);
    assert_int_equal(store_privacy_purge(x.st, TODAY, KEEP, NOW, false, &c, &err), LCM_OK);
    snprintf(sql, sizeof sql, "SELECT sum(sessions) FROM activity_week WHERE enrollment_id = %lld",
             (long long)eid);
    int64_t sessions = count(x.st, sql);
    char *before = render(x.st, "csv", DAY_NONE, DAY_NONE, 0);
    char ins[512];
    snprintf(ins, sizeof ins,
             "INSERT INTO activity_day (learner_id, enrollment_id, day, sessions, minutes) "
             "SELECT learner_id, id, '%s', 5, 50 FROM enrollment WHERE id = %lld",
             day, (long long)eid);
    exec(x.st, ins);
    assert_int_equal(store_privacy_purge(x.st, TODAY, KEEP, NOW, false, &c, &err), LCM_OK);
    assert_int_equal(c.enrollments, 1);
    assert_int_equal(c.activity_rows, 1);
    assert_int_equal(count(x.st, sql), sessions);
    char *again = render(x.st, "csv", DAY_NONE, DAY_NONE, 0);
    assert_string_equal(before, again);
    free(before);
    free(again);
    /* a day the week did not have: counted once */
    snprintf(ins, sizeof ins,
             "INSERT INTO activity_day (learner_id, enrollment_id, day, sessions, minutes) "
             "SELECT learner_id, id, '2026-06-01', 2, 20 FROM enrollment WHERE id = %lld",
             (long long)eid);
    exec(x.st, ins);
    assert_int_equal(store_privacy_purge(x.st, TODAY, KEEP, NOW, false, &c, &err), LCM_OK);
    assert_int_equal(count(x.st, sql), sessions + 2);
    close_fx(&x);
}

/* Sent bodies go, queued ones stay; the check-ins stay append-only outside a purge. */
static void test_bodies_and_append_only(void **state)
{
    (void)state;
    struct fx x;
    open_demo(&x);
    int64_t eid = count(x.st, "SELECT min(id) FROM enrollment WHERE " ENDED);
    int64_t lid = count(x.st, "SELECT min(learner_id) FROM enrollment WHERE " ENDED);
    char sql[1024];
    snprintf(sql, sizeof sql,
             "INSERT INTO message (learner_id, enrollment_id, subject, body, status, created_at, "
             "updated_at, att_data) VALUES (%lld, %lld, 's', 'SENT-BODY', 'sent', 1, 1, 'ICS'),"
             "(%lld, %lld, 's', 'QUEUED-BODY', 'queued', 1, 1, NULL);"
             "INSERT INTO checkin (learner_id, enrollment_id, at, channel, note, next_step) VALUES"
             " (%lld, %lld, 5, 'call', 'NOTE', 'STEP')",
             (long long)lid, (long long)eid, (long long)lid, (long long)eid, (long long)lid,
             (long long)eid);
    exec(x.st, sql);
    struct lcm_err err = {0};
    /* outside a purge nobody clears a note */
    assert_int_not_equal(db_exec(x.st->db, "UPDATE checkin SET note = NULL", &err), LCM_OK);
    struct store_privacy_counts c;
    assert_int_equal(store_privacy_purge(x.st, TODAY, KEEP, NOW, false, &c, &err), LCM_OK);
    assert_true(c.bodies >= 1);
    assert_int_equal(count(x.st, "SELECT count(*) FROM message WHERE body = 'SENT-BODY' OR "
                                 "att_data = 'ICS'"),
                     0);
    assert_int_equal(count(x.st, "SELECT count(*) FROM message WHERE body = 'QUEUED-BODY'"), 1);
    assert_int_equal(count(x.st, "SELECT count(*) FROM checkin WHERE note = 'NOTE' OR "
                                 "next_step = 'STEP'"),
                     0);
    assert_int_equal(count(x.st, "SELECT count(*) FROM checkin WHERE channel = 'call' AND at = 5"),
                     1);
    /* even for a purged enrolment, a note cannot be changed or a check-in removed */
    snprintf(sql, sizeof sql, "UPDATE checkin SET note = 'x' WHERE enrollment_id = %lld",
             (long long)eid);
    assert_int_not_equal(db_exec(x.st->db, sql, &err), LCM_OK);
    snprintf(sql, sizeof sql, "DELETE FROM checkin WHERE enrollment_id = %lld", (long long)eid);
    assert_int_not_equal(db_exec(x.st->db, sql, &err), LCM_OK);
    close_fx(&x);
}

/* The outreach effect (outbox stats, the holdout's comparison) of messages to a learner whose
 * enrolment is purged reads the visit days the weekly rows keep: the same figures after. */
static enum lcm_status put_effect(void *ctx, const struct store_effect *e)
{
    char *out = ctx;
    size_t n = strlen(out);
    snprintf(out + n, 4096 - n, "%s %lld %lld %lld %lld %lld\n", e->name, (long long)e->sent,
             (long long)e->due3, (long long)e->back3, (long long)e->due7, (long long)e->back7);
    return LCM_OK;
}

static enum lcm_status put_holdout(void *ctx, const struct store_holdout *h)
{
    char *out = ctx;
    for (int w = 0; w < STORE_HOLDOUT_WINDOWS; w++) {
        size_t n = strlen(out);
        snprintf(out + n, 4096 - n, "%s w%d %lld/%lld vs %lld/%lld\n", h->name, w,
                 (long long)h->treated.back[w], (long long)h->treated.due[w],
                 (long long)h->held.back[w], (long long)h->held.due[w]);
    }
    return LCM_OK;
}

static void effects(struct lcm_store *st, char out[4096])
{
    struct lcm_err err = {0};
    out[0] = '\0';
    assert_int_equal(store_effect_by_template(st, TODAY, put_effect, out, &err), LCM_OK);
    assert_int_equal(store_effect_holdout(st, TODAY, false, put_holdout, out, &err), LCM_OK);
}

static void test_purge_keeps_outreach_effect(void **state)
{
    (void)state;
    struct fx x;
    open_demo(&x);
    /* an ended enrolment's first visit day V: a message sent two days before, and the same
     * learner held out by a rule on that day (they came back within 3 days either way) */
    int64_t eid = count(x.st, "SELECT min(e.id) FROM enrollment e WHERE " ENDED
                              " AND EXISTS (SELECT 1 FROM activity_day a WHERE a.enrollment_id ="
                              " e.id AND a.sessions > 0)");
    char sql[1024];
    snprintf(sql, sizeof sql, "SELECT learner_id FROM enrollment WHERE id = %lld", (long long)eid);
    int64_t lid = count(x.st, sql);
    snprintf(sql, sizeof sql,
             "SELECT min(day) FROM activity_day WHERE enrollment_id = %lld AND sessions > 0",
             (long long)eid);
    struct lcm_err err = {0};
    struct db_stmt *s = db_prepare_new(x.st->db, sql, &err);
    assert_int_equal(db_step(s), DB_ROW);
    int v = DAY_NONE;
    assert_true(day_parse(db_column_text(s, 0), &v));
    db_finalize(&s);
    char sent[DAY_TEXT_LEN];
    day_format(v - 2, sent);
    int64_t at = (int64_t)day_to_time(v - 2) + 12 * 3600;
    snprintf(sql, sizeof sql,
             "INSERT INTO message (learner_id, enrollment_id, subject, body, status, created_at, "
             "updated_at, sent_at, template, rule) VALUES (%lld, %lld, 's', 'b', 'sent', %lld, "
             "%lld, %lld, 'probe', 'probe_rule');"
             "INSERT INTO sequence_holdout (rule, enrollment_id, learner_id, key, day, template) "
             "VALUES ('probe_rule', %lld, %lld, 'k', '%s', 'probe')",
             (long long)lid, (long long)eid, (long long)at, (long long)at, (long long)at,
             (long long)eid, (long long)lid, sent);
    exec(x.st, sql);
    char before[4096], after[4096];
    effects(x.st, before);
    assert_non_null(strstr(before, "probe 1 1 1 1 1\n"));          /* came back within 3 days */
    assert_non_null(strstr(before, "probe_rule w0 0/0 vs 1/1\n")); /* the held-out one too */
    struct store_privacy_counts c;
    assert_int_equal(store_privacy_purge(x.st, TODAY, KEEP, NOW, false, &c, &err), LCM_OK);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM activity_day WHERE enrollment_id = %lld",
             (long long)eid);
    assert_int_equal(count(x.st, sql), 0);
    effects(x.st, after);
    assert_string_equal(before, after);
    close_fx(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_purge_keeps_figures),
        cmocka_unit_test(test_purge_keeps_outreach_effect),
        cmocka_unit_test(test_days_sent_again),
        cmocka_unit_test(test_bodies_and_append_only),
    };
    int rc;
    SFX_RUN_BOTH(rc, tests, NULL, NULL);
    return rc;
}
