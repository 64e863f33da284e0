/* risk_params.c — the `risk` config group: defaults, validation, and writing it back (fit). */
#include <stdio.h>
#include <stddef.h>
#include <string.h>

#include "risk/risk.h"

/* Defaults chosen to work on two OULAD presentations (AAA and BBB 2013J) without being fitted
 * to either alone: see README "Risk". Missed milestones and inactivity dominate, as they do
 * in real data; pace and stalled matter where the source gives progress. */
void risk_params_default(struct risk_params *p)
{
    static const double w[RS_COUNT] = {
        [RS_INACTIVE] = 35, [RS_NEVER_STARTED] = 20, [RS_PACE] = 25,      [RS_MISSED] = 60,
        [RS_LATE] = 20,     [RS_LAST_MINUTE] = 10,   [RS_LOW_SCORE] = 70, [RS_PEERS] = 20,
        [RS_DROP] = 5,      [RS_STALLED] = 15,       [RS_OUTREACH] = 15,  [RS_DEBT] = 10,
    };
    memset(p, 0, sizeof *p);
    memcpy(p->weight, w, sizeof w);
    p->watch_score = 30;
    p->risk_score = 50;
    p->reason_min_points = 5;
    p->reason_min_severity = 0.25;
    p->group_others = 0.5;
    p->inactive_days = 21;
    p->inactive_after_days = 14;
    p->inactive_grace_days = 5;
    p->inactive_full_days = 28;
    p->never_started_days = 7;
    p->pace_grace_points = 10;
    p->pace_full_points = 40;
    p->missed_full = 1;
    p->missed_grace_days = 0;
    p->missed_cohort_share = 0.5;
    p->late_full_days = 3;
    p->last_minute_days = 2;
    p->low_score_ok = 90;
    p->low_score_bad = 40;
    p->low_score_gap_full = 50;
    p->low_score_pass_severity = 0.7;
    p->window_days = 14;
    p->peers_window_days = 0;
    p->peers_percentile = 100;
    p->peers_power = 3;
    p->peers_min = 5;
    p->peers_volume_share = 0.5;
    p->peers_early_weight = 100;
    p->drop_grace = 0.5;
    p->drop_history_days = 14;
    p->stalled_days = 7;
    p->stalled_full_days = 21;
    p->outreach_grace_days = 3;
    p->outreach_full_days = 14;
    p->debt_days = 7;
    p->debt_full_days = 21;
    p->snooze_margin = 15;
    p->celebrate_days = 14;
}

struct int_key {
    const char *key;
    size_t off;
    int min, max;
};
struct dbl_key {
    const char *key;
    size_t off;
    double min, max;
};

#define IK(name, lo, hi)                                                                           \
    {                                                                                              \
#name, offsetof(struct risk_params, name), lo, hi                                          \
    }
#define DK(name, lo, hi)                                                                           \
    {                                                                                              \
#name, offsetof(struct risk_params, name), lo, hi                                          \
    }

static const struct int_key int_keys[] = {
    IK(inactive_grace_days, 0, 365), IK(inactive_full_days, 1, 730),
    IK(never_started_days, 0, 365),  IK(missed_full, 1, 50),
    IK(missed_grace_days, 0, 60),    IK(window_days, 1, 120),
    IK(late_full_days, 1, 365),      IK(peers_min, 2, 100000),
    IK(peers_window_days, 0, 365),   IK(drop_history_days, 1, 365),
    IK(stalled_days, 0, 365),        IK(stalled_full_days, 1, 730),
    IK(outreach_grace_days, 0, 365), IK(outreach_full_days, 1, 730),
    IK(debt_days, 0, 365),           IK(debt_full_days, 1, 730),
    IK(celebrate_days, 0, 3650),     IK(last_minute_days, 0, 60),
    IK(inactive_days, 0, 730),       IK(inactive_after_days, 0, 365),
};
static const struct dbl_key dbl_keys[] = {
    DK(watch_score, 0, 100),       DK(risk_score, 0, 100),
    DK(pace_grace_points, 0, 100), DK(pace_full_points, 1, 100),
    DK(peers_percentile, 1, 100),  DK(drop_grace, 0, 0.99),
    DK(snooze_margin, 0, 100),     DK(reason_min_points, 0, 100),
    DK(reason_min_severity, 0, 1), DK(low_score_ok, 0, 100),
    DK(low_score_bad, 0, 100),     DK(low_score_pass_severity, 0, 1),
    DK(peers_power, 0.25, 4),      DK(group_others, 0, 1),
    DK(missed_cohort_share, 0, 1), DK(low_score_gap_full, 1, 100),
    DK(peers_volume_share, 0, 1),  DK(peers_early_weight, 0, 100),
};
#define N_INT (sizeof int_keys / sizeof *int_keys)
#define N_DBL (sizeof dbl_keys / sizeof *dbl_keys)

static void weight_key(enum risk_signal s, char *buf, size_t len)
{
    snprintf(buf, len, "%s_weight", risk_signal_name(s));
}

enum lcm_status risk_params_load(const struct lcm_config *cfg, struct risk_params *p,
                                 const struct lcm_report *rep, struct lcm_err *err)
{
    risk_params_default(p);
    const config_setting_t *g = cfg ? config_section(cfg, "risk") : NULL;
    enum lcm_status rc;
    char wkeys[RS_COUNT][32];
    const char *known[RS_COUNT + N_INT + N_DBL + 1];
    size_t nk = 0;
    for (int s = 0; s < RS_COUNT; s++) {
        weight_key((enum risk_signal)s, wkeys[s], sizeof wkeys[s]);
        known[nk++] = wkeys[s];
        if ((rc = config_get_double(g, wkeys[s], p->weight[s], 0, 100, &p->weight[s], err)) !=
            LCM_OK)
            return rc;
    }
    for (size_t i = 0; i < N_INT; i++) {
        int *v = (int *)(void *)((char *)p + int_keys[i].off);
        known[nk++] = int_keys[i].key;
        if ((rc = config_get_int(g, int_keys[i].key, *v, int_keys[i].min, int_keys[i].max, v,
                                 err)) != LCM_OK)
            return rc;
    }
    for (size_t i = 0; i < N_DBL; i++) {
        double *v = (double *)(void *)((char *)p + dbl_keys[i].off);
        known[nk++] = dbl_keys[i].key;
        if ((rc = config_get_double(g, dbl_keys[i].key, *v, dbl_keys[i].min, dbl_keys[i].max, v,
                                    err)) != LCM_OK)
            return rc;
    }
    known[nk] = NULL;
    config_check_keys(g, known, rep);
    if (p->low_score_bad >= p->low_score_ok)
        return lcm_err_set(err, LCM_ERR_CONFIG,
                           _("%s: risk.low_score_bad (%g) must be below risk.low_score_ok (%g)"),
                           cfg && cfg->path ? cfg->path : "config", p->low_score_bad,
                           p->low_score_ok);
    if (p->watch_score > p->risk_score)
        return lcm_err_set(err, LCM_ERR_CONFIG,
                           _("%s: risk.watch_score (%g) must not exceed risk.risk_score (%g)"),
                           cfg && cfg->path ? cfg->path : "config", p->watch_score, p->risk_score);
    return LCM_OK;
}

void risk_params_write(const struct risk_params *p, const char *header, FILE *out)
{
    if (header && *header)
        fprintf(out, "%s", header);
    fprintf(out, "risk: {\n");
    char key[32];
    for (int s = 0; s < RS_COUNT; s++) {
        weight_key((enum risk_signal)s, key, sizeof key);
        fprintf(out, "  %s = %.1f;\n", key, p->weight[s]);
    }
    for (size_t i = 0; i < N_DBL; i++)
        fprintf(out, "  %s = %.2f;\n", dbl_keys[i].key,
                *(const double *)(const void *)((const char *)p + dbl_keys[i].off));
    for (size_t i = 0; i < N_INT; i++)
        fprintf(out, "  %s = %d;\n", int_keys[i].key,
                *(const int *)(const void *)((const char *)p + int_keys[i].off));
    fprintf(out, "};\n");
}
