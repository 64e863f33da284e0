/* test_lineedit.c — the pure line editor: UTF-8 editing, moves, word wrap (core/lineedit.c). */
#include "testutil.h"

#include <locale.h>

#include "tui/lineedit.h"

static void test_init_null_is_empty(void **state)
{
    (void)state;
    struct lineedit le;
    lineedit_init(&le, NULL, false);
    assert_string_equal(lineedit_text(&le), "");
    assert_false(lineedit_backspace(&le));
    assert_false(lineedit_left(&le));
    assert_false(lineedit_delete(&le));
    lineedit_free(&le);
}

static void test_insert_and_backspace_utf8(void **state)
{
    (void)state;
    struct lineedit le;
    lineedit_init(&le, "", false);
    assert_true(lineedit_insert(&le, "Hél"));
    assert_true(lineedit_insert_cp(&le, 0xe8)); /* è */
    assert_true(lineedit_insert(&le, "ne"));
    assert_string_equal(lineedit_text(&le), "Hélène");
    assert_true(lineedit_left(&le));
    assert_true(lineedit_left(&le));
    assert_true(lineedit_backspace(&le)); /* removes è as one character */
    assert_string_equal(lineedit_text(&le), "Hélne");
    assert_true(lineedit_left(&le));
    assert_true(lineedit_delete(&le));
    assert_string_equal(lineedit_text(&le), "Héne");
    lineedit_free(&le);
}

static void test_controls_refused(void **state)
{
    (void)state;
    struct lineedit le;
    lineedit_init(&le, "ab", false);
    assert_false(lineedit_insert_cp(&le, 0x1b));
    assert_false(lineedit_insert_cp(&le, '\n'));
    assert_false(lineedit_insert(&le, "x\x1b[31m"));
    assert_false(lineedit_insert(&le, "\xff"));
    assert_string_equal(lineedit_text(&le), "ab");
    lineedit_set(&le, "a\x1b"
                      "b");
    assert_string_equal(lineedit_text(&le), "a^[b"); /* set cleans: visible, never raw */
    lineedit_free(&le);
    lineedit_init(&le, "", true);
    assert_true(lineedit_insert_cp(&le, '\n'));
    lineedit_free(&le);
}

static void test_max_length(void **state)
{
    (void)state;
    struct lineedit le;
    lineedit_init(&le, "", false);
    le.max = 3;
    assert_true(lineedit_insert(&le, "ab"));
    assert_false(lineedit_insert(&le, "é")); /* 2 bytes would make 4 */
    assert_true(lineedit_insert_cp(&le, 'c'));
    assert_false(lineedit_insert_cp(&le, 'd'));
    assert_string_equal(lineedit_text(&le), "abc");
    lineedit_free(&le);
}

static void test_home_end_words_kills(void **state)
{
    (void)state;
    struct lineedit le;
    lineedit_init(&le, "bonjour cher ami\nsecond", true);
    assert_true(lineedit_home(&le));
    assert_int_equal(le.cur, 17);
    assert_true(lineedit_left(&le)); /* onto the newline */
    assert_true(lineedit_word_left(&le));
    assert_int_equal(le.cur, 13); /* start of "ami" */
    assert_true(lineedit_kill_word(&le));
    assert_string_equal(lineedit_text(&le), "bonjour ami\nsecond");
    assert_true(lineedit_kill_to_end(&le));
    assert_string_equal(lineedit_text(&le), "bonjour \nsecond");
    assert_true(lineedit_kill_to_start(&le));
    assert_string_equal(lineedit_text(&le), "\nsecond");
    assert_false(lineedit_home(&le));
    assert_true(lineedit_word_right(&le));
    assert_int_equal(le.cur, strlen("\nsecond"));
    lineedit_free(&le);
}

static void test_wrap_breaks_at_spaces_and_long_words(void **state)
{
    (void)state;
    struct lineedit le;
    lineedit_init(&le, "hello world foo\nabcdefghij", true);
    struct le_vline *l;
    size_t n = lineedit_wrap(&le, 6, &l);
    assert_int_equal(n, 5);
    const char *t = lineedit_text(&le);
    assert_memory_equal(t + l[0].start, "hello ", 6);
    assert_memory_equal(t + l[1].start, "world ", 6);
    assert_memory_equal(t + l[2].start, "foo", 3);
    assert_int_equal(l[2].end - l[2].start, 3);
    assert_memory_equal(t + l[3].start, "abcdef", 6);
    assert_memory_equal(t + l[4].start, "ghij", 4);
    free(l);
    lineedit_free(&le);
}

static void test_wrap_wide_characters(void **state)
{
    (void)state;
    struct lineedit le;
    lineedit_init(&le, "日本語テキスト", false);
    struct le_vline *l;
    size_t n = lineedit_wrap(&le, 5, &l); /* two wide characters (4 columns) per line */
    assert_int_equal(n, 4);
    assert_int_equal(l[0].end - l[0].start, 6);
    free(l);
    int row, col;
    lineedit_cursor(&le, 5, &row, &col);
    assert_int_equal(row, 3);
    assert_int_equal(col, 2);
    lineedit_free(&le);
}

static void test_up_down_keep_column(void **state)
{
    (void)state;
    struct lineedit le;
    lineedit_init(&le, "abcdef ghijkl\nxy", true);
    le.cur = 3; /* after "abc" */
    int row, col;
    lineedit_cursor(&le, 7, &row, &col);
    assert_int_equal(row, 0);
    assert_int_equal(col, 3);
    assert_true(lineedit_down(&le, 7));
    lineedit_cursor(&le, 7, &row, &col);
    assert_int_equal(row, 1);
    assert_int_equal(col, 3);
    assert_int_equal(le.cur, 10); /* "ghi|jkl" */
    assert_true(lineedit_down(&le, 7));
    lineedit_cursor(&le, 7, &row, &col);
    assert_int_equal(row, 2);
    assert_int_equal(col, 2); /* "xy" is shorter: end of line */
    assert_false(lineedit_down(&le, 7));
    assert_true(lineedit_up(&le, 7));
    assert_true(lineedit_up(&le, 7));
    assert_false(lineedit_up(&le, 7));
    lineedit_free(&le);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_null_is_empty),
        cmocka_unit_test(test_insert_and_backspace_utf8),
        cmocka_unit_test(test_controls_refused),
        cmocka_unit_test(test_max_length),
        cmocka_unit_test(test_home_end_words_kills),
        cmocka_unit_test(test_wrap_breaks_at_spaces_and_long_words),
        cmocka_unit_test(test_wrap_wide_characters),
        cmocka_unit_test(test_up_down_keep_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
