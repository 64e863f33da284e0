/* test_moodle.c — Moodle error objects (HTTP 200 with exception) and the sources config. */
#include "testutil.h"

#include <pthread.h>

#include "base/config.h"
#include "lms_fixture.h"
#include "sync/src_moodle.h"
#include "store/store.h"
#include "store/store_sync.h"
#include "sync/sync.h"

#include "store_fixture.h"

static void test_error_null_and_plain_values(void **state)
{
    (void)state;
    struct lcm_err err;
    lcm_err_clear(&err);
    assert_int_equal(src_moodle_check_error(NULL, "u", &err), LCM_OK);
    json_t *arr = json_loads("[{\"id\":1}]", 0, NULL);
    assert_int_equal(src_moodle_check_error(arr, "u", &err), LCM_OK);
    json_decref(arr);
    json_t *obj = json_loads("{\"sitename\":\"x\"}", 0, NULL);
    assert_int_equal(src_moodle_check_error(obj, "u", &err), LCM_OK);
    json_decref(obj);
    assert_string_equal(err.msg, "");
}

static void test_error_invalidtoken_is_auth(void **state)
{
    (void)state;
    struct lcm_err err;
    json_t *v = json_loads("{\"exception\":\"moodle_exception\",\"errorcode\":\"invalidtoken\","
                           "\"message\":\"Invalid token - token not found\"}",
                           0, NULL);
    assert_int_equal(
        src_moodle_check_error(v, "http://127.0.0.1:8/webservice/rest/server.php", &err),
        LCM_ERR_AUTH);
    assert_string_equal(err.msg, "moodle: invalidtoken: Invalid token - token not found "
                                 "(http://127.0.0.1:8/webservice/rest/server.php)");
    json_decref(v);
}

static void test_error_other_is_remote_and_scrubbed(void **state)
{
    (void)state;
    struct lcm_err err;
    json_t *v = json_loads("{\"exception\":\"invalid_parameter_exception\","
                           "\"errorcode\":\"invalidparameter\","
                           "\"message\":\"Invalid\\u001b[2J parameter\\n\"}",
                           0, NULL);
    assert_int_equal(src_moodle_check_error(v, "u", &err), LCM_ERR_REMOTE);
    assert_null(strchr(err.msg, '\033'));
    assert_null(strchr(err.msg, '\n'));
    assert_non_null(strstr(err.msg, "moodle: invalidparameter: Invalid"));
    json_decref(v);
}

static enum lcm_status check_conf(const char *text, const char *only, int *n, struct lcm_err *err)
{
    struct lcm_config cfg;
    struct tu_reports r = {0};
    struct lcm_report rep = {tu_report_fn, &r};
    assert_int_equal(config_load_string(&cfg, "conf", text, &rep, err), LCM_OK);
    enum lcm_status rc = sync_config_check(&cfg, only, n, &rep, err);
    config_free(&cfg);
    return rc;
}

static void test_config_sources(void **state)
{
    (void)state;
    struct lcm_err err;
    int n = -1;
    assert_int_equal(check_conf("", NULL, &n, &err), LCM_OK);
    assert_int_equal(n, 0);
    assert_int_equal(check_conf("sources = ({ name = \"a\"; type = \"moodle\"; url = "
                                "\"https://x\"; }, { name = \"b\"; type = \"xapi\"; url = "
                                "\"http://y/xapi\"; enabled = false; });",
                                NULL, &n, &err),
                     LCM_OK);
    assert_int_equal(n, 1);
    assert_int_equal(check_conf("sources = ({ name = \"b\"; type = \"xapi\"; url = "
                                "\"http://y\"; enabled = false; });",
                                "b", &n, &err),
                     LCM_OK);
    assert_int_equal(n, 1);
    assert_int_equal(check_conf("sources = ({ name = \"a\"; type = \"moodle\"; url = "
                                "\"https://x\"; });",
                                "zz", &n, &err),
                     LCM_ERR_NOTFOUND);
    assert_non_null(strstr(err.msg, "no source named \"zz\""));
}

static void test_config_errors_name_the_line(void **state)
{
    (void)state;
    struct lcm_err err;
    int n;
    assert_int_equal(
        check_conf("sources = (\n{ name = \"a\"; type = \"blackboard\"; });", NULL, &n, &err),
        LCM_ERR_CONFIG);
    assert_non_null(strstr(err.msg, ":2: source a: type must be"));
    /* a type that is not a string is a config error (it used to crash the type lookup) */
    assert_int_equal(check_conf("sources = ({ name = \"a\"; type = 5; });", NULL, &n, &err),
                     LCM_ERR_CONFIG);
    assert_non_null(strstr(err.msg, "type must be a string"));
    assert_int_equal(check_conf("sources = ({ name = \"a\"; type = \"moodle\"; url = "
                                "\"ftp://x\"; });",
                                NULL, &n, &err),
                     LCM_ERR_CONFIG);
    assert_non_null(strstr(err.msg, "url must be an http(s) URL"));
    assert_int_equal(
        check_conf("sources = ({ name = \"a\"; type = \"csv\"; path = \"x\"; });", NULL, &n, &err),
        LCM_ERR_CONFIG);
    assert_non_null(strstr(err.msg, "csv needs path and mapping"));
    assert_int_equal(check_conf("sources = ({ name = \"a\"; type = \"moodle\"; url = \"http://x\"; "
                                "}, { name = \"a\"; type = \"moodle\"; url = \"http://x\"; });",
                                NULL, &n, &err),
                     LCM_ERR_CONFIG);
    assert_non_null(strstr(err.msg, "used twice"));
    assert_int_equal(check_conf("sync: { parallel = 0; };", NULL, &n, &err), LCM_ERR_CONFIG);
    assert_non_null(strstr(err.msg, "parallel"));
}

static void test_config_deadline_range(void **state)
{
    (void)state;
    struct lcm_err err;
    int n;
    assert_int_equal(check_conf("sync: { deadline = 1; };\nsources = ({ name = \"a\"; type = "
                                "\"moodle\"; url = \"http://x\"; deadline = 86400; });",
                                NULL, &n, &err),
                     LCM_OK);
    assert_int_equal(check_conf("sync: {\n deadline = 0.5; };", NULL, &n, &err), LCM_ERR_CONFIG);
    assert_non_null(strstr(err.msg, ":2: sync.deadline must be a number from 1 to 86400"));
    assert_int_equal(check_conf("sources = ({ name = \"a\"; type = \"moodle\"; url = "
                                "\"http://x\";\n deadline = 86401; });",
                                NULL, &n, &err),
                     LCM_ERR_CONFIG);
    assert_non_null(strstr(err.msg, ":2: sources.[].deadline must be"));
    assert_non_null(strstr(err.msg, "deadline must be a number from 1 to 86400"));
    assert_int_equal(check_conf("sync: { deadline = \"1h\"; };", NULL, &n, &err), LCM_ERR_CONFIG);
    assert_non_null(strstr(err.msg, "deadline must be a number"));
}

/* ---- sync_run_all in a background thread, as the TUI runs it ---- */

static struct lms_fixture fixture;

struct bg {
    char db[1200];
    char dir[256];
    struct lcm_config cfg;
    struct sync_options opt;
    struct sync_result res;
    struct lcm_err err;
    enum lcm_status rc;
    pthread_mutex_t lock;
    int calls;
    int64_t last_done, last_total;
    char last_what[32];
};

static void bg_progress(void *ctx, const struct sync_progress *p)
{
    struct bg *b = ctx;
    pthread_mutex_lock(&b->lock);
    b->calls++;
    b->last_done = p->done;
    b->last_total = p->total;
    snprintf(b->last_what, sizeof b->last_what, "%s", p->what);
    pthread_mutex_unlock(&b->lock);
}

static void *bg_main(void *arg)
{
    struct bg *b = arg;
    b->rc = sync_run_all(b->db, &b->cfg, &b->opt, &b->res, &b->err);
    return NULL;
}

static void bg_setup(struct bg *b, const char *token)
{
    char conf[1024];
    memset(b, 0, sizeof *b);
    pthread_mutex_init(&b->lock, NULL);
    snprintf(conf, sizeof conf,
             "sync: { timeout = 2.0; retries = 0; };\n"
             "sources = ({ name = \"lms\"; type = \"moodle\"; url = \"http://127.0.0.1:%d\";"
             " token = \"%s\"; page_size = 7; parallel = 3; });",
             fixture.port, token);
    assert_int_equal(config_load_string(&b->cfg, "conf", conf, NULL, &b->err), LCM_OK);
    snprintf(b->db, sizeof b->db, "%s/bg.db", tu_tmpdir(b->dir));
    sfx_path(b->db, sizeof b->db);
    b->opt = (struct sync_options){
        .today = 20720, .now_ts = 1790000000, .progress = bg_progress, .progress_ctx = b};
}

static void bg_run(struct bg *b)
{
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, bg_main, b), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
}

static void bg_teardown(struct bg *b)
{
    sync_result_free(&b->res);
    config_free(&b->cfg);
    pthread_mutex_destroy(&b->lock);
    tu_rmdir(b->dir);
}

static void test_sync_run_all_in_a_thread(void **state)
{
    (void)state;
    struct bg b;
    bg_setup(&b, "fixture-token-123");
    bg_run(&b);
    assert_int_equal(b.rc, LCM_OK);
    assert_int_equal(b.res.n_sources, 1);
    assert_int_equal(b.res.n_failed, 0);
    assert_string_equal(b.res.sources[0].name, "lms");
    assert_int_equal(b.res.total.records, 48); /* 40 learners, 8 of them in two courses */
    assert_int_equal(b.res.total.learners.added, 40);
    assert_int_equal(b.res.total.learners.added + b.res.total.learners.updated +
                         b.res.total.learners.same,
                     40); /* counted once each, the 8 in two courses too */
    assert_int_equal(b.res.total.enrollments.added, 48);
    assert_int_equal(b.res.total.enrollments.updated, 0);
    assert_true(b.calls >= 4); /* start, then each of the 3 courses */
    assert_int_equal(b.last_done, 3);
    assert_int_equal(b.last_total, 3);
    assert_string_equal(b.last_what, "courses");
    struct lcm_store *st = NULL;
    assert_int_equal(store_open(b.db, &st, &b.err), LCM_OK);
    assert_int_equal(store_sync_last_ok(st), 1790000000);
    store_close(&st);
    /* the same run again: nothing changed at the LMS, nothing is fetched per learner */
    sync_result_free(&b.res);
    bg_run(&b);
    assert_int_equal(b.rc, LCM_OK);
    assert_int_equal(b.res.total.records, 48);
    assert_int_equal(b.res.total.enrollments.added + b.res.total.enrollments.updated, 0);
    assert_int_equal(b.res.total.enrollments.same, 48);
    assert_int_equal(b.res.total.days.added + b.res.total.days.updated, 0);
    assert_int_equal(b.res.total.milestones.added + b.res.total.milestones.updated, 0);
    bg_teardown(&b);
}

static void test_sync_cancelled_and_bad_token(void **state)
{
    (void)state;
    struct bg b;
    atomic_bool cancel = true;
    bg_setup(&b, "fixture-token-123");
    b.opt.cancel = &cancel;
    bg_run(&b);
    assert_int_equal(b.rc, LCM_ERR_BUSY);
    assert_int_equal(b.res.n_failed, 1);
    assert_non_null(strstr(b.res.sources[0].error, "lms: cancelled"));
    assert_string_equal(b.err.msg, "1 of 1 sources failed");
    bg_teardown(&b);

    bg_setup(&b, "wrong");
    b.opt.check_only = true;
    bg_run(&b);
    assert_int_equal(b.rc, LCM_ERR_AUTH);
    char want[256];
    snprintf(want, sizeof want,
             "moodle: invalidtoken: Invalid token - token not found "
             "(http://127.0.0.1:%d/webservice/rest/server.php)",
             fixture.port);
    assert_string_equal(b.res.sources[0].error, want);
    assert_null(strstr(b.res.sources[0].error, "wrong"));
    struct lcm_store *st = NULL;
    struct sync_run_info info;
    assert_int_equal(store_open(b.db, &st, &b.err), LCM_OK);
    assert_int_equal(store_sync_run_last(st, NULL, &info, &b.err), LCM_ERR_NOTFOUND); /* check */
    store_close(&st);
    bg_teardown(&b);
}

static int fixture_up(void **state)
{
    (void)state;
    return lms_fixture_start(&fixture, NULL);
}

static int fixture_down(void **state)
{
    (void)state;
    lms_fixture_stop(&fixture);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_null_and_plain_values),
        cmocka_unit_test(test_error_invalidtoken_is_auth),
        cmocka_unit_test(test_error_other_is_remote_and_scrubbed),
        cmocka_unit_test(test_config_sources),
        cmocka_unit_test(test_config_errors_name_the_line),
        cmocka_unit_test(test_config_deadline_range),
        cmocka_unit_test(test_sync_run_all_in_a_thread),
        cmocka_unit_test(test_sync_cancelled_and_bad_token),
    };
    int rc = 0;
    SFX_RUN_BOTH(rc, tests, fixture_up, fixture_down);
    return rc;
}
