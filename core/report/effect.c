/* effect.c — the outreach effect against the holdout. See effect.h. */
#include "report/effect.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "report/stats.h"

void effect_cell_compute(struct effect_cell *c, int days, int64_t n1, int64_t x1, int64_t n0,
                         int64_t x0, int min_arm)
{
    memset(c, 0, sizeof *c);
    c->days = days;
    c->n1 = n1;
    c->x1 = x1;
    c->n0 = n0;
    c->x0 = x0;
    if (min_arm < 1)
        min_arm = 1;
    stats_newcombe_diff(x1, n1, x0, n0, STATS_Z95, &c->d, &c->lo, &c->hi);
    c->enough = n1 >= min_arm && n0 >= min_arm && c->n1 > 0 && c->n0 > 0;
}

struct load {
    struct effect_table *t;
    size_t cap;
};

static enum lcm_status add_row(void *ctx, const struct store_holdout *h)
{
    struct load *l = ctx;
    struct effect_table *t = l->t;
    if (t->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 8;
        t->rows = lcm_xrealloc(t->rows, l->cap * sizeof *t->rows);
    }
    struct effect_row *r = &t->rows[t->n++];
    r->name = lcm_xstrdup(h->name);
    for (int w = 0; w < EFFECT_WINDOWS; w++)
        effect_cell_compute(&r->w[w], store_effect_windows[w], h->treated.due[w],
                            h->treated.back[w], h->held.due[w], h->held.back[w], t->min_arm);
    return LCM_OK;
}

enum lcm_status effect_load(struct lcm_store *st, int today, bool by_template, int min_arm,
                            struct effect_table *out, struct lcm_err *err)
{
    memset(out, 0, sizeof *out);
    out->by_template = by_template;
    out->min_arm = min_arm < 1 ? 1 : min_arm;
    struct load l = {.t = out};
    return store_effect_holdout(st, today, by_template, add_row, &l, err);
}

void effect_free(struct effect_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        free(t->rows[i].name);
    free(t->rows);
    memset(t, 0, sizeof *t);
}

/* Percentage points, rounded half away from zero. */
static int points(double v)
{
    return (int)lround(v * 100);
}

const char *effect_sentence(const struct effect_table *t, const struct effect_row *r, int w,
                            char *buf, size_t len)
{
    char who[160];
    if (t->by_template)
        snprintf(who, sizeof who, _("The template %s"), r->name);
    else
        snprintf(who, sizeof who, _("The rule %s"), r->name);
    const struct effect_cell *c = &r->w[w];
    long long n1 = (long long)c->n1, n0 = (long long)c->n0;
    if (!c->enough) {
        snprintf(buf, len,
                 _("%s: not enough data yet for %d days (%lld vs %lld learners, %d needed in "
                   "each group)."),
                 who, c->days, n1, n0, t->min_arm);
        return buf;
    }
    int p = points(c->d), lo = points(c->lo), hi = points(c->hi);
    if (p > 0)
        snprintf(buf, len,
                 ngettext("%s brings back %d point more learners within %d days than no message "
                          "(95 %% CI %d to %d; %lld vs %lld learners).",
                          "%s brings back %d points more learners within %d days than no "
                          "message (95 %% CI %d to %d; %lld vs %lld learners).",
                          (unsigned long)p),
                 who, p, c->days, lo, hi, n1, n0);
    else if (p < 0)
        snprintf(buf, len,
                 ngettext("%s brings back %d point fewer learners within %d days than no message "
                          "(95 %% CI %d to %d; %lld vs %lld learners).",
                          "%s brings back %d points fewer learners within %d days than no "
                          "message (95 %% CI %d to %d; %lld vs %lld learners).",
                          (unsigned long)-p),
                 who, -p, c->days, lo, hi, n1, n0);
    else
        snprintf(buf, len,
                 _("%s brings back as many learners within %d days as no message (95 %% CI %d "
                   "to %d; %lld vs %lld learners)."),
                 who, c->days, lo, hi, n1, n0);
    return buf;
}

const char *effect_cell_text(const struct effect_cell *c, char *buf, size_t len)
{
    if (!c->enough)
        snprintf(buf, len, "%s", _("n/a"));
    else
        snprintf(buf, len, _("%+d (%d to %d)"), points(c->d), points(c->lo), points(c->hi));
    return buf;
}
