/* test_i18n.c — the interface's language: general.lang over the environment, the order of
 * LANGUAGE, LC_ALL, LC_MESSAGES, LANG, French for fr_*; the catalog found in the build tree,
 * a missing one falling back to English with a note; LC_NUMERIC stays "C" whatever happens. */
#include "testutil.h"

#include <locale.h>
#include <unistd.h>

#include "base/config.h"
#include "base/day.h"
#include "base/i18n.h"

/* A fake environment: NAME=VALUE entries of fake_env, NULL-terminated. */
static const char *const *fake_env;
static const char *fake_get(const char *name)
{
    size_t n = strlen(name);
    for (const char *const *e = fake_env; e && *e; e++)
        if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
            return *e + n + 1;
    return NULL;
}
static enum i18n_lang choose(const char *setting, const char *const *env)
{
    fake_env = env;
    return i18n_choose(setting, fake_get);
}

static void test_nothing_set_is_english(void **state)
{
    (void)state;
    const char *const none[] = {NULL};
    assert_int_equal(choose(NULL, none), I18N_EN);
    assert_int_equal(choose("", none), I18N_EN);
    const char *const empty[] = {"LANGUAGE=", "LC_ALL=", "LANG=", NULL};
    assert_int_equal(choose(NULL, empty), I18N_EN);
    const char *const c[] = {"LANG=C.UTF-8", NULL};
    assert_int_equal(choose(NULL, c), I18N_EN);
}

static void test_setting_wins_over_the_locale(void **state)
{
    (void)state;
    const char *const fr[] = {"LANGUAGE=fr", "LC_ALL=fr_FR.UTF-8", NULL};
    assert_int_equal(choose("en", fr), I18N_EN);
    const char *const en[] = {"LANG=en_GB.UTF-8", NULL};
    assert_int_equal(choose("fr", en), I18N_FR);
}

static void test_environment_order_and_french_forms(void **state)
{
    (void)state;
    const char *const language_first[] = {"LANG=en_US.UTF-8", "LANGUAGE=fr:en", NULL};
    assert_int_equal(choose(NULL, language_first), I18N_FR);
    const char *const lc_all[] = {"LC_ALL=en_US.UTF-8", "LANG=fr_FR.UTF-8", NULL};
    assert_int_equal(choose(NULL, lc_all), I18N_EN);
    const char *const messages[] = {"LC_MESSAGES=fr_CA.UTF-8", "LANG=en_US.UTF-8", NULL};
    assert_int_equal(choose(NULL, messages), I18N_FR);
    const char *const forms[][2] = {{"LANG=fr", NULL},        {"LANG=fr_BE", NULL},
                                    {"LANG=fr.UTF-8", NULL},  {"LANG=fr@euro", NULL},
                                    {"LANGUAGE=fr-CH", NULL}, {"LANGUAGE=fr_FR:de", NULL}};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
        assert_int_equal(choose(NULL, forms[i]), I18N_FR);
    const char *const fry[] = {"LANG=fy_NL.UTF-8", NULL}, *const frx[] = {"LANG=frr_DE", NULL};
    assert_int_equal(choose(NULL, fry), I18N_EN);
    assert_int_equal(choose(NULL, frx), I18N_EN);
}

/* BUILD/locale, beside BUILD/tests/test_i18n. */
static void build_locale(char *out, size_t len)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    assert_true(n > 0);
    exe[n] = '\0';
    *strrchr(exe, '/') = '\0';
    snprintf(out, len, "%s/../locale", exe);
}

static const char *const probe = "the locale of LANG/LC_ALL is not installed here: using C.UTF-8";

static void test_catalog_found_or_english_with_a_note(void **state)
{
    (void)state;
    char dir[4200], note[300] = "junk";
    build_locale(dir, sizeof dir);
    const char *const missing[] = {"/nonexistent/locale", NULL};
    assert_int_equal(i18n_init(I18N_FR, missing, 2, note, sizeof note), I18N_EN);
    assert_non_null(strstr(note, "/nonexistent/locale/fr/LC_MESSAGES/lcmtui.mo"));
    assert_int_equal(i18n_current(), I18N_EN);
    assert_string_equal(i18n_code(), "en");
    assert_string_equal(_(probe), probe);

    const char *const dirs[] = {NULL, "/nonexistent/locale", dir};
    assert_int_equal(i18n_init(I18N_FR, dirs, 3, note, sizeof note), I18N_FR);
    assert_string_equal(note, "");
    assert_string_equal(i18n_code(), "fr");
    assert_non_null(strstr(_(probe), "n’est pas installée"));
    assert_string_equal(ngettext("%d day", "%d days", 2), "%d days"); /* not in the catalog */

    /* English asked with the catalog there: the msgids. */
    assert_int_equal(i18n_init(I18N_EN, dirs, 3, note, sizeof note), I18N_EN);
    assert_string_equal(_(probe), probe);
}

static void test_numbers_stay_c(void **state)
{
    (void)state;
    char dir[4200], note[300], buf[32];
    build_locale(dir, sizeof dir);
    const char *const dirs[] = {dir};
    setlocale(LC_ALL, "");
    i18n_init(I18N_FR, dirs, 1, note, sizeof note);
    assert_string_equal(setlocale(LC_NUMERIC, NULL), "C");
    assert_string_equal(setlocale(LC_TIME, NULL), "C");
    snprintf(buf, sizeof buf, "%.2f", 0.5);
    assert_string_equal(buf, "0.50");
    assert_true(strtod("0.75", NULL) == 0.75);
    /* what a person reads: the decimal comma in French, the point in English */
    assert_string_equal(i18n_decimal(buf, sizeof buf, 3.75, 1), "3,8");
    assert_string_equal(i18n_decimal(buf, sizeof buf, 12.0, 0), "12");
    i18n_init(I18N_EN, dirs, 1, note, sizeof note);
    assert_string_equal(i18n_decimal(buf, sizeof buf, 3.75, 1), "3.8");
}

static void test_dates_for_a_person(void **state)
{
    (void)state;
    char dir[4200], note[300], buf[64];
    build_locale(dir, sizeof dir);
    const char *const dirs[] = {dir};
    int tue = day_from_ymd(2026, 12, 1);
    i18n_init(I18N_FR, dirs, 1, note, sizeof note);
    assert_string_equal(i18n_moment(buf, sizeof buf, tue, 14 * 3600 + 30 * 60),
                        "mardi 1 décembre, 14 h 30");
    assert_string_equal(i18n_moment(buf, sizeof buf, tue + 1, 9 * 3600),
                        "mercredi 2 décembre, 9 h");
    assert_string_equal(i18n_date(buf, sizeof buf, day_from_ymd(2027, 2, 14)), "14 févr. 2027");
    assert_string_equal(_("Tue"), "mar");
    i18n_init(I18N_EN, dirs, 1, note, sizeof note);
    assert_string_equal(i18n_moment(buf, sizeof buf, tue, 14 * 3600 + 30 * 60),
                        "Tuesday 1 December, 14:30");
    assert_string_equal(i18n_date(buf, sizeof buf, tue), "2026-12-01");
}

/* Under a real French locale (tests/e2e_locale_fr.sh runs this binary under fr_FR.UTF-8 with
 * LCMTUI_FR_LOCALE=1; elsewhere the case skips): the C library formats with a comma until
 * i18n_init, then parsing and machine formats are C again, and French forms come from i18n. */
static void test_under_the_french_locale(void **state)
{
    (void)state;
    if (!setlocale(LC_ALL, "fr_FR.UTF-8")) {
        if (getenv("LCMTUI_FR_LOCALE"))
            fail_msg("fr_FR.UTF-8 is not available (LOCPATH=%s)", getenv("LOCPATH"));
        skip();
    }
    char buf[64], dir[4200], note[300];
    snprintf(buf, sizeof buf, "%.2f", 0.5);
    assert_string_equal(buf, "0,50"); /* the locale is really French */
    build_locale(dir, sizeof dir);
    const char *const dirs[] = {dir};
    assert_int_equal(i18n_init(I18N_FR, dirs, 1, note, sizeof note), I18N_FR);
    snprintf(buf, sizeof buf, "%.2f", 0.5);
    assert_string_equal(buf, "0.50");
    assert_true(strtod("0.75", NULL) == 0.75);
    assert_true(atof("2.5") == 2.5);
    struct lcm_config cfg;
    struct lcm_err err = {0};
    assert_int_equal(config_load_string(&cfg, "t.conf", "risk: { weight = 0.75; };\n", NULL, &err),
                     LCM_OK);
    double w = 0;
    assert_int_equal(config_get_double(config_section(&cfg, "risk"), "weight", 0, 0, 1, &w, &err),
                     LCM_OK);
    assert_true(w == 0.75);
    config_free(&cfg);
    int day = 0, secs = 0;
    assert_true(day_moment_parse("2026-12-01 14:30", &day, &secs));
    assert_int_equal(day, day_from_ymd(2026, 12, 1));
    assert_int_equal(secs, 14 * 3600 + 30 * 60);
    assert_string_equal(i18n_moment(buf, sizeof buf, day, secs), "mardi 1 décembre, 14 h 30");
    assert_string_equal(i18n_decimal(buf, sizeof buf, 0.5, 2), "0,50");
    setlocale(LC_ALL, "C.UTF-8");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nothing_set_is_english),
        cmocka_unit_test(test_setting_wins_over_the_locale),
        cmocka_unit_test(test_environment_order_and_french_forms),
        cmocka_unit_test(test_catalog_found_or_english_with_a_note),
        cmocka_unit_test(test_numbers_stay_c),
        cmocka_unit_test(test_dates_for_a_person),
        cmocka_unit_test(test_under_the_french_locale),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
