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
#include "base/status.h"
#include "store/store_kpi.h"

#include "report/kpi_result.h"

/* Reads group "kpi" of cfg (missing group or keys: defaults); warns on unknown keys. */
enum lcm_status kpi_config_read(const struct lcm_config *cfg, struct kpi_money_conf *out,
                                const struct lcm_report *rep, struct lcm_err *err);

struct kpi_options {
    enum kpi_by by;
    bool learners;      /* fill kpi_result.learners */
    bool private_notes; /* also fill each learner's latest note (LCM only; never manager) */
    struct kpi_money_conf money;
    int threads;     /* activity scan threads; 0: automatic */
    int holdout_min; /* learners each group needs for the effect against the holdout; 0: 20 */
};

/* Computes every indicator for filter f over [f->from_day, f->to_day] (DAY_NONE: from the
 * first start in scope / to today). today is the program's clock. On success *out owns
 * allocated memory: release it with kpi_result_free(). An empty scope is not an error (all zero).
 */
enum lcm_status kpi_compute(struct lcm_store *st, const struct kpi_filter *f, int today,
                            const struct kpi_options *opt, struct kpi_result *out,
                            struct lcm_err *err);

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
    /* with kpi.cost_per_enrollment set (kpi_summary_money): what the figures are worth */
    bool money;
    struct kpi_money_conf money_conf;
    double dropout_cost;  /* withdrawn x cost per enrolment (+ hours x cost per hour) */
    int64_t avoided;      /* round((baseline - actual) x enrolled), may be <= 0 */
    double avoided_value; /* avoided x cost per enrolment, 0 when avoided <= 0 */
};
/* flagged is "at risk" (store_view_at_risk(): in progress, high, not snoozed), the title's
 * figure; active7 the one "active in the last 7 days" of the report. */
enum lcm_status kpi_summary(struct lcm_store *st, const struct kpi_filter *f, int today,
                            struct kpi_summary *out, struct lcm_err *err);
/* The same with the money settings (money NULL or cost_per_enrollment 0: none). */
enum lcm_status kpi_summary_money(struct lcm_store *st, const struct kpi_filter *f, int today,
                                  const struct kpi_money_conf *money, struct kpi_summary *out,
                                  struct lcm_err *err);

/* A sparkline of n values (oldest first) into buf: one block character per value, from
 * U+2581 to U+2588 scaled to the largest value (zero is the lowest block), or with ascii the
 * characters " .:-=+*#" for terminals without UTF-8. Cut to fit len (3 bytes per block in
 * UTF-8). Returns buf. */
char *kpi_spark(const int64_t *v, int n, bool ascii, char *buf, size_t len);

/* The ISO 8601 week of day: year and week number (1-53). */
void kpi_iso_week(int day, int *year, int *week);

#endif
