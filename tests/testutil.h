/* testutil.h — shared by the cmocka tests: temporary files, a report buffer. */
#ifndef LCM_TESTUTIL_H
#define LCM_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/status.h"

/* A fresh temporary directory per call, removed by tu_rmdir(). Returns a static buffer
 * owned by the caller until the next call. */
static inline char *tu_tmpdir(char buf[256])
{
    const char *base = getenv("TMPDIR");
    snprintf(buf, 256, "%s/lcmtui-test-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(buf))
        fail_msg("mkdtemp failed");
    return buf;
}

static inline void tu_rmdir(const char *dir)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fail_msg("cannot remove %s", dir);
}

/* Writes text to dir/name and returns the path in out. */
static inline const char *tu_write(const char *dir, const char *name, const char *text,
                                   char out[512])
{
    snprintf(out, 512, "%s/%s", dir, name);
    FILE *f = fopen(out, "wb");
    if (!f)
        fail_msg("cannot write %s", out);
    fputs(text, f);
    fclose(f);
    return out;
}

/* A report sink that keeps the last messages in one buffer. */
struct tu_reports {
    char text[8192];
    int warnings, errors;
};

static inline void tu_report_fn(void *ctx, enum lcm_level level, const char *msg)
{
    struct tu_reports *r = ctx;
    if (level == LCM_LEVEL_WARN)
        r->warnings++;
    if (level == LCM_LEVEL_ERROR)
        r->errors++;
    size_t n = strlen(r->text);
    snprintf(r->text + n, sizeof r->text - n, "%s\n", msg);
}

#endif
