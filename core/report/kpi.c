/* kpi.c — the entry of the indicators: kpi_compute() loads the scope, the LCM's contacts and
 * messages into the state (kpi_internal.h, kpi_state.c), runs the activity scan (kpi_scan.c)
 * and the milestone and money sums (kpi_sum.c), then sums everything per cohort, department
 * or manager; kpi_summary(), kpi_spark() and kpi_config_read() serve the TUI and the CLI.
 * Nothing below calls back into this file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/day.h"
#include "base/strmap.h"
#include "report/kpi.h"
#include "report/kpi_state.h"
#include "report/kpi_scan.h"
#include "report/kpi_sum.h"
#include "store/store_kpi.h"
#include "store/store_privacy.h"

/* A growable table of groups found by label (cohorts, departments, managers: there may be
 * thousands of managers, hence the hash map). */
struct groups {
    struct kpi_counts *v;
    size_t n, cap;
    struct strmap *index;
};

static int group_find(struct groups *g, const char *label)
{
    if (!g->index)
        g->index = strmap_new();
    int k = strmap_get(g->index, label, strlen(label));
    if (k >= 0)
        return k;
    strmap_put(g->index, label, strlen(label), (int)g->n);
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 16;
        g->v = lcm_xrealloc(g->v, g->cap * sizeof *g->v);
    }
    g->v[g->n] = (struct kpi_counts){.label = lcm_xstrdup(label)};
    return (int)g->n++;
}

struct load {
    struct kpi_state S;
    size_t cap;
    const struct kpi_options *opt;
    struct groups cohorts, by;
    int last_group; /* small cache for group_find on sorted input */
    bool many_programs;
    int64_t first_program;
    struct kpi_result *r;
    /* learner id -> first enrollment index, sorted by learner */
    struct lmap {
        int64_t learner;
        uint32_t enr;
    } * lm;
    size_t n_lm;
    bool *contacted; /* per lm entry */
    size_t n_ev, cap_ev;
    char **tmpl;
    size_t n_tmpl;
};

static void by_label(const struct store_kpi_enrollment *e, enum kpi_by by, char *buf, size_t n)
{
    if (by == KPI_BY_DEPARTMENT)
        snprintf(buf, n, "%s", *e->department ? e->department : "(no department)");
    else if (*e->manager && *e->manager_email)
        snprintf(buf, n, "%s <%s>", e->manager, e->manager_email);
    else
        snprintf(buf, n, "%s",
                 *e->manager         ? e->manager
                 : *e->manager_email ? e->manager_email
                                     : "(no manager)");
}

static enum lcm_status on_enrollment(void *ctx, const struct store_kpi_enrollment *e)
{
    struct load *L = ctx;
    struct kpi_state *S = &L->S;
    if (S->n_enr == L->cap) {
        L->cap = L->cap ? L->cap * 2 : 1024;
        S->enr = lcm_xrealloc(S->enr, L->cap * sizeof *S->enr);
    }
    struct kpi_enr *x = &S->enr[S->n_enr];
    L->r->purged += e->purged;
    bool ended = e->status != ENROLL_ACTIVE && (e->ended_day == DAY_NONE || e->ended_day <= S->to);
    *x = (struct kpi_enr){.id = e->id,
                          .learner_id = e->learner_id,
                          .cohort_id = e->cohort_id,
                          .program_id = e->program_id,
                          .start = e->start_day,
                          .end = ended ? e->ended_day : DAY_NONE,
                          .status = ended ? e->status : ENROLL_ACTIVE,
                          .progress_db = e->progress,
                          .flag_day = DAY_NONE,
                          .risk_level = -1,
                          .first_contact = DAY_NONE,
                          .by_grp = -1};
    if (S->n_enr == 0) {
        L->first_program = e->program_id;
        L->r->program = lcm_xstrdup(e->program);
    } else if (e->program_id != L->first_program && !L->many_programs) {
        L->many_programs = true;
        free(L->r->program);
        L->r->program = NULL;
    }
    char label[512];
    snprintf(label, sizeof label, "%s\x1f%s", e->program, e->cohort);
    x->cohort_grp = group_find(&L->cohorts, label);
    if (L->opt->by != KPI_BY_NONE) {
        by_label(e, L->opt->by, label, sizeof label);
        x->by_grp = group_find(&L->by, label);
    }
    if (L->opt->learners) {
        L->r->learners = lcm_xrealloc(L->r->learners, (S->n_enr + 1) * sizeof *L->r->learners);
        struct kpi_learner *kl = &L->r->learners[S->n_enr];
        char mgr[512];
        by_label(e, KPI_BY_MANAGER, mgr, sizeof mgr);
        *kl = (struct kpi_learner){.learner_id = e->learner_id,
                                   .enrollment_id = e->id,
                                   .first_name = lcm_xstrdup(e->first_name),
                                   .last_name = lcm_xstrdup(e->last_name),
                                   .email = lcm_xstrdup(e->email),
                                   .cohort = lcm_xstrdup(e->cohort),
                                   .department = lcm_xstrdup(e->department),
                                   .manager = lcm_xstrdup(mgr)};
        L->r->n_learners = S->n_enr + 1;
    }
    S->n_enr++;
    return LCM_OK;
}

static int cmp_lmap(const void *a, const void *b)
{
    const struct lmap *x = a, *y = b;
    if (x->learner != y->learner)
        return x->learner < y->learner ? -1 : 1;
    return x->enr < y->enr ? -1 : x->enr > y->enr;
}

/* Index into L->lm of the learner's first enrollment in scope, or -1. */
static long lm_find(const struct load *L, int64_t learner)
{
    size_t lo = 0, hi = L->n_lm;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (L->lm[mid].learner < learner)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < L->n_lm && L->lm[lo].learner == learner ? (long)lo : -1;
}

/* "Flagged" is "at risk" as the TUI's title counts it (store_view_at_risk()), flagged since
 * risk.flagged_since: one definition wherever the figure shows. */
static enum lcm_status on_risk(void *ctx, int64_t eid, int level, double score, int flagged,
                               bool at_risk)
{
    (void)score;
    struct load *L = ctx;
    struct kpi_enr *e = kpi_state_enr_find(&L->S, eid);
    if (!e)
        return LCM_OK;
    e->risk_level = level < 0 ? 0 : level > 2 ? 2 : level;
    e->flag_day = at_risk ? (flagged != DAY_NONE ? flagged : L->S.to) : DAY_NONE;
    L->r->risk_now[e->risk_level]++;
    if (at_risk)
        L->r->flagged++;
    return LCM_OK;
}

static enum lcm_status on_checkin(void *ctx, const struct store_kpi_checkin *c)
{
    struct load *L = ctx;
    struct kpi_state *S = &L->S;
    long k = lm_find(L, c->learner_id);
    if (k < 0)
        return LCM_OK;
    int day = day_from_time(c->at);
    bool contact = c->outbound && c->channel != CH_NOTE;
    /* Flag to first contact: every enrollment of the learner in scope that is flagged. */
    for (size_t j = (size_t)k; contact && j < L->n_lm && L->lm[j].learner == c->learner_id; j++) {
        struct kpi_enr *e = &S->enr[L->lm[j].enr];
        if (e->flag_day != DAY_NONE && day >= e->flag_day && e->first_contact == DAY_NONE)
            e->first_contact = day;
    }
    if (day < S->from)
        return LCM_OK;
    L->r->checkins++;
    L->r->checkins_by_channel[c->channel]++;
    if (contact && !L->contacted[k]) {
        L->contacted[k] = true;
        L->r->contacted++;
    }
    int w = kpi_state_week_of(S, day);
    if (w >= 0)
        L->r->weeks[w].checkins[c->channel]++;
    return LCM_OK;
}

static uint32_t template_index(struct load *L, const char *name)
{
    const char *n = *name ? name : "(none)";
    for (size_t i = 0; i < L->n_tmpl; i++)
        if (strcmp(L->tmpl[i], n) == 0)
            return (uint32_t)i;
    L->tmpl = lcm_xrealloc(L->tmpl, (L->n_tmpl + 1) * sizeof *L->tmpl);
    L->tmpl[L->n_tmpl] = lcm_xstrdup(n);
    return (uint32_t)L->n_tmpl++;
}

static enum lcm_status on_message(void *ctx, const struct store_kpi_message *m)
{
    struct load *L = ctx;
    struct kpi_state *S = &L->S;
    int day = day_from_time(m->sent_at);
    if (day < S->from)
        return LCM_OK;
    struct kpi_enr *e = kpi_state_enr_find(S, m->enrollment_id);
    if (!e) {
        long k = lm_find(L, m->learner_id);
        if (k < 0)
            return LCM_OK;
        e = &S->enr[L->lm[k].enr];
    }
    if (S->n_ev == L->cap_ev) {
        L->cap_ev = L->cap_ev ? L->cap_ev * 2 : 256;
        S->ev = lcm_xrealloc(S->ev, L->cap_ev * sizeof *S->ev);
    }
    S->ev[S->n_ev++] = (struct kpi_msg_ev){
        .enr = (uint32_t)(e - S->enr), .day = day, .tmpl = template_index(L, m->template_name)};
    int w = kpi_state_week_of(S, day);
    if (w >= 0)
        L->r->weeks[w].messages++;
    return LCM_OK;
}

static int cmp_ev(const void *a, const void *b)
{
    const struct kpi_msg_ev *x = a, *y = b;
    if (x->enr != y->enr)
        return x->enr < y->enr ? -1 : 1;
    return x->day < y->day ? -1 : x->day > y->day;
}

/* Sorts the message events by enrollment and links each enrollment to its slice. */
static void link_events(struct kpi_state *S)
{
    if (S->n_ev)
        qsort(S->ev, S->n_ev, sizeof *S->ev, cmp_ev);
    for (size_t i = 0; i < S->n_ev; i++) {
        struct kpi_enr *e = &S->enr[S->ev[i].enr];
        if (e->ev_count == 0)
            e->ev_first = (uint32_t)i;
        e->ev_count++;
    }
}

static void add_counts(struct kpi_counts *g, const struct kpi_enr *e, const struct kpi_state *S)
{
    g->enrolled++;
    g->running += e->status == ENROLL_ACTIVE;
    g->completed += e->status == ENROLL_COMPLETED;
    g->withdrawn += e->status == ENROLL_WITHDRAWN;
    g->failed += e->status == ENROLL_FAILED;
    if (e->last_active != DAY_NONE) {
        g->active7 += e->last_active > S->to - 7;
        g->running_active7 += e->status == ENROLL_ACTIVE && e->last_active > S->to - 7;
        g->active30 += e->last_active > S->to - 30;
    }
    g->sessions += e->sessions;
    g->minutes += e->minutes;
    g->active_days += e->active_days;
    if (e->status == ENROLL_WITHDRAWN)
        g->withdrawn_minutes += e->minutes;
    int s = e->start == DAY_NONE || e->start < S->from ? S->from : e->start;
    int t = e->end == DAY_NONE || e->end > S->to ? S->to : e->end;
    if (t >= s)
        g->learner_weeks += (t - s + 1) / 7.0;
    if (e->progress >= 0) {
        g->progress_sum += e->progress;
        g->progress_n++;
    }
}

static int cmp_counts(const void *a, const void *b)
{
    return strcmp(((const struct kpi_counts *)a)->label, ((const struct kpi_counts *)b)->label);
}

/* Cohort labels are "program\x1fcohort": keep the cohort, or "programme — cohort". */
static void cohort_labels(struct groups *g, bool many_programs)
{
    for (size_t i = 0; i < g->n; i++) {
        char *sep = strchr(g->v[i].label, '\x1f');
        if (!sep)
            continue;
        char buf[1100];
        *sep = '\0';
        if (many_programs)
            snprintf(buf, sizeof buf, "%s \xe2\x80\x94 %s", g->v[i].label, sep + 1);
        else
            snprintf(buf, sizeof buf, "%s", sep + 1);
        free(g->v[i].label);
        g->v[i].label = lcm_xstrdup(buf);
    }
    if (g->n)
        qsort(g->v, g->n, sizeof *g->v, cmp_counts);
}

static void sum_lcm_work(struct load *L)
{
    struct kpi_state *S = &L->S;
    struct kpi_result *r = L->r;
    int *d = lcm_xmalloc((S->n_enr ? S->n_enr : 1) * sizeof *d);
    size_t n = 0;
    for (size_t i = 0; i < S->n_enr; i++) {
        const struct kpi_enr *e = &S->enr[i];
        if (e->first_contact == DAY_NONE)
            continue;
        d[n++] = e->first_contact - e->flag_day;
        r->back7 += e->back7;
        r->back14 += e->back14;
    }
    r->flagged_contacted = (int64_t)n;
    r->median_flag_to_contact = kpi_state_median(d, n);
    free(d);
    r->templates = lcm_xcalloc(L->n_tmpl ? L->n_tmpl : 1, sizeof *r->templates);
    r->n_templates = L->n_tmpl;
    for (size_t i = 0; i < L->n_tmpl; i++) {
        r->templates[i].name = L->tmpl[i];
        L->tmpl[i] = NULL;
    }
    for (size_t i = 0; i < S->n_ev; i++) {
        r->templates[S->ev[i].tmpl].sent++;
        r->templates[S->ev[i].tmpl].returned7 += S->ev[i].returned;
        r->messages_sent++;
        r->messages_returned7 += S->ev[i].returned;
    }
    if (r->n_templates)
        qsort(r->templates, r->n_templates, sizeof *r->templates, cmp_counts);
}

static void sum_all(struct load *L)
{
    struct kpi_state *S = &L->S;
    struct kpi_result *r = L->r;
    r->total.label = lcm_xstrdup("");
    for (size_t i = 0; i < S->n_enr; i++) {
        const struct kpi_enr *e = &S->enr[i];
        add_counts(&r->total, e, S);
        add_counts(&L->cohorts.v[e->cohort_grp], e, S);
        if (e->by_grp >= 0)
            add_counts(&L->by.v[e->by_grp], e, S);
        if (e->progress < 0)
            r->progress_unknown++;
        else
            r->buckets[e->progress >= 0.9995 ? 4 : (int)(e->progress * 4)]++;
    }
    const struct kpi_counts *t = &r->total;
    if (t->enrolled) {
        r->completion_rate = (double)t->completed / (double)t->enrolled;
        r->dropout_rate = (double)t->withdrawn / (double)t->enrolled;
        r->avg_minutes = (double)t->minutes / (double)t->enrolled;
    }
    if (t->running)
        r->active7_rate = (double)t->running_active7 / (double)t->running;
    if (t->learner_weeks > 0)
        r->visit_frequency = (double)t->active_days / t->learner_weeks;
    cohort_labels(&L->cohorts, L->many_programs);
    r->cohorts = L->cohorts.v;
    r->n_cohorts = L->cohorts.n;
    strmap_free(&L->cohorts.index);
    L->cohorts = (struct groups){0};
    if (L->by.n)
        qsort(L->by.v, L->by.n, sizeof *L->by.v, cmp_counts);
    r->groups = L->by.v;
    r->n_groups = L->by.n;
    strmap_free(&L->by.index);
    L->by = (struct groups){0};
    sum_lcm_work(L);
}

static enum lcm_status on_note(void *ctx, int64_t learner_id, const char *note)
{
    struct load *L = ctx;
    long k = lm_find(L, learner_id);
    for (size_t j = (size_t)k; k >= 0 && j < L->n_lm && L->lm[j].learner == learner_id; j++) {
        struct kpi_learner *kl = &L->r->learners[L->lm[j].enr];
        if (!kl->note)
            kl->note = lcm_xstrdup(note);
    }
    return LCM_OK;
}

static int cmp_learner(const void *a, const void *b)
{
    const struct kpi_learner *x = a, *y = b;
    int c = strcasecmp(x->last_name, y->last_name);
    if (!c)
        c = strcasecmp(x->first_name, y->first_name);
    return c ? c : (x->enrollment_id > y->enrollment_id) - (x->enrollment_id < y->enrollment_id);
}

static enum lcm_status finish_learners(struct lcm_store *st, struct load *L, struct lcm_err *err)
{
    struct kpi_result *r = L->r;
    for (size_t i = 0; i < r->n_learners; i++) {
        const struct kpi_enr *e = &L->S.enr[i];
        struct kpi_learner *kl = &r->learners[i];
        kl->status = e->status;
        kl->progress = e->progress;
        kl->last_active = e->last_active;
        kl->active_days = e->active_days;
        kl->minutes = e->minutes;
        kl->risk_level = e->risk_level;
    }
    if (L->opt->private_notes && r->n_learners) {
        enum lcm_status rc = store_kpi_last_notes(st, L->S.to, on_note, L, err);
        if (rc != LCM_OK)
            return rc;
    }
    if (r->n_learners)
        qsort(r->learners, r->n_learners, sizeof *r->learners, cmp_learner);
    return LCM_OK;
}

void kpi_iso_week(int day, int *year, int *week)
{
    int thursday = day - day_weekday(day) + 3;
    int y, m, d;
    day_to_ymd(thursday, &y, &m, &d);
    *year = y;
    *week = (thursday - day_from_ymd(y, 1, 1)) / 7 + 1;
}

/* Sets the weeks of the trend: from the Monday of the period's first week to its last. */
static void set_weeks(struct load *L)
{
    struct kpi_state *S = &L->S;
    if (S->from == DAY_NONE) {
        S->from = S->to;
        for (size_t i = 0; i < S->n_enr; i++)
            if (S->enr[i].start != DAY_NONE && S->enr[i].start < S->from)
                S->from = S->enr[i].start;
    }
    if (S->from > S->to)
        S->from = S->to;
    int last_monday = S->to - day_weekday(S->to);
    S->first_monday = S->from - day_weekday(S->from);
    if ((last_monday - S->first_monday) / 7 >= KPI_MAX_WEEKS)
        S->first_monday = last_monday - 7 * (KPI_MAX_WEEKS - 1);
    S->n_weeks = (size_t)((last_monday - S->first_monday) / 7 + 1);
    L->r->weeks = lcm_xcalloc(S->n_weeks, sizeof *L->r->weeks);
    L->r->n_weeks = S->n_weeks;
    for (size_t w = 0; w < S->n_weeks; w++) {
        struct kpi_week *wk = &L->r->weeks[w];
        wk->monday = S->first_monday + (int)w * 7;
        kpi_iso_week(wk->monday, &wk->iso_year, &wk->iso_week);
    }
    L->r->from_day = S->from;
    L->r->to_day = S->to;
}

static void build_learner_map(struct load *L)
{
    struct kpi_state *S = &L->S;
    L->lm = lcm_xmalloc((S->n_enr ? S->n_enr : 1) * sizeof *L->lm);
    for (size_t i = 0; i < S->n_enr; i++)
        L->lm[i] = (struct lmap){.learner = S->enr[i].learner_id, .enr = (uint32_t)i};
    L->n_lm = S->n_enr;
    if (L->n_lm)
        qsort(L->lm, L->n_lm, sizeof *L->lm, cmp_lmap);
    L->contacted = lcm_xcalloc(L->n_lm ? L->n_lm : 1, sizeof *L->contacted);
}

static void load_free(struct load *L)
{
    free(L->S.enr);
    free(L->S.ev);
    free(L->lm);
    free(L->contacted);
    for (size_t i = 0; i < L->n_tmpl; i++)
        free(L->tmpl[i]);
    free(L->tmpl);
    struct groups *gs[] = {&L->cohorts, &L->by};
    for (size_t k = 0; k < 2; k++) {
        for (size_t i = 0; i < gs[k]->n; i++)
            free(gs[k]->v[i].label);
        free(gs[k]->v);
        strmap_free(&gs[k]->index);
    }
}

enum lcm_status kpi_compute(struct lcm_store *st, const struct kpi_filter *f, int today,
                            const struct kpi_options *opt, struct kpi_result *out,
                            struct lcm_err *err)
{
    if (!st || !f || !opt || !out)
        return lcm_err_set(err, LCM_ERR_USAGE, _("kpi: missing argument"));
    memset(out, 0, sizeof *out);
    struct load L = {.opt = opt, .r = out};
    L.S.to = f->to_day != DAY_NONE ? f->to_day : today;
    L.S.past = L.S.to < today;
    L.S.from = f->from_day;
    if (L.S.from != DAY_NONE && L.S.from > L.S.to)
        return lcm_err_set(err, LCM_ERR_USAGE, _("kpi: the period starts after it ends"));
    out->by = opt->by;
    out->money_conf = opt->money;
    struct kpi_filter q = *f;
    q.to_day = L.S.to;
    enum lcm_status rc = store_kpi_enrollments(st, &q, on_enrollment, &L, err);
    if (rc == LCM_OK && out->purged)
        rc = store_privacy_last(st, &out->purge_days, err);
    if (rc != LCM_OK)
        goto fail;
    set_weeks(&L);
    build_learner_map(&L);
    if ((rc = store_kpi_risks(st, today, on_risk, &L, err)) != LCM_OK ||
        (rc = store_kpi_checkins(st, L.S.to, on_checkin, &L, err)) != LCM_OK ||
        (rc = store_kpi_messages(st, L.S.to, on_message, &L, err)) != LCM_OK)
        goto fail;
    link_events(&L.S);
    struct kpi_week *scan_weeks = lcm_xcalloc(L.S.n_weeks, sizeof *scan_weeks);
    rc = kpi_scan_run(st, &L.S, opt->threads, scan_weeks, err);
    for (size_t w = 0; rc == LCM_OK && w < L.S.n_weeks; w++) {
        struct kpi_week *a = &out->weeks[w], *b = &scan_weeks[w];
        a->running = b->running;
        a->active = b->active;
        a->sessions = b->sessions;
        a->minutes = b->minutes;
        a->completed = b->completed;
        a->withdrawn = b->withdrawn;
        memcpy(a->risk, b->risk, sizeof a->risk);
    }
    free(scan_weeks);
    if (rc != LCM_OK || (rc = kpi_sum_milestones(st, &L.S, out, err)) != LCM_OK)
        goto fail;
    sum_all(&L);
    if ((rc = finish_learners(st, &L, err)) != LCM_OK)
        goto fail;
    kpi_sum_money(out);
    if ((rc = effect_load(st, L.S.to, false, opt->holdout_min > 0 ? opt->holdout_min : 20,
                          &out->holdout, err)) != LCM_OK)
        goto fail;
    if ((rc = store_event_kpi(st, day_to_time(L.S.from), day_to_time(L.S.to + 1),
                              day_to_time(L.S.to + 1), &out->events, err)) != LCM_OK)
        goto fail;
    load_free(&L);
    return LCM_OK;
fail:
    load_free(&L);
    kpi_result_free(out);
    return rc;
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
                           _("kpi.currency must be a short code such as \"EUR\""));
    snprintf(out->currency, sizeof out->currency, "%s", cur);
    return LCM_OK;
}

enum lcm_status kpi_summary(struct lcm_store *st, const struct kpi_filter *f, int today,
                            struct kpi_summary *out, struct lcm_err *err)
{
    return kpi_summary_money(st, f, today, NULL, out, err);
}

enum lcm_status kpi_summary_money(struct lcm_store *st, const struct kpi_filter *f, int today,
                                  const struct kpi_money_conf *money, struct kpi_summary *out,
                                  struct lcm_err *err)
{
    if (!out)
        return lcm_err_set(err, LCM_ERR_USAGE, _("kpi: missing argument"));
    memset(out, 0, sizeof *out);
    struct kpi_filter q = f ? *f : (struct kpi_filter){.from_day = DAY_NONE, .to_day = DAY_NONE};
    /* The sparkline needs only its last weeks of activity, but the counts need the whole
     * scope: leave from open and read the tail of the weekly series. */
    struct kpi_options opt = {.by = KPI_BY_NONE};
    if (money)
        opt.money = *money;
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
    out->money = r.money.configured;
    out->money_conf = r.money_conf;
    out->dropout_cost = r.money.dropout_cost + r.money.hours_cost;
    out->avoided = r.money.avoided;
    out->avoided_value = r.money.avoided_value;
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
    kpi_result_free(&r);
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
