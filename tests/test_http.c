/* test_http.c — the libcurl wrapper: redaction, encoding, Retry-After, retries and errors.
 * Transfers run against the fixture server tests/fixtures/lms_server.py when it can start,
 * and against a closed local port for connection errors. */
#include "testutil.h"

#include <signal.h>
#include <sys/wait.h>

#include "http.h"

struct sleeps {
    int calls;
    long total_ms, last_ms;
};

static void fake_sleep(void *ctx, long ms)
{
    struct sleeps *s = ctx;
    s->calls++;
    s->total_ms += ms;
    s->last_ms = ms;
}

static void test_redact_null_and_empty(void **state)
{
    (void)state;
    char buf[128];
    assert_string_equal(http_redact_url(NULL, buf, sizeof buf), "");
    assert_string_equal(http_redact_url("", buf, sizeof buf), "");
}

static void test_redact_secret_params(void **state)
{
    (void)state;
    char buf[256];
    http_redact_url("https://lms.example/webservice/rest/server.php?wstoken=abc123&wsfunction=x"
                    "&moodlewsrestformat=json&Password=pw&key=k",
                    buf, sizeof buf);
    assert_null(strstr(buf, "abc123"));
    assert_null(strstr(buf, "=pw"));
    assert_null(strstr(buf, "=k"));
    assert_string_equal(buf, "https://lms.example/webservice/rest/server.php?wstoken=REDACTED"
                             "&wsfunction=x&moodlewsrestformat=json&Password=REDACTED"
                             "&key=REDACTED");
}

static void test_redact_userinfo(void **state)
{
    (void)state;
    char buf[256];
    http_redact_url("http://bob:hunter2@lrs.example:8080/xapi/statements?since=2026", buf,
                    sizeof buf);
    assert_string_equal(buf, "http://REDACTED@lrs.example:8080/xapi/statements?since=2026");
}

static void test_redact_truncates(void **state)
{
    (void)state;
    char buf[16];
    http_redact_url("http://example.org/a/very/long/path", buf, sizeof buf);
    assert_int_equal(strlen(buf), 15);
}

static void test_form_encodes_php_arrays(void **state)
{
    (void)state;
    char *b = NULL;
    size_t len = 0, cap = 0;
    http_form_append(&b, &len, &cap, "courseids[0]", "12");
    http_form_append(&b, &len, &cap, "q", "a b&c=d/é");
    assert_string_equal(b, "courseids%5B0%5D=12&q=a%20b%26c%3Dd%2F%C3%A9");
    assert_int_equal(len, strlen(b));
    free(b);
}

static void test_retry_after_forms(void **state)
{
    (void)state;
    assert_int_equal(http_retry_after_ms(NULL, 0), -1);
    assert_int_equal(http_retry_after_ms("", 0), -1);
    assert_int_equal(http_retry_after_ms("soon", 0), -1);
    assert_int_equal(http_retry_after_ms("-3", 0), -1);
    assert_int_equal(http_retry_after_ms(" 2 ", 0), 2000);
    /* Sun, 06 Nov 1994 08:49:37 GMT = 784111777 */
    assert_int_equal(http_retry_after_ms("Sun, 06 Nov 1994 08:49:37 GMT", 784111770), 7000);
    assert_int_equal(http_retry_after_ms("Sun, 06 Nov 1994 08:49:37 GMT", 784111790), 0);
}

static void test_perform_refuses_bad_urls(void **state)
{
    (void)state;
    struct http_response r;
    struct lcm_err err;
    struct http_request req = {.label = "xapi"};
    assert_int_equal(http_perform(&req, &r, &err), LCM_ERR_INVALID);
    assert_string_equal(err.msg, "xapi: no URL");
    req.url = "file:///etc/passwd?token=zz";
    assert_int_equal(http_perform(&req, &r, &err), LCM_ERR_INVALID);
    assert_non_null(strstr(err.msg, "not an http(s) URL"));
    assert_null(strstr(err.msg, "zz"));
    http_response_free(&r);
}

/* A port nobody listens on: bind, read the port, close. */
static int closed_port(void)
{
    FILE *p = popen("/usr/bin/python3 -c 'import socket; s=socket.socket(); "
                    "s.bind((\"127.0.0.1\",0)); print(s.getsockname()[1])'",
                    "r");
    int port = 0;
    assert_non_null(p);
    assert_int_equal(fscanf(p, "%d", &port), 1);
    pclose(p);
    return port;
}

static void test_connection_refused_retries_with_backoff(void **state)
{
    (void)state;
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/x?token=s3cr3t", closed_port());
    struct sleeps sl = {0};
    struct http_request req = {.label = "moodle", .url = url, .retry = true, .max_retries = 3,
                               .base_wait_ms = 100, .max_wait_ms = 250,
                               .connect_timeout_ms = 1000, .timeout_ms = 1000,
                               .sleep_fn = fake_sleep, .sleep_ctx = &sl};
    struct http_response r;
    struct lcm_err err;
    assert_int_equal(http_perform(&req, &r, &err), LCM_ERR_NETWORK);
    assert_int_equal(r.attempts, 4);
    assert_int_equal(sl.calls, 3);
    assert_true(sl.last_ms <= 250 && sl.last_ms >= 125);
    assert_true(sl.total_ms >= 50 + 100 + 125);
    assert_non_null(strstr(err.msg, "moodle: "));
    assert_non_null(strstr(err.msg, "after 4 attempts"));
    assert_non_null(strstr(err.msg, "token=REDACTED"));
    assert_null(strstr(err.msg, "s3cr3t"));
    http_response_free(&r);
}

static void test_no_retry_when_disabled(void **state)
{
    (void)state;
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", closed_port());
    struct sleeps sl = {0};
    struct http_request req = {.url = url, .retry = false, .max_retries = 5,
                               .sleep_fn = fake_sleep, .sleep_ctx = &sl};
    struct http_response r;
    assert_int_equal(http_perform(&req, &r, NULL), LCM_ERR_NETWORK);
    assert_int_equal(r.attempts, 1);
    assert_int_equal(sl.calls, 0);
    http_response_free(&r);
}

static void test_header_get_null_safe(void **state)
{
    (void)state;
    struct http_response r = {0};
    assert_null(http_header_get(NULL, "ETag"));
    assert_null(http_header_get(&r, NULL));
    assert_null(http_header_get(&r, "ETag"));
    http_response_free(&r);
    http_response_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_redact_null_and_empty),
        cmocka_unit_test(test_redact_secret_params),
        cmocka_unit_test(test_redact_userinfo),
        cmocka_unit_test(test_redact_truncates),
        cmocka_unit_test(test_form_encodes_php_arrays),
        cmocka_unit_test(test_retry_after_forms),
        cmocka_unit_test(test_perform_refuses_bad_urls),
        cmocka_unit_test(test_header_get_null_safe),
        cmocka_unit_test(test_connection_refused_retries_with_backoff),
        cmocka_unit_test(test_no_retry_when_disabled)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
