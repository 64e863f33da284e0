/* test_xdg.c — lcmtui's configuration and data paths: unset and empty variables, relative
 * XDG_* values ignored, the HOME fallback, paths too long for the buffer; and the three users
 * (config, database, templates) agree with it. */
#include "testutil.h"

#include "base/config.h"
#include "base/xdg.h"
#include "msg/template.h"
#include "store/store.h"

static void env(const char *name, const char *value)
{
    if (value)
        setenv(name, value, 1);
    else
        unsetenv(name);
}

/* Sets HOME, XDG_CONFIG_HOME and XDG_DATA_HOME (NULL: unset). */
static void set_env(const char *home, const char *config, const char *data)
{
    env("HOME", home);
    env("XDG_CONFIG_HOME", config);
    env("XDG_DATA_HOME", data);
}

static void test_unset_or_empty_home_gives_no_path(void **state)
{
    (void)state;
    char out[256] = "junk";
    set_env(NULL, NULL, NULL);
    assert_false(xdg_config_path("config", out, sizeof out));
    assert_string_equal(out, "");
    strcpy(out, "junk");
    assert_false(xdg_data_path("lcmtui.db", out, sizeof out));
    assert_string_equal(out, "");
    set_env("", "", "");
    assert_false(xdg_config_path("config", out, sizeof out));
    assert_false(xdg_data_path("lcmtui.db", out, sizeof out));
    assert_false(config_default_path(out, sizeof out));
    assert_false(store_default_path(out, sizeof out));
    assert_false(template_user_dir(out, sizeof out));
    /* no buffer: nothing written, no path */
    set_env("/home/ana", NULL, NULL);
    assert_false(xdg_config_path("config", NULL, 0));
    assert_false(xdg_config_path("config", out, 0));
}

static void test_absolute_xdg_wins_without_home(void **state)
{
    (void)state;
    char out[256];
    set_env(NULL, "/etc/xdg-ana", "/srv/data");
    assert_true(xdg_config_path("config", out, sizeof out));
    assert_string_equal(out, "/etc/xdg-ana/lcmtui/config");
    assert_true(xdg_data_path("lcmtui.db", out, sizeof out));
    assert_string_equal(out, "/srv/data/lcmtui/lcmtui.db");
    set_env("/home/ana", "/etc/xdg-ana", "/srv/data");
    assert_true(xdg_config_path("templates", out, sizeof out));
    assert_string_equal(out, "/etc/xdg-ana/lcmtui/templates");
}

static void test_relative_xdg_ignored(void **state)
{
    (void)state;
    char out[256];
    set_env("/home/ana", "rel/config", "./data");
    assert_true(xdg_config_path("config", out, sizeof out));
    assert_string_equal(out, "/home/ana/.config/lcmtui/config");
    assert_true(xdg_data_path("lcmtui.db", out, sizeof out));
    assert_string_equal(out, "/home/ana/.local/share/lcmtui/lcmtui.db");
    set_env(NULL, "rel/config", "./data");
    assert_false(xdg_config_path("config", out, sizeof out));
    assert_false(xdg_data_path("lcmtui.db", out, sizeof out));
}

static void test_home_fallback_and_the_directory_itself(void **state)
{
    (void)state;
    char out[256];
    set_env("/home/ana", NULL, "");
    assert_true(xdg_config_path("config", out, sizeof out));
    assert_string_equal(out, "/home/ana/.config/lcmtui/config");
    assert_true(xdg_data_path("lcmtui.db", out, sizeof out));
    assert_string_equal(out, "/home/ana/.local/share/lcmtui/lcmtui.db");
    assert_true(xdg_config_path(NULL, out, sizeof out));
    assert_string_equal(out, "/home/ana/.config/lcmtui");
    assert_true(xdg_data_path("", out, sizeof out));
    assert_string_equal(out, "/home/ana/.local/share/lcmtui");
    /* the three users name their file in the same place */
    assert_true(config_default_path(out, sizeof out));
    assert_string_equal(out, "/home/ana/.config/lcmtui/config");
    assert_true(store_default_path(out, sizeof out));
    assert_string_equal(out, "/home/ana/.local/share/lcmtui/lcmtui.db");
    assert_true(template_user_dir(out, sizeof out));
    assert_string_equal(out, "/home/ana/.config/lcmtui/templates");
}

static void test_too_long_refused(void **state)
{
    (void)state;
    char out[32];
    set_env("/home/ana", NULL, NULL);
    /* "/home/ana/.config/lcmtui/config" is 31 bytes: it fits in 32, not in 31 */
    assert_true(xdg_config_path("config", out, 32));
    assert_string_equal(out, "/home/ana/.config/lcmtui/config");
    assert_false(xdg_config_path("config", out, 31));
    assert_string_equal(out, "");
    char home[5000];
    memset(home, 'a', sizeof home - 1);
    home[0] = '/';
    home[sizeof home - 1] = '\0';
    char big[4096];
    set_env(home, NULL, NULL);
    assert_false(xdg_data_path("lcmtui.db", big, sizeof big));
    assert_string_equal(big, "");
    assert_false(store_default_path(big, sizeof big));
    set_env("/home/ana", home, home);
    assert_false(xdg_config_path("config", big, sizeof big));
    assert_false(xdg_data_path("lcmtui.db", big, sizeof big));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unset_or_empty_home_gives_no_path),
        cmocka_unit_test(test_absolute_xdg_wins_without_home),
        cmocka_unit_test(test_relative_xdg_ignored),
        cmocka_unit_test(test_home_fallback_and_the_directory_itself),
        cmocka_unit_test(test_too_long_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
