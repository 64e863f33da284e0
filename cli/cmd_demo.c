/* cmd_demo.c — `lcmtui demo`: writes the demo cohort (or benchmark data) into the database,
 * and the automatic demo database that `lcmtui` opens when nothing is configured yet. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "base/i18n.h"
#include "base/day.h"
#include "demo/demo.h"
#include "risk/risk.h"
#include "store/store.h"
#include "store/store_team.h"
#include "store/store_bulk.h"

static void demo_usage(FILE *out)
{
    fprintf(out,
            _("usage: lcmtui [--db FILE] [--today DATE] demo [--seed N] [--learners N] [--force]\n"
              "\n"
              "Writes the demo cohort into the database: the 5-month course \"%s\",\n"
              "4 cohorts, %d learners with their daily activity, milestones, tests, check-ins\n"
              "and calls, all relative to today. The same seed and today give the same data.\n"
              "With --learners 100000 it writes benchmark data (40 cohorts, ~15M activity days).\n"
              "\n"
              "  --seed N       random seed (default %u)\n"
              "  --learners N   number of learners, 1 to %d (default %d)\n"
              "  --force        write even into a database that holds non-demo data\n"
              "\n"
              "Earlier demo data in the database is replaced. Exit 0 ok, 1 failure, 2 usage.\n"),
            DEMO_PROGRAM_NAME, DEMO_LEARNERS_DEFAULT, DEMO_SEED_DEFAULT, DEMO_LEARNERS_MAX,
            DEMO_LEARNERS_DEFAULT);
}

/* Parses a whole decimal number in [lo, hi]. */
static bool parse_num(const char *s, unsigned long long lo, unsigned long long hi,
                      unsigned long long *out)
{
    char *end = NULL;
    if (!s || *s < '0' || *s > '9')
        return false;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno == ERANGE || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static int parse_args(int argc, char **argv, struct demo_opts *o)
{
    static const struct option opts[] = {{"seed", required_argument, NULL, 's'},
                                         {"learners", required_argument, NULL, 'n'},
                                         {"force", no_argument, NULL, 'f'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int c;
    unsigned long long v;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+:s:n:fh", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            if (!parse_num(optarg, 0, UINT64_MAX, &v))
                return cli_usage("demo", _("--seed %s: expected a non-negative integer"), optarg);
            o->seed = v;
            break;
        case 'n':
            if (!parse_num(optarg, 1, DEMO_LEARNERS_MAX, &v))
                return cli_usage("demo", _("--learners %s: expected 1 to %d"), optarg,
                                 DEMO_LEARNERS_MAX);
            o->learners = (int)v;
            break;
        case 'f':
            o->force = true;
            break;
        case 'h':
            demo_usage(stdout);
            return -1;
        case ':':
            return cli_usage("demo", _("option '%s' needs a value"), argv[optind - 1]);
        default:
            return cli_usage("demo", _("unknown option '%s'"), argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage("demo", _("unexpected argument '%s'"), argv[optind]);
    return 0;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU seconds of this process: on a shared machine the wall clock also counts the others. */
static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Generates into the open store and prints one summary line unless quiet. */
static int run_demo(struct lcm_app *app, struct lcm_store *st, const struct demo_opts *o,
                    bool quiet)
{
    struct lcm_err err = {0};
    struct demo_stats s = {0};
    double t0 = now_seconds(), c0 = cpu_seconds();
    const struct lcm_report *rep = quiet ? NULL : &app->rep;
    if (demo_generate(st, o, rep, &s, &err) != LCM_OK)
        return cli_fail(&err);
    double dt = now_seconds() - t0, dc = cpu_seconds() - c0;
    if (!quiet)
        printf(_("demo: %d learners in %d cohorts, %lld activity days, %lld milestones reached, "
                 "%lld check-ins, %lld follow-ups in %.2f s (%.0f activity rows/s; %.2f s CPU)\n"),
               s.learners, s.cohorts, (long long)s.activity_days, (long long)s.milestones_done,
               (long long)s.checkins, (long long)s.followups, dt,
               dt > 0 ? (double)s.activity_days / dt : 0.0, dc);
    /* Scored as of 07:00 on today, so that the whole database depends on (seed, today). */
    t0 = now_seconds();
    if (risk_update_all(st, &app->cfg, o->today, day_to_time(o->today) + 7 * 3600, rep, &err) !=
        LCM_OK)
        return cli_fail(&err);
    if (!quiet)
        printf(_("demo: risk scored in %.2f s\n"), now_seconds() - t0);
    return 0;
}

int cmd_demo(struct lcm_app *app, int argc, char **argv)
{
    struct demo_opts o;
    demo_opts_init(&o, app->today);
    int rc = parse_args(argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    struct lcm_store *st = cli_open_store(app);
    if (!st)
        return 1;
    store_team_identify(st, NULL, NULL); /* the demo's check-ins are "LCM (démo)"'s, no one's */
    rc = run_demo(app, st, &o, false);
    store_close(&st);
    return rc;
}

int cmd_demo_auto(struct lcm_app *app)
{
    struct demo_opts o;
    demo_opts_init(&o, app->today);
    struct lcm_store *st = cli_open_store(app);
    if (!st)
        return 1;
    store_team_identify(st, NULL, NULL);
    /* Only a file without data: an interrupted first run is redone, a used demo is kept. */
    struct lcm_err err = {0};
    bool has_data = true;
    int rc = store_bulk_kind(st, &has_data, NULL, &err) != LCM_OK ? cli_fail(&err)
             : has_data                                           ? 0
                                                                  : run_demo(app, st, &o, true);
    store_close(&st);
    return rc;
}
