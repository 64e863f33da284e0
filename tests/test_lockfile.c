/* test_lockfile.c — the exclusive lock beside the database: nothing to lock in memory,
 * exclusive per file, independent per suffix, 0600, released on release, errors named. */
#include "testutil.h"

#include <sys/stat.h>

#include "base/lockfile.h"

static void test_null_and_memory_db_lock_nothing(void **state)
{
    (void)state;
    struct lcm_err err = {0};
    int fd = 7;
    assert_int_equal(lockfile_acquire(NULL, ".x.lock", &fd, &err), LCM_OK);
    assert_int_equal(fd, -1);
    fd = 7;
    assert_int_equal(lockfile_acquire(":memory:", ".x.lock", &fd, &err), LCM_OK);
    assert_int_equal(fd, -1);
    lockfile_release(NULL);
    lockfile_release(&fd);
    assert_int_equal(fd, -1);
}

static void test_lock_is_exclusive_until_released(void **state)
{
    (void)state;
    char dir[256], db[512], lock[600];
    tu_tmpdir(dir);
    snprintf(db, sizeof db, "%s/a.db", dir);
    snprintf(lock, sizeof lock, "%s.job.lock", db);
    struct lcm_err err = {0};
    int a = -1, b = -1;
    assert_int_equal(lockfile_acquire(db, ".job.lock", &a, &err), LCM_OK);
    assert_true(a >= 0);
    struct stat sb;
    assert_int_equal(stat(lock, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(lockfile_acquire(db, ".job.lock", &b, &err), LCM_ERR_BUSY);
    assert_int_equal(b, -1);
    assert_non_null(strstr(err.msg, lock));
    assert_non_null(strstr(err.msg, "held by another process"));
    lockfile_release(&a);
    assert_int_equal(a, -1);
    assert_int_equal(lockfile_acquire(db, ".job.lock", &b, &err), LCM_OK);
    assert_true(b >= 0);
    lockfile_release(&b);
    lockfile_release(&b); /* safe twice */
    tu_rmdir(dir);
}

static void test_suffixes_lock_independently(void **state)
{
    (void)state;
    char dir[256], db[512];
    tu_tmpdir(dir);
    snprintf(db, sizeof db, "%s/a.db", dir);
    struct lcm_err err = {0};
    int a = -1, b = -1;
    assert_int_equal(lockfile_acquire(db, ".caldav.lock", &a, &err), LCM_OK);
    assert_int_equal(lockfile_acquire(db, ".outbox.lock", &b, &err), LCM_OK);
    assert_true(a >= 0 && b >= 0 && a != b);
    lockfile_release(&a);
    lockfile_release(&b);
    tu_rmdir(dir);
}

static void test_unwritable_place_is_io_error_naming_path(void **state)
{
    (void)state;
    struct lcm_err err = {0};
    int fd = 7;
    assert_int_equal(lockfile_acquire("/nonexistent-lcmtui-dir/a.db", ".job.lock", &fd, &err),
                     LCM_ERR_IO);
    assert_int_equal(fd, -1);
    assert_non_null(strstr(err.msg, "/nonexistent-lcmtui-dir/a.db.job.lock: "));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_null_and_memory_db_lock_nothing),
        cmocka_unit_test(test_lock_is_exclusive_until_released),
        cmocka_unit_test(test_suffixes_lock_independently),
        cmocka_unit_test(test_unwritable_place_is_io_error_naming_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
