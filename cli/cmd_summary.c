/* cmd_summary.c — `lcmtui summary`: the cohorts and counts of the database. */
#include <inttypes.h>
#include <stdio.h>

#include "cli/cli.h"
#include "base/i18n.h"
#include "base/text.h"
#include "store/store.h"
#include "store/store_entity.h"

static enum lcm_status print_cohort(void *ctx, int64_t id, const char *program, const char *cohort,
                                    int64_t enrollments)
{
    (void)ctx;
    (void)id;
    /* Names come from LMS data: cleaned of control and escape sequences, padded by display
     * width (not bytes) so accented names keep the columns straight. */
    char p[256], c[256];
    text_fit(p, sizeof p, program, 40, true);
    text_fit(c, sizeof c, cohort, 28, true);
    printf("  %s %s %6" PRId64 " enrolled\n", p, c, enrollments);
    return LCM_OK;
}

int cmd_summary(struct lcm_app *app, int argc, char **argv)
{
    if (argc > 1 && cli_is_help(argv[1])) {
        printf(_("usage: lcmtui summary\n\nPrints the database path, its cohorts and counts.\n"));
        return 0;
    }
    struct lcm_store *st = cli_open_store(app);
    if (!st)
        return 1;
    struct lcm_err err = {0};
    struct store_counts n = {0};
    int rc = 0;
    if (store_counts(st, &n, &err) != LCM_OK) {
        rc = cli_fail(&err);
        goto out;
    }
    /* a URI is printed without its user and password */
    printf(_("database %s%s\n"), store_target(st), app->demo_db ? " (demo)" : "");
    printf("%" PRId64 " programmes, %" PRId64 " cohorts, %" PRId64 " learners, %" PRId64
           " enrolments, %" PRId64 " activity days\n",
           n.programs, n.cohorts, n.learners, n.enrollments, n.activity_days);
    printf("%" PRId64 " check-ins, %" PRId64 " follow-ups, %" PRId64 " messages\n", n.checkins,
           n.followups, n.messages);
    if (store_entity_cohort_each(st, print_cohort, NULL, &err) != LCM_OK)
        rc = cli_fail(&err);
out:
    store_close(&st);
    return rc;
}
