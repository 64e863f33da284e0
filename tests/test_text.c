/* test_text.c — UTF-8 decoding, display widths, sanitising and truncation (core/base/text.c). */
#include "testutil.h"

#include <locale.h>

#include "base/text.h"

static void test_decode_empty_and_invalid(void **state)
{
    (void)state;
    uint32_t cp = 7;
    assert_int_equal(text_decode("", 0, &cp), 0);
    assert_int_equal(text_decode("\xc3", 1, &cp), 0);             /* truncated */
    assert_int_equal(text_decode("\xc0\xaf", 2, &cp), 0);         /* overlong '/' */
    assert_int_equal(text_decode("\xed\xa0\x80", 3, &cp), 0);     /* surrogate */
    assert_int_equal(text_decode("\xf4\x90\x80\x80", 4, &cp), 0); /* > U+10FFFF */
    assert_int_equal(text_decode("\xff", 1, &cp), 0);
    assert_int_equal(text_decode("\xc3\xa9", 2, &cp), 2);
    assert_int_equal(cp, 0xe9);
    assert_int_equal(text_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
    assert_int_equal(cp, 0x1f600);
}

static void test_clean_null_gives_empty(void **state)
{
    (void)state;
    char *s = text_clean(NULL, false);
    assert_string_equal(s, "");
    free(s);
}

static void test_clean_makes_escape_sequences_visible(void **state)
{
    (void)state;
    char *s = text_clean("Bob\x1b[31mby\x1b]0;pwned\x07", false);
    assert_null(strchr(s, 0x1b));
    assert_null(strchr(s, 0x07));
    assert_string_equal(s, "Bob^[[31mby^[]0;pwned^G");
    free(s);
    /* C1 CSI (U+009B) and raw invalid bytes become \xNN */
    s = text_clean("a\xc2\x9b"
                   "2Jb\xff",
                   false);
    assert_string_equal(s, "a\\x9B2Jb\\xFF");
    free(s);
    s = text_clean("del\x7f", false);
    assert_string_equal(s, "del^?");
    free(s);
}

static void test_clean_newlines_kept_only_when_asked(void **state)
{
    (void)state;
    char *a = text_clean("one\ntwo\tthree\r", true);
    assert_string_equal(a, "one\ntwo three^M");
    char *b = text_clean("one\ntwo", false);
    assert_string_equal(b, "one^Jtwo");
    free(a);
    free(b);
}

static void test_width_accents_cjk_combining(void **state)
{
    (void)state;
    assert_int_equal(text_width(""), 0);
    assert_int_equal(text_width("Hélène"), 6);
    assert_int_equal(text_width("日本語"), 6);
    assert_int_equal(text_width("e\xcc\x81"), 1); /* e + combining acute */
    assert_int_equal(text_cp_width(0x1b), -1);
}

static void test_fit_truncates_with_ellipsis(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(text_fit(out, sizeof out, "Hélène Dupré", 6, false), 6);
    assert_string_equal(out, "Hélèn…");
    assert_int_equal(text_fit(out, sizeof out, "Hélène", 6, false), 6);
    assert_string_equal(out, "Hélène");
    assert_int_equal(text_fit(out, sizeof out, "ab", 5, true), 5);
    assert_string_equal(out, "ab   ");
    assert_int_equal(text_fit(out, sizeof out, "x", 0, true), 0);
    assert_string_equal(out, "");
}

static void test_fit_never_splits_a_wide_character(void **state)
{
    (void)state;
    char out[64];
    /* 日本語テキスト is 14 columns; in 6: two characters (4) + … (1), padded to 6 */
    assert_int_equal(text_fit(out, sizeof out, "日本語テキスト", 6, true), 6);
    assert_string_equal(out, "日本… ");
    assert_int_equal(text_fit(out, sizeof out, "日本語", 5, false), 5);
    assert_string_equal(out, "日本…");
}

static void test_fit_cleans_hostile_text(void **state)
{
    (void)state;
    char out[64];
    text_fit(out, sizeof out, "\x1b[2J\x1b[HX", 20, false);
    assert_null(strchr(out, 0x1b));
    assert_string_equal(out, "^[[2J^[[HX");
}

static void test_col_offset(void **state)
{
    (void)state;
    assert_int_equal(text_col_offset("", 3), 0);
    assert_int_equal(text_col_offset("héllo", 2), 3); /* h + é (2 bytes) */
    assert_int_equal(text_col_offset("日本", 2), 3);
}

static void test_valid_and_char_len(void **state)
{
    (void)state;
    assert_true(text_valid(NULL, 0));
    assert_true(text_valid("", 0));
    assert_true(text_valid("Hélène ✓ 😀", strlen("Hélène ✓ 😀")));
    assert_false(text_valid("\xC3\x28", 2));         /* bad continuation */
    assert_false(text_valid("\xC0\xAF", 2));         /* overlong */
    assert_false(text_valid("\xED\xA0\x80", 3));     /* surrogate */
    assert_false(text_valid("\xF4\x90\x80\x80", 4)); /* above U+10FFFF */
    assert_false(text_valid("ab\xE2\x82", 4));       /* truncated at the end */
    assert_int_equal(text_char_len(""), 0);
    assert_int_equal(text_char_len("a"), 1);
    assert_int_equal(text_char_len("é"), 2);
    assert_int_equal(text_char_len("😀x"), 4);
    assert_int_equal(text_char_len("\xE2\x82"), 1); /* truncated: one byte at a time */
    assert_int_equal(text_char_len("\xFF"), 1);
}

static void test_clean_plain_for_files(void **state)
{
    (void)state;
    char *c = text_clean_plain(NULL, false, 10);
    assert_string_equal(c, "");
    free(c);
    /* ESC, tab, DEL and a C1 control become spaces; invalid bytes '?'; accents kept. */
    c = text_clean_plain("\x1b[31mÉa\tb\x7f\xc2\x9b\xff\n", false, 100);
    assert_string_equal(c, " [31mÉa b  ? ");
    free(c);
    c = text_clean_plain("a\nb\tc\rd\x1b", true, 100); /* a body: newlines and tabs kept */
    assert_string_equal(c, "a\nb\tc d ");
    free(c);
    /* Cut at max bytes, never inside a character: "é" (2 bytes) does not fit in 1. */
    c = text_clean_plain("aéb", false, 2);
    assert_string_equal(c, "a");
    free(c);
    c = text_clean_plain("aéb", false, 3);
    assert_string_equal(c, "aé");
    free(c);
}

/* Bidi embeddings, overrides and isolates never reorder a line: visible on a terminal, dropped
 * from files; other right-to-left text (a name in Arabic) and LRM/RLM marks are kept. */
static void test_bidi_controls(void **state)
{
    (void)state;
    const char *evil = "Bob \xe2\x80\xae"
                       "exe.txt\xe2\x81\xa6"
                       "x\xe2\x81\xa9"; /* U+202E, U+2066, U+2069 */
    char *c = text_clean(evil, false);
    assert_string_equal(c, "Bob \\u202Eexe.txt\\u2066x\\u2069");
    free(c);
    char *p = text_clean_plain(evil, false, 100);
    assert_string_equal(p, "Bob exe.txtx");
    free(p);
    for (uint32_t cp = 0x202a; cp <= 0x2069; cp++) {
        if (cp == 0x202f)
            cp = 0x2066;
        char in[8] = {0};
        text_encode(cp, in);
        char *v = text_clean(in, false);
        assert_int_equal(v[0], '\\');
        free(v);
        char out[16];
        text_fit(out, sizeof out, in, 10, false);
        assert_null(strstr(out, in));
    }
    const char *arabic = "\xd9\x84\xd9\x8a\xd9\x84\xd9\x89 \xe2\x80\x8f"; /* ليلى + RLM */
    char *a = text_clean(arabic, false);
    assert_string_equal(a, arabic);
    free(a);
}

/* An error quoting hostile data shows its controls as every terminal output does, and a
 * message longer than the buffer is cut on a character boundary. */
static void test_err_set_shows_controls(void **state)
{
    (void)state;
    struct lcm_err e = {0};
    lcm_err_set(&e, LCM_ERR_INVALID, "bad value '%s'", "X\x1b[2J\xc2\x9b\xe2\x80\xaeY");
    assert_string_equal(e.msg, "bad value 'X^[[2J\\x9B\\u202EY'");
    char big[1200];
    for (size_t i = 0; i + 2 < sizeof big; i += 2)
        memcpy(big + i, "\xc3\xa9", 2); /* é */
    big[sizeof big - 2] = '\0';
    lcm_err_set(&e, LCM_ERR_INVALID, "%s", big);
    assert_true(strlen(e.msg) < sizeof e.msg);
    assert_true(text_valid(e.msg, strlen(e.msg)));
    assert_true(strlen(e.msg) >= sizeof e.msg - 8);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_empty_and_invalid),
        cmocka_unit_test(test_clean_null_gives_empty),
        cmocka_unit_test(test_clean_makes_escape_sequences_visible),
        cmocka_unit_test(test_clean_newlines_kept_only_when_asked),
        cmocka_unit_test(test_width_accents_cjk_combining),
        cmocka_unit_test(test_fit_truncates_with_ellipsis),
        cmocka_unit_test(test_fit_never_splits_a_wide_character),
        cmocka_unit_test(test_fit_cleans_hostile_text),
        cmocka_unit_test(test_col_offset),
        cmocka_unit_test(test_valid_and_char_len),
        cmocka_unit_test(test_clean_plain_for_files),
        cmocka_unit_test(test_bidi_controls),
        cmocka_unit_test(test_err_set_shows_controls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
