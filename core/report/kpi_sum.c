/* kpi_sum.c — the milestone funnel and the money of a KPI computation, from the state
 * kpi.c loaded (kpi_internal.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "report/kpi_state.h"
#include "report/kpi_sum.h"
#include "store/store_kpi.h"

struct ms_load {
    struct kpi_state *S;
    int64_t *programs;
    size_t n_programs;
    struct ms {
        int64_t id, program_id, cohort_id;
        char *name;
        int *days;
        size_t n_days, reached, eligible;
    } * v;
    size_t n;
    size_t hint;
};

static bool in_programs(const struct ms_load *M, int64_t pid)
{
    for (size_t i = 0; i < M->n_programs; i++)
        if (M->programs[i] == pid)
            return true;
    return false;
}

static enum lcm_status on_milestone(void *ctx, const struct store_kpi_milestone *m)
{
    struct ms_load *M = ctx;
    if (!in_programs(M, m->program_id))
        return LCM_OK;
    M->v = lcm_xrealloc(M->v, (M->n + 1) * sizeof *M->v);
    size_t len = strlen(m->program) + strlen(m->name) + 8;
    char *name = lcm_xmalloc(len);
    if (M->n_programs > 1)
        snprintf(name, len, "%s \xe2\x80\x94 %s", m->program, m->name);
    else
        snprintf(name, len, "%s", m->name);
    M->v[M->n++] = (struct ms){
        .id = m->id, .program_id = m->program_id, .cohort_id = m->cohort_id, .name = name};
    return LCM_OK;
}

static bool eligible(const struct ms *m, const struct kpi_enr *e)
{
    return e->program_id == m->program_id && (m->cohort_id == 0 || m->cohort_id == e->cohort_id);
}

static enum lcm_status on_done(void *ctx, int64_t eid, int64_t mid, int day)
{
    struct ms_load *M = ctx;
    if (M->n == 0)
        return LCM_OK;
    size_t k = M->hint;
    if (M->v[k].id != mid) {
        for (k = 0; k < M->n && M->v[k].id != mid; k++)
            ;
        if (k == M->n)
            return LCM_OK;
        M->hint = k;
    }
    struct ms *m = &M->v[k];
    const struct kpi_enr *e = kpi_state_enr_find(M->S, eid);
    if (!e || !eligible(m, e))
        return LCM_OK;
    m->reached++;
    if (e->start != DAY_NONE && day != DAY_NONE && day >= e->start) {
        if (m->n_days % 1024 == 0)
            m->days = lcm_xrealloc(m->days, (m->n_days + 1024) * sizeof *m->days);
        m->days[m->n_days++] = day - e->start;
    }
    return LCM_OK;
}

enum lcm_status kpi_sum_milestones(struct lcm_store *st, struct kpi_state *S, struct kpi_result *r,
                                   struct lcm_err *err)
{
    struct ms_load M = {.S = S};
    for (size_t i = 0; i < S->n_enr; i++)
        if (!in_programs(&M, S->enr[i].program_id)) {
            M.programs = lcm_xrealloc(M.programs, (M.n_programs + 1) * sizeof *M.programs);
            M.programs[M.n_programs++] = S->enr[i].program_id;
        }
    enum lcm_status rc = store_kpi_milestones(st, on_milestone, &M, err);
    if (rc == LCM_OK && M.n)
        rc = store_kpi_milestones_done(st, S->to, on_done, &M, err);
    if (rc == LCM_OK && M.n) {
        r->milestones = lcm_xcalloc(M.n, sizeof *r->milestones);
        r->n_milestones = M.n;
    }
    for (size_t k = 0; k < M.n; k++) {
        struct ms *m = &M.v[k];
        for (size_t i = 0; i < S->n_enr; i++)
            m->eligible += eligible(m, &S->enr[i]);
        if (rc == LCM_OK) {
            r->milestones[k] =
                (struct kpi_milestone){.name = m->name,
                                       .eligible = (int64_t)m->eligible,
                                       .reached = (int64_t)m->reached,
                                       .median_days = kpi_state_median(m->days, m->n_days)};
            m->name = NULL;
        }
        free(m->name);
        free(m->days);
    }
    free(M.v);
    free(M.programs);
    return rc;
}

void kpi_sum_money(struct kpi_result *r)
{
    const struct kpi_money_conf *c = &r->money_conf;
    struct kpi_money *m = &r->money;
    memset(m, 0, sizeof *m);
    m->configured = c->cost_per_enrollment > 0;
    m->dropout_cost = (double)r->total.withdrawn * c->cost_per_enrollment;
    m->withdrawn_hours = (double)r->total.withdrawn_minutes / 60.0;
    m->hours_cost = c->cost_per_hour > 0 ? round(m->withdrawn_hours) * c->cost_per_hour : 0;
    m->baseline_dropouts = c->baseline_dropout * (double)r->total.enrolled;
    /* (baseline - actual) x enrolled = baseline x enrolled - withdrawn, exactly. */
    m->avoided = (int64_t)llround(m->baseline_dropouts - (double)r->total.withdrawn);
    m->avoided_value = m->avoided > 0 ? (double)m->avoided * c->cost_per_enrollment : 0;
}
