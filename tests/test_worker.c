/* test_worker.c — tui/worker.c, the one background-job pattern of the TUI (sync, CalDAV push,
 * KPI figures): NULL and never-started workers, a finished job reported by exactly one poll,
 * wait before and after the end, and a job that is still running when it is freed. */
#include "testutil.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "tui/worker.h"

struct job {
    atomic_int runs;
    atomic_bool release; /* a gated job waits for this before returning */
    bool gated;
    int result;
};

static void job_run(void *ctx)
{
    struct job *j = ctx;
    while (j->gated && !atomic_load(&j->release))
        nanosleep(&(struct timespec){0, 1000 * 1000}, NULL);
    j->result = 42;
    atomic_fetch_add(&j->runs, 1);
}

/* Polls until the job is reported finished (at most about 5 s); returns the polls made. */
static int poll_until_done(struct worker *w)
{
    for (int i = 1; i <= 5000; i++) {
        if (worker_poll(w))
            return i;
        nanosleep(&(struct timespec){0, 1000 * 1000}, NULL);
    }
    fail_msg("the job never finished");
    return 0;
}

static void test_null_and_never_started(void **state)
{
    (void)state;
    assert_false(worker_poll(NULL));
    assert_false(worker_running(NULL));
    worker_wait(NULL); /* returns at once */
    worker_free(NULL);
    struct worker *w = NULL; /* a context whose job was never started */
    worker_free(&w);
    assert_null(w);
    assert_null(worker_start(NULL, NULL)); /* no job: nothing to run */
}

static void test_finished_job_is_reported_by_one_poll(void **state)
{
    (void)state;
    struct job j = {.gated = false};
    struct worker *w = worker_start(job_run, &j);
    assert_non_null(w);
    poll_until_done(w);
    assert_false(worker_running(w));
    assert_int_equal(j.result, 42); /* visible once poll said so */
    assert_false(worker_poll(w));   /* reported once, not at every poll */
    assert_false(worker_poll(w));
    worker_free(&w);
    assert_null(w);
    assert_int_equal(atomic_load(&j.runs), 1);
}

static void test_running_job_polls_false_until_it_returns(void **state)
{
    (void)state;
    struct job j = {.gated = true};
    struct worker *w = worker_start(job_run, &j);
    assert_non_null(w);
    assert_true(worker_running(w));
    assert_false(worker_poll(w)); /* never blocks: the job waits for the gate */
    assert_int_equal(atomic_load(&j.runs), 0);
    atomic_store(&j.release, true);
    poll_until_done(w);
    assert_int_equal(atomic_load(&j.runs), 1);
    worker_free(&w);
}

static void test_wait_then_poll_reports_once(void **state)
{
    (void)state;
    struct job j = {.gated = true};
    struct worker *w = worker_start(job_run, &j);
    atomic_store(&j.release, true);
    worker_wait(w); /* blocks until it returned */
    assert_false(worker_running(w));
    assert_int_equal(j.result, 42);
    assert_true(worker_poll(w)); /* the end is still reported, once */
    assert_false(worker_poll(w));
    worker_free(&w);
}

static void test_wait_after_finish_returns_at_once(void **state)
{
    (void)state;
    struct job j = {.gated = false};
    struct worker *w = worker_start(job_run, &j);
    poll_until_done(w);
    worker_wait(w); /* already joined: returns at once */
    worker_wait(w);
    assert_false(worker_poll(w)); /* a wait does not report the end again */
    worker_free(&w);
    assert_int_equal(atomic_load(&j.runs), 1);
}

static void test_free_waits_for_a_running_job(void **state)
{
    (void)state;
    struct job j = {.gated = true};
    struct worker *w = worker_start(job_run, &j);
    atomic_store(&j.release, true);
    worker_free(&w); /* joins: the context may be dropped right after */
    assert_null(w);
    assert_int_equal(atomic_load(&j.runs), 1);
    assert_int_equal(j.result, 42);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_null_and_never_started),
        cmocka_unit_test(test_finished_job_is_reported_by_one_poll),
        cmocka_unit_test(test_running_job_polls_false_until_it_returns),
        cmocka_unit_test(test_wait_then_poll_reports_once),
        cmocka_unit_test(test_wait_after_finish_returns_at_once),
        cmocka_unit_test(test_free_waits_for_a_running_job),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
