/* risk_explain.c — explaining one enrollment's score: recomputes it from the stored data with
 * the configured weights and writes every signal with its weight, value and reason. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "base/model.h"
#include "base/text.h"
#include "risk/risk_eval.h"
#include "risk/risk_internal.h"
#include "store/store_risk.h"

#define REASONS_MAX 2048

static void explain_print(const struct risk_params *p, const struct risk_run *run, size_t i,
                          FILE *out)
{
    const struct risk_result *r = &run->r[i];
    char day[DAY_TEXT_LEN];
    char *cohort = text_clean(run->cohort->name, false); /* a name from the LMS */
    fprintf(out, _("score %.1f (%s) on %s, cohort %s\n"), r->score, risk_level_label(r->level),
            day_format(run->T, day), cohort);
    free(cohort);
    /* points = severity x weight; counted = what it adds in its group (the strongest fully,
     * the others by risk.group_others, the group never past its largest weight) */
    fprintf(out, "%-14s %-11s %10s %8s %8s %8s %12s\n", "signal", "group", "value", "severity",
            "weight", "points", "contribution");
    for (int s = 0; s < RS_COUNT; s++) {
        const struct risk_sig *g = &r->sig[s];
        const char *group = risk_group_name(risk_signal_group((enum risk_signal)s));
        if (g->skipped)
            fprintf(out, "%-14s %-11s %10s %8s %8.1f %8s %12s  skipped: %s\n",
                    risk_signal_name((enum risk_signal)s), group, "-", "-", g->weight, "-", "-",
                    g->why);
        else
            fprintf(out, "%-14s %-11s %10.1f %8.2f %8.1f %8.1f %12.1f\n",
                    risk_signal_name((enum risk_signal)s), group, g->value, g->severity, g->weight,
                    g->points, g->contrib);
    }
    fprintf(out, "groups:");
    for (int gi = 0; gi < RG_COUNT; gi++)
        fprintf(out, " %s %.1f", risk_group_name((enum risk_group)gi), r->group[gi]);
    fputc('\n', out);
    char codes[REASONS_MAX], reasons[REASONS_MAX];
    risk_text_codes(p, &run->h[i], r, codes, sizeof codes);
    risk_text_render(codes, reasons, sizeof reasons); /* as the screen shows them */
    fprintf(out, "%s\n", _("reasons:"));
    if (!reasons[0])
        fprintf(out, "  %s\n", _("(none)"));
    for (char *line = reasons; *line;) { /* they quote milestone names: for a terminal */
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        char *clean = text_clean(line, false);
        fprintf(out, "  %s\n", clean);
        free(clean);
        if (!nl)
            break;
        line = nl + 1;
    }
}

/* The enrolment's own row among its cohort's (any status), into *e. */
static enum lcm_status find_enr(struct lcm_store *st, int64_t cohort_id, int64_t enrollment_id,
                                struct store_risk_enr *e, struct lcm_err *err)
{
    struct store_risk_enr *all = NULL;
    size_t n = 0;
    enum lcm_status rc = store_risk_enrollments(st, cohort_id, false, &all, &n, err);
    if (rc != LCM_OK)
        return rc;
    bool found = false;
    for (size_t i = 0; i < n && !found; i++)
        if (all[i].id == enrollment_id) {
            *e = all[i];
            found = true;
        }
    free(all);
    return found ? LCM_OK
                 : lcm_err_set(err, LCM_ERR_NOTFOUND, _("no enrollment %lld"),
                               (long long)enrollment_id);
}

/* Scores c at T in mode and explains enrollment_id; LCM_ERR_NOTFOUND with why when it is not
 * among the enrolments scored. */
static enum lcm_status explain_run(struct lcm_store *st, const struct risk_params *p,
                                   const struct store_risk_cohort *c,
                                   const struct store_risk_enr *e, int T, enum risk_mode mode,
                                   FILE *out, struct lcm_err *err)
{
    struct risk_run run = {0};
    enum lcm_status rc = risk_run_cohort(st, p, c, T, mode, &run, err);
    if (rc != LCM_OK)
        return rc;
    size_t i = 0;
    while (i < run.n && run.enr[i].id != e->id)
        i++;
    char day[DAY_TEXT_LEN], ended[DAY_TEXT_LEN];
    if (i < run.n) {
        explain_print(p, &run, i, out);
        if (mode == RISK_RUN_PAST)
            fprintf(
                out,
                e->ended_day != DAY_NONE
                    ? _("outcome: %s, ended %s (scored as risk eval does, with data up to %s)\n")
                    : _("outcome: %s%s (scored as risk eval does, with data up to %s)\n"),
                _(model_enroll_status_name((enum enroll_status)e->status)),
                e->ended_day != DAY_NONE ? day_format(e->ended_day, ended) : "",
                day_format(T, day));
    } else if (mode == RISK_RUN_TODAY) {
        rc = lcm_err_set(err, LCM_ERR_NOTFOUND,
                         _("enrollment %lld is not active: nothing to score today (--at a past day "
                           "explains an ended one)"),
                         (long long)e->id);
    } else if (e->start_day != DAY_NONE && e->start_day > T) {
        rc = lcm_err_set(err, LCM_ERR_NOTFOUND,
                         _("enrollment %lld had not started on %s (start %s)"), (long long)e->id,
                         day_format(T, day), day_format(e->start_day, ended));
    } else {
        rc = lcm_err_set(err, LCM_ERR_NOTFOUND,
                         _("enrollment %lld was no longer registered on %s (%s %s)"),
                         (long long)e->id, day_format(T, day),
                         model_enroll_status_name((enum enroll_status)e->status),
                         e->ended_day != DAY_NONE ? day_format(e->ended_day, ended) : "");
    }
    risk_run_free(&run);
    return rc;
}

/* The cohort of enrollment_id into *c. */
static enum lcm_status cohort_of(struct lcm_store *st, int64_t enrollment_id,
                                 struct store_risk_cohort *c, struct lcm_err *err)
{
    int64_t cohort_id = 0;
    enum lcm_status rc = store_risk_enrollment_cohort(st, enrollment_id, &cohort_id, err);
    if (rc != LCM_OK)
        return rc;
    struct store_risk_cohort *cohorts = NULL;
    size_t nc = 0;
    if ((rc = store_risk_cohorts(st, &cohorts, &nc, err)) != LCM_OK)
        return rc;
    bool found = false;
    for (size_t i = 0; i < nc && !found; i++)
        if (cohorts[i].id == cohort_id) {
            *c = cohorts[i];
            found = true;
        }
    free(cohorts);
    return found ? LCM_OK
                 : lcm_err_set(err, LCM_ERR_NOTFOUND, _("no cohort %lld"), (long long)cohort_id);
}

enum lcm_status risk_explain_at(struct lcm_store *st, const struct lcm_config *cfg,
                                int64_t enrollment_id, struct risk_at at, FILE *out,
                                struct lcm_err *err)
{
    struct risk_params p;
    enum lcm_status rc = risk_params_load(cfg, &p, NULL, err);
    struct store_risk_cohort c = {0};
    struct store_risk_enr e = {0};
    if (rc == LCM_OK)
        rc = cohort_of(st, enrollment_id, &c, err);
    if (rc == LCM_OK)
        rc = find_enr(st, c.id, enrollment_id, &e, err);
    if (rc != LCM_OK)
        return rc;
    int T = at.at_day;
    if (T == DAY_NONE) {
        if (c.start_day == DAY_NONE) {
            char *name = text_clean(c.name, false);
            rc = lcm_err_set(err, LCM_ERR_INVALID,
                             _("cohort %s has no start day: give the day as YYYY-MM-DD"), name);
            free(name);
            return rc;
        }
        T = c.start_day + at.at_offset;
    }
    enum risk_mode mode = e.status == ENROLL_ACTIVE ? RISK_RUN_TODAY : RISK_RUN_PAST;
    return explain_run(st, &p, &c, &e, T, mode, out, err);
}

enum lcm_status risk_explain(struct lcm_store *st, const struct lcm_config *cfg,
                             int64_t enrollment_id, int today, FILE *out, struct lcm_err *err)
{
    struct risk_params p;
    enum lcm_status rc = risk_params_load(cfg, &p, NULL, err);
    if (rc != LCM_OK)
        return rc;
    int64_t cohort_id = 0;
    if ((rc = store_risk_enrollment_cohort(st, enrollment_id, &cohort_id, err)) != LCM_OK)
        return rc;
    struct store_risk_cohort *cohorts = NULL;
    size_t nc = 0;
    if ((rc = store_risk_cohorts(st, &cohorts, &nc, err)) != LCM_OK)
        return rc;
    const struct store_risk_cohort *c = NULL;
    for (size_t i = 0; i < nc; i++)
        if (cohorts[i].id == cohort_id)
            c = &cohorts[i];
    struct risk_run run = {0};
    if (c && (rc = risk_run_cohort(st, &p, c, today, RISK_RUN_TODAY, &run, err)) == LCM_OK) {
        size_t i = 0;
        while (i < run.n && run.enr[i].id != enrollment_id)
            i++;
        if (i < run.n)
            explain_print(&p, &run, i, out);
        else
            rc = lcm_err_set(err, LCM_ERR_NOTFOUND,
                             _("enrollment %lld is not active: nothing to score today (--at a past "
                               "day explains an ended one)"),
                             (long long)enrollment_id);
        risk_run_free(&run);
    }
    free(cohorts);
    return rc;
}
