/* store_busy.h — busy times imported from the LCM's other calendars (.ics files): what the
 * agenda checks follow-ups against for clashes. Times are UTC Unix seconds. */
#ifndef LCM_STORE_BUSY_H
#define LCM_STORE_BUSY_H

#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "store/store.h"

/* Busy intervals [start_at, end_at) imported from calendars. summary and source owned. */
struct cal_busy {
    int64_t start_at, end_at;
    char *summary; /* "" when none */
    char *source;  /* the import's name (the file's base name) */
};

/* Replaces every busy time of source by the n given ones, in one transaction (so a failed
 * import leaves the previous ones). Intervals with end <= start are refused (LCM_ERR_INVALID). */
enum lcm_status store_busy_replace(struct lcm_store *st, const char *source,
                                   const struct cal_busy *v, size_t n, int64_t now_ts,
                                   struct lcm_err *err);

/* The busy intervals that overlap [from, to) (start_at < to and end_at > from), ordered by
 * start. *out is malloc'ed (NULL when *n is 0): free with store_busy_free(out, n). This is
 * what clash detection calls: a follow-up [due, due + duration) clashes with an interval
 * when they overlap. */
enum lcm_status store_busy_range(struct lcm_store *st, int64_t from, int64_t to,
                                 struct cal_busy **out, size_t *n, struct lcm_err *err);
void store_busy_free(struct cal_busy **v, size_t n);

#endif
