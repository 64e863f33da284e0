/* kpi_result.c — freeing what kpi_compute filled. */
#include "report/kpi_result.h"

#include <stdlib.h>
#include <string.h>

void kpi_result_free(struct kpi_result *r)
{
    if (!r)
        return;
    free(r->total.label);
    free(r->program);
    free(r->weeks);
    for (size_t i = 0; i < r->n_milestones; i++)
        free(r->milestones[i].name);
    free(r->milestones);
    struct kpi_counts *gs[] = {r->cohorts, r->groups};
    size_t ns[] = {r->n_cohorts, r->n_groups};
    for (size_t k = 0; k < 2; k++) {
        for (size_t i = 0; i < ns[k]; i++)
            free(gs[k][i].label);
        free(gs[k]);
    }
    for (size_t i = 0; i < r->n_templates; i++)
        free(r->templates[i].name);
    free(r->templates);
    for (size_t i = 0; i < r->n_learners; i++) {
        struct kpi_learner *l = &r->learners[i];
        free(l->first_name);
        free(l->last_name);
        free(l->email);
        free(l->cohort);
        free(l->department);
        free(l->manager);
        free(l->note);
    }
    free(r->learners);
    effect_free(&r->holdout);
    memset(r, 0, sizeof *r);
}
