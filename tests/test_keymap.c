/* test_keymap.c — key names, default bindings from the action list, per-pane fallback to
 * the global map, rebinding from the config's keys group, and its errors. */
#include "testutil.h"

#include <curses.h>

#include "base/config.h"
#include "tui/keymap.h"

static void test_parse_key_names(void **state)
{
    (void)state;
    assert_int_equal(keymap_parse_key(NULL), -1);
    assert_int_equal(keymap_parse_key(""), -1);
    assert_int_equal(keymap_parse_key("j"), 'j');
    assert_int_equal(keymap_parse_key("é"), 0xe9);
    assert_int_equal(keymap_parse_key("<Enter>"), '\n');
    assert_int_equal(keymap_parse_key("<C-l>"), 12);
    assert_int_equal(keymap_parse_key("<Space>"), ' ');
    assert_int_equal(keymap_parse_key("<PgDn>"), KEY_TAG_FN | KEY_NPAGE);
    assert_int_equal(keymap_parse_key("<F1>"), KEY_TAG_FN | KEY_F(1));
    assert_int_equal(keymap_parse_key("<Nope>"), -1);
    assert_int_equal(keymap_parse_key("ab"), -1);
    assert_int_equal(keymap_parse_key("\x1b"), -1);
    char buf[32];
    assert_string_equal(keymap_key_name(12, buf, sizeof buf), "<C-l>");
    assert_string_equal(keymap_key_name(KEY_TAG_FN | KEY_DOWN, buf, sizeof buf), "<Down>");
    assert_string_equal(keymap_key_name('?', buf, sizeof buf), "?");
}

static void test_defaults_and_fallback(void **state)
{
    (void)state;
    struct keymap km;
    keymap_init(&km);
    assert_int_equal(keymap_lookup(&km, SCOPE_OVERVIEW, 'j'), ACT_DOWN);
    assert_int_equal(keymap_lookup(&km, SCOPE_OVERVIEW, KEY_TAG_FN | KEY_DOWN), ACT_DOWN);
    assert_int_equal(keymap_lookup(&km, SCOPE_OVERVIEW, '\r'), ACT_OPEN);
    assert_int_equal(keymap_lookup(&km, SCOPE_OVERVIEW, 12), ACT_REDRAW);
    /* "d" is the agenda's own action; elsewhere it is unbound */
    assert_int_equal(keymap_lookup(&km, SCOPE_AGENDA, 'd'), ACT_DONE);
    assert_int_equal(keymap_lookup(&km, SCOPE_OVERVIEW, 'd'), ACT_NONE);
    assert_int_equal(keymap_lookup(&km, SCOPE_COMPOSER, 'd'), ACT_DRAFT);
    /* the agenda still falls back to the global map */
    assert_int_equal(keymap_lookup(&km, SCOPE_AGENDA, 'q'), ACT_BACK);
    char buf[64];
    assert_string_equal(keymap_keys_of(&km, ACT_DOWN, buf, sizeof buf), "j <Down>");
    keymap_free(&km);
}

static void test_rebind_from_config(void **state)
{
    (void)state;
    struct lcm_config cfg;
    struct lcm_err err = {0};
    assert_int_equal(config_load_string(&cfg, "t.conf",
                                        "keys: { down = \"n <Down>\"; done = \"D\"; "
                                        "help = \"<F1>\"; };",
                                        NULL, &err),
                     LCM_OK);
    struct keymap km;
    keymap_init(&km);
    assert_int_equal(keymap_load(&km, config_section(&cfg, "keys"), &err), LCM_OK);
    assert_int_equal(keymap_lookup(&km, SCOPE_OVERVIEW, 'n'), ACT_DOWN);
    assert_int_equal(keymap_lookup(&km, SCOPE_OVERVIEW, 'j'), ACT_NONE); /* old key dropped */
    assert_int_equal(keymap_lookup(&km, SCOPE_AGENDA, 'D'), ACT_DONE);
    assert_int_equal(keymap_lookup(&km, SCOPE_AGENDA, 'd'), ACT_NONE);
    assert_int_equal(keymap_lookup(&km, SCOPE_OVERVIEW, '?'), ACT_NONE);
    assert_int_equal(keymap_lookup(&km, SCOPE_OVERVIEW, KEY_TAG_FN | KEY_F(1)), ACT_HELP);
    keymap_free(&km);
    config_free(&cfg);
}

static void test_rebind_errors_name_file_and_line(void **state)
{
    (void)state;
    static const char *const bad[] = {"keys: {\n  fly = \"f\";\n};",
                                      "keys: {\n  down = \"<Nope>\";\n};",
                                      "keys: {\n  down = 3;\n};"};
    for (size_t i = 0; i < 3; i++) {
        struct lcm_config cfg;
        struct lcm_err err = {0};
        assert_int_equal(config_load_string(&cfg, "t.conf", bad[i], NULL, &err), LCM_OK);
        struct keymap km;
        keymap_init(&km);
        assert_int_equal(keymap_load(&km, config_section(&cfg, "keys"), &err), LCM_ERR_CONFIG);
        assert_non_null(strstr(err.msg, ":2: keys.")); /* file:line (a string: "config") */
        keymap_free(&km);
        config_free(&cfg);
    }
}

static void test_every_action_has_a_name_help_and_default_key(void **state)
{
    (void)state;
    assert_null(keymap_action_info(ACT_NONE));
    for (int a = ACT_NONE + 1; a < ACT_COUNT; a++) {
        const struct keymap_action_info *ai = keymap_action_info((enum action)a);
        assert_non_null(ai);
        assert_true(strlen(ai->help) > 3);
        assert_int_equal(keymap_action_by_name(ai->name), a);
        char keys[64];
        snprintf(keys, sizeof keys, "%s", ai->keys);
        char *save = NULL;
        for (char *k = strtok_r(keys, " ", &save); k; k = strtok_r(NULL, " ", &save))
            assert_true(keymap_parse_key(k) >= 0);
    }
    assert_int_equal(keymap_action_by_name("no-such"), ACT_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_key_names),
        cmocka_unit_test(test_defaults_and_fallback),
        cmocka_unit_test(test_rebind_from_config),
        cmocka_unit_test(test_rebind_errors_name_file_and_line),
        cmocka_unit_test(test_every_action_has_a_name_help_and_default_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
