/* lockfile.c — an exclusive flock on a file beside the database. See lockfile.h. */
#include "base/lockfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

enum lcm_status lockfile_acquire(const char *db_path, const char *suffix, int *fd,
                                 struct lcm_err *err)
{
    *fd = -1;
    if (!db_path || strcmp(db_path, ":memory:") == 0)
        return LCM_OK;
    char path[4200];
    snprintf(path, sizeof path, "%s%s", db_path, suffix);
    int f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (f < 0)
        return lcm_err_set(err, LCM_ERR_IO, "%s: %s", path, strerror(errno));
    if (flock(f, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(f);
        if (e == EWOULDBLOCK)
            return lcm_err_set(err, LCM_ERR_BUSY, _("%s: held by another process"), path);
        return lcm_err_set(err, LCM_ERR_IO, "%s: %s", path, strerror(e));
    }
    *fd = f;
    return LCM_OK;
}

void lockfile_release(int *fd)
{
    if (fd && *fd >= 0) {
        close(*fd); /* releases the flock */
        *fd = -1;
    }
}
