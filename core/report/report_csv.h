/* report_csv.h — private to core/report: the CSV report for Excel users (report_csv.c), called by
 * report_write() in report.c. Built on report_common.h; never calls report.c. */
#ifndef LCM_REPORT_CSV_H
#define LCM_REPORT_CSV_H

#include <stdio.h>

#include "report/report.h"

enum lcm_status report_csv_write(FILE *f, const struct kpi_result *r,
                                 const struct report_options *o);

#endif
