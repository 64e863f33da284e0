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
    double risk_share;     /* enrolments at level "at risk" / n; -1 when not given or n = 0 */
};

/* ROC AUC of score against positive (Mann-Whitney with mid-ranks). -1 when a class is empty. */
double risk_eval_auc(const double *score, const bool *positive, size_t n);

/* Share of positives among the k highest scores (ties by input order). -1 when k > n or 0. */
double risk_eval_precision_at(const double *score, const bool *positive, size_t n, size_t k);

/* All metrics; level may be NULL (recall_risk = -1). */
void risk_eval_metrics_compute(const double *score, const bool *positive, const int *level,
                               size_t n, struct risk_metrics *m);

/* The single-signal baselines: 0 days inactive, 1 total activity (less = riskier), then
 * 2 + s: signal s's severity alone, as the score uses it. */
#define RISK_EVAL_BASELINES (2 + RS_COUNT)

/* "days_inactive", "total_activity", then the signals' names; NULL out of range. */
const char *risk_eval_baseline_name(int b);

/* The model and the baselines on the same samples. */
struct risk_eval_result {
    struct risk_metrics model, inactive, activity;
    double baseline_auc[RISK_EVAL_BASELINES]; /* -1: one class empty, or a signal skipped for
                                                 every sample */
    int best; /* the baseline with the highest AUC (the first on a tie); -1 when none */
};
void risk_eval_samples(const struct risk_sample *s, size_t n, struct risk_eval_result *out);

/* Prints the evaluation as a table, or as JSON (jansson). */
void risk_eval_print(const struct risk_eval_result *r, const char *what, bool json, FILE *out);

/* The curve: one cut every step days after each cohort's start, from `from` to `to`. */
struct risk_eval_range {
    int from, to, step;
};

/* Parses "FROM..TO/STEP" or "FROM..TO" (step 7): whole days from -3650 to 3650, FROM <= TO,
 * STEP from 1 to 3650; nothing else (no spaces, no signs but a leading minus). Returns false
 * on anything else. */
bool risk_eval_curve_parse(const char *s, struct risk_eval_range *out);

struct risk_eval_cut {
    int day; /* days after the cohort start */
    struct risk_eval_result r;
};

/* Evaluates every cut of range as risk_eval_collect and risk_eval_samples do for one --at
 * (same samples, same scores). *out is malloc'ed (free it), *n the number of cuts; a cut with
 * no sample has model.n == 0. Fails as risk_eval_collect. */
enum lcm_status risk_eval_curve(struct lcm_store *st, const struct risk_params *p,
                                const char *const *names, size_t n_names,
                                struct risk_eval_range range, struct risk_eval_cut **out, size_t *n,
                                struct lcm_err *err);

/* Prints the curve: one row per cut (day, n, positives, AUC, P@20, at-risk share, recall of
 * "at risk", each available baseline's AUC, the best baseline and the AUC's margin over it),
 * or a JSON array of one object per cut. */
void risk_eval_curve_print(const struct risk_eval_cut *c, size_t n, bool json, FILE *out);

/* Explains enrollment_id at day T of at (a date, or days after its cohort's start), from data
 * up to T only, and writes to out as risk_explain does. An enrolment with a known outcome is
 * scored as risk eval scores it (among the enrolments of its cohort with a known outcome still
 * registered at T) and must have been registered at T (LCM_ERR_NOTFOUND otherwise); an active
 * one as risk update scores it. Reads only: the risk table is not written. */
enum lcm_status risk_explain_at(struct lcm_store *st, const struct lcm_config *cfg,
                                int64_t enrollment_id, struct risk_at at, FILE *out,
                                struct lcm_err *err);

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
