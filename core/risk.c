/* risk.c — rescoring every active enrollment (risk_update_all) and explaining one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "day.h"
#include "risk_internal.h"

#define REASONS_MAX 2048
#define SIGNALS_MAX 2048

/* flagged_since keeps the day the enrollment first became watch or at risk. */
static int flagged_since(const struct store_risk_enr *e, int level, int today)
{
    if (level < RISK_WATCH)
        return DAY_NONE;
    return e->has_risk && e->flagged_since != DAY_NONE ? e->flagged_since : today;
}

/* Records progress milestones crossed and not recorded yet: recent ones are to celebrate,
 * older ones (a first run on old data) are recorded as already acknowledged. */
static enum lcm_status celebrate(struct lcm_store *st, struct risk_run *run, size_t i, int today,
                                 int64_t now_ts, struct lcm_err *err)
{
    const struct risk_hist *h = &run->h[i];
    for (int t = 0; t < h->n_thresh; t++) {
        if (h->thresh_day[t] == DAY_NONE || run->thresh_id[t] == 0)
            continue;
        bool known = false;
        for (size_t k = 0; k < run->nms; k++)
            if (run->ms[k].id == run->thresh_id[t] && run->done[i * run->nms + k])
                known = true;
        if (known)
            continue;
        int64_t ack = h->thresh_day[t] >= today - run->p->celebrate_days ? 0 : now_ts;
        enum lcm_status rc = store_risk_done_add(st, h->enrollment_id, run->thresh_id[t],
                                                 h->thresh_day[t], ack, err);
        if (rc != LCM_OK)
            return rc;
    }
    return LCM_OK;
}

/* Creates the default progress milestones when the source gives progress and the program has
 * none, and maps the tracked thresholds to them. */
static enum lcm_status progress_milestones(struct lcm_store *st, struct risk_run *run,
                                           struct lcm_err *err)
{
    if (!run->any_progress || run->n == 0 || run->thresh_id[0] != 0)
        return LCM_OK;
    struct store_risk_milestone *pm = NULL;
    size_t npm = 0;
    enum lcm_status rc =
        store_risk_progress_milestones(st, run->cohort->program_id, true, &pm, &npm, err);
    for (int t = 0; rc == LCM_OK && t < run->h[0].n_thresh; t++)
        for (size_t k = 0; k < npm; k++)
            if (pm[k].threshold > run->h[0].thresh[t] - 1e-9 &&
                pm[k].threshold < run->h[0].thresh[t] + 1e-9)
                run->thresh_id[t] = pm[k].id;
    free(pm);
    return rc;
}

static enum lcm_status write_one(struct lcm_store *st, struct risk_run *run, size_t i,
                                 const char *lang, int today, char *reasons, char *signals,
                                 struct lcm_err *err)
{
    const struct store_risk_enr *e = &run->enr[i];
    const struct risk_result *r = &run->r[i];
    bool snoozed = false;
    if (e->snooze_until != DAY_NONE) {
        bool back = today >= e->snooze_until ||
                    r->score >= e->snooze_score_at + run->p->snooze_margin;
        if (back) {
            enum lcm_status rc = store_risk_snooze_close(st, e->id, err);
            if (rc != LCM_OK)
                return rc;
        }
        snoozed = !back;
    }
    risk_reasons(run->p, &run->h[i], r, lang, reasons, REASONS_MAX);
    risk_signals_json(run->p, r, signals, SIGNALS_MAX);
    struct store_risk_row row = {.enrollment_id = e->id, .day = today, .score = r->score,
                                 .level = r->level, .reasons = reasons, .signals = signals,
                                 .flagged_since = flagged_since(e, r->level, today),
                                 .snoozed = snoozed};
    return store_risk_put(st, &row, err);
}

static enum lcm_status update_cohort(struct lcm_store *st, const struct risk_params *p,
                                     const struct store_risk_cohort *c, const char *lang,
                                     int today, int64_t now_ts, size_t *count,
                                     struct lcm_err *err)
{
    struct risk_run run;
    enum lcm_status rc = risk_run_cohort(st, p, c, today, RISK_RUN_TODAY, &run, err);
    if (rc != LCM_OK)
        return rc;
    char *reasons = lcm_xmalloc(REASONS_MAX), *signals = lcm_xmalloc(SIGNALS_MAX);
    rc = progress_milestones(st, &run, err);
    for (size_t i = 0; rc == LCM_OK && i < run.n; i++) {
        rc = write_one(st, &run, i, lang, today, reasons, signals, err);
        if (rc == LCM_OK)
            rc = celebrate(st, &run, i, today, now_ts, err);
    }
    *count += run.n;
    free(reasons);
    free(signals);
    risk_run_free(&run);
    return rc;
}

enum lcm_status risk_update_all(struct lcm_store *st, const struct lcm_config *cfg, int today,
                                int64_t now_ts, const struct lcm_report *rep, struct lcm_err *err)
{
    struct risk_params p;
    enum lcm_status rc = risk_params_load(cfg, &p, rep, err);
    if (rc != LCM_OK)
        return rc;
    const char *lang = cfg && cfg->lang ? cfg->lang : "fr";
    struct store_risk_cohort *cohorts = NULL;
    size_t nc = 0, count = 0;
    bool own_tx = !store_in_tx(st);
    if (own_tx && (rc = store_begin(st, err)) != LCM_OK)
        return rc;
    rc = store_risk_cohorts(st, &cohorts, &nc, err);
    for (size_t i = 0; rc == LCM_OK && i < nc; i++) {
        rc = update_cohort(st, &p, &cohorts[i], lang, today, now_ts, &count, err);
        lcm_report(rep, LCM_LEVEL_PROGRESS, "risk: cohort %zu/%zu scored", i + 1, nc);
    }
    if (rc == LCM_OK)
        rc = store_risk_prune(st, err);
    if (own_tx) {
        if (rc == LCM_OK)
            rc = store_commit(st, err);
        else
            store_rollback(st);
    }
    free(cohorts);
    if (rc == LCM_OK)
        lcm_report(rep, LCM_LEVEL_INFO, "risk: %zu enrollments scored in %zu cohorts", count, nc);
    return rc;
}

static void explain_print(const struct risk_params *p, const struct risk_run *run, size_t i,
                          const char *lang, FILE *out)
{
    const struct risk_result *r = &run->r[i];
    char day[DAY_TEXT_LEN];
    fprintf(out, "score %.1f (%s) on %s, cohort %s\n", r->score, risk_level_name(r->level),
            day_format(run->T, day), run->cohort->name);
    fprintf(out, "%-14s %10s %8s %8s %12s\n", "signal", "value", "severity", "weight",
            "contribution");
    for (int s = 0; s < RS_COUNT; s++) {
        const struct risk_sig *g = &r->sig[s];
        if (g->skipped)
            fprintf(out, "%-14s %10s %8s %8.1f %12s  skipped: %s\n",
                    risk_signal_name((enum risk_signal)s), "-", "-", p->weight[s], "-", g->why);
        else
            fprintf(out, "%-14s %10.1f %8.2f %8.1f %12.1f\n",
                    risk_signal_name((enum risk_signal)s), g->value, g->severity, p->weight[s],
                    g->contrib);
    }
    char reasons[REASONS_MAX];
    risk_reasons(p, &run->h[i], r, lang, reasons, sizeof reasons);
    fprintf(out, "reasons:\n");
    if (!reasons[0])
        fprintf(out, "  (none)\n");
    for (char *line = reasons; *line;) {
        char *nl = strchr(line, '\n');
        fprintf(out, "  %.*s\n", nl ? (int)(nl - line) : (int)strlen(line), line);
        if (!nl)
            break;
        line = nl + 1;
    }
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
            explain_print(&p, &run, i, cfg && cfg->lang ? cfg->lang : "fr", out);
        else
            rc = lcm_err_set(err, LCM_ERR_NOTFOUND,
                             "enrollment %lld is not active: nothing to score",
                             (long long)enrollment_id);
        risk_run_free(&run);
    }
    free(cohorts);
    return rc;
}
