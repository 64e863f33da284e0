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

/* Runs keymap_escape over seq byte by byte: KEYSEQ_MORE until the last byte, then the key. */
static int escape_key(const char *seq)
{
    size_t n = strlen(seq);
    int key = -1;
    for (size_t i = 1; i < n; i++)
        assert_int_equal(keymap_escape(seq, i, &key), KEYSEQ_MORE);
    assert_int_equal(keymap_escape(seq, n, &key), KEYSEQ_KEY);
    return key;
}

/* issue 16: sequences a terminfo does not know are read whole: mapped, or dropped (0). */
static void test_escape_sequences_read_whole(void **state)
{
    (void)state;
    int key;
    assert_int_equal(keymap_escape("", 0, &key), KEYSEQ_MORE);
    assert_int_equal(keymap_escape("j", 1, &key), KEYSEQ_NONE); /* Esc, then j */
    assert_int_equal(keymap_escape("C", 1, &key), KEYSEQ_NONE);
    int home = keymap_named_key("Home"), end = keymap_named_key("End");
    assert_int_equal(escape_key("[1~"), home);
    assert_int_equal(escape_key("[7~"), home);
    assert_int_equal(escape_key("OH"), home);
    assert_int_equal(escape_key("[H"), home);
    assert_int_equal(escape_key("[1;5H"), home);
    assert_int_equal(escape_key("[4~"), end);
    assert_int_equal(escape_key("[8~"), end);
    assert_int_equal(escape_key("OF"), end);
    assert_int_equal(escape_key("[1;2F"), end);
    assert_int_equal(escape_key("[3~"), keymap_named_key("Del"));
    assert_int_equal(escape_key("[5;5~"), keymap_named_key("PgUp"));
    assert_int_equal(escape_key("[1;3A"), keymap_named_key("Up"));
    assert_int_equal(escape_key("OB"), keymap_named_key("Down"));
    assert_int_equal(escape_key("[15~"), KEY_TAG_FN | KEY_F(5));
    assert_int_equal(escape_key("[Z"), keymap_named_key("S-Tab"));
    assert_int_equal(escape_key("[200~"), 0); /* paste markers: dropped */
    assert_int_equal(escape_key("[201~"), 0);
    assert_int_equal(escape_key("[2~"), 0);    /* Insert */
    assert_int_equal(escape_key("[?1;2c"), 0); /* a device report */
    assert_int_equal(escape_key("Oz"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_key_names),
        cmocka_unit_test(test_escape_sequences_read_whole),
        cmocka_unit_test(test_defaults_and_fallback),
        cmocka_unit_test(test_rebind_from_config),
        cmocka_unit_test(test_rebind_errors_name_file_and_line),
        cmocka_unit_test(test_every_action_has_a_name_help_and_default_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
