/* cmd_sequences.c — `lcmtui sequences` (also `lcmtui outbox sequences`): applies the sequence
 * rules at --today, leaving drafts for the LCM to approve. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cal/caldav.h"
#include "cal/event.h"
#include "cli/cli.h"
#include "base/i18n.h"
#include "msg/post_file.h"
#include "msg/sequence.h"
#include "msg/template.h"

static void print_made(void *ctx, int64_t id, const char *rule, const char *tpl,
                       const char *learner, const char *email, bool queued)
{
    bool dry = *(bool *)ctx;
    if (dry)
        printf(_("  would %s  %-14s %-20s "), queued ? "queue" : "draft", rule, tpl);
    else
        printf("  %6" PRId64 " %-7s %-14s %-20s ", id, queued ? "queued" : "draft", rule, tpl);
    cli_put_clean(stdout, learner, 26);
    putchar(' ');
    cli_put_clean(stdout, email, -1);
    putchar('\n');
}

static void print_post(void *ctx, int64_t id, const char *file, const char *target, int64_t at)
{
    bool dry = *(bool *)ctx;
    char when[32];
    time_t tt = (time_t)at;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
    if (dry)
        printf(_("  would draft post   %s  "), when);
    else
        printf("  %6" PRId64 " %-7s %-14s %s  ", id, "draft", "calendar", when);
    cli_put_clean(stdout, file, 30); /* the name is already cleaned; cut to the column */
    printf(" #");
    cli_put_clean(stdout, target, 0);
    putchar('\n');
}

/* The content calendar (msg/post_file.h): its due files drafted. Returns the exit status. */
static int run_posts(struct lcm_app *app, struct lcm_store *st, bool dry)
{
    struct lcm_err err = {0};
    struct post_cal_config pc;
    if (post_file_config(&app->cfg, &pc, &app->rep, &err) != LCM_OK)
        return cli_fail(&err);
    struct post_cal_result pr;
    if (post_file_queue(st, &pc, app->today, app_now(app), dry, print_post, &dry, &pr, &app->rep,
                        &err) != LCM_OK)
        return cli_fail(&err);
    if (pr.drafted || pr.later || pr.bad)
        printf(_("%sposts: %d drafted from the calendar, %d later, %d files with errors\n"),
               dry ? "dry run: " : "", pr.drafted, pr.later, pr.bad);
    return pr.bad ? 1 : 0;
}

/* The group events of tomorrow: their reminders, drafted for the LCM to approve, to the
 * invitees whose answer is in events.remind. Returns the exit code. */
static int event_reminders(struct lcm_app *app, struct lcm_store *st)
{
    struct lcm_err err = {0};
    struct caldav_config cc;
    const char *remind = NULL;
    if (caldav_config_load(&app->cfg, false, &cc, &app->rep, &err) != LCM_OK)
        return cli_fail(&err);
    char udir[4096];
    struct event_opts eo = {.share_dir = app->share_dir,
                            .user_dir = template_user_dir(udir, sizeof udir) ? udir : NULL,
                            .lcm_name = app->cfg.lcm_name,
                            .lcm_email = app->cfg.lcm_email,
                            .lang = app->cfg.lang,
                            .tzid = cc.timezone,
                            .draft = true};
    int events = 0, rc = 0;
    struct event_sent sent;
    if (event_config(&app->cfg, &remind, &app->rep, &err) != LCM_OK)
        rc = cli_fail(&err);
    eo.remind = remind;
    if (rc == 0 &&
        event_remind_due(st, app->today, &eo, app_now(app), &events, &sent, &err) != LCM_OK)
        rc = cli_fail(&err);
    if (rc == 0 && events > 0)
        printf(_("%d event reminder(s) for tomorrow: %d drafts\n"), events, sent.queued);
    caldav_config_free(&cc);
    return rc;
}

int cmd_sequences(struct lcm_app *app, int argc, char **argv)
{
    bool dry = false;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            printf(_("usage: lcmtui sequences [run] [--dry-run]\n\nApplies the sequence rules "
                     "(config group 'sequences') at --today: drafts for the LCM to approve\n"
                     "('lcmtui outbox approve'), queued messages for rules with auto = true.\n"
                     "Also drafts the posts of the content calendar (config group 'posts': the\n"
                     "files of posts.dir whose time is at most posts.lead_days ahead).\n"));
            return 0;
        } else if (strcmp(argv[i], "--dry-run") == 0 || strcmp(argv[i], "-n") == 0) {
            dry = true;
        } else if (strcmp(argv[i], "run") != 0) {
            return cli_usage("sequences", _("unknown argument '%s'"), argv[i]);
        }
    }
    struct lcm_err err = {0};
    struct seq_config sc;
    if (sequence_config_load(&app->cfg, &sc, &app->rep, &err) != LCM_OK)
        return cli_fail(&err);
    struct lcm_store *st = cli_open_store(app);
    int rc = st ? 0 : 1;
    char udir[4096];
    struct seq_run_opts o = {.share_dir = app->share_dir,
                             .user_dir = template_user_dir(udir, sizeof udir) ? udir : NULL,
                             .today = app->today,
                             .now = app_now(app),
                             .dry_run = dry,
                             .made = print_made,
                             .made_ctx = &dry};
    struct seq_result res;
    if (st && sequence_run(st, &sc, &o, &res, &err) != LCM_OK)
        rc = cli_fail(&err);
    if (st && rc == 0) {
        printf(_("%s%d drafts, %d queued; kept back: %d quiet period, %d without address, %d "
                 "template errors\n"),
               dry ? "dry run: " : "", res.drafts, res.queued, res.quiet, res.no_address,
               res.failed);
        if (res.held)
            printf(ngettext("%d learner held out on purpose (control group: no message)\n",
                            "%d learners held out on purpose (control group: no message)\n",
                            (unsigned long)res.held),
                   res.held);
        if (res.claimed)
            printf(
                ngettext("%d learner kept back: another LCM contacted them in the quiet period\n",
                         "%d learners kept back: another LCM contacted them in the quiet period\n",
                         (unsigned long)res.claimed),
                res.claimed);
        if (res.failed) {
            fputs("lcmtui: ", stderr); /* it may quote a learner's value */
            cli_put_clean(stderr, res.err_first, 0);
            fputc('\n', stderr);
            rc = 1;
        }
    }
    if (st && rc == 0 && !dry)
        rc = event_reminders(app, st);
    if (st) {
        int prc = run_posts(app, st, dry);
        rc = rc ? rc : prc;
    }
    store_close(&st);
    sequence_config_free(&sc);
    return rc;
}
