/* test_store_view.c — the triage order computed in C (store_view_order: merged scans, radix
 * sort) against plain SQL ORDER BY references on the real demo database, with sparse ids and
 * risk rows left without an enrollment. */
#include "tui_fixture.h"

#include "store/store_view.h"

static struct fx F;

static int setup(void **state)
{
    (void)state;
    fx_open(&F, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_close(&F);
    return 0;
}

/* The ids a reference query returns, in its order. *out malloc'ed. */
static size_t sql_ids(const char *sql, int64_t **out)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    size_t n = 0, cap = 64;
    *out = malloc(cap * sizeof **out);
    assert_int_equal(sqlite3_open(F.db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (n == cap)
            *out = realloc(*out, (cap *= 2) * sizeof **out);
        (*out)[n++] = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return n;
}

static size_t view_ids(enum view_sort sort, int64_t **out)
{
    struct view_filter f = {
        .level = VIEW_LEVEL_ANY, .show_snoozed = true, .sort = sort, .today = F.app.today};
    size_t n = 0;
    struct lcm_err err = {0};
    assert_int_equal(store_view_order(F.st, &f, out, &n, NULL, &err), LCM_OK);
    return n;
}

static void assert_same_order(enum view_sort sort, const char *sql)
{
    int64_t *want = NULL, *got = NULL;
    size_t nw = sql_ids(sql, &want), ng = view_ids(sort, &got);
    assert_true(nw > 10);
    assert_int_equal(ng, nw);
    for (size_t i = 0; i < nw; i++)
        if (got[i] != want[i])
            fail_msg("%s order differs at %zu: %lld, want %lld", store_view_sort_name(sort), i,
                     (long long)got[i], (long long)want[i]);
    free(want);
    free(got);
}

#define BY_NAME "l.last_name COLLATE NOCASE, l.first_name COLLATE NOCASE, l.id, e.id"
static const char *const by_name_sql =
    "SELECT e.id FROM enrollment e JOIN learner l ON l.id = e.learner_id ORDER BY " BY_NAME;
static const char *const by_progress_sql =
    "SELECT e.id FROM enrollment e JOIN learner l ON l.id = e.learner_id "
    "ORDER BY CAST(COALESCE(e.progress, 0) * 1000000 + 0.5 AS INTEGER), " BY_NAME;

static void test_name_and_progress_orders_match_sql(void **state)
{
    (void)state;
    assert_same_order(VIEW_SORT_NAME, by_name_sql);
    assert_same_order(VIEW_SORT_PROGRESS, by_progress_sql);
}

/* Same attention order after ids become sparse (a table lookup is no longer possible) and
 * risk rows lose their enrollment: the order of the remaining ones does not change. */
static void test_attention_order_survives_sparse_ids(void **state)
{
    (void)state;
    int64_t *before = NULL, *after = NULL;
    size_t nb = view_ids(VIEW_SORT_ATTENTION, &before);
    assert_true(nb > 10);
    int64_t moved = before[1]; /* the second at risk: gets a far id, keeps its place */
    char sql[1024];
    snprintf(sql, sizeof sql,
             "PRAGMA foreign_keys = OFF;"
             "DELETE FROM enrollment WHERE id %% 3 = 0 AND id <> %lld;"
             "CREATE TEMP TABLE moved AS SELECT * FROM enrollment WHERE id = %lld;"
             "UPDATE moved SET id = 50000000;"
             "DELETE FROM enrollment WHERE id = %lld;"
             "INSERT INTO enrollment SELECT * FROM moved;"
             "UPDATE risk SET enrollment_id = 50000000 WHERE enrollment_id = %lld;"
             "UPDATE milestone_done SET enrollment_id = 50000000 WHERE enrollment_id = %lld;",
             (long long)moved, (long long)moved, (long long)moved, (long long)moved,
             (long long)moved);
    fx_sql(&F, sql);
    assert_true(fx_count(&F, "SELECT count(*) FROM risk WHERE enrollment_id NOT IN "
                             "(SELECT id FROM enrollment)") > 0);
    size_t na = view_ids(VIEW_SORT_ATTENTION, &after);
    size_t k = 0;
    for (size_t i = 0; i < nb; i++) {
        int64_t id = before[i] == moved ? 50000000 : before[i];
        if (before[i] % 3 == 0 && before[i] != moved)
            continue;
        assert_true(k < na);
        assert_int_equal(after[k], id);
        k++;
    }
    assert_int_equal(k, na);
    free(before);
    free(after);
    assert_same_order(VIEW_SORT_NAME, by_name_sql);
    assert_same_order(VIEW_SORT_PROGRESS, by_progress_sql);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_name_and_progress_orders_match_sql),
        cmocka_unit_test(test_attention_order_survives_sparse_ids),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
