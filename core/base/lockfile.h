/* lockfile.h — an exclusive lock beside the database, so that two processes (cron and the
 * TUI) never run the same job on one database at once. */
#ifndef LCM_LOCKFILE_H
#define LCM_LOCKFILE_H

#include "base/status.h"

/* Takes an exclusive, non-blocking flock on DB_PATH + suffix (e.g. ".outbox.lock"), created
 * 0600 if missing. On LCM_OK *fd holds the lock (-1 when db_path is NULL or ":memory:":
 * nothing to lock); release it with lockfile_release(). Fails with LCM_ERR_BUSY ("PATH: held
 * by another process") when another open file holds the lock, LCM_ERR_IO ("PATH: strerror")
 * otherwise; *fd is then -1. */
enum lcm_status lockfile_acquire(const char *db_path, const char *suffix, int *fd,
                                 struct lcm_err *err);

/* Releases a lock taken by lockfile_acquire and sets *fd to -1. fd may be NULL and *fd -1
 * (nothing happens), so calling it twice is safe. */
void lockfile_release(int *fd);

#endif
