/* kpi_state.c — the small helpers over the working state of one KPI computation
 * (kpi_internal.h), shared by kpi.c, kpi_scan.c and kpi_sum.c. Calls none of them. */
#include <stdlib.h>

#include "report/kpi_state.h"

static int cmp_enr_id(const void *key, const void *elem)
{
    int64_t k = *(const int64_t *)key, v = ((const struct kpi_enr *)elem)->id;
    return k < v ? -1 : k > v;
}

struct kpi_enr *kpi_state_enr_find(struct kpi_state *S, int64_t id)
{
    if (id <= 0 || S->n_enr == 0)
        return NULL;
    return bsearch(&id, S->enr, S->n_enr, sizeof *S->enr, cmp_enr_id);
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

double kpi_state_median(int *v, size_t n)
{
    if (!v || n == 0)
        return -1;
    qsort(v, n, sizeof *v, cmp_int);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}
