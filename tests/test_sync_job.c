/* test_sync_job.c — what a source asks its job between batches and before each request: the
 * stop check (cancelled, the source's deadline) and the request fields the deadline sets.
 * Jobs are built by hand with a start time in the past: nothing waits. */
#include "testutil.h"

#include "sync/sync_job.h"

static const char *const deadline_line =
    "lrs: stopped after 2 s (the source's deadline; set `deadline` in sync or the source)";

static void test_check_stop_without_deadline_or_cancel(void **state)
{
    (void)state;
    struct sync_source src = {.name = "lrs", .type = "xapi"};
    struct sync_options opt = {0};
    struct sync_job job = {.src = &src, .opt = &opt, .started_ms = http_now_ms() - 1000000};
    struct lcm_err err;
    lcm_err_clear(&err);
    assert_int_equal(sync_job_check_stop(&job, &err), LCM_OK);
    assert_string_equal(err.msg, "");
    src.deadline_ms = 2000; /* a deadline, but no start time: none */
    job.started_ms = 0;
    assert_int_equal(sync_job_check_stop(&job, &err), LCM_OK);
}

static void test_check_stop_cancelled_first(void **state)
{
    (void)state;
    atomic_bool cancel = true;
    struct sync_source src = {.name = "lrs", .type = "xapi", .deadline_ms = 2000};
    struct sync_options opt = {.cancel = &cancel};
    struct sync_job job = {.src = &src, .opt = &opt, .started_ms = http_now_ms() - 5000};
    struct lcm_err err;
    assert_int_equal(sync_job_check_stop(&job, &err), LCM_ERR_BUSY);
    assert_string_equal(err.msg, "lrs: cancelled");
    assert_int_equal(err.status, LCM_ERR_BUSY);
}

static void test_check_stop_at_the_deadline(void **state)
{
    (void)state;
    struct sync_source src = {.name = "lrs", .type = "xapi", .deadline_ms = 2000};
    struct sync_options opt = {0};
    struct sync_job job = {.src = &src, .opt = &opt, .started_ms = http_now_ms()};
    struct lcm_err err;
    assert_int_equal(sync_job_check_stop(&job, &err), LCM_OK);
    job.started_ms = http_now_ms() - 2000;
    assert_int_equal(sync_job_check_stop(&job, &err), LCM_ERR_NETWORK);
    assert_string_equal(err.msg, deadline_line);
    src.deadline_ms = 1500; /* fractions of a second are kept */
    assert_int_equal(sync_job_check_stop(&job, &err), LCM_ERR_NETWORK);
    assert_non_null(strstr(err.msg, "lrs: stopped after 1.5 s ("));
}

static void test_check_stop_when_a_request_hit_the_deadline(void **state)
{
    (void)state;
    /* http.c refused a retry whose wait would cross the deadline: it has not come yet, but
     * the source stops all the same */
    atomic_bool hit = true;
    struct sync_source src = {.name = "lrs", .type = "xapi", .deadline_ms = 2000};
    struct sync_options opt = {0};
    struct sync_job job = {
        .src = &src, .opt = &opt, .started_ms = http_now_ms(), .deadline_hit = &hit};
    struct lcm_err err;
    assert_int_equal(sync_job_check_stop(&job, &err), LCM_ERR_NETWORK);
    assert_string_equal(err.msg, deadline_line);
}

static void test_http_fields_cut_to_the_deadline(void **state)
{
    (void)state;
    atomic_bool hit = false;
    struct sync_source src = {.name = "lrs",
                              .type = "xapi",
                              .timeout_ms = 60000,
                              .connect_timeout_ms = 10000,
                              .retries = 3,
                              .max_wait_ms = 30000,
                              .deadline_ms = 300000};
    struct sync_options opt = {0};
    int64_t start = http_now_ms();
    struct sync_job job = {.src = &src, .opt = &opt, .started_ms = start, .deadline_hit = &hit};
    struct http_request req;
    sync_job_http(&job, &req);
    assert_string_equal(req.label, "xapi");
    assert_int_equal(req.timeout_ms, 60000); /* 300 s left: the request's own timeout */
    assert_int_equal(req.max_retries, 3);
    assert_true(req.deadline_ms == start + 300000);
    assert_ptr_equal(req.deadline_hit, &hit);
    job.started_ms = start - 299000; /* about a second left */
    sync_job_http(&job, &req);
    assert_true(req.timeout_ms > 0 && req.timeout_ms <= 1000);
    job.started_ms = start - 400000; /* past: the smallest timeout, never 0 (the default) */
    sync_job_http(&job, &req);
    assert_int_equal(req.timeout_ms, 1);
    src.deadline_ms = 0; /* no deadline */
    sync_job_http(&job, &req);
    assert_int_equal(req.timeout_ms, 60000);
    assert_true(req.deadline_ms == 0);
}

/* Rows are counted once per run, as they were before it, whichever source or page wrote them. */
static void test_count_rows_once(void **state)
{
    (void)state;
    struct sync_ledger ledger = {0};
    struct sync_job a = {.ledger = &ledger}, b = {.ledger = &ledger};
    struct sync_tally t = {0};
    sync_job_count(&a, &t, STORE_PUT_NEW, 'e', 7, 0);     /* made by the roster */
    sync_job_count(&b, &t, STORE_PUT_UPDATED, 'e', 7, 0); /* then moved by the LRS */
    sync_job_count(&a, &t, STORE_PUT_SAME, 'e', 8, 0);
    sync_job_count(&b, &t, STORE_PUT_UPDATED, 'e', 8, 0); /* unchanged, then updated */
    sync_job_count(&b, &t, STORE_PUT_UPDATED, 'e', 8, 0); /* updated twice: once */
    sync_job_count(&a, &t, STORE_PUT_SAME, 'd', 8, 0);    /* another table, same ids */
    sync_job_count(&a, &t, STORE_PUT_SAME, 'd', 8, 0);
    assert_int_equal(t.added, 1);
    assert_int_equal(t.updated, 1);
    assert_int_equal(t.same, 1);
    /* many rows (the table grows): each counted once */
    struct sync_tally u = {0};
    for (int round = 0; round < 2; round++)
        for (int64_t i = 0; i < 5000; i++)
            sync_job_count(&a, &u, round ? STORE_PUT_SAME : STORE_PUT_NEW, 'm', i, i * 31);
    assert_int_equal(u.added, 5000);
    assert_int_equal(u.same, 0);
    assert_int_equal(ledger.n, 5003);
    sync_job_ledger_free(&ledger);
    /* without a ledger each write counts */
    struct sync_job c = {0};
    struct sync_tally v = {0};
    sync_job_count(&c, &v, STORE_PUT_NEW, 'e', 1, 0);
    sync_job_count(&c, &v, STORE_PUT_UPDATED, 'e', 1, 0);
    assert_int_equal(v.added, 1);
    assert_int_equal(v.updated, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_stop_without_deadline_or_cancel),
        cmocka_unit_test(test_check_stop_cancelled_first),
        cmocka_unit_test(test_check_stop_at_the_deadline),
        cmocka_unit_test(test_check_stop_when_a_request_hit_the_deadline),
        cmocka_unit_test(test_http_fields_cut_to_the_deadline),
        cmocka_unit_test(test_count_rows_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
