/* kpi_state.h — private to core/report: the working state of one KPI computation and its
 * small helpers (kpi_state.c). The bottom layer of the KPI files: kpi.c fills the state,
 * kpi_scan.c and kpi_sum.c read and complete it; nothing here calls any of them. */
#ifndef LCM_KPI_STATE_H
#define LCM_KPI_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "report/kpi_result.h"
#include "store/store.h"

/* One enrollment in scope. The scan writes only its own slots, so ranges of this array are
 * finished by different threads without locks. */
struct kpi_enr {
    int64_t id, learner_id, cohort_id, program_id;
    int start, end; /* end: ended_day when ended on or before the period's end, else DAY_NONE */
    enum enroll_status status; /* as of the period's end */
    double progress_db;
    int cohort_grp, by_grp;      /* indexes into the group tables */
    int flag_day;                /* risk.flagged_since, DAY_NONE */
    int risk_level;              /* -1 when no risk row */
    int first_contact;           /* first outbound contact on or after flag_day, DAY_NONE */
    uint32_t ev_first, ev_count; /* its message events */
    /* filled by the scan */
    int last_active;
    int64_t active_days, sessions, minutes;
    double progress; /* as of the period's end, < 0 unknown */
    bool back7, back14;
};

/* A sent message, checked for a return (an activity day within 7 days after it). */
struct kpi_msg_ev {
    uint32_t enr;
    int day;
    uint32_t tmpl;
    bool returned;
};

struct kpi_state {
    int from, to;     /* the period */
    bool past;        /* to is before today: progress is read from the activity history */
    int first_monday; /* week 0 */
    size_t n_weeks;
    struct kpi_enr *enr; /* sorted by id */
    size_t n_enr;
    struct kpi_msg_ev *ev; /* sorted by enr */
    size_t n_ev;
};

/* Index of the week holding day, or -1 when outside the trend. */
static inline int kpi_state_week_of(const struct kpi_state *S, int day)
{
    if (day < S->first_monday)
        return -1;
    size_t w = (size_t)(day - S->first_monday) / 7;
    return w < S->n_weeks ? (int)w : -1;
}

/* The enrollment with this id in S (sorted by id), or NULL. */
struct kpi_enr *kpi_state_enr_find(struct kpi_state *S, int64_t id);

/* Median of n ints (sorts v in place); -1 when n is 0 or v is NULL. */
double kpi_state_median(int *v, size_t n);

#endif
