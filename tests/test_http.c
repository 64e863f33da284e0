/* test_http.c — the libcurl wrapper: redaction, encoding, Retry-After, retries, the deadline
 * and errors.
 * Transfers run against the fixture server tests/fixtures/lms_server.py when it can start,
 * and against a closed local port for connection errors. */
#include "testutil.h"

#include "sync/http.h"
#include "lms_fixture.h"

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
    /* a password holding '@' is hidden whole: everything before the last '@' of the authority */
    http_redact_url("https://bob:p@ss@w0rd@lrs.example/x?a=1", buf, sizeof buf);
    assert_string_equal(buf, "https://REDACTED@lrs.example/x?a=1");
    /* an '@' in the path is not userinfo */
    http_redact_url("https://lrs.example/users/@me", buf, sizeof buf);
    assert_string_equal(buf, "https://lrs.example/users/@me");
}

static void test_redact_drops_fragment(void **state)
{
    (void)state;
    char buf[256];
    http_redact_url("https://lms.example/cb#access_token=s3cr3t&x=1", buf, sizeof buf);
    assert_string_equal(buf, "https://lms.example/cb");
    http_redact_url("https://u:pw@lms.example/cb?page=2&token=t#frag@x", buf, sizeof buf);
    assert_string_equal(buf, "https://REDACTED@lms.example/cb?page=2&token=REDACTED");
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
    struct buf b = {0};
    http_form_append(&b, "courseids[0]", "12");
    http_form_append(&b, "q", "a b&c=d/é");
    http_form_append(&b, NULL, NULL);
    assert_string_equal(b.p, "courseids%5B0%5D=12&q=a%20b%26c%3Dd%2F%C3%A9&=");
    assert_int_equal(b.len, strlen(b.p));
    buf_free(&b);
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
    struct http_request req = {.label = "moodle",
                               .url = url,
                               .retry = true,
                               .max_retries = 3,
                               .base_wait_ms = 100,
                               .max_wait_ms = 250,
                               .connect_timeout_ms = 1000,
                               .timeout_ms = 1000,
                               .sleep_fn = fake_sleep,
                               .sleep_ctx = &sl};
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
    struct http_request req = {
        .url = url, .retry = false, .max_retries = 5, .sleep_fn = fake_sleep, .sleep_ctx = &sl};
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

/* ---- against the fixture server ---- */

static struct lms_fixture fixture;
#define server_port fixture.port

static int server_start(void **state)
{
    (void)state;
    return lms_fixture_start(&fixture, NULL);
}

static int server_stop(void **state)
{
    (void)state;
    lms_fixture_stop(&fixture);
    return 0;
}

static const char *url_for(char *buf, size_t len, const char *path)
{
    snprintf(buf, len, "http://127.0.0.1:%d%s", server_port, path);
    return buf;
}

static void test_echo_headers_auth_user_agent(void **state)
{
    (void)state;
    char url[256];
    static const char *const hdrs[] = {"X-Experience-API-Version: 1.0.3",
                                       "X-Evil: a\r\nX-Injected: 1", NULL};
    struct http_request req = {.url = url_for(url, sizeof url, "/_test/echo"),
                               .headers = hdrs,
                               .user = "bob",
                               .password = "pw",
                               .timeout_ms = 5000};
    struct http_response r;
    struct lcm_err err;
    assert_int_equal(http_perform(&req, &r, &err), LCM_OK);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.attempts, 1);
    assert_non_null(r.body);
    assert_non_null(strstr(r.body, "\"user-agent\": \"lcmtui/" LCM_VERSION "\""));
    assert_non_null(strstr(r.body, "\"x-experience-api-version\": \"1.0.3\""));
    assert_non_null(strstr(r.body, "\"authorization\": \"Basic Ym9iOnB3\""));
    assert_null(strstr(r.body, "x-injected"));
    assert_null(strstr(r.body, "x-evil"));
    assert_string_equal(http_header_get(&r, "etag"), "\"echo-1\"");
    assert_string_equal(http_header_get(&r, "Content-Type"), "application/json");
    http_response_free(&r);
}

static void test_put_body_and_method(void **state)
{
    (void)state;
    char url[256];
    const char *body = "BEGIN:VCALENDAR";
    struct http_request req = {.url = url_for(url, sizeof url, "/_test/echo"),
                               .method = "PUT",
                               .body = body,
                               .body_len = strlen(body)};
    struct http_response r;
    assert_int_equal(http_perform(&req, &r, NULL), LCM_OK);
    assert_non_null(strstr(r.body, "\"method\": \"PUT\""));
    assert_non_null(strstr(r.body, "\"body\": \"BEGIN:VCALENDAR\""));
    http_response_free(&r);
}

static void test_429_retry_after_is_honoured_and_capped(void **state)
{
    (void)state;
    char url[256];
    struct sleeps sl = {0};
    struct http_request req = {
        .url = url_for(url, sizeof url, "/_test/status?id=r429&code=429&times=2&retry_after=7"),
        .retry = true,
        .max_retries = 3,
        .max_wait_ms = 5000,
        .sleep_fn = fake_sleep,
        .sleep_ctx = &sl};
    struct http_response r;
    assert_int_equal(http_perform(&req, &r, NULL), LCM_OK);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.attempts, 3);
    assert_int_equal(sl.calls, 2);
    assert_int_equal(sl.total_ms, 10000); /* 7 s asked, capped at 5 s, twice */
    assert_string_equal(http_header_get(&r, "ETag"), "\"v3\"");
    http_response_free(&r);
}

static void test_5xx_exhausted_is_one_line_with_url(void **state)
{
    (void)state;
    char url[256];
    struct sleeps sl = {0};
    struct http_request req = {
        .label = "moodle",
        .url = url_for(url, sizeof url, "/_test/status?id=r500&code=503&times=99&wstoken=T0K"),
        .retry = true,
        .max_retries = 2,
        .base_wait_ms = 10,
        .sleep_fn = fake_sleep,
        .sleep_ctx = &sl};
    struct http_response r;
    struct lcm_err err;
    assert_int_equal(http_perform(&req, &r, &err), LCM_ERR_REMOTE);
    assert_int_equal(r.status, 503);
    assert_int_equal(sl.calls, 2);
    char want[256];
    snprintf(want, sizeof want,
             "moodle: HTTP 503 Service Unavailable after 3 attempts (http://127.0.0.1:%d"
             "/_test/status?id=r500&code=503&times=99&wstoken=REDACTED)",
             server_port);
    assert_string_equal(err.msg, want);
    http_response_free(&r);
}

static void test_4xx_not_retried_and_accept_any_status(void **state)
{
    (void)state;
    char url[256];
    struct sleeps sl = {0};
    struct http_request req = {
        .url = url_for(url, sizeof url, "/_test/status?id=r412&code=412&times=99"),
        .retry = true,
        .max_retries = 3,
        .sleep_fn = fake_sleep,
        .sleep_ctx = &sl};
    struct http_response r;
    struct lcm_err err;
    assert_int_equal(http_perform(&req, &r, &err), LCM_ERR_CONFLICT);
    assert_int_equal(sl.calls, 0);
    http_response_free(&r);
    req.accept_any_status = true;
    assert_int_equal(http_perform(&req, &r, &err), LCM_OK);
    assert_int_equal(r.status, 412);
    http_response_free(&r);
}

static void test_body_limit(void **state)
{
    (void)state;
    char url[256];
    struct http_request req = {.url = url_for(url, sizeof url, "/_test/big?n=100000"),
                               .max_body = 1000};
    struct http_response r;
    struct lcm_err err;
    assert_int_equal(http_perform(&req, &r, &err), LCM_ERR_INVALID);
    assert_non_null(strstr(err.msg, "larger than 1000 bytes"));
    http_response_free(&r);
}

static void test_timeout_is_a_network_error(void **state)
{
    (void)state;
    char url[256];
    struct http_request req = {.url = url_for(url, sizeof url, "/_test/slow?ms=1500"),
                               .timeout_ms = 200};
    struct http_response r;
    struct lcm_err err;
    assert_int_equal(http_perform(&req, &r, &err), LCM_ERR_NETWORK);
    assert_non_null(strstr(err.msg, "timed out"));
    http_response_free(&r);
}

static bool count_bytes(void *ctx, const char *data, size_t len)
{
    size_t *n = ctx;
    for (size_t i = 0; i < len; i++)
        if (data[i] != 'x')
            return false;
    *n += len;
    return true;
}

static void test_streaming_mode_bypasses_the_buffer(void **state)
{
    (void)state;
    char url[256];
    size_t n = 0;
    struct http_request req = {.url = url_for(url, sizeof url, "/_test/big?n=3000000"),
                               .max_body = 1000,
                               .on_data = count_bytes,
                               .on_data_ctx = &n};
    struct http_response r;
    assert_int_equal(http_perform(&req, &r, NULL), LCM_OK);
    assert_int_equal(n, 3000000);
    assert_null(r.body);
    http_response_free(&r);
}

struct many {
    int done, failed;
    char seen[20];
};

static enum lcm_status many_done(void *ctx, size_t i, struct http_response *resp,
                                 enum lcm_status status, struct lcm_err *err)
{
    (void)err;
    struct many *m = ctx;
    if (status != LCM_OK || resp->status != 200) {
        m->failed++;
        return LCM_OK;
    }
    m->done++;
    m->seen[i]++;
    return LCM_OK;
}

static void test_parallel_batch_respects_limit_and_retries(void **state)
{
    (void)state;
    char urls[20][256], url[256];
    struct http_request reqs[20];
    struct sleeps sl = {0};
    for (int i = 0; i < 20; i++) {
        char path[128];
        if (i == 3)
            snprintf(path, sizeof path, "/_test/status?id=par3&code=500&times=1");
        else
            snprintf(path, sizeof path, "/_test/concurrency?ms=60&i=%d", i);
        reqs[i] = (struct http_request){.url = url_for(urls[i], sizeof urls[i], path),
                                        .retry = true,
                                        .max_retries = 2,
                                        .base_wait_ms = 5,
                                        .sleep_fn = fake_sleep,
                                        .sleep_ctx = &sl};
    }
    struct many m = {0};
    struct lcm_err err;
    assert_int_equal(http_perform_many(reqs, 20, 4, many_done, &m, &err), LCM_OK);
    assert_int_equal(m.done, 20);
    assert_int_equal(m.failed, 0);
    for (int i = 0; i < 20; i++)
        assert_int_equal(m.seen[i], 1);
    struct http_request q = {.url = url_for(url, sizeof url, "/_test/maxconc")};
    struct http_response r;
    assert_int_equal(http_perform(&q, &r, NULL), LCM_OK);
    int maxc = -1;
    assert_int_equal(sscanf(r.body, "{\"max\": %d}", &maxc), 1);
    assert_true(maxc >= 2 && maxc <= 4);
    http_response_free(&r);
    assert_int_equal(http_perform_many(reqs, 0, 4, many_done, &m, &err), LCM_OK);
}

static enum lcm_status stop_at_first(void *ctx, size_t i, struct http_response *resp,
                                     enum lcm_status status, struct lcm_err *err)
{
    (void)ctx, (void)i, (void)resp, (void)status;
    return lcm_err_set(err, LCM_ERR_PARSE, "moodle: invalid JSON at line 1 column 2 (u)");
}

static void test_parallel_batch_stops_on_callback_error(void **state)
{
    (void)state;
    char urls[6][256];
    struct http_request reqs[6];
    for (int i = 0; i < 6; i++)
        reqs[i] = (struct http_request){
            .url = url_for(urls[i], sizeof urls[i], "/_test/concurrency?ms=10")};
    struct lcm_err err;
    assert_int_equal(http_perform_many(reqs, 6, 2, stop_at_first, NULL, &err), LCM_ERR_PARSE);
    assert_string_equal(err.msg, "moodle: invalid JSON at line 1 column 2 (u)");
}

/* A reader that takes 50 ms per response, as parsing a large page does. */
static enum lcm_status slow_reader(void *ctx, size_t i, struct http_response *resp,
                                   enum lcm_status status, struct lcm_err *err)
{
    (void)ctx, (void)i, (void)resp, (void)err;
    struct timespec ts = {0, 50000000};
    nanosleep(&ts, NULL);
    return status;
}

/* The last transfer of a batch ends while the reader works on another: it used to wait out
 * curl_multi_poll()'s 1 s timeout (no socket left to wake it) before being handed over. */
static void test_parallel_batch_last_transfer_not_delayed(void **state)
{
    (void)state;
    char u0[256], u1[256];
    struct http_request reqs[2] = {{.url = url_for(u0, sizeof u0, "/_test/echo")},
                                   {.url = url_for(u1, sizeof u1, "/_test/slow?ms=20")}};
    struct lcm_err err;
    int64_t t0 = http_now_ms();
    assert_int_equal(http_perform_many(reqs, 2, 2, slow_reader, NULL, &err), LCM_OK);
    int64_t took = http_now_ms() - t0;
    assert_true(took < 700); /* about 100 ms; 1100 ms with the bug */
}

/* ---- the deadline (http_request.deadline_ms): counts of attempts and waits, no timing ---- */

/* How many requests the fixture has seen for /_test/status?id=ID: one more request, which
 * answers 200 with "tries": N + 1 (times=0), N being the requests seen before it. */
static int status_tries(const char *id)
{
    char url[256], path[128];
    snprintf(path, sizeof path, "/_test/status?id=%s&times=0", id);
    struct http_request req = {.url = url_for(url, sizeof url, path)};
    struct http_response r;
    assert_int_equal(http_perform(&req, &r, NULL), LCM_OK);
    int tries = -1;
    assert_int_equal(sscanf(r.body, "{\"ok\": true, \"tries\": %d}", &tries), 1);
    http_response_free(&r);
    return tries - 1;
}

static void test_deadline_refuses_a_wait_past_it(void **state)
{
    (void)state;
    char url[256];
    struct sleeps sl = {0};
    atomic_bool hit = false;
    /* Retry-After 60 s, within retry_max_wait, but the deadline is 5 s away: no wait at all */
    struct http_request req = {
        .label = "xapi",
        .url = url_for(url, sizeof url, "/_test/status?id=dl1&code=429&times=99&retry_after=60"),
        .retry = true,
        .max_retries = 3,
        .max_wait_ms = 120000,
        .deadline_ms = http_now_ms() + 5000,
        .deadline_hit = &hit,
        .sleep_fn = fake_sleep,
        .sleep_ctx = &sl};
    struct http_response r;
    struct lcm_err err;
    assert_int_equal(http_perform(&req, &r, &err), LCM_ERR_REMOTE);
    assert_int_equal(r.attempts, 1);
    assert_int_equal(sl.calls, 0);
    assert_true(atomic_load(&hit));
    assert_non_null(strstr(err.msg, "xapi: HTTP 429"));
    http_response_free(&r);
    assert_int_equal(status_tries("dl1"), 1);
}

static void test_deadline_allows_waits_that_end_before_it(void **state)
{
    (void)state;
    char url[256];
    struct sleeps sl = {0};
    atomic_bool hit = false;
    struct http_request req = {
        .url = url_for(url, sizeof url, "/_test/status?id=dl2&code=503&times=2&retry_after=1"),
        .retry = true,
        .max_retries = 3,
        .deadline_ms = http_now_ms() + 60000,
        .deadline_hit = &hit,
        .sleep_fn = fake_sleep,
        .sleep_ctx = &sl};
    struct http_response r;
    assert_int_equal(http_perform(&req, &r, NULL), LCM_OK);
    assert_int_equal(r.attempts, 3);
    assert_int_equal(sl.calls, 2);
    assert_int_equal(sl.total_ms, 2000);
    assert_false(atomic_load(&hit));
    http_response_free(&r);
}

static void test_deadline_passed_starts_no_attempt(void **state)
{
    (void)state;
    char url[256];
    struct sleeps sl = {0};
    atomic_bool hit = false;
    struct http_request req = {.label = "moodle",
                               .url = url_for(url, sizeof url, "/_test/status?id=dl3&times=0"),
                               .retry = true,
                               .max_retries = 3,
                               .deadline_ms = http_now_ms() - 1,
                               .deadline_hit = &hit,
                               .sleep_fn = fake_sleep,
                               .sleep_ctx = &sl};
    struct http_response r;
    struct lcm_err err;
    assert_int_equal(http_perform(&req, &r, &err), LCM_ERR_NETWORK);
    assert_int_equal(r.attempts, 0);
    assert_int_equal(sl.calls, 0);
    assert_true(atomic_load(&hit));
    char want[256];
    snprintf(want, sizeof want,
             "moodle: no time left before the deadline (http://127.0.0.1:%d"
             "/_test/status?id=dl3&times=0)",
             server_port);
    assert_string_equal(err.msg, want);
    http_response_free(&r);
    assert_int_equal(status_tries("dl3"), 0);
}

static void test_deadline_cuts_the_attempt_and_its_retries(void **state)
{
    (void)state;
    char url[256];
    struct sleeps sl = {0};
    atomic_bool hit = false;
    /* a 60 s timeout and 3 retries, but the deadline is 300 ms away: one attempt, cut */
    struct http_request req = {.url = url_for(url, sizeof url, "/_test/slow?ms=3000"),
                               .timeout_ms = 60000,
                               .retry = true,
                               .max_retries = 3,
                               .base_wait_ms = 1,
                               .deadline_ms = http_now_ms() + 300,
                               .deadline_hit = &hit,
                               .sleep_fn = fake_sleep,
                               .sleep_ctx = &sl};
    struct http_response r;
    struct lcm_err err;
    assert_int_equal(http_perform(&req, &r, &err), LCM_ERR_NETWORK);
    assert_int_equal(r.attempts, 1);
    assert_int_equal(sl.calls, 0);
    assert_true(atomic_load(&hit));
    assert_non_null(strstr(err.msg, "timed out"));
    http_response_free(&r);
}

static void test_deadline_in_a_parallel_batch(void **state)
{
    (void)state;
    char urls[4][256];
    struct http_request reqs[4];
    struct sleeps sl = {0};
    atomic_bool hit = false;
    int64_t soon = http_now_ms() + 5000;
    for (int i = 0; i < 4; i++) {
        char path[128];
        snprintf(path, sizeof path, "/_test/status?id=dlp%d&code=500&times=99&retry_after=60", i);
        reqs[i] = (struct http_request){.url = url_for(urls[i], sizeof urls[i], path),
                                        .retry = true,
                                        .max_retries = 3,
                                        .max_wait_ms = 120000,
                                        .deadline_ms = i == 3 ? http_now_ms() - 1 : soon,
                                        .deadline_hit = &hit,
                                        .sleep_fn = fake_sleep,
                                        .sleep_ctx = &sl};
    }
    struct many m = {0};
    struct lcm_err err;
    assert_int_equal(http_perform_many(reqs, 4, 2, many_done, &m, &err), LCM_OK);
    assert_int_equal(m.failed, 4);
    assert_int_equal(sl.calls, 0);
    assert_true(atomic_load(&hit));
    assert_int_equal(status_tries("dlp0"), 1);
    assert_int_equal(status_tries("dlp2"), 1);
    assert_int_equal(status_tries("dlp3"), 0); /* its deadline had passed: never sent */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_redact_null_and_empty),
        cmocka_unit_test(test_redact_secret_params),
        cmocka_unit_test(test_redact_userinfo),
        cmocka_unit_test(test_redact_drops_fragment),
        cmocka_unit_test(test_redact_truncates),
        cmocka_unit_test(test_form_encodes_php_arrays),
        cmocka_unit_test(test_retry_after_forms),
        cmocka_unit_test(test_perform_refuses_bad_urls),
        cmocka_unit_test(test_header_get_null_safe),
        cmocka_unit_test(test_connection_refused_retries_with_backoff),
        cmocka_unit_test(test_no_retry_when_disabled),
        cmocka_unit_test(test_echo_headers_auth_user_agent),
        cmocka_unit_test(test_put_body_and_method),
        cmocka_unit_test(test_429_retry_after_is_honoured_and_capped),
        cmocka_unit_test(test_5xx_exhausted_is_one_line_with_url),
        cmocka_unit_test(test_4xx_not_retried_and_accept_any_status),
        cmocka_unit_test(test_body_limit),
        cmocka_unit_test(test_timeout_is_a_network_error),
        cmocka_unit_test(test_streaming_mode_bypasses_the_buffer),
        cmocka_unit_test(test_parallel_batch_respects_limit_and_retries),
        cmocka_unit_test(test_parallel_batch_stops_on_callback_error),
        cmocka_unit_test(test_parallel_batch_last_transfer_not_delayed),
        cmocka_unit_test(test_deadline_refuses_a_wait_past_it),
        cmocka_unit_test(test_deadline_allows_waits_that_end_before_it),
        cmocka_unit_test(test_deadline_passed_starts_no_attempt),
        cmocka_unit_test(test_deadline_cuts_the_attempt_and_its_retries),
        cmocka_unit_test(test_deadline_in_a_parallel_batch),
    };
    return cmocka_run_group_tests(tests, server_start, server_stop);
}
