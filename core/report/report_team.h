/* report_team.h — `lcmtui report --by lcm`: the manager's table of a team of LCMs (learners
 * followed, contacts, time to first contact after a flag, re-engagement after contact) in the
 * report's formats. Writes to the FILE * given; prints nothing on its own. */
#ifndef LCM_REPORT_TEAM_H
#define LCM_REPORT_TEAM_H

#include <stddef.h>
#include <stdio.h>

#include "base/status.h"
#include "report/report.h"
#include "store/store_team_report.h"

/* Writes the rows in o->format (o->scope titles it; CSV honours sep, bom, decimal_comma).
 * LCM_ERR_IO when the stream fails. Names and e-mails are cleaned and escaped for the format. */
enum lcm_status report_team_write(FILE *f, const struct store_team_report_row *rows, size_t n,
                                  const struct report_options *o, struct lcm_err *err);

#endif
