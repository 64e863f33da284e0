/* risk_eval_curve.c — the evaluation as a curve: one --at evaluation per cut (days after each
 * cohort's start), printed as one table or one JSON array. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/day.h"
#include "risk/risk_eval.h"

#define RANGE_MAX_DAYS 3650

/* A whole number from -RANGE_MAX_DAYS to RANGE_MAX_DAYS at *s: digits with an optional leading
 * minus, nothing else (strtol alone would take spaces and a plus). Advances *s past it. */
static bool parse_int(const char **s, int *out)
{
    const char *p = *s;
    if (*p == '-')
        p++;
    if (!isdigit((unsigned char)*p))
        return false;
    char *end;
    long v = strtol(*s, &end, 10);
    if (v < -RANGE_MAX_DAYS || v > RANGE_MAX_DAYS)
        return false;
    *out = (int)v;
    *s = end;
    return true;
}

bool risk_eval_curve_parse(const char *s, struct risk_eval_range *out)
{
    if (!s)
        return false;
    struct risk_eval_range r = {.step = 7};
    if (!parse_int(&s, &r.from) || strncmp(s, "..", 2) != 0)
        return false;
    s += 2;
    if (!parse_int(&s, &r.to))
        return false;
    if (*s == '/') {
        s++;
        if (*s == '-' || !parse_int(&s, &r.step))
            return false;
    }
    if (*s || r.from > r.to || r.step < 1)
        return false;
    *out = r;
    return true;
}

enum lcm_status risk_eval_curve(struct lcm_store *st, const struct risk_params *p,
                                const char *const *names, size_t n_names,
                                struct risk_eval_range range, struct risk_eval_cut **out, size_t *n,
                                struct lcm_err *err)
{
    *out = NULL;
    *n = 0;
    if (range.step < 1 || range.from > range.to)
        return lcm_err_set(err, LCM_ERR_INVALID, _("curve %d..%d/%d: an empty range"), range.from,
                           range.to, range.step);
    size_t cuts = (size_t)((range.to - range.from) / range.step) + 1;
    struct risk_eval_cut *c = lcm_xcalloc(cuts, sizeof *c);
    enum lcm_status rc = LCM_OK;
    for (size_t i = 0; i < cuts && rc == LCM_OK; i++) {
        c[i].day = range.from + (int)i * range.step;
        struct risk_at at = {.at_day = DAY_NONE, .at_offset = c[i].day};
        struct risk_sample *s = NULL;
        size_t ns = 0;
        rc = risk_eval_collect(st, p, names, n_names, at, &s, &ns, err);
        if (rc == LCM_OK)
            risk_eval_samples(s, ns, &c[i].r);
        free(s);
    }
    if (rc != LCM_OK) {
        free(c);
        return rc;
    }
    *out = c;
    *n = cuts;
    return LCM_OK;
}

static json_t *num_or_null(double v)
{
    return v < 0 ? json_null() : json_real(v);
}

static json_t *cut_json(const struct risk_eval_cut *c)
{
    const struct risk_eval_result *r = &c->r;
    json_t *o = json_object();
    json_object_set_new(o, "day", json_integer(c->day));
    json_object_set_new(o, "enrollments", json_integer((json_int_t)r->model.n));
    json_object_set_new(o, "positives", json_integer((json_int_t)r->model.positives));
    json_object_set_new(o, "auc", num_or_null(r->model.auc));
    json_object_set_new(o, "precision_at_20", num_or_null(r->model.p20));
    json_object_set_new(o, "at_risk_share", num_or_null(r->model.risk_share));
    json_object_set_new(o, "recall_at_risk", num_or_null(r->model.recall_risk));
    json_t *b = json_object();
    for (int k = 0; k < RISK_EVAL_BASELINES; k++)
        json_object_set_new(b, risk_eval_baseline_name(k), num_or_null(r->baseline_auc[k]));
    json_object_set_new(o, "baselines", b);
    if (r->best >= 0) {
        json_t *best = json_object();
        json_object_set_new(best, "name", json_string(risk_eval_baseline_name(r->best)));
        json_object_set_new(best, "auc", json_real(r->baseline_auc[r->best]));
        json_object_set_new(o, "best_baseline", best);
    } else {
        json_object_set_new(o, "best_baseline", json_null());
    }
    return o;
}

static void put_metric(FILE *out, double v, int width)
{
    if (v < 0)
        fprintf(out, " %*s", width, "-");
    else
        fprintf(out, " %*.3f", width, v);
}

/* Column width of baseline b: its name, at least 6. */
static int col_width(int b)
{
    int w = (int)strlen(risk_eval_baseline_name(b));
    return w < 6 ? 6 : w;
}

static void curve_table(const struct risk_eval_cut *c, size_t n, FILE *out)
{
    bool shown[RISK_EVAL_BASELINES] = {false}; /* a baseline available at some cut */
    for (size_t i = 0; i < n; i++)
        for (int b = 0; b < RISK_EVAL_BASELINES; b++)
            shown[b] = shown[b] || c[i].r.baseline_auc[b] >= 0;
    fprintf(out, "%5s %6s %5s %6s %6s %7s %6s", "day", "n", "pos", "AUC", "P@20", "at-risk",
            "recall");
    for (int b = 0; b < RISK_EVAL_BASELINES; b++)
        if (shown[b])
            fprintf(out, " %*s", col_width(b), risk_eval_baseline_name(b));
    fprintf(out, "  %-22s %6s\n", "best baseline", "margin");
    for (size_t i = 0; i < n; i++) {
        const struct risk_eval_result *r = &c[i].r;
        fprintf(out, "%5d %6zu %5zu", c[i].day, r->model.n, r->model.positives);
        put_metric(out, r->model.auc, 6);
        put_metric(out, r->model.p20, 6);
        put_metric(out, r->model.risk_share, 7);
        put_metric(out, r->model.recall_risk, 6);
        for (int b = 0; b < RISK_EVAL_BASELINES; b++)
            if (shown[b])
                put_metric(out, r->baseline_auc[b], col_width(b));
        if (r->best >= 0 && r->model.auc >= 0)
            fprintf(out, "  %-16s %5.3f %+6.3f\n", risk_eval_baseline_name(r->best),
                    r->baseline_auc[r->best], r->model.auc - r->baseline_auc[r->best]);
        else
            fprintf(out, "  %-22s %6s\n", "-", "-");
    }
}

void risk_eval_curve_print(const struct risk_eval_cut *c, size_t n, bool json, FILE *out)
{
    if (!json) {
        curve_table(c, n, out);
        return;
    }
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, cut_json(&c[i]));
    json_dumpf(a, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4));
    fputc('\n', out);
    json_decref(a);
}
