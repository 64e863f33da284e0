/* kpi.h — indicators for HR and managers, per programme, cohort, department or manager, over
 * any period, with weekly trends and the money they are worth.
 *
 * Definitions (the README's "KPIs and reports" section says the same in words):
 * - Scope: the enrollments matching the filter that started on or before the period's last
 *   day and had not ended before its first day ("enrolled").
 * - Status is read as of the period's last day: an enrollment that ended after it counts as
 *   still running. completed / withdrawn / failed come from enrollment.status.
 * - Completion rate = completed / enrolled. Drop-out rate = withdrawn / enrolled, the same for
 *   every cohort (failed learners finished the course: they are not drop-outs).
 * - Active in the last 7 / 30 days: at least one activity day in the 7 / 30 days ending on
 *   the period's last day.
 * - Visit frequency = active days in the period / learner-weeks enrolled in the period.
 * - Progress is the enrollment's current one, or, for a period that ended before today, the
 *   highest progress of its activity history up to the period's end (the current one when
 *   the history has none).
 * - Derived risk per week (history is not kept by the risk module): on the last day of each
 *   week, a running enrollment is high (2) when idle 14 days or more, medium (1) when idle 7
 *   to 13 days, low (0) otherwise; idle counts from the last activity, or from the start.
 * - Money: drop-out cost = withdrawn x cost per enrolment (+ hours trained by them x cost per
 *   hour); drop-outs avoided = (baseline rate - actual rate) x enrolled, rounded. */
#ifndef LCM_KPI_H
#define LCM_KPI_H

#include <stdbool.h>
#include <stdint.h>

#include "base/config.h"
#include "base/model.h"
#include "base/status.h"
#include "store/store_kpi.h"

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

/* Reads group "kpi" of cfg (missing group or keys: defaults); warns on unknown keys. */
enum lcm_status kpi_config_read(const struct lcm_config *cfg, struct kpi_money_conf *out,
                                const struct lcm_report *rep, struct lcm_err *err);

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

struct kpi_options {
    enum kpi_by by;
    bool learners;      /* fill kpi_result.learners */
    bool private_notes; /* also fill each learner's latest note (LCM only; never manager) */
    struct kpi_money_conf money;
    int threads; /* activity scan threads; 0: automatic */
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
};

/* Computes every indicator for filter f over [f->from_day, f->to_day] (DAY_NONE: from the
 * first start in scope / to today). today is the program's clock. On success *out owns
 * allocated memory: release it with kpi_free(). An empty scope is not an error (all zero). */
enum lcm_status kpi_compute(struct lcm_store *st, const struct kpi_filter *f, int today,
                            const struct kpi_options *opt, struct kpi_result *out,
                            struct lcm_err *err);

/* Frees everything kpi_compute allocated and zeroes *r. Safe on a zeroed struct. */
void kpi_free(struct kpi_result *r);

/* The main figures and the last KPI_SPARK weeks, for the TUI's KPI header. Plain values,
 * nothing to free. Series are oldest first; weeks before the scope's start are 0. */
struct kpi_summary {
    int64_t enrolled, running, completed, withdrawn, failed, flagged;
    int64_t active7; /* in progress and active in the last 7 days */
    double completion_rate, dropout_rate, active7_rate; /* 0..1 */
    int64_t checkins_week;       /* check-ins of the current ISO week (Monday to today) */
    int weeks;                   /* series length (<= KPI_SPARK) */
    int spark_monday[KPI_SPARK]; /* first day of each week */
    int64_t spark_active[KPI_SPARK], spark_checkins[KPI_SPARK], spark_minutes[KPI_SPARK];
    int64_t spark_risk_high[KPI_SPARK];
};
enum lcm_status kpi_summary(struct lcm_store *st, const struct kpi_filter *f, int today,
                            struct kpi_summary *out, struct lcm_err *err);

/* A sparkline of n values (oldest first) into buf: one block character per value, from
 * U+2581 to U+2588 scaled to the largest value (zero is the lowest block), or with ascii the
 * characters " .:-=+*#" for terminals without UTF-8. Cut to fit len (3 bytes per block in
 * UTF-8). Returns buf. */
char *kpi_spark(const int64_t *v, int n, bool ascii, char *buf, size_t len);

/* The ISO 8601 week of day: year and week number (1-53). */
void kpi_iso_week(int day, int *year, int *week);

#endif
