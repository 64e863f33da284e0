/* test_tui_caldav.c — the TUI's background CalDAV push: started by scheduling, moving and
 * cancelling a call when calendar.url is set, never blocking the key that saved; an
 * unreachable server leaves the follow-ups dirty and the status line says how many are not
 * pushed. (The push to a real server: tests/e2e_tui_caldav.sh.) */
#include "tui_fixture.h"

static struct fx F;

static int setup(void **state)
{
    (void)state;
    /* port 1 on loopback: connection refused at once */
    fx_open(&F, "calendar: { url = \"http://127.0.0.1:1/cal/\"; timeout = 2; };");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    caldav_bg_wait(&F.t);
    fx_close(&F);
    return 0;
}

static void test_schedule_starts_a_push_that_reports_not_pushed(void **state)
{
    (void)state;
    int64_t dirty0 = fx_count(&F, "SELECT count(*) FROM followup WHERE push_state = 'dirty'");
    fx_keys(&F, "/Marty<Enter>s01/12/2026 16:00<Enter>");
    assert_null(F.t.form);
    assert_non_null(strstr(F.t.status, "call planned"));
    caldav_bg_wait(&F.t);
    assert_false(caldav_bg_running());
    assert_non_null(strstr(F.t.status, "calendar: "));
    char want[64];
    snprintf(want, sizeof want, "; %lld not pushed", (long long)(dirty0 + 1));
    assert_non_null(strstr(F.t.status, want));
    /* nothing local is lost: the new call is saved and waits for the next push */
    assert_int_equal(fx_count(&F, "SELECT count(*) FROM followup WHERE push_state = 'dirty' AND "
                                  "due_at = strftime('%s','2026-12-01 16:00')"),
                     1);
}

static void test_two_changes_in_a_row_lose_nothing(void **state)
{
    (void)state;
    fx_keys(&F, "q/Bobby<Enter>s01/12/2026 17:00<Enter>");
    fx_keys(&F, "q/Sophie<Enter>s02/12/2026 17:00<Enter>"); /* while the first may still run */
    caldav_bg_wait(&F.t);
    assert_false(caldav_bg_running());
    assert_non_null(strstr(F.t.status, "not pushed"));
    assert_int_equal(
        fx_count(&F, "SELECT count(*) FROM followup WHERE push_state = 'dirty' AND "
                     "due_at IN "
                     "(strftime('%s','2026-12-01 17:00'), strftime('%s','2026-12-02 17:00'))"),
        2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schedule_starts_a_push_that_reports_not_pushed),
        cmocka_unit_test(test_two_changes_in_a_row_lose_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
