/* test_store_role.c — the manager's read-only access (store_role.h, --read-only): on
 * PostgreSQL a role made by store_role_grant_readonly() reads the base and the server refuses
 * its writes (SQLSTATE 42501), once, never retried; the grant is refused for oneself and for
 * a role that could still write through another; on SQLite --read-only opens the file
 * read-only (a write refused, a missing file not created). */
#include "testutil.h"

#include "store_fixture.h"

#include <sys/stat.h>

#include "store/store_internal.h"
#include "store/store_role.h"

static enum lcm_status kv_write(struct lcm_store *st, void *ctx, struct lcm_err *err)
{
    (void)ctx;
    return store_kv_set(st, "k", "v", err);
}

/* The owner's URI with user and password replaced (options, the test schema, kept). */
static void uri_as(const char *target, const char *user, const char *pw, char *out, size_t len)
{
    const char *auth = strstr(target, "://") + 3;
    const char *at = strchr(auth, '@');
    const char *host = at && at < strchr(auth, '/') ? at + 1 : auth;
    snprintf(out, len, "postgresql://%s:%s@%s", user, pw, host);
}

static void admin(struct lcm_store *st, const char *sql)
{
    struct lcm_err err = {0};
    if (db_exec(st->db, sql, &err) != LCM_OK)
        fail_msg("%s: %s", sql, err.msg);
}

static void test_pg_role_reads_and_is_refused(void **state)
{
    (void)state;
    char target[1200];
    struct lcm_store *st = sfx_open_at(target); /* skips without a server */
    char role[64], sql[640], ro_uri[1400];
    snprintf(role, sizeof role, "lcm_t_ro_%ld", (long)getpid());
    struct lcm_err err = {0};
    struct store_role_result res;
    /* NULL and empty first. */
    assert_int_equal(store_role_grant_readonly(st, "", &res, &err), LCM_ERR_USAGE);
    assert_int_equal(store_role_grant_readonly(st, NULL, &res, &err), LCM_ERR_USAGE);
    assert_int_equal(store_kv_set(st, "k", "before", &err), LCM_OK);
    assert_int_equal(store_role_grant_readonly(st, role, &res, &err), LCM_OK);
    assert_true(res.created);
    assert_true(res.tables > 10);
    assert_int_equal(store_role_grant_readonly(st, role, &res, &err), LCM_OK);
    assert_false(res.created); /* updated */
    snprintf(sql, sizeof sql, "ALTER ROLE %s PASSWORD 'ro-pw'", role);
    admin(st, sql);
    bool w = false;
    assert_int_equal(store_role_writable(st, &w, &err), LCM_OK);
    assert_true(w);

    uri_as(target, role, "ro-pw", ro_uri, sizeof ro_uri);
    struct lcm_store *ro = NULL;
    assert_int_equal(store_open(ro_uri, &ro, &err), LCM_OK);
    char v[32];
    assert_true(store_kv_get(ro, "k", v, sizeof v));
    assert_string_equal(v, "before");
    assert_int_equal(store_role_writable(ro, &w, &err), LCM_OK);
    assert_false(w);
    int attempts = 0;
    memset(&err, 0, sizeof err);
    assert_int_equal(store_tx(ro, kv_write, NULL, &attempts, &err), LCM_ERR_DB);
    assert_int_equal(attempts, 1); /* refused, not retried */
    assert_int_equal(db_error_kind(ro->db), DB_ERR_READONLY);
    assert_non_null(strstr(err.msg, "SQLSTATE 42501"));
    assert_non_null(strstr(err.msg, "read-only"));
    assert_null(strchr(err.msg, '\n'));
    store_close(&ro);
    assert_true(store_kv_get(st, "k", v, sizeof v));
    assert_string_equal(v, "before");

    /* Oneself: refused. A role that could write through another: refused, nothing changed. */
    assert_int_equal(store_role_grant_readonly(st, "lcmtui", &res, &err), LCM_ERR_INVALID);
    char writer[64], sneaky[64];
    snprintf(writer, sizeof writer, "lcm_t_w_%ld", (long)getpid());
    snprintf(sneaky, sizeof sneaky, "lcm_t_s_%ld", (long)getpid());
    snprintf(sql, sizeof sql, "CREATE ROLE %s; GRANT INSERT ON kv TO %s; CREATE ROLE %s IN ROLE %s",
             writer, writer, sneaky, writer);
    admin(st, sql);
    memset(&err, 0, sizeof err);
    assert_int_equal(store_role_grant_readonly(st, sneaky, &res, &err), LCM_ERR_INVALID);
    assert_non_null(strstr(err.msg, "could still write 1 table"));
    store_close(&st);
    /* The roles are the cluster's: dropped with what they were granted. */
    st = sfx_open_at(target);
    snprintf(sql, sizeof sql, "DROP OWNED BY %s, %s, %s; DROP ROLE %s, %s, %s", role, writer,
             sneaky, sneaky, writer, role);
    admin(st, sql);
    store_close(&st);
}

static void test_sqlite_read_only(void **state)
{
    (void)state;
    char dir[256], path[512], missing[512];
    tu_tmpdir(dir);
    snprintf(path, sizeof path, "%s/lcmtui.db", dir);
    snprintf(missing, sizeof missing, "%s/none.db", dir);
    struct lcm_store *st = NULL;
    struct lcm_err err = {0};
    assert_int_equal(store_open(path, &st, &err), LCM_OK);
    assert_int_equal(store_kv_set(st, "k", "before", &err), LCM_OK);
    store_close(&st);
    store_set_read_only(true);
    assert_int_equal(store_open(missing, &st, &err), LCM_ERR_NOTFOUND);
    struct stat sb;
    assert_int_not_equal(stat(missing, &sb), 0);
    assert_int_equal(store_open(path, &st, &err), LCM_OK);
    bool w = true;
    assert_int_equal(store_role_writable(st, &w, &err), LCM_OK);
    assert_false(w);
    struct store_role_result res;
    assert_int_equal(store_role_grant_readonly(st, "manager", &res, &err), LCM_ERR_INVALID);
    int attempts = 0;
    memset(&err, 0, sizeof err);
    assert_int_not_equal(store_tx(st, kv_write, NULL, &attempts, &err), LCM_OK);
    assert_int_equal(attempts, 1);
    assert_int_equal(db_error_kind(st->db), DB_ERR_READONLY);
    assert_non_null(strstr(err.msg, "read-only"));
    char v[32];
    assert_true(store_kv_get(st, "k", v, sizeof v));
    assert_string_equal(v, "before");
    store_close(&st);
    store_set_read_only(false);
    tu_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest sqlite_tests[] = {
        cmocka_unit_test(test_sqlite_read_only),
    };
    const struct CMUnitTest pg_tests[] = {
        cmocka_unit_test(test_pg_role_reads_and_is_refused),
    };
    int failed = cmocka_run_group_tests_name("sqlite", sqlite_tests, sfx_group_sqlite, NULL);
    failed += cmocka_run_group_tests_name("postgresql", pg_tests, sfx_group_pg, NULL);
    return failed;
}
