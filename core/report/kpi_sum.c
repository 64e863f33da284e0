/* kpi_sum.c — milestones, money, configuration, the TUI summary and small helpers of the
 * KPI computation. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "report/kpi_internal.h"
#include "store/store_kpi.h"

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

double kpi_median(int *v, size_t n)
{
    if (!v || n == 0)
        return -1;
    qsort(v, n, sizeof *v, cmp_int);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

void kpi_iso_week(int day, int *year, int *week)
{
    int thursday = day - day_weekday(day) + 3;
    int y, m, d;
    day_to_ymd(thursday, &y, &m, &d);
    *year = y;
    *week = (thursday - day_from_ymd(y, 1, 1)) / 7 + 1;
}

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
    const struct kpi_enr *e = kpi_enr_find(M->S, eid);
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

enum lcm_status kpi_milestones(struct lcm_store *st, struct kpi_state *S, struct kpi_result *r,
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
                                       .median_days = kpi_median(m->days, m->n_days)};
            m->name = NULL;
        }
        free(m->name);
        free(m->days);
    }
    free(M.v);
    free(M.programs);
    return rc;
}

void kpi_money_compute(struct kpi_result *r)
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

enum lcm_status kpi_config_read(const struct lcm_config *cfg, struct kpi_money_conf *out,
                                const struct lcm_report *rep, struct lcm_err *err)
{
    static const char *const known[] = {"cost_per_enrollment", "cost_per_hour",
                                        "baseline_dropout_rate", "currency", NULL};
    *out = (struct kpi_money_conf){.baseline_dropout = 0.5};
    snprintf(out->currency, sizeof out->currency, "EUR");
    const config_setting_t *g = cfg ? config_section(cfg, "kpi") : NULL;
    if (!g)
        return LCM_OK;
    config_check_keys(g, known, rep);
    const char *cur = NULL;
    enum lcm_status rc;
    if ((rc = config_get_double(g, "cost_per_enrollment", 0, 0, 1e9, &out->cost_per_enrollment,
                                err)) != LCM_OK ||
        (rc = config_get_double(g, "cost_per_hour", 0, 0, 1e7, &out->cost_per_hour, err)) !=
            LCM_OK ||
        (rc = config_get_double(g, "baseline_dropout_rate", 0.5, 0, 1, &out->baseline_dropout,
                                err)) != LCM_OK ||
        (rc = config_get_string(g, "currency", "EUR", &cur, err)) != LCM_OK)
        return rc;
    if (!*cur || strlen(cur) >= sizeof out->currency || strpbrk(cur, "<>&\"';\r\n\t"))
        return lcm_err_set(err, LCM_ERR_CONFIG,
                           "kpi.currency must be a short code such as \"EUR\"");
    snprintf(out->currency, sizeof out->currency, "%s", cur);
    return LCM_OK;
}

enum lcm_status kpi_summary(struct lcm_store *st, const struct kpi_filter *f, int today,
                            struct kpi_summary *out, struct lcm_err *err)
{
    if (!out)
        return lcm_err_set(err, LCM_ERR_USAGE, "kpi: missing argument");
    memset(out, 0, sizeof *out);
    struct kpi_filter q = f ? *f : (struct kpi_filter){.from_day = DAY_NONE, .to_day = DAY_NONE};
    /* The sparkline needs only its last weeks of activity, but the counts need the whole
     * scope: leave from open and read the tail of the weekly series. */
    struct kpi_options opt = {.by = KPI_BY_NONE};
    struct kpi_result r;
    enum lcm_status rc = kpi_compute(st, &q, today, &opt, &r, err);
    if (rc != LCM_OK)
        return rc;
    out->enrolled = r.total.enrolled;
    out->running = r.total.running;
    out->active7 = r.total.running_active7;
    out->completed = r.total.completed;
    out->withdrawn = r.total.withdrawn;
    out->failed = r.total.failed;
    out->flagged = r.flagged;
    out->completion_rate = r.completion_rate;
    out->dropout_rate = r.dropout_rate;
    out->active7_rate = r.active7_rate;
    size_t n = r.n_weeks < KPI_SPARK ? r.n_weeks : KPI_SPARK;
    out->weeks = (int)n;
    for (size_t i = 0; i < n; i++) {
        const struct kpi_week *w = &r.weeks[r.n_weeks - n + i];
        out->spark_monday[i] = w->monday;
        out->spark_active[i] = w->active;
        out->spark_minutes[i] = w->minutes;
        out->spark_risk_high[i] = w->risk[2];
        for (int c = 0; c < CH_COUNT; c++)
            out->spark_checkins[i] += w->checkins[c];
    }
    /* Check-ins of the current week (Monday to today): the last week of the series. */
    if (n)
        out->checkins_week = out->spark_checkins[n - 1];
    kpi_free(&r);
    return LCM_OK;
}

char *kpi_spark(const int64_t *v, int n, bool ascii, char *buf, size_t len)
{
    static const char ramp[] = " .:-=+*#";
    if (!buf || len == 0)
        return buf;
    buf[0] = '\0';
    int64_t max = 0;
    for (int i = 0; v && i < n; i++)
        if (v[i] > max)
            max = v[i];
    size_t o = 0, step = ascii ? 1 : 3;
    for (int i = 0; v && i < n && o + step < len; i++) {
        int k = max > 0 && v[i] > 0 ? (int)((v[i] * 7 + max - 1) / max) : 0; /* 0..7 */
        if (ascii) {
            buf[o++] = ramp[k];
        } else { /* U+2581 + k: E2 96 81..88 */
            buf[o++] = '\xe2';
            buf[o++] = '\x96';
            buf[o++] = (char)(0x81 + k);
        }
    }
    buf[o] = '\0';
    return buf;
}
