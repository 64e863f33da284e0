/* risk_explain.c — explaining one enrollment's score: recomputes it from the stored data with
 * the configured weights and writes every signal with its weight, value and reason. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "base/text.h"
#include "risk/risk_internal.h"
#include "store/store_risk.h"

#define REASONS_MAX 2048

static void explain_print(const struct risk_params *p, const struct risk_run *run, size_t i,
                          const char *lang, FILE *out)
{
    const struct risk_result *r = &run->r[i];
    char day[DAY_TEXT_LEN];
    char *cohort = text_clean(run->cohort->name, false); /* a name from the LMS */
    fprintf(out, "score %.1f (%s) on %s, cohort %s\n", r->score, risk_level_name(r->level),
            day_format(run->T, day), cohort);
    free(cohort);
    fprintf(out, "%-14s %10s %8s %8s %12s\n", "signal", "value", "severity", "weight",
            "contribution");
    for (int s = 0; s < RS_COUNT; s++) {
        const struct risk_sig *g = &r->sig[s];
        if (g->skipped)
            fprintf(out, "%-14s %10s %8s %8.1f %12s  skipped: %s\n",
                    risk_signal_name((enum risk_signal)s), "-", "-", p->weight[s], "-", g->why);
        else
            fprintf(out, "%-14s %10.1f %8.2f %8.1f %12.1f\n", risk_signal_name((enum risk_signal)s),
                    g->value, g->severity, p->weight[s], g->contrib);
    }
    char reasons[REASONS_MAX];
    risk_text_reasons(p, &run->h[i], r, lang, reasons, sizeof reasons);
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
