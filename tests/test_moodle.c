/* test_moodle.c — Moodle error objects (HTTP 200 with exception) and the sources config. */
#include "testutil.h"

#include "config.h"
#include "src_moodle.h"
#include "sync.h"

static void test_error_null_and_plain_values(void **state)
{
    (void)state;
    struct lcm_err err;
    lcm_err_clear(&err);
    assert_int_equal(moodle_check_error(NULL, "u", &err), LCM_OK);
    json_t *arr = json_loads("[{\"id\":1}]", 0, NULL);
    assert_int_equal(moodle_check_error(arr, "u", &err), LCM_OK);
    json_decref(arr);
    json_t *obj = json_loads("{\"sitename\":\"x\"}", 0, NULL);
    assert_int_equal(moodle_check_error(obj, "u", &err), LCM_OK);
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
    assert_int_equal(moodle_check_error(v, "http://127.0.0.1:8/webservice/rest/server.php", &err),
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
    assert_int_equal(moodle_check_error(v, "u", &err), LCM_ERR_REMOTE);
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
    assert_int_equal(check_conf("sources = (\n{ name = \"a\"; type = \"blackboard\"; });", NULL,
                                &n, &err),
                     LCM_ERR_CONFIG);
    assert_non_null(strstr(err.msg, ":2: source a: type must be"));
    assert_int_equal(check_conf("sources = ({ name = \"a\"; type = \"moodle\"; url = "
                                "\"ftp://x\"; });",
                                NULL, &n, &err),
                     LCM_ERR_CONFIG);
    assert_non_null(strstr(err.msg, "url must be an http(s) URL"));
    assert_int_equal(check_conf("sources = ({ name = \"a\"; type = \"csv\"; path = \"x\"; });",
                                NULL, &n, &err),
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_null_and_plain_values),
        cmocka_unit_test(test_error_invalidtoken_is_auth),
        cmocka_unit_test(test_error_other_is_remote_and_scrubbed),
        cmocka_unit_test(test_config_sources),
        cmocka_unit_test(test_config_errors_name_the_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
