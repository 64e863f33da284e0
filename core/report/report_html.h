/* report_html.h — private to core/report: the self-contained HTML report (report_html.c),
 * called by report_write() in report.c. Built on report_common.h and report_svg.h; never
 * calls report.c. */
#ifndef LCM_REPORT_HTML_H
#define LCM_REPORT_HTML_H

#include <stdio.h>

#include "report/report.h"

enum lcm_status report_html_write(FILE *f, const struct kpi_result *r,
                                  const struct report_options *o);

#endif
