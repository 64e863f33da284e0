/* cli.c — the helpers every subcommand shares: one-line errors, usage errors, opening the
 * store. Lives below main.c and the cmd_*.c files, which all call it. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "store/store.h"

#include "base/day.h"
#include "base/text.h"

/* (Names in parentheses: cli.h defines macros of those names for the analyser.) */
int(cli_fail)(const struct lcm_err *err)
{
    fprintf(stderr, "lcmtui: %s\n", err && err->msg[0] ? err->msg : "failed");
    return 1;
}

int(cli_usage)(const char *cmd, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    fprintf(stderr, "lcmtui %s: %s (try 'lcmtui %s --help')\n", cmd, buf, cmd);
    return 2;
}

bool cli_is_help(const char *s)
{
    return s && (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0);
}

struct lcm_store *cli_open_store(struct lcm_app *app)
{
    struct lcm_store *st = NULL;
    struct lcm_err err = {0};
    if (store_open(app->db_path, &st, &err) != LCM_OK) {
        cli_fail(&err);
        return NULL;
    }
    return st;
}

struct lcm_store *cli_open_store_no_create(struct lcm_app *app)
{
    if (access(app->db_path, F_OK) == 0)
        return cli_open_store(app);
    struct lcm_store *st = NULL;
    struct lcm_err err = {0};
    if (store_open(":memory:", &st, &err) != LCM_OK)
        cli_fail(&err);
    return st;
}

void cli_put_clean(FILE *out, const char *s, int cols)
{
    if (cols > 0) {
        char buf[4096];
        text_fit(buf, sizeof buf, s, cols, true);
        fputs(buf, out);
        return;
    }
    char *clean = text_clean(s, cols < 0);
    fputs(clean, out);
    free(clean);
}
