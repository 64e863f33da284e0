/* risk_eval.h — scoring the past against known outcomes, and fitting weights to them.
 *
 * A sample is an enrollment with a known outcome (completed = negative; withdrawn or failed
 * = positive) still registered at day T (started, not yet ended), scored with data up to T
 * only. T is either a calendar day, or a number of days after each cohort's start. */
#ifndef LCM_RISK_EVAL_H
#define LCM_RISK_EVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "risk/risk.h"
#include "store/store.h"

struct risk_sample {
    int64_t enrollment_id, cohort_id;
    bool positive;
    double score; /* the raw sum of contributions (ranks beyond the 0-100 clamp) */
    int level;
    double days_inactive;  /* baseline 1: days since the last activity (or the start) */
    double total_activity; /* baseline 2: activity units up to T (less = riskier) */
    double sev[RS_COUNT];  /* each signal's severity; 0 when skipped */
    bool skipped[RS_COUNT];
};

/* When to score: at_day a calendar day, or (at_day == DAY_NONE) at_offset days after each
 * cohort's start (cohorts without a start day are left out). */
struct risk_at {
    int at_day;
    int at_offset;
};

/* Parses "28" (days after the start) or "2013-11-27". Returns false when neither. */
bool risk_eval_at_parse(const char *s, struct risk_at *out);

/* Collects the samples of the cohorts named (ids or names; names == NULL or n_names == 0:
 * every cohort). *out is malloc'ed (free it). A name that matches no cohort fails with
 * LCM_ERR_NOTFOUND. */
enum lcm_status risk_eval_collect(struct lcm_store *st, const struct risk_params *p,
                                  const char *const *names, size_t n_names, struct risk_at at,
                                  struct risk_sample **out, size_t *n, struct lcm_err *err);

struct risk_metrics {
    size_t n, positives;
    double auc;            /* ROC AUC (ties count one half); -1 when one class is empty */
    double p10, p20, pdec; /* precision at 10, 20 and the top decile; -1 when n is smaller */
    double recall_risk;    /* positives at level "at risk" / positives; -1 when not given */
};

/* ROC AUC of score against positive (Mann-Whitney with mid-ranks). -1 when a class is empty. */
double risk_eval_auc(const double *score, const bool *positive, size_t n);

/* Share of positives among the k highest scores (ties by input order). -1 when k > n or 0. */
double risk_eval_precision_at(const double *score, const bool *positive, size_t n, size_t k);

/* All metrics; level may be NULL (recall_risk = -1). */
void risk_eval_metrics_compute(const double *score, const bool *positive, const int *level,
                               size_t n, struct risk_metrics *m);

/* The model and the two baselines on the same samples. */
struct risk_eval_result {
    struct risk_metrics model, inactive, activity;
};
void risk_eval_samples(const struct risk_sample *s, size_t n, struct risk_eval_result *out);

/* Prints the evaluation as a table, or as JSON (jansson). */
void risk_eval_print(const struct risk_eval_result *r, const char *what, bool json, FILE *out);

/* L2-regularised logistic regression on standardised features, by Newton steps.
 * X is n rows of k features (row-major); l2 the penalty on standardised weights (not the
 * intercept). beta receives k weights and then the intercept, on the ORIGINAL feature scale.
 * A constant feature gets weight 0 and used[j] = false. Fails (LCM_ERR_INVALID) on n < 2 or a
 * single class. */
enum lcm_status risk_fit_logit(const double *X, const bool *y, size_t n, size_t k, double l2,
                               double *beta, bool *used, struct lcm_err *err);

/* Fits signal weights on the samples and writes the new parameters into p (thresholds kept;
 * weights in points so that risk_score ~ logit 0; signals not seen in the data keep theirs).
 * notes receives a short text for the fragment's header comment. */
enum lcm_status risk_fit_samples(const struct risk_sample *s, size_t n, double l2,
                                 struct risk_params *p, char *notes, size_t notes_len,
                                 struct lcm_err *err);

#endif
