/* store_team_report.h — the figures of `lcmtui report --by lcm` (the manager's view of a team of
 * LCMs). */
#ifndef LCM_STORE_TEAM_REPORT_H
#define LCM_STORE_TEAM_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "store/store.h"

/* One LCM's line (id 0: what no LCM signed or follows: contacts from before the team,
 * flags of unassigned learners). */
struct store_team_report_row {
    int64_t id;
    char name[128], email[128];
    int64_t learners;       /* learners with an active enrolment they follow now */
    int64_t contacts;       /* outbound contacts they made in the period (a sent message counts
                               for its author; notes and the learners' own calls do not) */
    int64_t contacted;      /* distinct learners of those contacts */
    int64_t reengaged;      /* contacts followed by activity within 7 days after their day */
    int64_t flagged;        /* enrolments of their learners flagged in the period */
    int64_t answered;       /* of those, contacted (by anyone) on or after the flag's day */
    double days_to_contact; /* the mean days from the flag's day to that first contact */
};

/* The rows, one per LCM by name (then the unsigned contacts when there are any), for the days
 * from_day .. to_day (inclusive; DAY_NONE: unbounded). *rows is malloc'ed (caller frees). */
enum lcm_status store_team_report_rows(struct lcm_store *st, int from_day, int to_day,
                                       struct store_team_report_row **rows, size_t *n,
                                       struct lcm_err *err);

#endif
