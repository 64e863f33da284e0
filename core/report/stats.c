/* stats.c — Wilson and Newcombe score intervals. See stats.h. */
#include "report/stats.h"

#include <math.h>

bool stats_wilson(int64_t x, int64_t n, double z, double *lo, double *hi)
{
    *lo = 0;
    *hi = 1;
    if (n <= 0 || x < 0 || x > n)
        return false;
    double nn = (double)n, p = (double)x / nn, z2 = z * z;
    double centre = 2 * nn * p + z2;
    double spread = z * sqrt(z2 + 4 * nn * p * (1 - p));
    double denom = 2 * (nn + z2);
    /* the exact ends at 0 and n (rounding would leave 1e-17 off) */
    *lo = x == 0 ? 0 : (centre - spread) / denom;
    *hi = x == n ? 1 : (centre + spread) / denom;
    if (*lo < 0)
        *lo = 0;
    if (*hi > 1)
        *hi = 1;
    return true;
}

bool stats_newcombe_diff(int64_t x1, int64_t n1, int64_t x2, int64_t n2, double z, double *d,
                         double *lo, double *hi)
{
    double l1, u1, l2, u2;
    *d = 0;
    *lo = -1;
    *hi = 1;
    if (!stats_wilson(x1, n1, z, &l1, &u1) || !stats_wilson(x2, n2, z, &l2, &u2))
        return false;
    double p1 = (double)x1 / (double)n1, p2 = (double)x2 / (double)n2;
    *d = p1 - p2;
    *lo = *d - sqrt((p1 - l1) * (p1 - l1) + (u2 - p2) * (u2 - p2));
    *hi = *d + sqrt((u1 - p1) * (u1 - p1) + (p2 - l2) * (p2 - l2));
    if (*lo < -1)
        *lo = -1;
    if (*hi > 1)
        *hi = 1;
    return true;
}
