/* cmd_report.c — `lcmtui report`: the KPI report for HR and managers in HTML, CSV or
 * Markdown, on stdout or into a file (-o, created 0600: it names learners). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "base/i18n.h"
#include "cli/cli_out.h"
#include "base/day.h"
#include "msg/sequence.h"
#include "report/kpi.h"
#include "report/report.h"
#include "store/store.h"
#include "store/store_kpi.h"
#include "store/store_team_report.h"
#include "report/report_team.h"

static void help(void)
{
    printf(_("usage: lcmtui report [--format html|csv|md] [--program P] [--cohort C]\n"
             "                     [--from DATE] [--to DATE] [--by department|manager|lcm]\n"
             "                     [--manager EMAIL] [--department D] [--learners] [--anonymous]\n"
             "                     [--private] [--sep ,|;] [--bom] [-o FILE]\n"
             "\n"
             "Writes the KPI report: enrolment, activity, completion and drop-out, milestones,\n"
             "the LCM's follow-up and its return, weekly trends and the money (group \"kpi\" of\n"
             "the configuration). Default format md, on stdout.\n"
             "\n"
             "  --format F        html (self-contained, prints on A4), csv (Excel), md (e-mail)\n"
             "  --program P       one programme (name or id); --cohort C one cohort\n"
             "  --from/--to DATE  the period (YYYY-MM-DD); default from the first start to today\n"
             "  --by WHAT         add a table by department or by manager; --by lcm writes\n"
             "                    the team's table instead (per LCM: learners followed,\n"
             "                    contacts, time to first contact after a flag, re-engagement\n"
             "                    after contact), for the period, in the format asked\n"
             "  --manager EMAIL   only that manager's team (lists its learners)\n"
             "  --department D    only that department\n"
             "  --learners        list the learners (default only with --manager)\n"
             "  --anonymous       learners as stable pseudonyms (\"Learner 017\"), no e-mail\n"
             "  --private         the LCM's own report: adds each learner's latest check-in note;\n"
             "                    refused with --manager (manager reports never show notes)\n"
             "  --sep C           CSV separator ',' (default) or ';' (also a decimal comma)\n"
             "  --bom             CSV: start with a UTF-8 byte order mark (Excel)\n"
             "  -o FILE           write to FILE (mode 0600) instead of stdout\n"));
}

struct report_args {
    bool by_lcm; /* --by lcm: the team's table (report_team.h) */
    struct kpi_filter filter;
    struct kpi_options kopt;
    struct report_options ropt;
    const char *out;
};

static int parse_day_opt(const char *opt, const char *v, int *out)
{
    if (!day_parse(v, out))
        return cli_usage("report", _("%s %s: expected a date as YYYY-MM-DD"), opt, v);
    return 0;
}

enum {
    O_FROM = 256,
    O_TO,
    O_BY,
    O_MANAGER,
    O_DEPT,
    O_ANON,
    O_BOM,
    O_SEP,
    O_PROG,
    O_COH,
    O_LEARNERS,
    O_PRIVATE,
    O_FORMAT
};

/* Applies one option; returns 0, or the usage exit code. */
static int apply_opt(struct report_args *a, int c, char *arg)
{
    int rc;
    switch (c) {
    case O_FORMAT:
        if ((rc = report_format_parse(arg)) < 0)
            return cli_usage("report", _("--format %s: expected html, csv or md"), arg);
        a->ropt.format = (enum report_format)rc;
        return 0;
    case O_COH:
        a->filter.cohort = arg;
        return 0;
    case O_PROG:
        a->filter.program = arg;
        return 0;
    case O_FROM:
        return parse_day_opt("--from", arg, &a->filter.from_day);
    case O_TO:
        return parse_day_opt("--to", arg, &a->filter.to_day);
    case O_BY:
        if (strcmp(arg, "lcm") == 0) {
            a->by_lcm = true;
            return 0;
        }
        if (strcmp(arg, "department") != 0 && strcmp(arg, "manager") != 0)
            return cli_usage("report", _("--by %s: expected department, manager or lcm"), arg);
        a->kopt.by = arg[0] == 'd' ? KPI_BY_DEPARTMENT : KPI_BY_MANAGER;
        return 0;
    case O_MANAGER:
        a->filter.manager_email = arg;
        a->kopt.learners = true; /* a manager's report lists the team */
        return 0;
    case O_DEPT:
        a->filter.department = arg;
        return 0;
    case O_ANON:
        a->ropt.anonymous = true;
        return 0;
    case O_BOM:
        a->ropt.bom = true;
        return 0;
    case O_SEP:
        if (strcmp(arg, ",") != 0 && strcmp(arg, ";") != 0)
            return cli_usage("report", _("--sep %s: expected ',' or ';'"), arg);
        a->ropt.sep = arg[0];
        a->ropt.decimal_comma = arg[0] == ';'; /* French Excel reads "12,5" */
        return 0;
    case O_LEARNERS:
        a->kopt.learners = true;
        return 0;
    case O_PRIVATE:
        a->kopt.private_notes = a->ropt.private_notes = a->kopt.learners = true;
        return 0;
    case 'o':
        a->out = arg;
        return 0;
    default:
        return cli_usage("report", _("unknown option"));
    }
}

/* Returns 0 to go on, -1 after --help, or the usage exit code. */
static int parse_args(int argc, char **argv, struct report_args *a)
{
    static const struct option opts[] = {{"format", required_argument, NULL, O_FORMAT},
                                         {"cohort", required_argument, NULL, O_COH},
                                         {"program", required_argument, NULL, O_PROG},
                                         {"from", required_argument, NULL, O_FROM},
                                         {"to", required_argument, NULL, O_TO},
                                         {"by", required_argument, NULL, O_BY},
                                         {"manager", required_argument, NULL, O_MANAGER},
                                         {"department", required_argument, NULL, O_DEPT},
                                         {"anonymous", no_argument, NULL, O_ANON},
                                         {"bom", no_argument, NULL, O_BOM},
                                         {"sep", required_argument, NULL, O_SEP},
                                         {"learners", no_argument, NULL, O_LEARNERS},
                                         {"private", no_argument, NULL, O_PRIVATE},
                                         {"output", required_argument, NULL, 'o'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int c, rc;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        if (c == 'h') {
            help();
            return -1;
        }
        if ((rc = apply_opt(a, c, optarg)) != 0)
            return rc;
    }
    if (optind < argc)
        return cli_usage("report", _("unexpected argument '%s'"), argv[optind]);
    if (a->ropt.private_notes && a->filter.manager_email)
        return cli_usage("report", _("--private cannot be used with --manager: a manager's "
                                     "report never shows the LCM's notes"));
    if (a->filter.from_day != DAY_NONE && a->filter.to_day != DAY_NONE &&
        a->filter.from_day > a->filter.to_day)
        return cli_usage("report", _("--from is after --to"));
    return 0;
}

/* "Anglais B2 · cohort C · manager M": the programme (when the scope has one), then the
 * filter; "all programmes" when neither says more. */
static void describe(const struct kpi_filter *f, const char *program, char *buf, size_t len)
{
    const char *names[] = {"", _("cohort "), _("manager "), _("department ")};
    const char *vals[] = {program ? program : f->program, f->cohort, f->manager_email,
                          f->department};
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < 4; i++) {
        if (!vals[i] || o >= len)
            continue;
        int n = snprintf(buf + o, len - o, "%s%s%s", o ? " \xc2\xb7 " : "", names[i], vals[i]);
        o += n > 0 ? (size_t)n : 0;
    }
    if (!buf[0])
        snprintf(buf, len, _("all programmes"));
}

/* Writes the report to path, whole or not at all, mode 0600 (cli_out.h: the report names
 * learners). Returns 0 or 1 (error printed). */
static int write_file(const char *path, const struct kpi_result *r, const struct report_options *o)
{
    struct lcm_err err = {0};
    struct cli_out out;
    if (cli_out_open(&out, path, &err) != LCM_OK)
        return cli_fail(&err);
    bool ok = report_write(out.f, r, o, &err) == LCM_OK;
    if (cli_out_close(&out, ok, ok ? &err : NULL) != LCM_OK || !ok) {
        if (!ok && err.status == LCM_OK)
            lcm_err_set(&err, LCM_ERR_IO, _("%s: cannot write the report"), path);
        return cli_fail(&err);
    }
    return 0;
}

/* --by lcm: the team's table for the period, to path or stdout. */
static int team_report(struct lcm_app *app, const struct report_args *a, int from, int to)
{
    if (a->filter.program || a->filter.cohort || a->filter.manager_email || a->filter.department ||
        a->kopt.learners)
        return cli_usage("report", _("--by lcm covers the whole team: no --program, --cohort, "
                                     "--manager, --department or --learners with it"));
    struct lcm_store *st = cli_open_store_no_create(app);
    if (!st)
        return 1;
    struct lcm_err err = {0};
    struct store_team_report_row *rows = NULL;
    size_t n = 0;
    int rc = 0;
    if (store_team_report_rows(st, from, to, &rows, &n, &err) != LCM_OK) {
        rc = cli_fail(&err);
    } else {
        char scope[128], d1[DAY_TEXT_LEN], d2[DAY_TEXT_LEN];
        snprintf(scope, sizeof scope, _("%s to %s"),
                 from != DAY_NONE ? day_format(from, d1) : _("the start"), day_format(to, d2));
        struct report_options o = a->ropt;
        o.scope = scope;
        struct cli_out out = {0};
        FILE *f = stdout;
        if (a->out && cli_out_open(&out, a->out, &err) != LCM_OK)
            rc = cli_fail(&err);
        else if (a->out)
            f = out.f;
        bool ok = rc == 0 && report_team_write(f, rows, n, &o, &err) == LCM_OK;
        if (rc == 0 && a->out && cli_out_close(&out, ok, ok ? &err : NULL) != LCM_OK)
            ok = false;
        if (rc == 0 && !ok)
            rc = cli_fail(&err);
    }
    free(rows);
    store_close(&st);
    return rc;
}

int cmd_report(struct lcm_app *app, int argc, char **argv)
{
    struct report_args a = {
        .filter = {.from_day = DAY_NONE, .to_day = DAY_NONE},
        .ropt = {.format = REPORT_MD, .sep = ','},
    };
    int prc = parse_args(argc, argv, &a);
    if (prc != 0)
        return prc < 0 ? 0 : prc;
    int to = a.filter.to_day != DAY_NONE ? a.filter.to_day : app->today;
    if (a.filter.from_day != DAY_NONE && a.filter.from_day > to)
        return cli_usage("report", _("--from is after the period's end (--to, or today)"));
    if (a.by_lcm)
        return team_report(app, &a, a.filter.from_day, to);
    struct lcm_err err = {0};
    a.kopt.holdout_min = sequence_holdout_min(&app->cfg);
    if (kpi_config_read(&app->cfg, &a.kopt.money, &app->rep, &err) != LCM_OK)
        return cli_fail(&err);
    struct lcm_store *st = cli_open_store(app);
    if (!st)
        return 1;
    char scope[512];
    a.ropt.today = app->today;
    struct kpi_result r;
    int rc = 0;
    if (kpi_compute(st, &a.filter, app->today, &a.kopt, &r, &err) != LCM_OK) {
        rc = cli_fail(&err);
        goto done;
    }
    describe(&a.filter, r.program, scope, sizeof scope);
    a.ropt.scope = scope;
    if (r.total.enrolled == 0)
        lcm_report(&app->rep, LCM_LEVEL_WARN, _("report: no enrollment matches %s"), scope);
    if (a.out) {
        rc = write_file(a.out, &r, &a.ropt);
    } else if (report_write(stdout, &r, &a.ropt, &err) != LCM_OK) {
        lcm_err_set(&err, LCM_ERR_IO, _("stdout: cannot write the report"));
        rc = cli_fail(&err);
    }
    kpi_result_free(&r);
done:
    store_close(&st);
    return rc;
}
