/* cmd_risk_eval.c — `lcmtui risk eval` and `lcmtui risk fit`: the score against outcomes. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "base/i18n.h"
#include "base/day.h"
#include "risk/risk.h"
#include "risk/risk_eval.h"
#include "store/store.h"

#define MAX_COHORTS 64

struct eval_opts {
    struct risk_at at;
    const char *at_text;
    struct risk_eval_range curve;
    const char *curve_text;
    const char *cohorts[MAX_COHORTS];
    size_t n_cohorts;
    bool json;
    const char *output;
    double l2;
};

static int parse_opts(const char *cmd, int argc, char **argv, struct eval_opts *o)
{
    static const struct option opts[] = {{"at", required_argument, NULL, 'a'},
                                         {"cohort", required_argument, NULL, 'c'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"output", required_argument, NULL, 'o'},
                                         {"l2", required_argument, NULL, 'l'},
                                         {"curve", required_argument, NULL, 'C'},
                                         {NULL, 0, NULL, 0}};
    int c;
    o->l2 = 1.0;
    bool fit = strcmp(cmd, "risk fit") == 0;
    while ((c = getopt_long(argc, argv, "a:c:jo:l:", opts, NULL)) != -1) {
        switch (c) {
        case 'a':
            if (!risk_eval_at_parse(optarg, &o->at))
                return cli_usage(cmd, _("--at %s: expected a number of days or YYYY-MM-DD"),
                                 optarg);
            o->at_text = optarg;
            break;
        case 'C':
            if (fit)
                return cli_usage(cmd, _("--curve is for risk eval"));
            if (!risk_eval_curve_parse(optarg, &o->curve))
                return cli_usage(cmd,
                                 _("--curve %s: expected FROM..TO[/STEP], days after the "
                                   "cohort start (FROM <= TO, STEP >= 1)"),
                                 optarg);
            o->curve_text = optarg;
            break;
        case 'c':
            if (o->n_cohorts == MAX_COHORTS)
                return cli_usage(cmd, _("at most %d --cohort"), MAX_COHORTS);
            o->cohorts[o->n_cohorts++] = optarg;
            break;
        case 'j':
            o->json = true;
            break;
        case 'o':
            o->output = optarg;
            break;
        case 'l':
            o->l2 = atof(optarg);
            if (o->l2 < 0 || o->l2 > 1e6)
                return cli_usage(cmd, _("--l2 must be from 0 to 1e6"));
            break;
        default:
            return cli_usage(cmd, _("unknown option"));
        }
    }
    if (o->at_text && o->curve_text)
        return cli_usage(cmd, _("--at and --curve exclude each other"));
    if (!o->at_text && !o->curve_text)
        return cli_usage(cmd, fit ? _("--at DAY|DATE is required")
                                  : _("--at DAY|DATE or --curve FROM..TO/STEP is required"));
    if (optind != argc)
        return cli_usage(cmd, _("unexpected argument '%s'"), argv[optind]);
    return 0;
}

static int do_eval(struct lcm_app *app, struct lcm_store *st, const struct eval_opts *o,
                   const struct risk_params *p, struct risk_sample *s, size_t n)
{
    (void)app;
    (void)st;
    (void)p;
    struct risk_eval_result r;
    risk_eval_samples(s, n, &r);
    char what[128];
    if (o->at.at_day == DAY_NONE)
        snprintf(what, sizeof what, _("day %d after the cohort start"), o->at.at_offset);
    else
        snprintf(what, sizeof what, "%s", o->at_text);
    risk_eval_print(&r, what, o->json, stdout);
    return 0;
}

static int do_curve(struct lcm_store *st, const struct eval_opts *o, const struct risk_params *p)
{
    struct lcm_err err = {0};
    struct risk_eval_cut *c = NULL;
    size_t n = 0;
    if (risk_eval_curve(st, p, o->cohorts, o->n_cohorts, o->curve, &c, &n, &err) != LCM_OK)
        return cli_fail(&err);
    size_t any = 0;
    for (size_t i = 0; i < n; i++)
        any += c[i].r.model.n;
    if (any == 0) {
        fprintf(stderr,
                _("lcmtui risk eval: no enrolment with a known outcome is registered at "
                  "any cut of %s\n"),
                o->curve_text);
        free(c);
        return 1;
    }
    risk_eval_curve_print(c, n, o->json, stdout);
    free(c);
    return 0;
}

static int do_fit(const struct eval_opts *o, struct risk_params *p, struct risk_sample *s, size_t n)
{
    struct lcm_err err = {0};
    char notes[2048] = "";
    if (risk_fit_samples(s, n, o->l2, p, notes, sizeof notes, &err) != LCM_OK)
        return cli_fail(&err);
    char header[3072];
    size_t pos = 0;
    for (size_t i = 0; i < n; i++)
        pos += s[i].positive;
    snprintf(header, sizeof header,
             "# lcmtui risk fit --at %s: %zu enrolments, %zu withdrew or failed, L2 %g\n%s",
             o->at_text, n, pos, o->l2, notes);
    FILE *out = stdout;
    if (o->output) {
        out = fopen(o->output, "w");
        if (!out) {
            fprintf(stderr, _("lcmtui risk fit: cannot write %s\n"), o->output);
            return 1;
        }
    }
    risk_params_write(p, header, out);
    if (out != stdout && fclose(out) != 0) {
        fprintf(stderr, _("lcmtui risk fit: cannot write %s\n"), o->output);
        return 1;
    }
    return 0;
}

int cmd_risk_eval(struct lcm_app *app, struct lcm_store *st, const char *sub, int argc, char **argv)
{
    char cmd[32];
    snprintf(cmd, sizeof cmd, "risk %s", sub);
    struct eval_opts o = {0};
    int rc = parse_opts(cmd, argc, argv, &o);
    if (rc)
        return rc;
    struct risk_params p;
    struct lcm_err err = {0};
    if (risk_params_load(&app->cfg, &p, &app->rep, &err) != LCM_OK)
        return cli_fail(&err);
    if (o.curve_text)
        return do_curve(st, &o, &p);
    struct risk_sample *s = NULL;
    size_t n = 0;
    if (risk_eval_collect(st, &p, o.cohorts, o.n_cohorts, o.at, &s, &n, &err) != LCM_OK)
        return cli_fail(&err);
    if (n == 0) {
        fprintf(stderr, _("lcmtui %s: no enrolment with a known outcome is registered then\n"),
                cmd);
        free(s);
        return 1;
    }
    rc = strcmp(sub, "fit") == 0 ? do_fit(&o, &p, s, n) : do_eval(app, st, &o, &p, s, n);
    free(s);
    return rc;
}
