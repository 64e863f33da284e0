/* test_buf.c — the growing string: empty and NULL cases, growth over many appends, embedded
 * NUL bytes, formatting, take and free. */
#include "testutil.h"

#include "base/buf.h"

static void test_take_of_empty_buffer_is_empty_string(void **state)
{
    (void)state;
    struct buf b = {0};
    char *s = buf_take(&b);
    assert_non_null(s);
    assert_string_equal(s, "");
    assert_null(b.p);
    assert_int_equal(b.len, 0);
    free(s);
}

static void test_null_and_empty_adds_change_nothing(void **state)
{
    (void)state;
    buf_free(NULL);
    struct buf b = {0};
    buf_adds(&b, NULL);
    assert_int_equal(b.len, 0);
    buf_add(&b, NULL, 0);
    assert_int_equal(b.len, 0);
    assert_non_null(b.p); /* once added to, p is a valid empty string */
    assert_string_equal(b.p, "");
    buf_adds(&b, "");
    buf_addf(&b, "%s", "");
    assert_int_equal(b.len, 0);
    buf_free(&b);
    assert_null(b.p);
    assert_int_equal(b.cap, 0);
    buf_free(&b); /* twice is harmless */
}

static void test_growth_across_many_appends_keeps_every_byte(void **state)
{
    (void)state;
    struct buf b = {0};
    for (int i = 0; i < 10000; i++)
        buf_add(&b, (i % 2) ? "ab" : "xyz", (i % 2) ? 2 : 3);
    assert_int_equal(b.len, 5000 * 5);
    assert_true(b.cap > b.len);
    assert_int_equal(b.p[b.len], '\0');
    for (size_t i = 0; i < b.len; i += 5)
        assert_memory_equal(b.p + i, "xyzab", 5);
    char *s = buf_take(&b);
    assert_int_equal(strlen(s), 25000);
    assert_null(b.p);
    assert_int_equal(b.cap, 0);
    free(s);
}

static void test_add_keeps_embedded_nul_and_counts_it(void **state)
{
    (void)state;
    struct buf b = {0};
    buf_add(&b, "a\0b", 3);
    buf_adds(&b, "c\0d"); /* stops at the NUL */
    assert_int_equal(b.len, 4);
    assert_memory_equal(b.p, "a\0bc", 5);
    buf_free(&b);
}

static void test_addf_formats_between_plain_appends(void **state)
{
    (void)state;
    struct buf b = {0};
    buf_adds(&b, "Date: ");
    buf_addf(&b, "%02d/%s/%04d", 3, "Dec", 2026);
    buf_add(&b, " +0000", 6);
    buf_addf(&b, " [%d%%]", 75);
    assert_string_equal(b.p, "Date: 03/Dec/2026 +0000 [75%]");
    assert_int_equal(b.len, strlen(b.p));
    buf_free(&b);
}

static void test_addf_grows_for_long_formatted_text(void **state)
{
    (void)state;
    char big[3000];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    struct buf b = {0};
    buf_adds(&b, "<");
    buf_addf(&b, "%s|%s", big, big);
    buf_adds(&b, ">");
    assert_int_equal(b.len, 1 + 2 * 2999 + 1 + 1);
    assert_int_equal(b.p[0], '<');
    assert_int_equal(b.p[3000], '|');
    assert_int_equal(b.p[b.len - 1], '>');
    assert_int_equal(b.p[b.len], '\0');
    assert_int_equal(b.p[1500], 'q');
    buf_free(&b);
}

static void test_buffer_is_reusable_after_take(void **state)
{
    (void)state;
    struct buf b = {0};
    buf_adds(&b, "first");
    char *a = buf_take(&b);
    buf_adds(&b, "second");
    char *c = buf_take(&b);
    assert_string_equal(a, "first");
    assert_string_equal(c, "second");
    free(a);
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_take_of_empty_buffer_is_empty_string),
        cmocka_unit_test(test_null_and_empty_adds_change_nothing),
        cmocka_unit_test(test_growth_across_many_appends_keeps_every_byte),
        cmocka_unit_test(test_add_keeps_embedded_nul_and_counts_it),
        cmocka_unit_test(test_addf_formats_between_plain_appends),
        cmocka_unit_test(test_addf_grows_for_long_formatted_text),
        cmocka_unit_test(test_buffer_is_reusable_after_take),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
