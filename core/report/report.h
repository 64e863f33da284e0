/* report.h — the HR and manager reports: HTML (self-contained, inline CSS and SVG charts, no
 * JavaScript, A4 print rules), CSV (RFC 4180, optional ';' and UTF-8 BOM for French Excel)
 * and Markdown (email, wiki). Exporters write to any FILE * the caller gives; nothing here
 * prints on its own.
 *
 * Privacy: a report is manager-facing unless the caller sets private_notes; only then does the
 * learner table carry the LCM's latest check-in note. With anonymous, learners appear as
 * stable pseudonyms ("Learner 017", from the learner's id) and their e-mail is left out. */
#ifndef LCM_REPORT_H
#define LCM_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "report/kpi.h"
#include "base/status.h"

enum report_format { REPORT_HTML, REPORT_CSV, REPORT_MD };

/* "html", "csv", "md" (also "markdown"); -1 for anything else. */
int report_format_parse(const char *s);

struct report_options {
    enum report_format format;
    const char *scope;  /* what the report covers, e.g. "Anglais B2 · cohort A"; NULL: all */
    int today;          /* the day the report is generated for */
    bool anonymous;     /* pseudonyms instead of names, no e-mail addresses */
    bool private_notes; /* the LCM's own report: learner notes shown (never for managers) */
    char sep;           /* CSV separator: ',' (default when 0) or ';' */
    bool bom;           /* CSV: start with a UTF-8 byte order mark */
    bool decimal_comma; /* CSV: "12,5" instead of "12.5" (French Excel) */
};

/* Writes the report of r to f in o->format. Returns LCM_ERR_IO (err names "report") when the
 * stream fails. Every string from the data is escaped for the format (HTML entities,
 * Markdown specials, CSV quoting and a leading "'" before =, +, -, @ so a spreadsheet never
 * runs a name as a formula). */
enum lcm_status report_write(FILE *f, const struct kpi_result *r, const struct report_options *o,
                             struct lcm_err *err);

#endif
