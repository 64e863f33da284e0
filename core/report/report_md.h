/* report_md.h — private to core/report: the Markdown report (report_md.c), called by report_write()
 * in report.c. Built on report_common.h; never calls report.c. */
#ifndef LCM_REPORT_MD_H
#define LCM_REPORT_MD_H

#include <stdio.h>

#include "report/report.h"

enum lcm_status report_md_write(FILE *f, const struct kpi_result *r,
                                const struct report_options *o);

#endif
