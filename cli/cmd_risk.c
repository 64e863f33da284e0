/* cmd_risk.c — `lcmtui risk`: update, explain, list, snooze, celebrations, eval, fit. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "base/i18n.h"
#include "base/day.h"
#include "risk/risk.h"
#include "risk/risk_eval.h"
#include "store/store.h"
#include "store/store_risk.h"
#include "store/store_snooze.h"
#include "base/text.h"

static void risk_usage(FILE *out)
{
    fprintf(
        out,
        _("usage: lcmtui risk COMMAND [ARGS]\n"
          "\n"
          "  update                          rescore every active enrollment for today\n"
          "  explain LEARNER [--at DAY|DATE]\n"
          "                                  every signal's value, weight and contribution;\n"
          "                                  --at: from data up to DAY (days after the cohort\n"
          "                                  start) or DATE, an ended enrolment too, scored as\n"
          "                                  eval does (the risk table is not written)\n"
          "  list [--level watch|risk|all] [--limit N]\n"
          "                                  the triage list, at watch level and above by\n"
          "                                  default (snoozed ones hidden)\n"
          "  snooze LEARNER --days N [--reason TEXT]\n"
          "                                  hide a flag for N days (returns early if the\n"
          "                                  score rises by risk.snooze_margin)\n"
          "  feedback LEARNER TEXT           record feedback on a flag (\"not useful\")\n"
          "  celebrations [--limit N]        milestones reached and not yet acknowledged\n"
          "  eval --at DAY|DATE [--cohort C]... [--json]\n"
          "                                  score past enrollments with data up to DAY (days\n"
          "                                  after the cohort start) or DATE, against outcomes\n"
          "  eval --curve FROM..TO[/STEP] [--cohort C]... [--json]\n"
          "                                  the same at every STEP (7) days after the cohort\n"
          "                                  start, one row per cut, beside each baseline\n"
          "  fit --at DAY|DATE [--cohort C]... [--l2 X] [-o FILE]\n"
          "                                  fit the weights by logistic regression on outcomes\n"
          "\n"
          "LEARNER is #ID (the local id; a bare number too), SOURCE:EXT_ID, an e-mail or a\n"
          "name (without case or accents); a name several learners share lists them (exit 2).\n"
          "A learner enrolled in several cohorts: the active enrolment first.\n"));
}

static enum lcm_status first_enrolment(void *ctx, const struct store_risk_item *it)
{
    struct store_risk_item *out = ctx;
    if (out->enrollment_id == 0)
        *out = *it;
    return LCM_OK;
}

/* Resolves LEARNER (cli_learner) to one enrolment, the active one first. Returns 0 or an exit
 * code. */
static int resolve(struct lcm_store *st, const char *cmd, const char *q,
                   struct store_risk_item *out)
{
    int64_t id = 0;
    int rc = cli_learner(st, cmd, q, &id);
    if (rc)
        return rc;
    struct lcm_err err = {0};
    memset(out, 0, sizeof *out);
    if (store_risk_learner(st, id, first_enrolment, out, &err) != LCM_OK)
        return cli_fail(&err);
    if (out->enrollment_id == 0) {
        fprintf(stderr, _("lcmtui %s: learner #%lld has no enrolment\n"), cmd, (long long)id);
        return 1;
    }
    return 0;
}

static int do_update(struct lcm_app *app, struct lcm_store *st)
{
    struct lcm_err err = {0};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (risk_update_all(st, &app->cfg, app->today, app_now(app), &app->rep, &err) != LCM_OK)
        return cli_fail(&err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    int counts[3] = {0};
    if (store_risk_level_counts(st, counts, &err) != LCM_OK)
        return cli_fail(&err);
    printf(_("risk: %d enrolments scored in %.0f ms: %d at risk, %d watch, %d ok\n"),
           counts[0] + counts[1] + counts[2], ms, counts[2], counts[1], counts[0]);
    return 0;
}

static int do_explain(struct lcm_app *app, struct lcm_store *st, int argc, char **argv)
{
    static const struct option opts[] = {{"at", required_argument, NULL, 'a'}, {NULL, 0, NULL, 0}};
    struct risk_at at = {.at_day = DAY_NONE};
    const char *at_text = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "a:", opts, NULL)) != -1) {
        if (c == 'a' && risk_eval_at_parse(optarg, &at))
            at_text = optarg;
        else if (c == 'a')
            return cli_usage("risk explain", _("--at %s: expected a number of days or YYYY-MM-DD"),
                             optarg);
        else
            return cli_usage("risk explain", _("expected LEARNER [--at DAY|DATE]"));
    }
    if (optind != argc - 1)
        return cli_usage("risk explain", _("expected one LEARNER [--at DAY|DATE]"));
    struct store_risk_item it;
    int rc = resolve(st, "risk explain", argv[optind], &it);
    if (rc)
        return rc;
    cli_put_clean(stdout, it.learner, 0);
    printf(" (");
    cli_put_clean(stdout, it.ext_id, 0);
    printf("), ");
    cli_put_clean(stdout, it.cohort, 0);
    printf("\n");
    struct lcm_err err = {0};
    if (at_text) /* a past day: nothing about today's flag is shown */
        return risk_explain_at(st, &app->cfg, it.enrollment_id, at, stdout, &err) == LCM_OK
                   ? 0
                   : cli_fail(&err);
    if (risk_explain(st, &app->cfg, it.enrollment_id, app->today, stdout, &err) != LCM_OK)
        return cli_fail(&err);
    struct store_risk_item stored;
    bool snoozed = false;
    if (store_risk_get(st, it.enrollment_id, &stored, &snoozed, &err) == LCM_OK && snoozed)
        printf(_("snoozed: hidden from the triage list\n"));
    return 0;
}

static enum lcm_status print_item(void *ctx, const struct store_risk_item *it)
{
    (void)ctx;
    char reasons[2 * sizeof it->what]; /* stored language-neutral: rendered for the reader */
    risk_text_render(it->what, reasons, sizeof reasons);
    for (char *p = reasons; *p; p++)
        if (*p == '\n')
            *p = ';';
    int w = 0; /* the level column: as wide as the longest label in this language */
    for (int l = RISK_OK; l <= RISK_AT_RISK; l++)
        if (text_width(risk_level_label(l)) > w)
            w = text_width(risk_level_label(l));
    printf("%5.1f  ", it->score);
    cli_put_clean(stdout, risk_level_label(it->level), w);
    printf("  ");
    cli_put_clean(stdout, it->learner, 28);
    putchar(' ');
    cli_put_clean(stdout, it->ext_id, 14);
    putchar(' ');
    cli_put_clean(stdout, reasons, 0);
    putchar('\n');
    return LCM_OK;
}

static int do_list(struct lcm_store *st, int argc, char **argv)
{
    int min_level = RISK_WATCH, limit = 50;
    static const struct option opts[] = {{"level", required_argument, NULL, 'l'},
                                         {"limit", required_argument, NULL, 'n'},
                                         {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "l:n:", opts, NULL)) != -1) {
        if (c == 'l' && strcmp(optarg, "watch") == 0)
            min_level = RISK_WATCH;
        else if (c == 'l' && strcmp(optarg, "risk") == 0)
            min_level = RISK_AT_RISK;
        else if (c == 'l' && strcmp(optarg, "all") == 0)
            min_level = RISK_OK;
        else if (c == 'n' && atoi(optarg) > 0)
            limit = atoi(optarg);
        else
            return cli_usage("risk list", _("expected --level watch|risk|all, --limit N"));
    }
    struct lcm_err err = {0};
    if (store_risk_triage(st, min_level, limit, print_item, NULL, &err) != LCM_OK)
        return cli_fail(&err);
    return 0;
}

static int do_snooze(struct lcm_app *app, struct lcm_store *st, int argc, char **argv)
{
    int days = 0;
    const char *reason = NULL;
    static const struct option opts[] = {{"days", required_argument, NULL, 'd'},
                                         {"reason", required_argument, NULL, 'r'},
                                         {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "d:r:", opts, NULL)) != -1) {
        if (c == 'd')
            days = atoi(optarg);
        else if (c == 'r')
            reason = optarg;
        else
            return cli_usage("risk snooze", _("expected LEARNER --days N [--reason TEXT]"));
    }
    if (optind != argc - 1 || days < 1 || days > 365)
        return cli_usage("risk snooze", _("expected LEARNER --days N (1-365) [--reason TEXT]"));
    struct store_risk_item it;
    int rc = resolve(st, "risk snooze", argv[optind], &it);
    if (rc)
        return rc;
    struct lcm_err err = {0};
    struct store_risk_item stored;
    double score = 0;
    if (store_risk_get(st, it.enrollment_id, &stored, NULL, &err) == LCM_OK)
        score = stored.score;
    if (store_snooze_add(st, it.enrollment_id, app->today + days, reason, score, app_now(app),
                         &err) != LCM_OK)
        return cli_fail(&err);
    char until[DAY_TEXT_LEN];
    cli_put_clean(stdout, it.learner, 0);
    printf(_(" snoozed until %s (score %.1f)\n"), day_format(app->today + days, until), score);
    return 0;
}

static int do_feedback(struct lcm_app *app, struct lcm_store *st, int argc, char **argv)
{
    if (argc != 3)
        return cli_usage("risk feedback", _("expected LEARNER TEXT"));
    struct store_risk_item it;
    int rc = resolve(st, "risk feedback", argv[1], &it);
    if (rc)
        return rc;
    struct lcm_err err = {0};
    if (store_snooze_feedback(st, it.enrollment_id, argv[2], app_now(app), &err) != LCM_OK)
        return cli_fail(&err);
    return 0;
}

static enum lcm_status print_celebration(void *ctx, const struct store_risk_item *it)
{
    (void)ctx;
    char day[DAY_TEXT_LEN];
    printf("%s  ", day_format(it->day, day));
    cli_put_clean(stdout, it->learner, 28);
    putchar(' ');
    cli_put_clean(stdout, it->ext_id, 14);
    putchar(' ');
    cli_put_clean(stdout, it->what, 0);
    putchar('\n');
    return LCM_OK;
}

static int do_celebrations(struct lcm_store *st, int argc, char **argv)
{
    int limit = 50;
    if (argc == 3 && strcmp(argv[1], "--limit") == 0 && atoi(argv[2]) > 0)
        limit = atoi(argv[2]);
    else if (argc != 1)
        return cli_usage("risk celebrations", _("expected [--limit N]"));
    struct lcm_err err = {0};
    if (store_risk_celebrations(st, limit, print_celebration, NULL, &err) != LCM_OK)
        return cli_fail(&err);
    return 0;
}

int cmd_risk(struct lcm_app *app, int argc, char **argv)
{
    if (argc < 2 || cli_is_help(argv[1])) {
        risk_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    static const char *const subs[] = {"update",       "explain", "list", "snooze", "feedback",
                                       "celebrations", "eval",    "fit",  NULL};
    bool known = false;
    for (int i = 0; subs[i]; i++)
        known = known || strcmp(subs[i], sub) == 0;
    if (!known)
        return cli_usage("risk", _("unknown command '%s'"), sub);
    if (argc >= 3 && cli_is_help(argv[2])) { /* `risk eval --help`: the same page */
        risk_usage(stdout);
        return 0;
    }
    struct lcm_store *st = cli_open_store(app);
    if (!st)
        return 1;
    int rc;
    argc--;
    argv++;
    optind = 0;
    if (strcmp(sub, "update") == 0)
        rc = argc == 1 ? do_update(app, st) : cli_usage("risk update", _("no arguments expected"));
    else if (strcmp(sub, "explain") == 0)
        rc = do_explain(app, st, argc, argv);
    else if (strcmp(sub, "list") == 0)
        rc = do_list(st, argc, argv);
    else if (strcmp(sub, "snooze") == 0)
        rc = do_snooze(app, st, argc, argv);
    else if (strcmp(sub, "feedback") == 0)
        rc = do_feedback(app, st, argc, argv);
    else if (strcmp(sub, "celebrations") == 0)
        rc = do_celebrations(st, argc, argv);
    else
        rc = cmd_risk_eval(app, st, sub, argc, argv);
    store_close(&st);
    return rc;
}
