/* report.c — the entry of the reports: report_write() dispatches to the format's writer
 * (report_csv.c, report_html.c, report_md.c), which build on report_common.c. */
#include <string.h>

#include "report/report.h"
#include "report/report_csv.h"
#include "report/report_html.h"
#include "report/report_md.h"

int report_format_parse(const char *s)
{
    if (!s)
        return -1;
    if (strcmp(s, "html") == 0)
        return REPORT_HTML;
    if (strcmp(s, "csv") == 0)
        return REPORT_CSV;
    if (strcmp(s, "md") == 0 || strcmp(s, "markdown") == 0)
        return REPORT_MD;
    return -1;
}

enum lcm_status report_write(FILE *f, const struct kpi_result *r, const struct report_options *o,
                             struct lcm_err *err)
{
    if (!f || !r || !o)
        return lcm_err_set(err, LCM_ERR_USAGE, _("report: missing argument"));
    enum lcm_status rc;
    switch (o->format) {
    case REPORT_HTML:
        rc = report_html_write(f, r, o);
        break;
    case REPORT_CSV:
        rc = report_csv_write(f, r, o);
        break;
    case REPORT_MD:
        rc = report_md_write(f, r, o);
        break;
    default:
        return lcm_err_set(err, LCM_ERR_USAGE, _("report: unknown format"));
    }
    if (rc == LCM_OK && (fflush(f) != 0 || ferror(f)))
        rc = LCM_ERR_IO;
    if (rc != LCM_OK)
        return lcm_err_set(err, rc, _("report: cannot write the report"));
    return LCM_OK;
}
