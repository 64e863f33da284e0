/* risk_internal.h — private to core/risk: scoring one cohort at a day T. */
#ifndef LCM_RISK_INTERNAL_H
#define LCM_RISK_INTERNAL_H

#include "risk/risk.h"
#include "store/store_risk.h"

enum risk_mode {
    RISK_RUN_TODAY, /* active enrollments, with flags and snoozes: update and explain */
    RISK_RUN_PAST   /* enrollments with a known outcome still registered at T: eval and fit */
};

#define RISK_DONE 1u     /* reached (or attempted) by T */
#define RISK_FAILED 2u   /* a failed attempt */
#define RISK_UNSCORED 4u /* ... whose source gave no score (read as 0, said as none) */

/* One cohort scored at day T. Arrays are parallel, by increasing enrollment id. */
struct risk_run {
    const struct risk_params *p;
    const struct store_risk_cohort *cohort;
    int T;
    enum risk_mode mode;
    struct store_risk_enr *enr;
    size_t n;
    struct risk_hist *h;
    struct risk_result *r;
    struct store_risk_milestone *ms; /* the program's milestones for this cohort */
    size_t nms;
    unsigned char *done;                /* n x nms: reached by T (RISK_DONE_*) */
    int *done_day;                      /* n x nms: the day reached, DAY_NONE unknown */
    float *done_score;                  /* n x nms: its score, < 0 none */
    int64_t thresh_id[RISK_MAX_THRESH]; /* progress milestone of h->thresh[i], 0: none yet */
    bool any_progress;                  /* some enrollment has progress figures */
    size_t cursor;                      /* merge position of the ordered activity scan */
};

/* Loads and scores cohort at day T. On success run owns its arrays: risk_run_free(). */
enum lcm_status risk_run_cohort(struct lcm_store *st, const struct risk_params *p,
                                const struct store_risk_cohort *cohort, int T, enum risk_mode mode,
                                struct risk_run *run, struct lcm_err *err);
void risk_run_free(struct risk_run *run);

#endif
