/* cmd_post.c — `lcmtui post` (also `lcmtui outbox post`): TEXT alone goes to the group chat at
 * once through the `webhook` group (as before); with --cohort or --program it is drafted as a
 * scheduled post in the outbox (msg/post.h), sent by `outbox send` once approved. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "base/i18n.h"
#include "cal/when.h"
#include "msg/post.h"
#include "msg/post_file.h"
#include "msg/webhook.h"

static void help(void)
{
    printf(_("usage: lcmtui post TEXT\n"
             "       lcmtui post --cohort C | --program P [--at WHEN] [--title T] TEXT | --file F\n"
             "\n"
             "TEXT alone is posted at once to the group chat through the incoming webhook of the\n"
             "config group 'webhook'.\n"
             "With --cohort or --program the post is a draft in the outbox, for the channel of\n"
             "that cohort or programme (config list 'webhooks', else 'webhook'): approve it\n"
             "('lcmtui outbox approve ID'); 'lcmtui outbox send' (cron) posts it at or after\n"
             "its time, retried on failure like e-mail.\n"
             "\n"
             "  --cohort C    a cohort: #ID, its ext_id or name\n"
             "  --program P   a programme: #ID, its ext_id or name\n"
             "  --at WHEN     not before WHEN (\"lundi 9h\", \"2026-12-07 09:00\", \"+2h\");\n"
             "                default: as soon as approved\n"
             "  --title T     the outbox's subject (default: the text's first line)\n"
             "  --file F      the text from file F (UTF-8, at most %d bytes)\n"),
           WEBHOOK_MAX_TEXT);
}

struct post_args {
    const char *cohort, *program, *at, *title, *file, *text;
};

static int parse(int argc, char **argv, struct post_args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        const char **slot = strcmp(o, "--cohort") == 0    ? &a->cohort
                            : strcmp(o, "--program") == 0 ? &a->program
                            : strcmp(o, "--at") == 0      ? &a->at
                            : strcmp(o, "--title") == 0   ? &a->title
                            : strcmp(o, "--file") == 0    ? &a->file
                                                          : NULL;
        if (slot) {
            if (i + 1 >= argc)
                return cli_usage("post", _("%s expects a value"), o);
            *slot = argv[++i];
        } else if (o[0] == '-' && o[1] == '-') {
            return cli_usage("post", _("unknown option '%s'"), o);
        } else if (a->text) {
            return cli_usage("post", _("expected one TEXT argument"));
        } else {
            a->text = o;
        }
    }
    bool scheduled = a->cohort || a->program;
    if (a->cohort && a->program)
        return cli_usage("post", _("give --cohort or --program, not both"));
    if (!scheduled && (a->at || a->title || a->file))
        return cli_usage("post", _("--at, --title and --file need --cohort or --program"));
    if (!a->text == !a->file)
        return cli_usage("post", _("expected one TEXT argument or --file"));
    return 0;
}

/* Drafts the scheduled post of a. */
static int draft(struct lcm_app *app, const struct post_args *a)
{
    struct lcm_err err = {0};
    int64_t now = app_now(app), at = 0;
    if (a->at && when_parse(a->at, app->today, now, &at, &err) != LCM_OK)
        return cli_usage("post", "%s", err.msg);
    char *data = NULL;
    size_t len = 0;
    if (a->file && post_file_read(a->file, WEBHOOK_MAX_TEXT, &data, &len, &err) != LCM_OK)
        return cli_fail(&err);
    struct post_req r = {.program = a->program != NULL,
                         .target = a->program ? a->program : a->cohort,
                         .title = a->title,
                         .text = data ? data : a->text,
                         .at = at};
    struct lcm_store *st = cli_open_store(app);
    int rc = st ? 0 : 1;
    int64_t id = 0;
    struct store_post_target t;
    if (st && post_draft(st, &r, now, &id, &t, &err) != LCM_OK)
        rc = cli_fail(&err);
    else if (st) {
        char when[32] = "-";
        if (at > 0) {
            time_t tt = (time_t)at;
            struct tm tm;
            gmtime_r(&tt, &tm);
            strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
        }
        printf(_("post #%lld drafted for #"), (long long)id);
        cli_put_clean(stdout, t.cohort_id ? t.cohort_name : t.program_name, 0);
        printf(_(", not before %s; approve it: lcmtui outbox approve %lld\n"), when, (long long)id);
    }
    store_close(&st);
    free(data);
    return rc;
}

int cmd_post(struct lcm_app *app, int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (cli_is_help(argv[i])) {
            help();
            return 0;
        }
    struct post_args a;
    int rc = parse(argc, argv, &a);
    if (rc)
        return rc;
    if (a.cohort || a.program)
        return draft(app, &a);
    struct lcm_err err = {0};
    if (webhook_post(&app->cfg, a.text, &app->rep, &err) != LCM_OK)
        return cli_fail(&err);
    printf(_("posted\n"));
    return 0;
}
