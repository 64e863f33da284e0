/* test_day.c — calendar days: parsing, formatting, weekdays, Unix time. */
#include "testutil.h"

#include "base/day.h"

static void test_parse_rejects_bad_dates(void **state)
{
    (void)state;
    int d = 7;
    assert_false(day_parse(NULL, &d));
    assert_false(day_parse("", &d));
    assert_false(day_parse("2026-02-30", &d));
    assert_false(day_parse("2026-13-01", &d));
    assert_false(day_parse("2026-1-01", &d));
    assert_false(day_parse("2026-01-01x", &d));
    assert_false(day_parse("26-01-2026", &d));
    assert_int_equal(d, 7); /* untouched on failure */
    assert_true(day_parse("2024-02-29", &d));
    assert_false(day_parse("2025-02-29", &d));
}

static void test_round_trip_and_known_values(void **state)
{
    (void)state;
    char buf[DAY_TEXT_LEN];
    assert_int_equal(day_from_ymd(1970, 1, 1), 0);
    assert_int_equal(day_from_ymd(2026, 11, 28), 20785);
    assert_string_equal(day_format(20785, buf), "2026-11-28");
    assert_string_equal(day_format(DAY_NONE, buf), "");
    for (int d = -800; d < 30000; d += 37) {
        int back;
        assert_true(day_parse(day_format(d, buf), &back));
        assert_int_equal(back, d);
    }
    assert_int_equal(day_weekday(day_from_ymd(2026, 11, 28)), 5); /* Saturday */
    assert_int_equal(day_weekday(day_from_ymd(2026, 12, 1)), 1);  /* Tuesday */
    assert_int_equal(day_from_time(-1), -1);
    assert_int_equal(day_from_time(86399), 0);
    assert_int_equal(day_to_time(1), 86400);
}

static void test_weekday_abbr(void **state)
{
    (void)state;
    assert_string_equal(day_weekday_abbr(DAY_NONE), "");
    assert_string_equal(day_weekday_abbr(0), "Thu");  /* 1970-01-01 */
    assert_string_equal(day_weekday_abbr(-1), "Wed"); /* before the epoch */
    assert_string_equal(day_weekday_abbr(day_from_ymd(2026, 11, 30)), "Mon");
    assert_string_equal(day_weekday_abbr(day_from_ymd(2026, 12, 1)), "Tue");
    assert_string_equal(day_weekday_abbr(day_from_ymd(2026, 11, 28)), "Sat");
    assert_string_equal(day_weekday_abbr(day_from_ymd(2026, 11, 29)), "Sun");
    for (int d = -20; d < 20; d++) /* a full week apart: the same name */
        assert_string_equal(day_weekday_abbr(d), day_weekday_abbr(d + 7));
}

static void test_today_from_env(void **state)
{
    (void)state;
    int d, secs = 7;
    const char *bad;
    setenv("LCMTUI_TODAY", "2026-11-28", 1);
    assert_true(day_today_from_env(&d, &secs, &bad));
    assert_int_equal(d, 20785);
    assert_int_equal(secs, -1);
    setenv("LCMTUI_TODAY", "2026-11-28T09:30", 1);
    assert_true(day_today_from_env(&d, &secs, &bad));
    assert_int_equal(d, 20785);
    assert_int_equal(secs, 9 * 3600 + 30 * 60);
    setenv("LCMTUI_TODAY", "28/11/2026", 1);
    assert_false(day_today_from_env(&d, &secs, &bad));
    assert_string_equal(bad, "28/11/2026");
    unsetenv("LCMTUI_TODAY");
    assert_true(day_today_from_env(&d, &secs, &bad));
    assert_true(d > 20000);
    assert_int_equal(secs, -1);
}

static void test_moment_parse(void **state)
{
    (void)state;
    int d = 0, secs = 0;
    assert_false(day_moment_parse(NULL, &d, &secs));
    assert_false(day_moment_parse("", &d, &secs));
    assert_true(day_moment_parse("2026-12-01", &d, &secs));
    assert_int_equal(secs, -1);
    assert_true(day_moment_parse("2026-12-01 09:05", &d, &secs));
    assert_int_equal(d, 20788);
    assert_int_equal(secs, 9 * 3600 + 5 * 60);
    assert_true(day_moment_parse("2026-12-01T23:59:59", &d, &secs));
    assert_int_equal(secs, 86399);
    assert_false(day_moment_parse("2026-12-01 24:00", &d, &secs));
    assert_false(day_moment_parse("2026-12-01 09:60", &d, &secs));
    assert_false(day_moment_parse("2026-12-01 9:05", &d, &secs));
    assert_false(day_moment_parse("2026-12-01x09:05", &d, &secs));
    assert_false(day_moment_parse("2026-12-01 09:05:", &d, &secs));
    assert_false(day_moment_parse("2026-02-30 09:05", &d, &secs));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_moment_parse),
        cmocka_unit_test(test_parse_rejects_bad_dates),
        cmocka_unit_test(test_round_trip_and_known_values),
        cmocka_unit_test(test_weekday_abbr),
        cmocka_unit_test(test_today_from_env),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
