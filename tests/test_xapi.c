/* test_xapi.c — reading xAPI statements from buffers: ISO 8601 durations and times, actors,
 * verbs, cmi5 progress, missing fields, JSON errors; and the sync bookkeeping tables, among
 * them the enrolment's progress a page of statements leaves; and, against the fixture LRS,
 * activity days that do not depend on where the pages fall. */
#include "testutil.h"

#include <math.h>

#include "base/config.h"
#include "base/day.h"
#include "lms_fixture.h"
#include "store/store_entity.h"
#include "store/store_identity.h"
#include "sync/src_xapi.h"
#include "sync/src_xapi_parse.h"
#include "store/store.h"
#include "store/store_sync.h"
#include "sync/identity.h"
#include "sync/sync.h"
#include "sync/sync_job.h"
#include "base/sha1.h"

#include "store_fixture.h"

static void test_duration_null_and_empty(void **state)
{
    (void)state;
    double s = -1;
    assert_false(src_xapi_parse_duration(NULL, &s));
    assert_false(src_xapi_parse_duration("", &s));
    assert_false(src_xapi_parse_duration("P", &s));
    assert_false(src_xapi_parse_duration("PT", &s));
    assert_true(s == -1);
}

static void test_duration_forms(void **state)
{
    (void)state;
    double s;
    assert_true(src_xapi_parse_duration("PT1H2M3.5S", &s));
    assert_true(fabs(s - 3723.5) < 1e-9);
    assert_true(src_xapi_parse_duration("P1DT2H", &s));
    assert_true(fabs(s - 93600) < 1e-9);
    assert_true(src_xapi_parse_duration("PT0S", &s));
    assert_true(s == 0);
    assert_true(src_xapi_parse_duration("PT1.5M", &s));
    assert_true(fabs(s - 90) < 1e-9);
    assert_false(src_xapi_parse_duration("P1Y", &s)); /* ambiguous length */
    assert_false(src_xapi_parse_duration("P2M", &s)); /* months, not minutes */
    assert_false(src_xapi_parse_duration("PT5", &s)); /* no unit */
    assert_false(src_xapi_parse_duration("PT-5S", &s));
    assert_false(src_xapi_parse_duration("1H", &s));
}

static void test_time_parse_and_format(void **state)
{
    (void)state;
    int64_t ms;
    char buf[32];
    assert_false(src_xapi_parse_time(NULL, &ms));
    assert_false(src_xapi_parse_time("", &ms));
    assert_false(src_xapi_parse_time("2026-13-01T00:00:00Z", &ms));
    assert_false(src_xapi_parse_time("2026-09-01T14:13:20Zjunk", &ms));
    assert_true(src_xapi_parse_time("2026-09-01T14:13:20.000Z", &ms));
    assert_int_equal(ms, INT64_C(1788272000000));
    assert_string_equal(src_xapi_parse_time_format(ms, buf, sizeof buf),
                        "2026-09-01T14:13:20.000Z");
    assert_true(src_xapi_parse_time("2026-09-01T16:13:20.5+02:00", &ms));
    assert_int_equal(ms, INT64_C(1788272000500));
    assert_true(src_xapi_parse_time("2026-09-01T14:13:20.123456Z", &ms)); /* microseconds cut */
    assert_int_equal(ms % 1000, 123);
    assert_string_equal(src_xapi_parse_time_format(INT64_C(1788272000000) - 1, buf, sizeof buf),
                        "2026-09-01T14:13:19.999Z");
}

static json_t *load(const char *text)
{
    json_error_t je;
    json_t *v = json_loads(text, 0, &je);
    if (!v)
        fail_msg("bad test JSON: %s", je.text);
    return v;
}

static void test_stmt_account_and_cmi5_progress(void **state)
{
    (void)state;
    json_t *v = load(
        "{\"id\":\"6690e6c9-3ef0-4ed3-8b37-7f3964730bee\","
        "\"actor\":{\"name\":\"Ana de la Cruz\",\"account\":{\"homePage\":\"https://lms.example\","
        "\"name\":\"ana\"}},"
        "\"verb\":{\"id\":\"http://adlnet.gov/expapi/verbs/progressed\"},"
        "\"object\":{\"id\":\"https://lms.example/unit/3\",\"definition\":{\"name\":"
        "{\"fr-FR\":\"Unité 3\"}}},"
        "\"result\":{\"duration\":\"PT10M\",\"extensions\":{"
        "\"http://w3id.org/xapi/cmi5/result/extensions/progress\":45}},"
        "\"timestamp\":\"2026-09-01T10:00:00Z\",\"stored\":\"2026-09-01T10:00:01.250Z\"}");
    struct xapi_stmt s;
    const char *missing = "x";
    assert_true(src_xapi_parse_stmt(v, &s, &missing));
    assert_null(missing);
    assert_string_equal(s.actor_key, "account:https://lms.example|ana");
    assert_string_equal(s.actor_name, "Ana de la Cruz");
    assert_null(s.email);
    assert_string_equal(s.verb, "progressed");
    assert_string_equal(s.object_name, "Unité 3");
    assert_true(fabs(s.progress - 0.45) < 1e-9);
    assert_true(fabs(s.duration_s - 600) < 1e-9);
    assert_true(s.score < 0);
    assert_int_equal(s.time_ms, INT64_C(1788256800000));
    json_decref(v);
}

static void test_stmt_mbox_https_progress_and_score(void **state)
{
    (void)state;
    json_t *v = load("{\"id\":\"a\",\"actor\":{\"mbox\":\"mailto:bo@example.org\"},"
                     "\"verb\":{\"id\":\"http://adlnet.gov/expapi/verbs/passed\"},"
                     "\"object\":{\"id\":\"urn:test:1\"},\"stored\":\"2026-09-01T10:00:00Z\","
                     "\"result\":{\"score\":{\"scaled\":0.8},\"extensions\":{"
                     "\"https://w3id.org/xapi/cmi5/result/extensions/progress\":250}}}");
    struct xapi_stmt s;
    const char *missing;
    assert_true(src_xapi_parse_stmt(v, &s, &missing));
    assert_string_equal(s.actor_key, "mbox:mailto:bo@example.org");
    assert_string_equal(s.email, "bo@example.org");
    assert_true(fabs(s.score - 80) < 1e-9); /* scaled 0.8 is 80 on the store's 0-100 scale */
    assert_true(s.progress == 1.0);         /* clamped */
    assert_int_equal(s.success, -1);
    assert_true(s.duration_s < 0);
    json_decref(v);
}

static void test_stmt_missing_fields_named(void **state)
{
    (void)state;
    static const struct {
        const char *json, *missing;
    } cases[] = {
        {"[]", "statement object"},
        {"{\"actor\":{\"mbox\":\"mailto:a@b\"}}", "id"},
        {"{\"id\":\"1\",\"actor\":{\"name\":\"nobody\"}}", "actor"},
        {"{\"id\":\"1\",\"actor\":{\"mbox\":\"mailto:a@b\"},\"verb\":{}}", "verb.id"},
        {"{\"id\":\"1\",\"actor\":{\"mbox\":\"mailto:a@b\"},\"verb\":{\"id\":\"x/y\"},"
         "\"timestamp\":\"yesterday\"}",
         "timestamp"},
        {"{\"id\":\"1\",\"actor\":{\"mbox\":\"mailto:a@b\"},\"verb\":{\"id\":\"x/y\"},"
         "\"stored\":\"2026-01-01T00:00:00Z\"}",
         "object.id"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *v = load(cases[i].json);
        struct xapi_stmt s;
        const char *missing = NULL;
        assert_false(src_xapi_parse_stmt(v, &s, &missing));
        assert_non_null(missing);
        assert_string_equal(missing, cases[i].missing);
        json_decref(v);
    }
}

static void test_invalid_json_names_line_and_column(void **state)
{
    (void)state;
    json_t *v = (json_t *)1;
    struct lcm_err err;
    const char *body = "{\"statements\": [\n  {\"id\": \"a\"},\n  ,,}";
    assert_int_equal(sync_job_json_parse("xapi", "http://lrs/x", body, strlen(body), &v, &err),
                     LCM_ERR_PARSE);
    assert_null(v);
    assert_non_null(strstr(err.msg, "xapi: invalid JSON at line 3 column 3"));
    assert_non_null(strstr(err.msg, "(http://lrs/x)"));
    assert_int_equal(sync_job_json_parse("xapi", "u", NULL, 0, &v, &err), LCM_ERR_PARSE);
}

struct ids {
    char text[256];
    int n;
};

static enum lcm_status collect_id(void *ctx, const json_t *stmt, size_t index, struct lcm_err *err)
{
    struct ids *ids = ctx;
    (void)err;
    const char *id = json_string_value(json_object_get(stmt, "id"));
    size_t n = strlen(ids->text);
    snprintf(ids->text + n, sizeof ids->text - n, "%zu:%s ", index, id ? id : "?");
    ids->n++;
    return LCM_OK;
}

static enum lcm_status scan_all(const char *body, struct xapi_page *p, struct ids *ids,
                                struct lcm_err *err)
{
    memset(ids, 0, sizeof *ids);
    enum lcm_status rc =
        src_xapi_parse_page_scan(body, body ? strlen(body) : 0, p, "xapi", "U", err);
    if (rc == LCM_OK)
        rc = src_xapi_parse_page_each(p, collect_id, ids, "xapi", "U", err);
    return rc;
}

static void test_page_scan_null_empty_and_shapes(void **state)
{
    (void)state;
    struct xapi_page p;
    struct ids ids;
    struct lcm_err err;
    assert_int_equal(scan_all(NULL, &p, &ids, &err), LCM_ERR_PARSE);
    assert_int_equal(scan_all("", &p, &ids, &err), LCM_ERR_PARSE);
    assert_int_equal(scan_all("[]", &p, &ids, &err), LCM_ERR_PARSE);
    assert_non_null(strstr(err.msg, "expected a StatementResult object"));
    assert_int_equal(scan_all("{\"more\": \"\"}", &p, &ids, &err), LCM_ERR_PARSE);
    assert_string_equal(err.msg, "xapi: StatementResult: missing statements (U)");
    assert_int_equal(scan_all("{\"statements\": []}", &p, &ids, &err), LCM_OK);
    assert_int_equal(ids.n, 0);
    assert_string_equal(p.more, "");
    assert_int_equal(scan_all("{\"statements\": [], \"more\": \"\"} x", &p, &ids, &err),
                     LCM_ERR_PARSE);
    assert_non_null(strstr(err.msg, "end of data expected"));
}

static void test_page_scan_more_first_and_brackets_in_strings(void **state)
{
    (void)state;
    struct xapi_page p;
    struct ids ids;
    struct lcm_err err;
    const char *body = "{ \"more\" : \"/xapi/statements?from=2\",\n"
                       "  \"extra\": {\"a\": [1, {\"b\": null}]},\n"
                       "  \"statements\": [ {\"id\": \"a]}\\\"[\"}, {\"id\": \"b\"} ] }\n";
    assert_int_equal(scan_all(body, &p, &ids, &err), LCM_OK);
    assert_string_equal(p.more, "/xapi/statements?from=2");
    assert_int_equal(ids.n, 2);
    assert_string_equal(ids.text, "0:a]}\"[ 1:b ");
}

static void test_page_each_reports_position_in_whole_body(void **state)
{
    (void)state;
    struct xapi_page p;
    struct ids ids;
    struct lcm_err err;
    const char *body = "{\"statements\": [\n {\"id\": \"a\"},\n {\"id\": tru}\n], \"more\": \"\"}";
    assert_int_equal(scan_all(body, &p, &ids, &err), LCM_ERR_PARSE);
    assert_int_equal(ids.n, 1); /* the first statement was handed over before the error */
    assert_non_null(strstr(err.msg, "xapi: invalid JSON at line 3 column"));
    assert_non_null(strstr(err.msg, "(U)"));
    const char *cut = "{\"statements\": [ {\"id\": \"a\"}, {\"id\"";
    assert_int_equal(scan_all(cut, &p, &ids, &err), LCM_ERR_PARSE);
    assert_non_null(strstr(err.msg, "unterminated statements array"));
}

static void test_store_seen_cursor_runs(void **state)
{
    (void)state;
    struct lcm_store *st = sfx_open();
    struct lcm_err err;
    bool is_new = false, found = true;
    char buf[64];
    assert_int_equal(store_sync_cursor_get(st, "lrs", buf, sizeof buf, &found, &err), LCM_OK);
    assert_false(found);
    assert_string_equal(buf, "");
    assert_int_equal(store_sync_seen_add(st, "lrs", "id-1", &is_new, &err), LCM_OK);
    assert_true(is_new);
    assert_int_equal(store_sync_seen_add(st, "lrs", "id-1", &is_new, &err), LCM_OK);
    assert_false(is_new);
    assert_int_equal(store_sync_seen_add(st, "other", "id-1", &is_new, &err), LCM_OK);
    assert_true(is_new);
    /* a rolled back batch leaves neither its cursor nor its seen ids */
    assert_int_equal(store_begin(st, &err), LCM_OK);
    assert_int_equal(store_sync_cursor_set(st, "lrs", "2026-01-01T00:00:00.000Z", 5, &err), LCM_OK);
    assert_int_equal(store_sync_seen_add(st, "lrs", "id-2", &is_new, &err), LCM_OK);
    store_rollback(st);
    assert_int_equal(store_sync_cursor_get(st, "lrs", buf, sizeof buf, &found, &err), LCM_OK);
    assert_false(found);
    assert_int_equal(store_sync_seen_add(st, "lrs", "id-2", &is_new, &err), LCM_OK);
    assert_true(is_new);
    int64_t run;
    struct sync_run_info info;
    assert_int_equal(store_sync_run_last(st, NULL, &info, &err), LCM_ERR_NOTFOUND);
    assert_int_equal(store_sync_last_ok(st), 0);
    assert_int_equal(store_sync_run_begin(st, "lrs", 100, &run, &err), LCM_OK);
    assert_int_equal(store_sync_run_finish(st, run, 110, 7, "xapi: HTTP 500", &err), LCM_OK);
    assert_int_equal(store_sync_run_last(st, "lrs", &info, &err), LCM_OK);
    assert_string_equal(info.status, "failed");
    assert_string_equal(info.error, "xapi: HTTP 500");
    assert_int_equal(info.records, 7);
    assert_int_equal(store_sync_last_ok(st), 0);
    assert_int_equal(store_sync_run_begin(st, "lrs", 200, &run, &err), LCM_OK);
    assert_int_equal(store_sync_run_finish(st, run, 210, 0, NULL, &err), LCM_OK);
    assert_int_equal(store_sync_last_ok(st), 210);
    store_close(&st);
}

/* One statement with the given result and context members (JSON text, may be empty). */
static json_t *stmt_with(const char *result, const char *context)
{
    char buf[2048];
    snprintf(buf, sizeof buf,
             "{\"id\":\"a\",\"actor\":{\"account\":{\"homePage\":\"HTTPS://Campus.Example.fr/\","
             "\"name\":\"lea\"},\"mbox_sha1sum\":\"ABCDEF\"},"
             "\"verb\":{\"id\":\"http://adlnet.gov/expapi/verbs/failed\"},"
             "\"object\":{\"id\":\"urn:test:1\"},\"stored\":\"2026-09-01T10:00:00Z\"%s%s%s%s}",
             *result ? ",\"result\":" : "", result, *context ? ",\"context\":" : "", context);
    return load(buf);
}

static void test_stmt_scores_on_the_0_100_scale(void **state)
{
    (void)state;
    static const struct {
        const char *result;
        double score;
        int success;
    } cases[] = {
        {"{\"score\":{\"scaled\":0.35},\"success\":false}", 35, 0},
        {"{\"score\":{\"scaled\":-0.2},\"success\":false}", 0, 0}, /* legal, no better than 0 */
        {"{\"score\":{\"scaled\":1},\"success\":true}", 100, 1},
        {"{\"score\":{\"raw\":17,\"min\":0,\"max\":20}}", 85, -1},
        {"{\"score\":{\"raw\":7,\"min\":5,\"max\":9}}", 50, -1},
        {"{\"score\":{\"raw\":17}}", -1, -1},                    /* no range: not comparable */
        {"{\"score\":{\"raw\":3,\"min\":5,\"max\":5}}", -1, -1}, /* empty range */
        {"{\"score\":{\"raw\":30,\"min\":0,\"max\":20}}", 100, -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        json_t *v = stmt_with(cases[i].result, "");
        struct xapi_stmt s;
        const char *missing;
        assert_true(src_xapi_parse_stmt(v, &s, &missing));
        if (cases[i].score < 0)
            assert_true(s.score < 0);
        else
            assert_true(fabs(s.score - cases[i].score) < 1e-9);
        assert_int_equal(s.success, cases[i].success);
        json_decref(v);
    }
}

static void test_stmt_context_and_actor_names(void **state)
{
    (void)state;
    json_t *v =
        stmt_with("{\"completion\":true}", "{\"contextActivities\":{\"parent\":[{\"id\":\"P1\"}],"
                                           "\"grouping\":[{\"id\":\"G1\"},{\"id\":\"G2\"}],"
                                           "\"category\":[{\"id\":\"C\"}]}}");
    struct xapi_stmt s;
    const char *missing;
    assert_true(src_xapi_parse_stmt(v, &s, &missing));
    assert_int_equal(s.n_ctx, 3); /* grouping first (the course), then parent; not category */
    assert_string_equal(s.ctx[0], "G1");
    assert_string_equal(s.ctx[1], "G2");
    assert_string_equal(s.ctx[2], "P1");
    assert_true(s.completion);
    assert_string_equal(s.home_page, "HTTPS://Campus.Example.fr/");
    assert_string_equal(s.account_name, "lea");
    assert_string_equal(s.sha1, "ABCDEF");
    char key[256];
    identity_account(s.home_page, s.account_name, key, sizeof key);
    assert_string_equal(key, "https://campus.example.fr|lea");
    json_decref(v);
    /* a single parent object (pre-1.0 emitters) is read too */
    v = stmt_with("", "{\"contextActivities\":{\"parent\":{\"id\":\"P\"}}}");
    assert_true(src_xapi_parse_stmt(v, &s, &missing));
    assert_int_equal(s.n_ctx, 1);
    json_decref(v);
}

static void test_identity_keys(void **state)
{
    (void)state;
    char k[256], sha[41];
    assert_true(store_identity_email("mailto:Lea.Martin@Campus.Example.FR ", k, sizeof k));
    assert_string_equal(k, "lea.martin@campus.example.fr");
    assert_false(store_identity_email("mailto:nobody", k, sizeof k));
    assert_false(store_identity_email(NULL, k, sizeof k));
    /* FIPS 180 test vector, and xAPI's mbox_sha1sum of mailto:xapi@adlnet.gov */
    sha1_hex("abc", 3, sha);
    assert_string_equal(sha, "a9993e364706816aba3e25717850c26c9cd0d89d");
    sha1_hex("", 0, sha);
    assert_string_equal(sha, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    const char *l56 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha1_hex(l56, strlen(l56), sha);
    assert_string_equal(sha, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    store_identity_email_sha1("xapi@adlnet.gov", sha);
    sha1_hex("mailto:xapi@adlnet.gov", 22, k);
    assert_string_equal(sha, k);
    identity_iri("HTTPS://LMS.Example/Mod/Quiz/view.php?id=3", k, sizeof k);
    assert_string_equal(k, "https://lms.example/Mod/Quiz/view.php?id=3"); /* path kept */
    identity_iri("https://lms.example/", k, sizeof k);
    assert_string_equal(k, "https://lms.example");
    identity_iri("https://lms.example/moodle/", k, sizeof k);
    assert_string_equal(k, "https://lms.example/moodle");
}

static void test_identity_rules_config(void **state)
{
    (void)state;
    struct lcm_config cfg;
    struct lcm_err err;
    struct identity_rules r;
    assert_int_equal(config_load_string(&cfg, "t.conf",
                                        "s: { identity = [\"mbox\", \"account\"]; };", NULL, &err),
                     LCM_OK);
    assert_int_equal(identity_rules_read(config_section(&cfg, "s"), &r, &err), LCM_OK);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.rule[0], IDENTITY_MBOX);
    assert_int_equal(r.rule[1], IDENTITY_ACCOUNT);
    config_free(&cfg);
    assert_int_equal(
        config_load_string(&cfg, "t.conf", "s: {\n identity = [\"name\"]; };", NULL, &err), LCM_OK);
    assert_int_equal(identity_rules_read(config_section(&cfg, "s"), &r, &err), LCM_ERR_CONFIG);
    assert_non_null(strstr(err.msg, ":2: identity"));
    assert_non_null(strstr(err.msg, "\"name\""));
    config_free(&cfg);
    assert_int_equal(identity_rules_read(NULL, &r, &err), LCM_OK);
    assert_int_equal(r.n, 3); /* the default: account, mbox, mbox_sha1sum */
}

/* enrollment.progress of id in the database at path, read on a connection of its own. */
static double progress_of(const char *path, int64_t id)
{
    struct db *db = NULL;
    struct lcm_err err = {0};
    if (db_open(path, &db, &err) != LCM_OK)
        fail_msg("db_open: %s", err.msg);
    struct db_stmt *s = db_prepare(db, "SELECT progress FROM enrollment WHERE id = ?1", &err);
    if (!s)
        fail_msg("progress_of: %s", err.msg);
    db_bind_int64(s, 1, id);
    assert_int_equal(db_step(s), DB_ROW);
    double v = db_column_type(s, 0) == DB_NULL ? -1 : db_column_double(s, 0);
    db_reset(s);
    db_close(&db);
    return v;
}

/* One page's aggregate of an enrollment-day, written as src_xapi writes it. */
static void page_day(struct lcm_store *st, int64_t eid, int day, double progress)
{
    struct lcm_err err;
    struct lcm_activity_day a = {
        .enrollment_id = eid, .day = day, .sessions = 1, .actions = 1, .progress = progress};
    assert_int_equal(store_entity_activity_add(st, &a, &err), LCM_OK);
    if (store_sync_enrollment_touch(st, eid, day, progress, NULL, &err) != LCM_OK)
        fail_msg("touch: %s", err.msg);
}

/* A day split over two pages ends as if it came in one: the enrolment's progress is the
 * day's maximum, as activity_day keeps it, not the last page's (it was, and a sync resumed
 * after a fault, whose pages are cut elsewhere, ended with another progress). */
static void test_store_touch_progress_is_the_days(void **state)
{
    (void)state;
    char dir[256], path[1200];
    tu_tmpdir(dir);
    snprintf(path, sizeof path, "%s/db", dir);
    sfx_path(path, sizeof path);
    struct lcm_store *st = NULL;
    struct lcm_err err;
    assert_int_equal(store_open(path, &st, &err), LCM_OK);
    int64_t pid, cid, lid, eid;
    struct lcm_program p = {.source = "lrs", .ext_id = "xapi", .name = "P"};
    assert_int_equal(store_entity_program_upsert(st, &p, &pid, &err), LCM_OK);
    struct lcm_cohort c = {.program_id = pid,
                           .source = "lrs",
                           .ext_id = "xapi",
                           .name = "C",
                           .start_day = DAY_NONE,
                           .end_day = DAY_NONE};
    assert_int_equal(store_entity_cohort_upsert(st, &c, &cid, &err), LCM_OK);
    struct lcm_learner l = {.source = "lrs", .ext_id = "a", .last_name = "A"};
    assert_int_equal(store_entity_learner_upsert(st, &l, &lid, &err), LCM_OK);
    struct lcm_enrollment e = {.learner_id = lid,
                               .cohort_id = cid,
                               .source = "lrs",
                               .ext_id = "a",
                               .status = ENROLL_ACTIVE,
                               .start_day = 100,
                               .expected_end_day = DAY_NONE,
                               .ended_day = DAY_NONE,
                               .progress = -1,
                               .last_activity_day = DAY_NONE};
    assert_int_equal(store_entity_enrollment_upsert(st, &e, &eid, &err), LCM_OK);
    page_day(st, eid, 100, -1); /* no progress: none yet */
    assert_true(progress_of(path, eid) < 0);
    page_day(st, eid, 100, 0.9);
    page_day(st, eid, 100, 0.2); /* the same day on the next page */
    assert_true(fabs(progress_of(path, eid) - 0.9) < 1e-9);
    page_day(st, eid, 101, 0.3); /* a later day: its own progress */
    assert_true(fabs(progress_of(path, eid) - 0.3) < 1e-9);
    page_day(st, eid, 99, 1.0); /* an earlier day: not the enrolment's progress */
    assert_true(fabs(progress_of(path, eid) - 0.3) < 1e-9);
    store_close(&st);
    tu_rmdir(dir);
}

/* ---- where the pages fall: the xAPI source against the fixture LRS ---- */

/* Syncs the fixture's LRS at port into the database at db in pages of page_size (a second
 * call syncs on from the cursor) and returns its activity_day as "sessions minutes actions"
 * rows in out. */
static void xapi_sync_days(int port, const char *db, int page_size, char *out, size_t len)
{
    char conf[512];
    struct lcm_config cfg;
    struct lcm_err err;
    struct sync_result res;
    snprintf(conf, sizeof conf,
             "sync: { timeout = 2.0; retries = 0; };\n"
             "sources = ({ name = \"lrs\"; type = \"xapi\"; url = \"http://127.0.0.1:%d/xapi\";"
             " user = \"lrs-key\"; password = \"lrs-secret-456\"; page_size = %d; });",
             port, page_size);
    assert_int_equal(config_load_string(&cfg, "conf", conf, NULL, &err), LCM_OK);
    struct sync_options opt = {.today = 20720, .now_ts = 1790000000};
    memset(&res, 0, sizeof res);
    if (sync_run_all(db, &cfg, &opt, &res, &err) != LCM_OK)
        fail_msg("sync in pages of %d: %s", page_size, err.msg);
    sync_result_free(&res);
    config_free(&cfg);
    struct db *h = NULL;
    if (db_open(db, &h, &err) != LCM_OK)
        fail_msg("db_open: %s", err.msg);
    struct db_stmt *s = db_prepare(h,
                                   "SELECT enrollment_id, day, sessions, minutes, actions "
                                   "FROM activity_day ORDER BY 1, 2",
                                   &err);
    if (!s)
        fail_msg("activity_day: %s", err.msg);
    size_t n = 0;
    out[0] = '\0';
    while (db_step(s) == DB_ROW && n < len)
        n += (size_t)snprintf(out + n, len - n, "%lld %s %d %d %d\n",
                              (long long)db_column_int64(s, 0), db_column_text(s, 1),
                              (int)db_column_int64(s, 2), (int)db_column_int64(s, 3),
                              (int)db_column_int64(s, 4));
    db_reset(s);
    db_close(&h);
}

/* One learner's 27 statements, all on one day: launched and initialized 3 times each, two of
 * them in one pair of statements, and terminated sessions of 12.125, 21.275 and 30.425
 * minutes. The day is 3 sessions and 64 minutes however the pages cut it; summing each page's
 * max(initialized, launched) and rounded minutes gave 4 and 63 in pages of 2. A statement
 * fetched again (the cursor forgotten) is not counted twice. */
static struct lms_fixture fixture;

static int fixture_up(void **state)
{
    (void)state;
    const char *const args[] = {"--learners", "1", "--statements", "27", NULL};
    return lms_fixture_start(&fixture, args);
}

static int fixture_down(void **state)
{
    (void)state;
    lms_fixture_stop(&fixture);
    return 0;
}

static void test_sync_day_does_not_depend_on_pages(void **state)
{
    (void)state;
    char dir[256], one[1200], two[1200];
    tu_tmpdir(dir);
    snprintf(one, sizeof one, "%s/one.db", dir);
    snprintf(two, sizeof two, "%s/two.db", dir);
    sfx_path(one, sizeof one);
    sfx_path(two, sizeof two);
    char days1[256], days2[256], days3[256];
    xapi_sync_days(fixture.port, one, 100, days1, sizeof days1);
    assert_string_equal(days1, "1 2026-09-01 3 64 27\n");
    xapi_sync_days(fixture.port, two, 2, days2, sizeof days2);
    assert_string_equal(days2, days1);
    xapi_sync_days(fixture.port, two, 2, days3, sizeof days3); /* on from the cursor: nothing new */
    assert_string_equal(days3, days1);
    struct lcm_store *st = NULL;
    struct lcm_err err;
    assert_int_equal(store_open(two, &st, &err), LCM_OK);
    assert_int_equal(store_sync_cursor_set(st, "lrs", NULL, 1790000000, &err), LCM_OK);
    store_close(&st);
    xapi_sync_days(fixture.port, two, 5, days3, sizeof days3); /* every statement again, all seen */
    assert_string_equal(days3, days1);
    tu_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_duration_null_and_empty),
        cmocka_unit_test(test_duration_forms),
        cmocka_unit_test(test_time_parse_and_format),
        cmocka_unit_test(test_stmt_account_and_cmi5_progress),
        cmocka_unit_test(test_stmt_mbox_https_progress_and_score),
        cmocka_unit_test(test_stmt_scores_on_the_0_100_scale),
        cmocka_unit_test(test_stmt_context_and_actor_names),
        cmocka_unit_test(test_identity_keys),
        cmocka_unit_test(test_identity_rules_config),
        cmocka_unit_test(test_stmt_missing_fields_named),
        cmocka_unit_test(test_invalid_json_names_line_and_column),
        cmocka_unit_test(test_page_scan_null_empty_and_shapes),
        cmocka_unit_test(test_page_scan_more_first_and_brackets_in_strings),
        cmocka_unit_test(test_page_each_reports_position_in_whole_body),
        cmocka_unit_test(test_store_seen_cursor_runs),
        cmocka_unit_test(test_store_touch_progress_is_the_days),
    };
    const struct CMUnitTest lrs[] = {
        cmocka_unit_test(test_sync_day_does_not_depend_on_pages),
    };
    int failed = 0, failed_lrs = 0;
    SFX_RUN_BOTH(failed, tests, NULL, NULL);
    SFX_RUN_BOTH(failed_lrs, lrs, fixture_up, fixture_down);
    return failed + failed_lrs;
}
