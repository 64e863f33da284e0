/* cmd_team.c — `lcmtui team`: who follows whom in a team of LCMs sharing one base.
 *   team list                                       the LCMs, their learners and cohorts
 *   team assign (--cohort C | LEARNER...) --to E    give a cohort or learners to an LCM
 *   team unassign (--cohort C | LEARNER...)         remove the assignment
 * A reassignment from one LCM to another is a handover: open follow-ups and drafts move, and
 * each learner's timeline says so (store_team.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "base/i18n.h"
#include "store/store.h"
#include "store/store_team.h"

static const char team_usage[] =
    N_("usage: lcmtui team list\n"
       "       lcmtui team assign (--cohort C | LEARNER...) --to EMAIL\n"
       "       lcmtui team unassign (--cohort C | LEARNER...)\n"
       "\n"
       "The LCMs of the base (each made on first use from general.lcm_name and lcm_email) and\n"
       "who follows whom. A cohort's LCM follows every learner of it, those who join it later\n"
       "too; a learner given alone comes before their cohort's LCM. Reassigning learners from\n"
       "one LCM to another hands them over: their open follow-ups and drafts move to the new LCM\n"
       "and a note in each learner's timeline says so.\n"
       "\n"
       "  --cohort C   a cohort by #id, name or LMS id\n"
       "  --to EMAIL   the LCM's e-mail (made when no LCM has it yet)\n"
       "  LEARNER      #ID, SOURCE:EXT_ID, e-mail or name\n");

static enum lcm_status print_user(void *ctx, int64_t id, const char *name, const char *email,
                                  int64_t learners, const char *cohorts)
{
    (void)ctx;
    char n[24];
    snprintf(n, sizeof n, "#%lld", (long long)id);
    printf("  %-5s ", n);
    cli_put_clean(stdout, *name ? name : "-", 24);
    fputc(' ', stdout);
    cli_put_clean(stdout, *email ? email : "-", 30);
    printf(" %6lld  ", (long long)learners);
    cli_put_clean(stdout, *cohorts ? cohorts : "-", 0);
    fputc('\n', stdout);
    return LCM_OK;
}

static int team_list(struct lcm_store *st)
{
    struct lcm_err err = {0};
    int64_t none = 0;
    printf("  %-5s %-24s %-30s %6s  %s\n", "id", _("LCM"), _("e-mail"), _("learners"),
           _("cohorts"));
    if (store_team_each(st, print_user, NULL, &err) != LCM_OK ||
        store_team_unassigned(st, &none, &err) != LCM_OK)
        return cli_fail(&err);
    printf(ngettext("%lld learner unassigned (visible to every LCM)\n",
                    "%lld learners unassigned (visible to every LCM)\n", (unsigned long)none),
           (long long)none);
    return 0;
}

static void print_handover(const char *what, const struct store_handover *h)
{
    printf(_("%s: %d learners change LCM, %d handed over from another LCM "
             "(%d open follow-ups, %d drafts moved)\n"),
           what, h->learners, h->handed, h->followups, h->drafts);
}

/* assign or unassign (to == NULL) the cohort or the learners of argv. */
static int team_change(struct lcm_app *app, struct lcm_store *st, const char *cmd,
                       const char *cohort, const char *to, char **refs, int nrefs)
{
    struct lcm_err err = {0};
    int64_t user = 0, cid = 0, me = 0;
    /* the LCM running this first: so that "--to" their own e-mail finds them with a name */
    if (store_team_me(st, app_now(app), &me, &err) != LCM_OK)
        return cli_fail(&err);
    if (to && store_team_user_find(st, to, true, app_now(app), &user, &err) != LCM_OK)
        return cli_fail(&err);
    if (cohort) {
        if (store_team_cohort_find(st, cohort, &cid, &err) != LCM_OK)
            return cli_fail(&err);
        struct store_handover h = {0, 0, 0, 0};
        int n = 0;
        enum lcm_status rc = to ? store_team_assign_cohort(st, cid, user, app_now(app), &h, &err)
                                : store_team_unassign_cohort(st, cid, &n, &err);
        if (rc != LCM_OK)
            return cli_fail(&err);
        if (to) {
            print_handover(cohort, &h);
        } else {
            cli_put_clean(stdout, cohort, 0);
            fputs(n ? _(": no LCM now\n") : _(": had no LCM\n"), stdout);
        }
        return 0;
    }
    if (nrefs == 0)
        return cli_usage(cmd, _("name --cohort C or at least one LEARNER"));
    struct store_handover sum = {0, 0, 0, 0};
    for (int i = 0; i < nrefs; i++) {
        int64_t lid = 0;
        int rc = cli_learner(st, cmd, refs[i], &lid);
        if (rc != 0)
            return rc;
        struct store_handover h = {0, 0, 0, 0};
        int n = 0;
        if ((to ? store_team_assign_learner(st, lid, user, app_now(app), &h, &err)
                : store_team_unassign_learner(st, lid, &n, &err)) != LCM_OK)
            return cli_fail(&err);
        sum.learners += h.learners;
        sum.handed += h.handed;
        sum.followups += h.followups;
        sum.drafts += h.drafts;
        sum.learners += n;
    }
    if (to)
        print_handover(_("learners"), &sum);
    else
        printf(_("%d learners no longer assigned one by one\n"), sum.learners);
    return 0;
}

int cmd_team(struct lcm_app *app, int argc, char **argv)
{
    if (argc < 2 || cli_is_help(argv[1])) {
        fputs(_(team_usage), argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    bool assign = strcmp(sub, "assign") == 0, unassign = strcmp(sub, "unassign") == 0;
    if (strcmp(sub, "list") != 0 && !assign && !unassign)
        return cli_usage("team", _("unknown subcommand '%s' (list, assign, unassign)"), sub);
    const char *cohort = NULL, *to = NULL;
    char **refs = lcm_xcalloc((size_t)argc, sizeof *refs);
    int nrefs = 0, rc = 0;
    for (int i = 2; i < argc && rc == 0; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) {
            fputs(_(team_usage), stdout);
            free(refs);
            return 0;
        } else if ((strcmp(a, "--cohort") == 0 || strcmp(a, "--to") == 0) && !assign && !unassign) {
            rc = cli_usage("team", _("team list takes no argument"));
        } else if (strcmp(a, "--cohort") == 0 || (strcmp(a, "--to") == 0 && assign)) {
            if (i + 1 >= argc)
                rc = cli_usage("team", _("%s needs a value"), a);
            else
                *(a[2] == 'c' ? &cohort : &to) = argv[++i];
        } else if (a[0] != '-' && (assign || unassign)) {
            refs[nrefs++] = argv[i];
        } else {
            rc = cli_usage("team", _("unknown argument '%s'"), a);
        }
    }
    if (rc == 0 && assign && !to)
        rc = cli_usage("team", _("assign needs --to EMAIL"));
    if (rc == 0 && cohort && nrefs)
        rc = cli_usage("team", _("name --cohort C or learners, not both"));
    struct lcm_store *st = rc == 0 ? cli_open_store(app) : NULL;
    if (rc == 0 && !st)
        rc = 1;
    if (rc == 0)
        rc = assign || unassign
                 ? team_change(app, st, "team", cohort, assign ? to : NULL, refs, nrefs)
                 : team_list(st);
    store_close(&st);
    free(refs);
    return rc;
}
