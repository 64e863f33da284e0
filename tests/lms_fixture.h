/* lms_fixture.h — starts tests/fixtures/lms_server.py for a cmocka group (tests run from the
 * source tree's top directory) and stops it. */
#ifndef LCM_LMS_FIXTURE_H
#define LCM_LMS_FIXTURE_H

#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "testutil.h"

struct lms_fixture {
    pid_t pid;
    int port;
    char dir[256];
};

/* Starts the server with extra arguments (NULL-terminated, may be just NULL). */
static inline int lms_fixture_start(struct lms_fixture *f, const char *const *args)
{
    char pf[512];
    const char *argv[24] = {"python3", "tests/fixtures/lms_server.py", "--port-file", pf};
    int n = 4;
    tu_tmpdir(f->dir);
    snprintf(pf, sizeof pf, "%s/port", f->dir);
    for (; args && *args && n < 22; args++)
        argv[n++] = *args;
    argv[n] = NULL;
    f->pid = fork();
    if (f->pid == 0) {
        if (!freopen("/dev/null", "w", stdout))
            _exit(127);
        execv("/usr/bin/python3", (char *const *)argv);
        _exit(127);
    }
    for (int i = 0; i < 200; i++) { /* wait for the server to bind (not a timing assertion) */
        FILE *fp = fopen(pf, "r");
        if (fp) {
            int ok = fscanf(fp, "%d", &f->port);
            fclose(fp);
            if (ok == 1)
                return 0;
        }
        struct timespec ts = {0, 25000000};
        nanosleep(&ts, NULL);
    }
    return -1;
}

static inline void lms_fixture_stop(struct lms_fixture *f)
{
    if (f->pid > 0) {
        kill(f->pid, SIGTERM);
        waitpid(f->pid, NULL, 0);
        f->pid = 0;
    }
    tu_rmdir(f->dir);
}

#endif
