/* report_internal.h — private to core/report: the format writers report_write() dispatches to,
 * one per file (report_csv.c, report_html.c, report_md.c). Each builds on report_common.h;
 * none calls report.c. */
#ifndef LCM_REPORT_INTERNAL_H
#define LCM_REPORT_INTERNAL_H

#include <stdio.h>

#include "report/report.h"

enum lcm_status report_md_write(FILE *f, const struct kpi_result *r,
                                const struct report_options *o);
enum lcm_status report_csv_write(FILE *f, const struct kpi_result *r,
                                 const struct report_options *o);
enum lcm_status report_html_write(FILE *f, const struct kpi_result *r,
                                  const struct report_options *o);

#endif
