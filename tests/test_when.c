/* test_when.c — dates and times as typed for scheduling, French and English (core/when.c).
 * Today is Saturday 2026-11-28, now 09:00 unless a test says otherwise. */
#include "testutil.h"

#include "base/day.h"
#include "cal/when.h"

static int today;
static int64_t now9;

static int64_t at(int y, int m, int d, int hh, int mm)
{
    return day_to_time(day_from_ymd(y, m, d)) + hh * 3600 + mm * 60;
}

static int64_t parse_ok(const char *s)
{
    int64_t out = 0;
    struct lcm_err err = {0};
    enum lcm_status rc = when_parse(s, today, now9, &out, &err);
    if (rc != LCM_OK)
        fail_msg("\"%s\": %s", s, err.msg);
    return out;
}

static void test_null_and_empty_refused(void **state)
{
    (void)state;
    int64_t out;
    struct lcm_err err = {0};
    assert_int_equal(when_parse(NULL, today, now9, &out, &err), LCM_ERR_PARSE);
    assert_int_equal(when_parse("", today, now9, &out, &err), LCM_ERR_PARSE);
    assert_int_equal(when_parse("   ", today, now9, &out, &err), LCM_ERR_PARSE);
    assert_non_null(strstr(err.msg, "tue 14:30")); /* the message gives an example */
}

static void test_weekday_next_occurrence(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("tue 14:30"), at(2026, 12, 1, 14, 30));
    assert_int_equal(parse_ok("Tuesday 14:30"), at(2026, 12, 1, 14, 30));
    assert_int_equal(parse_ok("mardi 14h30"), at(2026, 12, 1, 14, 30));
    assert_int_equal(parse_ok("mardi prochain 9h"), at(2026, 12, 1, 9, 0));
    assert_int_equal(parse_ok("next fri 2pm"), at(2026, 12, 4, 14, 0));
    assert_int_equal(parse_ok("lundi"), at(2026, 11, 30, 9, 0)); /* date alone: 09:00 */
}

static void test_same_weekday_today_or_next_week(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("sam 16h"), at(2026, 11, 28, 16, 0)); /* later today */
    assert_int_equal(parse_ok("samedi 8h"), at(2026, 12, 5, 8, 0)); /* passed: next week */
}

static void test_relative_words(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("demain 9h"), at(2026, 11, 29, 9, 0));
    assert_int_equal(parse_ok("tomorrow 10:15"), at(2026, 11, 29, 10, 15));
    assert_int_equal(parse_ok("aujourd'hui 17h"), at(2026, 11, 28, 17, 0));
    assert_int_equal(parse_ok("après-demain 11h"), at(2026, 11, 30, 11, 0));
    assert_int_equal(parse_ok("+2d"), at(2026, 11, 30, 9, 0));
    assert_int_equal(parse_ok("+1w 10:00"), at(2026, 12, 5, 10, 0));
    assert_int_equal(parse_ok("+3h"), now9 + 3 * 3600);
    assert_int_equal(parse_ok("+30m"), now9 + 30 * 60);
}

static void test_absolute_dates(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("2026-12-01 09:00"), at(2026, 12, 1, 9, 0));
    assert_int_equal(parse_ok("01/12/2026 9:00"), at(2026, 12, 1, 9, 0));
    assert_int_equal(parse_ok("1/12 14h"), at(2026, 12, 1, 14, 0));
    assert_int_equal(parse_ok("15/01 10h"), at(2027, 1, 15, 10, 0)); /* past this year: next */
    assert_int_equal(parse_ok("14:30"), at(2026, 11, 28, 14, 30));   /* time alone, ahead */
    assert_int_equal(parse_ok("8:00"), at(2026, 11, 29, 8, 0));      /* passed: tomorrow */
}

static void test_invalid_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {"31/11/2026 9h", "tue 25:00", "tue 14:75",
                                      "2026-02-30",    "tue wed",   "+2x",
                                      "soon",          "14h30 15h", "13pm"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        int64_t out;
        struct lcm_err err = {0};
        if (when_parse(bad[i], today, now9, &out, &err) != LCM_ERR_PARSE)
            fail_msg("\"%s\" was accepted", bad[i]);
    }
}

/* A year before 1900 is refused with its own message, not passed on as a time <= 0. */
static void test_years_before_1900_refused(void **state)
{
    (void)state;
    int64_t t = 0;
    struct lcm_err err = {0};
    const char *old[] = {"0001-01-01", "1899-12-31 10:00", "01/01/1000 9h", "31.12.1899"};
    for (size_t i = 0; i < sizeof old / sizeof *old; i++) {
        assert_int_equal(when_parse(old[i], today, now9, &t, &err), LCM_ERR_PARSE);
        assert_non_null(strstr(err.msg, "is before 1900"));
        assert_non_null(strstr(err.msg, old[i]));
    }
    assert_int_equal(when_parse("1969-12-31 23:00", today, now9, &t, &err), LCM_ERR_PARSE);
    assert_non_null(strstr(err.msg, "before 1970"));
    assert_int_equal(when_parse("1970-01-02 09:00", today, now9, &t, &err), LCM_OK);
}

static void test_durations(void **state)
{
    (void)state;
    int m = 0;
    struct lcm_err err = {0};
    assert_int_equal(when_parse_duration(NULL, &m, &err), LCM_ERR_PARSE);
    assert_int_equal(when_parse_duration("", &m, &err), LCM_ERR_PARSE);
    static const struct {
        const char *s;
        int min;
    } ok[] = {{"30", 30},   {"45m", 45},    {"45 min", 45}, {"1h", 60},
              {"1h30", 90}, {"1 h 30", 90}, {"90min", 90}};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        assert_int_equal(when_parse_duration(ok[i].s, &m, &err), LCM_OK);
        assert_int_equal(m, ok[i].min);
    }
    assert_int_equal(when_parse_duration("0", &m, &err), LCM_ERR_PARSE);
    assert_int_equal(when_parse_duration("25h", &m, &err), LCM_ERR_PARSE);
    assert_int_equal(when_parse_duration("abc", &m, &err), LCM_ERR_PARSE);
}

int main(void)
{
    today = day_from_ymd(2026, 11, 28);
    now9 = day_to_time(today) + 9 * 3600;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_null_and_empty_refused),
        cmocka_unit_test(test_years_before_1900_refused),
        cmocka_unit_test(test_weekday_next_occurrence),
        cmocka_unit_test(test_same_weekday_today_or_next_week),
        cmocka_unit_test(test_relative_words),
        cmocka_unit_test(test_absolute_dates),
        cmocka_unit_test(test_invalid_refused),
        cmocka_unit_test(test_durations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
