/* stats.h — small pure statistics for the reports: score intervals for a proportion and for a
 * difference of two proportions (the outreach effect against a holdout). No I/O, no state. */
#ifndef LCM_STATS_H
#define LCM_STATS_H

#include <stdbool.h>
#include <stdint.h>

/* The normal quantile for a two-sided 95 % interval. */
#define STATS_Z95 1.959963984540054

/* Wilson's score interval (without continuity correction) for x successes out of n at the
 * normal quantile z: *lo, *hi in [0, 1]. Returns false (and [0, 1]) when n <= 0 or x is not
 * in 0..n. */
bool stats_wilson(int64_t x, int64_t n, double z, double *lo, double *hi);

/* The difference p1 - p2 of two independent proportions x1/n1 and x2/n2 with its interval by
 * Newcombe's hybrid score method (method 10 of Newcombe 1998, "Interval estimation for the
 * difference between independent proportions", Stat Med 17:873-890): from the two Wilson
 * intervals [l1, u1], [l2, u2],
 *   lo = d - sqrt((p1 - l1)^2 + (u2 - p2)^2),  hi = d + sqrt((u1 - p1)^2 + (p2 - l2)^2).
 * *d, *lo, *hi in [-1, 1]. Returns false (d 0, interval [-1, 1]) when either arm is empty or
 * invalid. */
bool stats_newcombe_diff(int64_t x1, int64_t n1, int64_t x2, int64_t n2, double z, double *d,
                         double *lo, double *hi);

#endif
