/* test_theme.c — the shipped themes parse, colour and attribute names, errors naming
 * file:line, monochrome; and the small formatters the panes share (bars, sparklines, ages,
 * times in calendar.timezone). */
#include "testutil.h"

#include <curses.h>
#include <limits.h>
#include <locale.h>
#include <sys/stat.h>

#include "base/day.h"
#include "tui/theme.h"
#include "tui/fmt.h"

static char share[PATH_MAX];

static void test_shipped_themes_load(void **state)
{
    (void)state;
    static const char *const names[] = {"dark", "light", "high-contrast"};
    for (size_t i = 0; i < 3; i++) {
        struct theme th;
        struct lcm_err err = {0};
        assert_int_equal(theme_load(&th, share, names[i], &err), LCM_OK);
        assert_true(th.color);
        assert_true(th.role[ROLE_CURSOR].bg != -1 || (th.role[ROLE_CURSOR].attrs & A_REVERSE));
    }
    struct theme th;
    struct lcm_err err = {0};
    assert_int_equal(theme_load(&th, share, "monochrome", &err), LCM_OK);
    assert_false(th.color);
    assert_true(th.role[ROLE_CURSOR].attrs & A_REVERSE);
    assert_true(th.role[ROLE_RISK_HIGH].attrs & A_BOLD);
}

static void test_missing_and_bad_themes(void **state)
{
    (void)state;
    struct theme th;
    struct lcm_err err = {0};
    assert_int_equal(theme_load(&th, share, NULL, &err), LCM_ERR_CONFIG);
    assert_int_equal(theme_load(&th, share, "../etc/passwd", &err), LCM_ERR_CONFIG);
    assert_int_equal(theme_load(&th, share, "nope", &err), LCM_ERR_NOTFOUND);
    assert_true(th.color); /* the built-in dark colours stay usable */
    char dir[256], path[512], themes[300];
    tu_tmpdir(dir);
    snprintf(themes, sizeof themes, "%s/themes", dir);
    assert_int_equal(mkdir(themes, 0700), 0);
    tu_write(themes, "bad.conf", "roles: {\n  title = { fg = \"purple\"; };\n};\n", path);
    assert_int_equal(theme_load(&th, dir, "bad", &err), LCM_ERR_CONFIG);
    assert_non_null(strstr(err.msg, "bad.conf:2"));
    tu_write(themes, "syntax.conf", "roles: {\n  title = \n", path);
    assert_int_equal(theme_load(&th, dir, "syntax", &err), LCM_ERR_CONFIG);
    assert_non_null(strstr(err.msg, "syntax.conf:"));
    tu_rmdir(dir);
}

static void test_colour_and_attribute_names(void **state)
{
    (void)state;
    assert_int_equal(theme_color(NULL), -1);
    assert_int_equal(theme_color("default"), -1);
    assert_int_equal(theme_color("red"), COLOR_RED);
    assert_int_equal(theme_color("brightred"), COLOR_RED + 8);
    assert_int_equal(theme_color("236"), 236);
    assert_int_equal(theme_color("256"), -2);
    assert_int_equal(theme_color("purple"), -2);
    assert_int_equal(theme_attrs(""), 0);
    assert_int_equal(theme_attrs("bold underline"), A_BOLD | A_UNDERLINE);
    assert_int_equal(theme_attrs("bold blink"), -1);
}

static void test_bar_and_sparkline(void **state)
{
    (void)state;
    char buf[128];
    assert_string_equal(fmt_bar(buf, sizeof buf, 0.5, 4), "██░░");
    assert_string_equal(fmt_bar(buf, sizeof buf, -1, 3), "   ");
    assert_string_equal(fmt_bar(buf, sizeof buf, 1.0, 2), "██");
    int v[] = {0, 10, 40, 80};
    /* zero is a blank, any activity at least ▂, the busiest week █ (levels by ceiling) */
    assert_string_equal(fmt_spark(buf, sizeof buf, v, 4), " ▃▅█");
    int z[] = {0, 0};
    assert_string_equal(fmt_spark(buf, sizeof buf, z, 2), "▁▁");
}

static void test_ages_and_times(void **state)
{
    (void)state;
    char buf[64];
    int today = day_from_ymd(2026, 11, 28);
    assert_string_equal(fmt_ago(buf, sizeof buf, DAY_NONE, today), "never");
    assert_string_equal(fmt_ago(buf, sizeof buf, today, today), "today");
    assert_string_equal(fmt_ago(buf, sizeof buf, today - 21, today), "21 d");
    fmt_set_timezone(NULL);
    int64_t t = day_to_time(day_from_ymd(2026, 12, 1)) + 13 * 3600 + 30 * 60;
    assert_string_equal(fmt_when(buf, sizeof buf, t), "Tue 01/12 13:30");
    assert_string_equal(fmt_when(buf, sizeof buf, 0), "");
    assert_string_equal(fmt_when_short(buf, sizeof buf, t, today), "Tue 13:30");
    assert_string_equal(fmt_when_short(buf, sizeof buf, t, day_from_ymd(2026, 12, 1)), "13:30");
    assert_string_equal(fmt_when_short(buf, sizeof buf, t, today - 10), "01/12 13:30");
    /* in Paris (UTC+1 in winter) the same instant reads 14:30, and back */
    fmt_set_timezone("Europe/Paris");
    assert_string_equal(fmt_when(buf, sizeof buf, t), "Tue 01/12 14:30");
    assert_int_equal(fmt_from_wall(fmt_to_wall(t)), t);
    fmt_set_timezone(NULL);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    if (!realpath(".", share))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_themes_load),
        cmocka_unit_test(test_missing_and_bad_themes),
        cmocka_unit_test(test_colour_and_attribute_names),
        cmocka_unit_test(test_bar_and_sparkline),
        cmocka_unit_test(test_ages_and_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
