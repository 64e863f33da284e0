/* cmd_learners.c — `lcmtui learners`: find, show, unmatched, merge. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "base/i18n.h"
#include "base/day.h"
#include "risk/risk.h"
#include "store/store.h"
#include "store/store_learner.h"
#include "store/store_learner_merge.h"

static const char learners_usage[] =
    N_("usage: lcmtui learners COMMAND [ARGS]\n"
       "\n"
       "  find LEARNER               every learner LEARNER names (id, name, e-mail, cohorts)\n"
       "  show LEARNER               one learner: keys, enrolments, activity, check-ins\n"
       "  unmatched [--source S]     the learners a sync made because no identity rule matched\n"
       "                             them (LRS actors that are no LMS user)\n"
       "  merge FROM INTO [--dry-run]\n"
       "                             FROM's whole history moves to INTO, in one transaction;\n"
       "                             FROM is removed, the merge logged; --dry-run counts only\n"
       "\n"
       "LEARNER is #ID (the local id; a bare number too), SOURCE:EXT_ID, an e-mail or a name\n"
       "(without case or accents). A name several learners share lists them and exits 2.\n");

static enum lcm_status print_learner(void *ctx, const struct store_learner_row *r)
{
    int *n = ctx;
    (*n)++;
    cli_learner_line(stdout, r);
    return LCM_OK;
}

static int do_find(struct lcm_store *st, int argc, char **argv)
{
    if (argc != 2)
        return cli_usage("learners find", _("expected one LEARNER"));
    struct store_learner_row rows[100];
    int n = 0;
    struct lcm_err err = {0};
    if (store_learner_find(st, argv[1], rows, 100, &n, &err) != LCM_OK)
        return cli_fail(&err);
    for (int i = 0; i < n && i < 100; i++)
        cli_learner_line(stdout, &rows[i]);
    if (n > 100)
        printf(_("  ... and %d more\n"), n - 100);
    if (n == 0) {
        fprintf(stderr, _("lcmtui learners find: no learner matches '"));
        cli_put_clean(stderr, argv[1], 0);
        fprintf(stderr, "'\n");
        return 1;
    }
    return 0;
}

static enum lcm_status print_key(void *ctx, const char *kind, const char *value, const char *source)
{
    (void)ctx;
    printf("  %-9s ", kind);
    cli_put_clean(stdout, value, 60);
    printf("  (");
    cli_put_clean(stdout, source, 0);
    printf(")\n");
    return LCM_OK;
}

static enum lcm_status print_enrol(void *ctx, const struct store_learner_enrol *e)
{
    (void)ctx;
    char start[DAY_TEXT_LEN], last[DAY_TEXT_LEN], prog[16];
    if (e->progress < 0)
        snprintf(prog, sizeof prog, "?");
    else
        snprintf(prog, sizeof prog, "%.0f %%", e->progress * 100);
    printf("  #%-6lld ", (long long)e->id);
    cli_put_clean(stdout, e->cohort, 24);
    printf(_(" %-9s %6s  started %-10s  last active %-10s  %d days, %d check-ins  ("), e->status,
           prog, e->start_day == DAY_NONE ? "-" : day_format(e->start_day, start),
           e->last_activity == DAY_NONE ? "never" : day_format(e->last_activity, last),
           e->days_active, e->checkins);
    cli_put_clean(stdout, e->source, 0);
    printf(")\n");
    return LCM_OK;
}

static int do_show(struct lcm_store *st, int argc, char **argv)
{
    if (argc != 2)
        return cli_usage("learners show", _("expected one LEARNER"));
    int64_t id = 0;
    int rc = cli_learner(st, "learners show", argv[1], &id);
    if (rc)
        return rc;
    struct store_learner_row r;
    struct lcm_err err = {0};
    if (store_learner_get(st, id, &r, &err) != LCM_OK)
        return cli_fail(&err);
    printf("#%lld ", (long long)r.id);
    cli_put_clean(stdout, r.name, 0);
    if (r.email[0]) {
        printf(" <");
        cli_put_clean(stdout, r.email, 0);
        putchar('>');
    }
    printf(_("\nrecord: "));
    cli_put_clean(stdout, r.source, 0);
    putchar(':');
    cli_put_clean(stdout, r.ext_id, 0);
    printf(_("\nkeys (how sources name this learner):\n"));
    if (store_learner_keys(st, id, print_key, NULL, &err) != LCM_OK)
        return cli_fail(&err);
    printf(_("enrolments:\n"));
    if (store_learner_enrollments(st, id, print_enrol, NULL, &err) != LCM_OK)
        return cli_fail(&err);
    return 0;
}

static int do_unmatched(struct lcm_store *st, int argc, char **argv)
{
    const char *source = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--source") == 0 && i + 1 < argc)
            source = argv[++i];
        else
            return cli_usage("learners unmatched", _("unknown argument '%s'"), argv[i]);
    }
    int n = 0;
    struct lcm_err err = {0};
    if (store_learner_unmatched(st, source, print_learner, &n, &err) != LCM_OK)
        return cli_fail(&err);
    if (n == 0)
        printf(_("no unmatched learner: every actor matched an identity rule\n"));
    else
        printf(
            "%d unmatched; to make one with a known learner: lcmtui learners merge #FROM #INTO\n",
            n);
    return 0;
}

static int do_merge(struct lcm_app *app, struct lcm_store *st, int argc, char **argv)
{
    bool dry = false;
    const char *ref[2] = {NULL, NULL};
    int nref = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--dry-run") == 0)
            dry = true;
        else if (nref < 2 && argv[i][0] != '-')
            ref[nref++] = argv[i];
        else
            return cli_usage("learners merge", _("expected FROM INTO [--dry-run]"));
    }
    if (nref != 2)
        return cli_usage("learners merge", _("expected FROM INTO [--dry-run]"));
    int64_t from = 0, into = 0;
    int rc = cli_learner(st, "learners merge", ref[0], &from);
    if (rc == 0)
        rc = cli_learner(st, "learners merge", ref[1], &into);
    if (rc)
        return rc;
    struct store_learner_row a, b;
    struct lcm_err err = {0};
    if (store_learner_get(st, from, &a, &err) != LCM_OK ||
        store_learner_get(st, into, &b, &err) != LCM_OK)
        return cli_fail(&err);
    struct store_merge_counts c;
    if (store_learner_merge(st, from, into, app->cfg.lcm_name, app_now(app), dry, &c, &err) !=
        LCM_OK)
        return cli_fail(&err);
    printf(dry ? _("would merge #%lld ") : _("merged #%lld "), (long long)from);
    cli_put_clean(stdout, a.name, 0);
    printf(_(" into #%lld "), (long long)into);
    cli_put_clean(stdout, b.name, 0);
    printf(_(": %d enrolments folded, %d moved; %d days, %d milestones, %d check-ins, "
             "%d follow-ups, %d messages, %d keys\n"),
           c.enrollments_folded, c.enrollments_moved, c.days, c.milestones, c.checkins, c.followups,
           c.messages, c.keys);
    if (dry)
        return 0;
    if (risk_update_all(st, &app->cfg, app->today, app_now(app), &app->rep, &err) != LCM_OK)
        return cli_fail(&err);
    return 0;
}

int cmd_learners(struct lcm_app *app, int argc, char **argv)
{
    if (argc < 2 || cli_is_help(argv[1])) {
        fputs(_(learners_usage), argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "find") && strcmp(sub, "show") && strcmp(sub, "unmatched") &&
        strcmp(sub, "merge"))
        return cli_usage("learners", _("unknown command '%s' (find, show, unmatched, merge)"), sub);
    struct lcm_store *st = cli_open_store(app);
    if (!st)
        return 1;
    int rc;
    if (strcmp(sub, "find") == 0)
        rc = do_find(st, argc - 1, argv + 1);
    else if (strcmp(sub, "show") == 0)
        rc = do_show(st, argc - 1, argv + 1);
    else if (strcmp(sub, "unmatched") == 0)
        rc = do_unmatched(st, argc - 1, argv + 1);
    else
        rc = do_merge(app, st, argc - 1, argv + 1);
    store_close(&st);
    return rc;
}
