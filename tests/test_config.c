/* test_config.c — defaults, a good file, errors with file:line, unknown keys, secrets. */
#include "testutil.h"

#include <sys/stat.h>

#include "base/config.h"
#include "base/config_write.h"

static void test_missing_default_file_gives_defaults(void **state)
{
    (void)state;
    char dir[256];
    tu_tmpdir(dir);
    setenv("XDG_CONFIG_HOME", dir, 1);
    struct lcm_config cfg;
    struct lcm_err err = {0};
    assert_int_equal(config_load(&cfg, NULL, false, NULL, &err), LCM_OK);
    assert_null(cfg.path);
    assert_false(cfg.loaded);
    assert_string_equal(cfg.lang, "fr");
    assert_string_equal(cfg.theme, "dark");
    assert_null(cfg.database);
    assert_null(config_section(&cfg, "risk"));
    int v;
    assert_int_equal(
        config_get_int(config_section(&cfg, "risk"), "inactive_days", 14, 1, 365, &v, &err),
        LCM_OK);
    assert_int_equal(v, 14);
    config_free(&cfg);
    /* An explicit --config that does not exist is an error naming it. */
    char path[512];
    snprintf(path, sizeof path, "%s/nope.conf", dir);
    assert_int_equal(config_load(&cfg, path, true, NULL, &err), LCM_ERR_CONFIG);
    assert_non_null(strstr(err.msg, "nope.conf"));
    tu_rmdir(dir);
}

static void test_good_file(void **state)
{
    (void)state;
    char dir[256], path[512];
    tu_tmpdir(dir);
    tu_write(dir, "config",
             "general: { lcm_name = \"Élodie Martin\"; lang = \"en\"; theme = \"light\"; };\n"
             "risk: { inactive_days = 21; weight_inactivity = 1.5; enabled = true; };\n",
             path);
    struct lcm_config cfg;
    struct lcm_err err = {0};
    struct tu_reports rep = {0};
    struct lcm_report r = {tu_report_fn, &rep};
    assert_int_equal(config_load(&cfg, path, true, &r, &err), LCM_OK);
    assert_string_equal(cfg.lcm_name, "Élodie Martin");
    assert_string_equal(cfg.lang, "en");
    assert_string_equal(cfg.theme, "light");
    const config_setting_t *risk = config_section(&cfg, "risk");
    int days;
    double w;
    bool on;
    assert_int_equal(config_get_int(risk, "inactive_days", 14, 1, 365, &days, &err), LCM_OK);
    assert_int_equal(days, 21);
    assert_int_equal(config_get_double(risk, "weight_inactivity", 1, 0, 100, &w, &err), LCM_OK);
    assert_true(w > 1.49 && w < 1.51);
    assert_int_equal(config_get_bool(risk, "enabled", false, &on, &err), LCM_OK);
    assert_true(on);
    assert_int_equal(rep.warnings, 0);
    config_free(&cfg);
    tu_rmdir(dir);
}

static void test_bad_value_names_file_and_line(void **state)
{
    (void)state;
    char dir[256], path[512];
    tu_tmpdir(dir);
    tu_write(dir, "config", "general: { lang = \"fr\"; };\n\nrisk: {\n  inactive_days = -3;\n};\n",
             path);
    struct lcm_config cfg;
    struct lcm_err err = {0};
    assert_int_equal(config_load(&cfg, path, true, NULL, &err), LCM_OK);
    int days;
    assert_int_equal(
        config_get_int(config_section(&cfg, "risk"), "inactive_days", 14, 1, 365, &days, &err),
        LCM_ERR_CONFIG);
    char want[600];
    snprintf(want, sizeof want, "%s:4: risk.inactive_days must be an integer from 1 to 365", path);
    assert_string_equal(err.msg, want);
    assert_int_equal(days, 14); /* the default stays */
    const char *s;
    assert_int_equal(
        config_get_string(config_section(&cfg, "risk"), "inactive_days", "x", &s, &err),
        LCM_ERR_CONFIG);
    config_free(&cfg);
    tu_rmdir(dir);
}

static void test_syntax_error_and_bad_lang(void **state)
{
    (void)state;
    char dir[256], path[512];
    tu_tmpdir(dir);
    tu_write(dir, "config", "general: {\n  lang = \"fr\"\n  theme = ;\n};\n", path);
    struct lcm_config cfg;
    struct lcm_err err = {0};
    assert_int_equal(config_load(&cfg, path, true, NULL, &err), LCM_ERR_CONFIG);
    char want[600];
    snprintf(want, sizeof want, "%s:3:", path);
    assert_memory_equal(err.msg, want, strlen(want));
    tu_write(dir, "config", "general: { lang = \"de\"; };\n", path);
    assert_int_equal(config_load(&cfg, path, true, NULL, &err), LCM_ERR_CONFIG);
    assert_non_null(strstr(err.msg, "general.lang must be \"fr\" or \"en\""));
    tu_rmdir(dir);
}

static void test_unknown_keys_warn_not_fail(void **state)
{
    (void)state;
    struct lcm_config cfg;
    struct lcm_err err = {0};
    struct tu_reports rep = {0};
    struct lcm_report r = {tu_report_fn, &rep};
    assert_int_equal(config_load_string(&cfg, "config",
                                        "general: { lang = \"fr\"; colour = 1; };\n"
                                        "riks: { x = 1; };\n",
                                        &r, &err),
                     LCM_OK);
    assert_int_equal(rep.warnings, 2);
    assert_non_null(strstr(rep.text, "unknown key general.colour"));
    assert_non_null(strstr(rep.text, "unknown key riks"));
    config_free(&cfg);
}

static void test_secrets_and_permission_warning(void **state)
{
    (void)state;
    char dir[256], path[512];
    tu_tmpdir(dir);
    tu_write(dir, "config",
             "smtp: { password = \"hunter2\"; };\n"
             "sync: { token_cmd = \"printf 's3cret\\\\nsecond line'\"; };\n"
             "calendar: { password_env = \"LCMTUI_TEST_SECRET\"; };\n"
             "kpi: { token_cmd = \"false\"; };\n",
             path);
    chmod(path, 0644);
    struct lcm_config cfg;
    struct lcm_err err = {0};
    struct tu_reports rep = {0};
    struct lcm_report r = {tu_report_fn, &rep};
    assert_int_equal(config_load(&cfg, path, true, &r, &err), LCM_OK);
    assert_int_equal(rep.warnings, 1);
    assert_non_null(strstr(rep.text, "chmod 600"));
    assert_null(strstr(rep.text, "hunter2"));
    char *sec = NULL;
    assert_int_equal(config_secret(config_section(&cfg, "smtp"), "password", &sec, &err), LCM_OK);
    assert_string_equal(sec, "hunter2");
    config_secret_free(&sec);
    assert_null(sec);
    assert_int_equal(config_secret(config_section(&cfg, "sync"), "token", &sec, &err), LCM_OK);
    assert_string_equal(sec, "s3cret");
    config_secret_free(&sec);
    unsetenv("LCMTUI_TEST_SECRET");
    assert_int_equal(config_secret(config_section(&cfg, "calendar"), "password", &sec, &err),
                     LCM_ERR_CONFIG);
    setenv("LCMTUI_TEST_SECRET", "from-env", 1);
    assert_int_equal(config_secret(config_section(&cfg, "calendar"), "password", &sec, &err),
                     LCM_OK);
    assert_string_equal(sec, "from-env");
    config_secret_free(&sec);
    assert_int_equal(config_secret(config_section(&cfg, "kpi"), "token", &sec, &err),
                     LCM_ERR_CONFIG);
    assert_non_null(strstr(err.msg, "kpi.token_cmd"));
    assert_null(sec);
    config_free(&cfg);
    /* Private file: no warning. */
    chmod(path, 0600);
    memset(&rep, 0, sizeof rep);
    assert_int_equal(config_load(&cfg, path, true, &r, &err), LCM_OK);
    assert_int_equal(rep.warnings, 0);
    config_free(&cfg);
    tu_rmdir(dir);
}

/* A webhook URL and credentials inside any URL are secrets too. */
static void test_secret_urls_warn(void **state)
{
    (void)state;
    const char *secret[] = {
        "webhook: { url = \"https://hooks.example/services/T0/B0/xyz\"; };\n",
        "sources: ( { name = \"lrs\"; url = \"https://bob:pw@lrs.example/xapi\"; } );\n",
        "calendar: { url = \"https://u:p@dav.example/cal/\"; };\n"};
    const char *plain[] = {"sources: ( { name = \"m\"; url = \"https://lms.example/\"; } );\n",
                           "calendar: { url = \"https://dav.example/u/@me/\"; };\n"};
    for (int k = 0; k < 5; k++) {
        char dir[256], path[512];
        tu_tmpdir(dir);
        tu_write(dir, "config", k < 3 ? secret[k] : plain[k - 3], path);
        chmod(path, 0640);
        struct lcm_config cfg;
        struct lcm_err err = {0};
        struct tu_reports rep = {0};
        struct lcm_report r = {tu_report_fn, &rep};
        assert_int_equal(config_load(&cfg, path, true, &r, &err), LCM_OK);
        assert_int_equal(rep.warnings, k < 3 ? 1 : 0);
        if (k < 3) {
            assert_non_null(strstr(rep.text, "readable by others; run chmod 600"));
            assert_null(strstr(rep.text, "pw@"));
        }
        config_free(&cfg);
        tu_rmdir(dir);
    }
}

/* A *_cmd key runs through the shell: a file others can write is refused, naming the key. */
static void test_cmd_in_writable_config_refused(void **state)
{
    (void)state;
    char dir[256], path[512];
    tu_tmpdir(dir);
    tu_write(dir, "config", "general: { lang = \"en\"; };\nsmtp: { password_cmd = \"pass x\"; };\n",
             path);
    struct lcm_config cfg;
    struct lcm_err err = {0};
    int modes[] = {0666, 0620, 0602};
    for (int i = 0; i < 3; i++) {
        chmod(path, (mode_t)modes[i]);
        assert_int_equal(config_load(&cfg, path, true, NULL, &err), LCM_ERR_CONFIG);
        assert_non_null(strstr(err.msg, "config:2: password_cmd runs a command"));
        assert_non_null(strstr(err.msg, "chmod go-w"));
    }
    /* Readable but not writable by others: loads (the command is not a secret itself). */
    chmod(path, 0644);
    assert_int_equal(config_load(&cfg, path, true, NULL, &err), LCM_OK);
    config_free(&cfg);
    /* Writable by others without any *_cmd: loads. */
    tu_write(dir, "config", "general: { lang = \"en\"; };\n", path);
    chmod(path, 0666);
    assert_int_equal(config_load(&cfg, path, true, NULL, &err), LCM_OK);
    config_free(&cfg);
    tu_rmdir(dir);
}

/* The first-run form's writer: a key replaced in place, added to its group, or its group
 * appended; comments, strings holding braces and other keys kept; NULL on a broken file. */
static void test_write_keys_keeps_the_rest(void **state)
{
    (void)state;
    struct lcm_err err = {0};
    struct config_kv kv[] = {{"general", "lcm_name", "Claire \"Clo\" Martin"},
                             {"general", "lcm_email", "claire@example.org"},
                             {"calendar", "timezone", "Europe/Paris"}};
    char *t = config_write_text(NULL, kv, 3, &err);
    assert_non_null(t);
    struct lcm_config cfg;
    assert_int_equal(config_load_string(&cfg, "t", t, NULL, &err), LCM_OK);
    assert_string_equal(cfg.lcm_name, "Claire \"Clo\" Martin");
    assert_string_equal(cfg.lcm_email, "claire@example.org");
    config_free(&cfg);
    free(t);

    const char *old = "# my settings { not a group }\n"
                      "general: {\n  lang = \"fr\"; # keep me\n  lcm_name = \"\";\n"
                      "  theme = \"dark\";\n};\n"
                      "sources = ({ name = \"lms\"; lcm_name = \"x{\"; });\n"
                      "calendar = { alarm_minutes = 5; };\n";
    t = config_write_text(old, kv, 3, &err);
    assert_non_null(t);
    assert_non_null(strstr(t, "# my settings { not a group }\n"));
    assert_non_null(strstr(t, "lang = \"fr\"; # keep me"));
    assert_non_null(strstr(t, "lcm_name = \"Claire \\\"Clo\\\" Martin\";"));
    assert_non_null(strstr(t, "lcm_name = \"x{\"")); /* a nested key of the same name is left */
    assert_non_null(strstr(t, "alarm_minutes = 5;"));
    assert_int_equal(config_load_string(&cfg, "t", t, NULL, &err), LCM_OK);
    assert_string_equal(cfg.lcm_name, "Claire \"Clo\" Martin");
    assert_string_equal(cfg.lang, "fr");
    const char *tz = NULL;
    assert_int_equal(
        config_get_string(config_section(&cfg, "calendar"), "timezone", NULL, &tz, &err), LCM_OK);
    assert_string_equal(tz, "Europe/Paris");
    config_free(&cfg);
    /* written twice: the same text (replaced, not added again) */
    char *t2 = config_write_text(t, kv, 3, &err);
    assert_string_equal(t2, t);
    free(t2);
    free(t);
    assert_null(config_write_text("general: { lcm_name = \"open", kv, 1, &err));
    assert_null(config_write_text("general: { /* never closed", kv, 1, &err));

    /* the file: 0600, created with its directory, the rest kept */
    char dir[256], path[512];
    tu_tmpdir(dir);
    snprintf(path, sizeof path, "%s/lcmtui/config", dir);
    assert_int_equal(config_write_keys(path, kv, 2, &err), LCM_OK);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(config_load(&cfg, path, true, NULL, &err), LCM_OK);
    assert_string_equal(cfg.lcm_email, "claire@example.org");
    config_free(&cfg);
    /* a new account: ~/.config itself missing, every directory made (0700) */
    char deep[600];
    snprintf(deep, sizeof deep, "%s/home/.config/lcmtui/config", dir);
    assert_int_equal(config_write_keys(deep, kv, 2, &err), LCM_OK);
    assert_int_equal(stat(deep, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    snprintf(deep, sizeof deep, "%s/home/.config", dir);
    assert_int_equal(stat(deep, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0700);
    /* a value libconfig refuses leaves the file as it was */
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("general: { lang = \"fr\"; };\n", f);
    fclose(f);
    struct config_kv bad = {"general", "lang", "klingon"};
    assert_int_not_equal(config_write_keys(path, &bad, 1, &err), LCM_OK);
    assert_int_equal(config_load(&cfg, path, true, NULL, &err), LCM_OK);
    assert_string_equal(cfg.lang, "fr");
    config_free(&cfg);
    tu_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_keys_keeps_the_rest),
        cmocka_unit_test(test_missing_default_file_gives_defaults),
        cmocka_unit_test(test_good_file),
        cmocka_unit_test(test_bad_value_names_file_and_line),
        cmocka_unit_test(test_syntax_error_and_bad_lang),
        cmocka_unit_test(test_unknown_keys_warn_not_fail),
        cmocka_unit_test(test_secrets_and_permission_warning),
        cmocka_unit_test(test_secret_urls_warn),
        cmocka_unit_test(test_cmd_in_writable_config_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
