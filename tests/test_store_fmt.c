/* test_store_fmt.c — the bulk paths' numbers as text: integers at the limits, and reals that
 * read back bit for bit, by the short path or by "%.17g". */
#include "testutil.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "store/store_fmt.h"

static void test_int_limits_and_signs(void **state)
{
    (void)state;
    char b[STORE_FMT_LEN];
    assert_string_equal(store_fmt_int(b, 0), "0");
    assert_string_equal(store_fmt_int(b, 7), "7");
    assert_string_equal(store_fmt_int(b, -42), "-42");
    assert_string_equal(store_fmt_int(b, 1000000), "1000000");
    assert_string_equal(store_fmt_int(b, INT64_MAX), "9223372036854775807");
    assert_string_equal(store_fmt_int(b, INT64_MIN), "-9223372036854775808");
    for (int64_t v = -100000; v <= 100000; v += 7) {
        char want[STORE_FMT_LEN];
        snprintf(want, sizeof want, "%lld", (long long)v);
        assert_string_equal(store_fmt_int(b, v), want);
    }
}

/* Three-decimal values take the short text; it reads back as the same double. */
static void test_real_three_decimals_short_and_exact(void **state)
{
    (void)state;
    char b[STORE_FMT_LEN];
    assert_string_equal(store_fmt_real(b, 0.0), "0");
    assert_string_equal(store_fmt_real(b, 0.5), "0.5");
    assert_string_equal(store_fmt_real(b, 0.745), "0.745");
    assert_string_equal(store_fmt_real(b, 0.005), "0.005");
    assert_string_equal(store_fmt_real(b, 1.0), "1");
    assert_string_equal(store_fmt_real(b, -1.0), "-1");
    assert_string_equal(store_fmt_real(b, 10.0), "10");
    assert_string_equal(store_fmt_real(b, 75.25), "75.25");
    assert_string_equal(store_fmt_real(b, -0.125), "-0.125");
    for (int k = -200000; k <= 200000; k++) {
        double v = k / 1000.0;
        store_fmt_real(b, v);
        assert_true(strtod(b, NULL) == v);
        assert_true(strlen(b) <= 12);
    }
}

/* Anything else: the "%.17g" text, which reads back exactly too. */
static void test_real_other_values_read_back(void **state)
{
    (void)state;
    char b[STORE_FMT_LEN], want[STORE_FMT_LEN];
    const double odd[] = {0.1 + 0.2, 1.0 / 3,     2.0 / 3, 0.0005, 1e-300,    DBL_MAX,
                          -DBL_MIN,  123456.7891, 1e15,    -0.0,   0.76 / 0.9};
    for (size_t i = 0; i < sizeof odd / sizeof *odd; i++) {
        store_fmt_real(b, odd[i]);
        assert_true(strtod(b, NULL) == odd[i]);
        assert_true(signbit(strtod(b, NULL)) == signbit(odd[i]));
    }
    snprintf(want, sizeof want, "%.17g", 0.1 + 0.2);
    assert_string_equal(store_fmt_real(b, 0.1 + 0.2), want);
    srand(7);
    for (int i = 0; i < 100000; i++) {
        double v = (rand() - RAND_MAX / 2) / (double)RAND_MAX * pow(10, rand() % 12 - 4);
        store_fmt_real(b, v);
        assert_true(strtod(b, NULL) == v);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_int_limits_and_signs),
        cmocka_unit_test(test_real_three_decimals_short_and_exact),
        cmocka_unit_test(test_real_other_values_read_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
