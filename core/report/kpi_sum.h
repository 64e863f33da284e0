/* kpi_sum.h — private to core/report: the milestone funnel and the money (kpi_sum.c), called
 * by kpi.c. Works on the state of kpi_internal.h only. */
#ifndef LCM_KPI_SUM_H
#define LCM_KPI_SUM_H

#include "report/kpi_state.h"

/* Milestone funnel and median days to each: fills r->milestones. */
enum lcm_status kpi_sum_milestones(struct lcm_store *st, struct kpi_state *S, struct kpi_result *r,
                                   struct lcm_err *err);

/* Fills r->money from r->total and r->money_conf. */
void kpi_sum_money(struct kpi_result *r);

#endif
