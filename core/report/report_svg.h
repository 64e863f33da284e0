/* report_svg.h — private to core/report: the inline SVG charts of the HTML report
 * (report_svg.c), called by report_html.c. Each writes one <figure> holding an <svg> with its
 * id and a <title>. Built on report_common.h only. */
#ifndef LCM_REPORT_SVG_H
#define LCM_REPORT_SVG_H

#include <stdio.h>

#include "report/kpi.h"

void report_svg_weekly_active(FILE *f, const struct kpi_result *r);
void report_svg_funnel(FILE *f, const struct kpi_result *r);
void report_svg_risk_weeks(FILE *f, const struct kpi_result *r);
void report_svg_checkin_weeks(FILE *f, const struct kpi_result *r);
void report_svg_cohorts(FILE *f, const struct kpi_result *r);

#endif
