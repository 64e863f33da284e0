/* kpi_result.h — what a KPI computation gives: counts per group, weeks, milestones,
 * templates, learners and money (report/kpi.h computes it; the report writers and the TUI
 * read it), and the one function that frees it. The definitions are in report/kpi.h. */
#ifndef LCM_KPI_RESULT_H
#define LCM_KPI_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/model.h"
#include "report/effect.h"
#include "store/store_event.h"

#define KPI_BUCKETS 5     /* progress 0-24 %, 25-49 %, 50-74 %, 75-99 %, 100 % */
#define KPI_MAX_WEEKS 520 /* a longer period is cut to its last 520 weeks */
#define KPI_SPARK 12      /* weeks in the TUI sparklines */

enum kpi_by { KPI_BY_NONE, KPI_BY_DEPARTMENT, KPI_BY_MANAGER };

/* The money settings: group "kpi" of the configuration. */
struct kpi_money_conf {
    double cost_per_enrollment; /* kpi.cost_per_enrollment; 0: money not shown */
    double cost_per_hour;       /* kpi.cost_per_hour; 0: not counted */
    double baseline_dropout;    /* kpi.baseline_dropout_rate, 0..1; default 0.5 */
    char currency[16];          /* kpi.currency; default "EUR" */
};

/* Counts of one group of enrollments (everything, a cohort, a department, a manager). */
struct kpi_counts {
    char *label; /* owned; "" for the total */
    int64_t enrolled, running, active7, active30, completed, withdrawn, failed;
    int64_t running_active7; /* in progress and active in the last 7 days */
    int64_t sessions, minutes, active_days, withdrawn_minutes;
    double learner_weeks; /* enrolled time inside the period, in weeks */
    double progress_sum;  /* over enrollments with a known progress */
    int64_t progress_n;
};

struct kpi_week {
    int monday; /* first day of the ISO week */
    int iso_year, iso_week;
    int64_t running; /* enrollments running on the week's last day */
    int64_t active;  /* enrollments with an activity day in the week */
    int64_t sessions, minutes, completed, withdrawn; /* completed/withdrawn: ended that week */
    int64_t risk[3];                                 /* derived levels, see above */
    int64_t checkins[CH_COUNT];
    int64_t messages;
};

struct kpi_milestone {
    char *name; /* owned; "Programme — name" when several programmes */
    int64_t eligible, reached;
    double median_days; /* from the enrollment's start; < 0 when none reached */
};

struct kpi_template {
    char *name; /* owned; "(none)" for messages without a template */
    int64_t sent, returned7;
};

/* One learner line (only when kpi_compute is asked for learners). */
struct kpi_learner {
    int64_t learner_id, enrollment_id;
    char *first_name, *last_name, *email, *cohort, *department, *manager; /* owned */
    enum enroll_status status;
    double progress; /* < 0 unknown */
    int last_active; /* DAY_NONE: never */
    int64_t active_days, minutes;
    int risk_level; /* the risk module's latest level, -1 when none */
    char *note;     /* owned; only filled for the LCM's private report, else NULL */
};

struct kpi_money {
    bool configured;
    double dropout_cost;      /* withdrawn x cost per enrolment */
    double withdrawn_hours;   /* hours trained by withdrawn learners */
    double hours_cost;        /* withdrawn_hours x cost per hour */
    double baseline_dropouts; /* baseline x enrolled */
    int64_t avoided;          /* round((baseline - actual) x enrolled), may be <= 0 */
    double avoided_value;     /* avoided x cost per enrolment, 0 when avoided <= 0 */
};

struct kpi_result {
    int from_day, to_day; /* the period actually used */
    char *program;        /* owned; the programme's name when the scope has exactly one */
    struct kpi_counts total;
    double completion_rate, dropout_rate, visit_frequency;
    double active7_rate; /* running_active7 / running: the learners still in progress */
    double avg_minutes;  /* training minutes per enrolled learner in the period */
    int64_t buckets[KPI_BUCKETS], progress_unknown;

    struct kpi_week *weeks;
    size_t n_weeks;
    struct kpi_milestone *milestones;
    size_t n_milestones;
    struct kpi_counts *cohorts; /* sorted by label */
    size_t n_cohorts;
    enum kpi_by by;
    struct kpi_counts *groups; /* by department or manager, sorted by label */
    size_t n_groups;

    /* The LCM's own work in the period. */
    int64_t checkins, checkins_by_channel[CH_COUNT], contacted;
    int64_t flagged, flagged_contacted, back7, back14;
    double median_flag_to_contact;  /* days; < 0 when no flagged learner was contacted */
    int64_t risk_now[3];            /* the risk module's latest levels in scope */
    struct kpi_template *templates; /* sorted by name */
    size_t n_templates;
    int64_t messages_sent, messages_returned7;

    struct kpi_money_conf money_conf;
    struct kpi_money money;

    struct kpi_learner *learners; /* by last name, first name, id */
    size_t n_learners;

    /* Retention: enrolments in scope whose detail a purge removed, and the purge's
     * privacy.retention_days (0: none in scope). */
    int64_t purged;
    int purge_days;

    /* The outreach effect against the holdout, per sequence rule, as of the period's end, over
     * the whole base (a rule's control group is not cut by cohort or department). */
    struct effect_table holdout;

    /* Group events (store_event.h) that started and ended in the period, over the whole base:
     * invitations, answers, attendance, and the activity in the 14 days after each. */
    struct event_kpi events;
};

/* Frees everything kpi_compute allocated and zeroes *r. Safe on NULL and on a zeroed struct. */
void kpi_result_free(struct kpi_result *r);

#endif
