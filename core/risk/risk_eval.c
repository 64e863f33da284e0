/* risk_eval.c — the model scored on the past against known outcomes, beside two baselines. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/day.h"
#include "base/model.h"
#include "risk/risk_eval.h"
#include "risk/risk_internal.h"
#include "store/store_risk.h"

bool risk_eval_at_parse(const char *s, struct risk_at *out)
{
    if (!s || !*s)
        return false;
    int day;
    if (day_parse(s, &day)) {
        out->at_day = day;
        out->at_offset = 0;
        return true;
    }
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v < -3650 || v > 3650)
        return false;
    out->at_day = DAY_NONE;
    out->at_offset = (int)v;
    return true;
}

static bool cohort_named(const struct store_risk_cohort *c, const char *const *names, size_t nn,
                         bool *hit)
{
    if (nn == 0)
        return true;
    bool any = false;
    for (size_t i = 0; i < nn; i++) {
        char *end;
        long long id = strtoll(names[i], &end, 10);
        if ((!*end && id == c->id) || strcmp(names[i], c->name) == 0) {
            hit[i] = true;
            any = true;
        }
    }
    return any;
}

static void add_samples(const struct risk_run *run, struct risk_sample **out, size_t *n,
                        size_t *cap)
{
    for (size_t i = 0; i < run->n; i++) {
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 256;
            *out = lcm_xrealloc(*out, *cap * sizeof **out);
        }
        struct risk_sample *s = &(*out)[(*n)++];
        const struct risk_hist *h = &run->h[i];
        const struct risk_result *r = &run->r[i];
        memset(s, 0, sizeof *s);
        s->enrollment_id = run->enr[i].id;
        s->cohort_id = run->cohort->id;
        s->positive = run->enr[i].status != ENROLL_COMPLETED;
        s->score = r->raw;
        s->level = r->level;
        int ref = h->last_active != DAY_NONE ? h->last_active : h->start_day;
        s->days_inactive = ref == DAY_NONE ? 0 : run->T - ref;
        s->total_activity = h->volume_total;
        for (int k = 0; k < RS_COUNT; k++) {
            s->skipped[k] = r->sig[k].skipped;
            s->sev[k] = r->sig[k].skipped ? 0 : r->sig[k].severity;
        }
    }
}

enum lcm_status risk_eval_collect(struct lcm_store *st, const struct risk_params *p,
                                  const char *const *names, size_t n_names, struct risk_at at,
                                  struct risk_sample **out, size_t *n, struct lcm_err *err)
{
    *out = NULL;
    *n = 0;
    struct store_risk_cohort *cohorts = NULL;
    size_t nc = 0, cap = 0;
    bool *hit = lcm_xcalloc(n_names + 1, sizeof *hit);
    enum lcm_status rc = store_risk_cohorts(st, &cohorts, &nc, err);
    for (size_t i = 0; rc == LCM_OK && i < nc; i++) {
        const struct store_risk_cohort *c = &cohorts[i];
        if (!cohort_named(c, names, n_names, hit))
            continue;
        int T = at.at_day;
        if (T == DAY_NONE) {
            if (c->start_day == DAY_NONE)
                continue;
            T = c->start_day + at.at_offset;
        }
        struct risk_run run;
        if ((rc = risk_run_cohort(st, p, c, T, RISK_RUN_PAST, &run, err)) != LCM_OK)
            break;
        add_samples(&run, out, n, &cap);
        risk_run_free(&run);
    }
    for (size_t i = 0; rc == LCM_OK && i < n_names; i++)
        if (!hit[i])
            rc = lcm_err_set(err, LCM_ERR_NOTFOUND, _("no cohort named '%s'"), names[i]);
    free(hit);
    free(cohorts);
    if (rc != LCM_OK) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

struct ranked {
    double score;
    size_t idx;
};

static int cmp_asc(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

/* Highest score first; ties keep input order. */
static int cmp_desc(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

static struct ranked *rank(const double *score, size_t n, int (*cmp)(const void *, const void *))
{
    struct ranked *r = lcm_xmalloc((n ? n : 1) * sizeof *r);
    for (size_t i = 0; i < n; i++)
        r[i] = (struct ranked){score[i], i};
    qsort(r, n, sizeof *r, cmp);
    return r;
}

double risk_eval_auc(const double *score, const bool *positive, size_t n)
{
    size_t pos = 0;
    for (size_t i = 0; i < n; i++)
        pos += positive[i];
    if (pos == 0 || pos == n)
        return -1;
    struct ranked *r = rank(score, n, cmp_asc);
    double rank_sum = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && r[j].score == r[i].score)
            j++;
        double mid = (double)(i + 1 + j) / 2; /* average of ranks i+1 .. j */
        for (size_t k = i; k < j; k++)
            if (positive[r[k].idx])
                rank_sum += mid;
        i = j;
    }
    free(r);
    double P = (double)pos, N = (double)(n - pos);
    return (rank_sum - P * (P + 1) / 2) / (P * N);
}

double risk_eval_precision_at(const double *score, const bool *positive, size_t n, size_t k)
{
    if (k == 0 || k > n)
        return -1;
    struct ranked *r = rank(score, n, cmp_desc);
    size_t hits = 0;
    for (size_t i = 0; i < k; i++)
        hits += positive[r[i].idx];
    free(r);
    return (double)hits / (double)k;
}

void risk_eval_metrics_compute(const double *score, const bool *positive, const int *level,
                               size_t n, struct risk_metrics *m)
{
    memset(m, 0, sizeof *m);
    m->n = n;
    size_t flagged = 0, at_risk = 0;
    for (size_t i = 0; i < n; i++) {
        m->positives += positive[i];
        flagged += level && positive[i] && level[i] >= RISK_AT_RISK;
        at_risk += level && level[i] >= RISK_AT_RISK;
    }
    m->auc = risk_eval_auc(score, positive, n);
    m->p10 = risk_eval_precision_at(score, positive, n, 10);
    m->p20 = risk_eval_precision_at(score, positive, n, 20);
    m->pdec = risk_eval_precision_at(score, positive, n, (n + 9) / 10);
    m->recall_risk = level && m->positives ? (double)flagged / (double)m->positives : -1;
    m->risk_share = level && n ? (double)at_risk / (double)n : -1;
}

const char *risk_eval_baseline_name(int b)
{
    if (b == 0)
        return "days_inactive";
    if (b == 1)
        return "total_activity";
    if (b >= 2 && b < RISK_EVAL_BASELINES)
        return risk_signal_name((enum risk_signal)(b - 2));
    return NULL;
}

/* Each signal's severity alone: -1 when the signal was skipped for every sample. */
static void signal_baselines(const struct risk_sample *s, size_t n, const bool *pos, double *v,
                             struct risk_eval_result *out)
{
    for (int k = 0; k < RS_COUNT; k++) {
        bool seen = false;
        for (size_t i = 0; i < n; i++) {
            v[i] = s[i].sev[k];
            seen = seen || !s[i].skipped[k];
        }
        out->baseline_auc[2 + k] = seen ? risk_eval_auc(v, pos, n) : -1;
    }
    out->baseline_auc[0] = out->inactive.auc;
    out->baseline_auc[1] = out->activity.auc;
    out->best = -1;
    for (int b = 0; b < RISK_EVAL_BASELINES; b++)
        if (out->baseline_auc[b] >= 0 &&
            (out->best < 0 || out->baseline_auc[b] > out->baseline_auc[out->best]))
            out->best = b;
}

void risk_eval_samples(const struct risk_sample *s, size_t n, struct risk_eval_result *out)
{
    size_t m = n ? n : 1;
    double *model = lcm_xmalloc(m * sizeof *model), *inact = lcm_xmalloc(m * sizeof *inact),
           *act = lcm_xmalloc(m * sizeof *act);
    bool *pos = lcm_xmalloc(m * sizeof *pos);
    int *level = lcm_xmalloc(m * sizeof *level);
    for (size_t i = 0; i < n; i++) {
        model[i] = s[i].score;
        inact[i] = s[i].days_inactive;
        act[i] = -s[i].total_activity;
        pos[i] = s[i].positive;
        level[i] = s[i].level;
    }
    risk_eval_metrics_compute(model, pos, level, n, &out->model);
    risk_eval_metrics_compute(inact, pos, NULL, n, &out->inactive);
    risk_eval_metrics_compute(act, pos, NULL, n, &out->activity);
    signal_baselines(s, n, pos, model, out); /* model[] is free again: scratch */
    free(model);
    free(inact);
    free(act);
    free(pos);
    free(level);
}

static void fmt_metric(double v, char *buf, size_t len)
{
    if (v < 0)
        snprintf(buf, len, "%s", "-");
    else
        snprintf(buf, len, "%.3f", v);
}

static json_t *metrics_json(const struct risk_metrics *m)
{
    json_t *o = json_object();
    const char *keys[] = {"auc",
                          "precision_at_10",
                          "precision_at_20",
                          "precision_top_decile",
                          "recall_at_risk",
                          "at_risk_share"};
    double vals[] = {m->auc, m->p10, m->p20, m->pdec, m->recall_risk, m->risk_share};
    for (size_t i = 0; i < 6; i++)
        json_object_set_new(o, keys[i], vals[i] < 0 ? json_null() : json_real(vals[i]));
    return o;
}

void risk_eval_print(const struct risk_eval_result *r, const char *what, bool json, FILE *out)
{
    const struct risk_metrics *rows[] = {&r->model, &r->inactive, &r->activity};
    const char *names[] = {"risk score", "days inactive", "total activity"};
    if (json) {
        json_t *o = json_object();
        json_object_set_new(o, "at", json_string(what ? what : ""));
        json_object_set_new(o, "enrollments", json_integer((json_int_t)r->model.n));
        json_object_set_new(o, "positives", json_integer((json_int_t)r->model.positives));
        json_object_set_new(o, "model", metrics_json(&r->model));
        json_object_set_new(o, "baseline_days_inactive", metrics_json(&r->inactive));
        json_object_set_new(o, "baseline_total_activity", metrics_json(&r->activity));
        json_dumpf(o, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4));
        fputc('\n', out);
        json_decref(o);
        return;
    }
    fprintf(out, "%s: %zu enrolments still registered, %zu withdrew or failed later (%.0f %%)\n",
            what ? what : "evaluation", r->model.n, r->model.positives,
            r->model.n ? 100.0 * (double)r->model.positives / (double)r->model.n : 0.0);
    fprintf(out, "%-16s %7s %7s %7s %9s %13s\n", "ranking", "AUC", "P@10", "P@20", "P@decile",
            "recall(risk)");
    for (size_t i = 0; i < 3; i++) {
        char a[16], b[16], c[16], d[16], e[16];
        fmt_metric(rows[i]->auc, a, sizeof a);
        fmt_metric(rows[i]->p10, b, sizeof b);
        fmt_metric(rows[i]->p20, c, sizeof c);
        fmt_metric(rows[i]->pdec, d, sizeof d);
        fmt_metric(rows[i]->recall_risk, e, sizeof e);
        fprintf(out, "%-16s %7s %7s %7s %9s %13s\n", names[i], a, b, c, d, e);
    }
}
