/* cli.c — the helpers every subcommand shares: one-line errors, usage errors, opening the
 * store. Lives below main.c and the cmd_*.c files, which all call it. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "base/i18n.h"
#include "store/store.h"
#include "store/store_learner.h"
#include "store/store_team.h"

#include "base/day.h"
#include "base/text.h"

/* (Names in parentheses: cli.h defines macros of those names for the analyser.) */
/* Every error line quotes outside text (a CSV value, a Moodle message, a server's reply):
 * it is written through text_clean, as everything that reaches a terminal. */
int(cli_fail)(const struct lcm_err *err)
{
    fputs("lcmtui: ", stderr);
    cli_put_clean(stderr, err && err->msg[0] ? err->msg : _("failed"), 0);
    fputc('\n', stderr);
    return 1;
}

int(cli_usage)(const char *cmd, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    fprintf(stderr, "lcmtui %s: ", cmd);
    cli_put_clean(stderr, buf, 0);
    fprintf(stderr, _(" (try 'lcmtui %s --help')\n"), cmd);
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
    /* what this process writes is signed by the configured LCM (issue 18) */
    store_team_identify(st, app->cfg.lcm_name, app->cfg.lcm_email);
    const char *notice = store_notice(st);
    while (notice && *notice) {
        size_t n = strcspn(notice, "\n");
        lcm_report(&app->rep, LCM_LEVEL_WARN, "%.*s", (int)n, notice);
        notice += n + (notice[n] == '\n');
    }
    return st;
}

struct lcm_store *cli_open_store_no_create(struct lcm_app *app)
{
    /* a file that exists, or a server database holding the schema already: opened as
     * usual; else an empty store in memory (a server's empty database is not migrated) */
    struct lcm_store *st = NULL;
    struct lcm_err err = {0};
    bool exists = false;
    if (store_exists(app->db_path, &exists, &err) != LCM_OK) {
        cli_fail(&err);
        return NULL;
    }
    if (exists)
        return cli_open_store(app);
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

void cli_learner_line(FILE *out, const struct store_learner_row *r)
{
    char id[24];
    snprintf(id, sizeof id, "#%lld", (long long)r->id);
    fprintf(out, "  %-7s ", id);
    cli_put_clean(out, r->name, 28);
    fputc(' ', out);
    cli_put_clean(out, r->email, 30);
    fputc(' ', out);
    cli_put_clean(out, r->cohorts[0] ? r->cohorts : "(no enrolment)", 0);
    fputc('\n', out);
}

int cli_learner(struct lcm_store *st, const char *cmd, const char *ref, int64_t *id)
{
    struct store_learner_row rows[20];
    int n = 0;
    struct lcm_err err = {0};
    if (!ref || !*ref)
        return cli_usage(cmd, _("LEARNER is required (#ID, SOURCE:EXT_ID, e-mail or name)"));
    if (store_learner_find(st, ref, rows, 20, &n, &err) != LCM_OK)
        return cli_fail(&err);
    if (n == 1) {
        *id = rows[0].id;
        return 0;
    }
    if (n == 0) {
        fprintf(stderr, _("lcmtui %s: no learner matches '"), cmd);
        cli_put_clean(stderr, ref, 0);
        fprintf(stderr, _("' (#ID, SOURCE:EXT_ID, e-mail or name)\n"));
        return 1;
    }
    fprintf(stderr, _("lcmtui %s: '"), cmd);
    cli_put_clean(stderr, ref, 0);
    fprintf(stderr, _("' names %d learners; name one by #ID:\n"), n);
    for (int i = 0; i < n && i < 20; i++)
        cli_learner_line(stderr, &rows[i]);
    if (n > 20)
        fprintf(stderr, _("  ... and %d more\n"), n - 20);
    return 2;
}
