/* kpi_scan.h — private to core/report: the one pass over the activity history (kpi_scan.c),
 * called by kpi.c. Works on the state of kpi_internal.h only. */
#ifndef LCM_KPI_SCAN_H
#define LCM_KPI_SCAN_H

#include "report/kpi_state.h"

/* Scans activity for every enrollment of S and fills their scan slots and the weekly figures
 * (active, sessions, minutes, running, completed, withdrawn, derived risk) into weeks
 * (S->n_weeks entries, zeroed by the caller). threads 0: automatic. */
enum lcm_status kpi_scan_run(struct lcm_store *st, struct kpi_state *S, int threads,
                             struct kpi_week *weeks, struct lcm_err *err);

#endif
