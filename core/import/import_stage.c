/* import_stage.c — turns CSV records into staged, typed records: evaluation through the
 * mapping, number and day parsing, merging of rows that name the same record, and the
 * aggregation of activity events into enrollment-days. Nothing here touches the store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "import/import_internal.h"
#include "base/model.h"

void import_stage_init(struct stage *sg, const struct mapping *m)
{
    memset(sg, 0, sizeof *sg);
    sg->map = m;
    for (int t = 0; t < MT_COUNT - 1; t++)
        if (t != MT_DONE)
            sg->t[t].idx = strmap_new();
    sg->act_idx = strmap_new();
    sg->enr_idx = strmap_new();
    sg->ref_idx = strmap_new();
}

static void srec_clear(struct srec *r, enum map_target t)
{
    int n;
    const struct map_field_def *defs = mapping_fields(t, &n);
    for (int i = 0; i < n; i++)
        if (defs[i].type == MF_TEXT && (r->set >> i & 1))
            free(r->v[i].s);
    r->set = r->known = 0;
}

void import_stage_free(struct stage *sg)
{
    for (int t = 0; t < MT_COUNT - 1; t++) {
        for (int i = 0; i < sg->t[t].n; i++)
            srec_clear(&sg->t[t].r[i], (enum map_target)t);
        free(sg->t[t].r);
        strmap_free(&sg->t[t].idx);
    }
    free(sg->act);
    for (int i = 0; i < sg->nenr; i++)
        free(sg->enr_refs[i]);
    free(sg->enr_refs);
    strmap_free(&sg->act_idx);
    strmap_free(&sg->enr_idx);
    strmap_free(&sg->ref_idx);
    free(sg->ref_ids);
    free(sg->created);
    free(sg->touched);
    free(sg->known_enr);
    free(sg->known_lrn);
    for (int i = 0; i < sg->nowned; i++)
        free(sg->owned[i]);
    free(sg->owned);
    buf_free(&sg->b);
    buf_free(&sg->b2);
}

/* A decimal number: optional sign, digits, optional '.' or ',' and digits. Locale-free. */
static bool parse_scaled(const char *s, int shift, double *out, bool *integral)
{
    /* The digits as one integer (at most 15: exact in a double), divided once by the power of
     * ten of the decimals (exact too): the quotient is the double nearest the decimal text, as
     * strtod gives it ("0.6" is 0.6, not 0.6000000000000001 from adding 6 x 0.1). */
    static const double pow10[18] = {1e0, 1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,
                                     1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17};
    double sign = 1, v = 0;
    int digits = 0, decimals = 0;
    bool frac = false;
    if (*s == '-' || *s == '+')
        sign = *s++ == '-' ? -1 : 1;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9') {
            v = v * 10 + (*s - '0');
            decimals += frac;
            digits++;
        } else if ((*s == '.' || *s == ',') && !frac) {
            frac = true;
        } else {
            return false;
        }
        if (digits > 15)
            return false;
    }
    *out = sign * (v / pow10[decimals + shift]);
    *integral = !frac;
    return digits > 0;
}

/* A decimal number, its value divided by 10^shift (a percentage: 2) in the one division. */
static bool parse_number(const char *s, double *out, bool *integral)
{
    return parse_scaled(s, 0, out, integral);
}

/* A day: an integer offset from base_date, or YYYY-MM-DD (a time after it is ignored). */
static enum lcm_status parse_dayval(const struct stage *sg, const char *v, const char *label,
                                    const struct csv_record *rec, int *out, struct lcm_err *err)
{
    double d;
    bool integral;
    if (parse_number(v, &d, &integral) && integral) {
        if (sg->map->base_day == DAY_NONE)
            return lcm_err_set(err, LCM_ERR_PARSE,
                               _("%s:%ld: %s: day offset %s needs a base date "
                                 "(--set base_date=YYYY-MM-DD)"),
                               rec->file, rec->line, label, v);
        if (d < -100000 || d > 100000)
            return lcm_err_set(err, LCM_ERR_PARSE, _("%s:%ld: %s: day offset out of range: \"%s\""),
                               rec->file, rec->line, label, v);
        *out = sg->map->base_day + (int)d;
        return LCM_OK;
    }
    size_t len = strlen(v);
    char ymd[11];
    if (len >= 10 && (len == 10 || v[10] == ' ' || v[10] == 'T')) {
        memcpy(ymd, v, 10);
        ymd[10] = '\0';
        if (day_parse(ymd, out))
            return LCM_OK;
    }
    return lcm_err_set(err, LCM_ERR_PARSE,
                       _("%s:%ld: %s: not a day offset or YYYY-MM-DD date: \"%.40s\""), rec->file,
                       rec->line, label, v);
}

/* Converts v (non-empty) to the type of def. */
static enum lcm_status convert(const struct stage *sg, const struct map_field_def *def,
                               const char *label, const struct csv_record *rec, const char *v,
                               union ival *out, struct lcm_err *err)
{
    double d;
    bool integral;
    int x;
    switch (def->type) {
    case MF_TEXT:
        out->s = lcm_xstrdup(v);
        return LCM_OK;
    case MF_DAY:
        if (parse_dayval(sg, v, label, rec, &x, err) != LCM_OK)
            return LCM_ERR_PARSE;
        out->i = x;
        return LCM_OK;
    case MF_STATUS:
        if ((x = model_enroll_status_parse(v)) < 0)
            break;
        out->i = x;
        return LCM_OK;
    case MF_KIND:
        if ((x = model_milestone_kind_parse(v)) < 0)
            break;
        out->i = x;
        return LCM_OK;
    case MF_INT:
    case MF_REAL: {
        size_t len = strlen(v);
        bool pct = def->type == MF_REAL && len > 1 && v[len - 1] == '%';
        char tmp[64];
        snprintf(tmp, sizeof tmp, "%.*s", (int)(pct ? len - 1 : len), v);
        if (len >= sizeof tmp || !parse_scaled(tmp, pct ? 2 : 0, &d, &integral))
            return lcm_err_set(err, LCM_ERR_PARSE, _("%s:%ld: %s: not a number: \"%.40s\""),
                               rec->file, rec->line, label, v);
        if (def->type == MF_INT)
            out->i = (int64_t)(d < 0 ? d - 0.5 : d + 0.5);
        else
            out->d = d; /* a percentage already divided by 100 */
        return LCM_OK;
    }
    }
    return lcm_err_set(err, LCM_ERR_PARSE, _("%s:%ld: %s: \"%.40s\" is not a valid %s (map it)"),
                       rec->file, rec->line, label, v,
                       def->type == MF_STATUS ? "status (active, completed, withdrawn, failed)"
                                              : "kind (progress, test, other)");
}

/* Evaluates and converts field i of target spec ts into r. */
static enum lcm_status eval_field(struct stage *sg, const struct map_file *mf,
                                  const struct map_field_def *def, const struct map_field *f,
                                  const struct csv_record *rec, union ival *out, bool *known,
                                  struct lcm_err *err)
{
    char label[160];
    const char *v;
    enum lcm_status rc = mapping_eval(mf, f, rec, &sg->b, &v, err);
    if (rc != LCM_OK)
        return rc;
    mapping_field_label(f, def->key, label, sizeof label);
    *known = *v != '\0';
    if (!*known) {
        out->i = def->type == MF_DAY ? DAY_NONE : 0;
        if (def->type == MF_REAL)
            out->d = -1;
        if (def->type == MF_TEXT)
            out->s = NULL;
        return LCM_OK;
    }
    if ((rc = convert(sg, def, label, rec, v, out, err)) != LCM_OK || !f->has_at_least)
        return rc;
    const char *lo = mapping_tpl_eval(&f->at_least, rec, &sg->b2);
    union ival min;
    if (*lo && (rc = convert(sg, def, label, rec, lo, &min, err)) != LCM_OK)
        return rc;
    if (*lo && def->type == MF_REAL && min.d > out->d)
        out->d = min.d;
    else if (*lo && def->type != MF_REAL && def->type != MF_TEXT && min.i > out->i)
        out->i = min.i;
    if (*lo && def->type == MF_TEXT)
        free(min.s);
    return LCM_OK;
}

static enum lcm_status check_progress(const struct map_field *f, const struct csv_record *rec,
                                      double d, struct lcm_err *err)
{
    char label[160];
    if (d >= 0 && d <= 1)
        return LCM_OK;
    return lcm_err_set(err, LCM_ERR_PARSE,
                       _("%s:%ld: %s: progress %g is outside 0..1 (write 42%%"
                         " for percentages)"),
                       rec->file, rec->line,
                       mapping_field_label(f, "progress", label, sizeof label), d);
}

/* Evaluates every field target t of mf gives for rec into r. */
static enum lcm_status eval_target(struct stage *sg, const struct map_file *mf, enum map_target t,
                                   const struct csv_record *rec, struct srec *r,
                                   struct lcm_err *err)
{
    int n;
    const struct map_field_def *defs = mapping_fields(t, &n);
    const struct map_target_spec *ts = &mf->t[t];
    memset(r, 0, sizeof *r);
    r->file = rec->file;
    r->line = rec->line;
    for (int i = 0; i < n; i++) {
        if (!ts->f[i].present)
            continue;
        bool known;
        enum lcm_status rc = eval_field(sg, mf, &defs[i], &ts->f[i], rec, &r->v[i], &known, err);
        if (rc != LCM_OK) {
            srec_clear(r, t);
            return rc;
        }
        r->set |= 1u << i;
        r->known |= (uint32_t)known << i;
        if (known && strcmp(defs[i].key, "progress") == 0 &&
            (rc = check_progress(&ts->f[i], rec, r->v[i].d, err)) != LCM_OK) {
            srec_clear(r, t);
            return rc;
        }
    }
    return LCM_OK;
}

static enum lcm_status need(const struct map_file *mf, enum map_target t, int i,
                            const struct srec *r, const struct csv_record *rec, struct lcm_err *err)
{
    char label[160];
    int n;
    const struct map_field_def *defs = mapping_fields(t, &n);
    if (r->known >> i & 1)
        return LCM_OK;
    return lcm_err_set(err, LCM_ERR_PARSE, _("%s:%ld: %s: empty %s.%s"), rec->file, rec->line,
                       mapping_field_label(&mf->t[t].f[i], defs[i].key, label, sizeof label),
                       mapping_target_name(t), defs[i].key);
}

/* Adds r to the list of t, or merges it into the record with the same id. Takes r's text. */
static void stage_put(struct stage *sg, enum map_target t, struct srec *r)
{
    struct sarr *a = &sg->t[t];
    int at = a->idx ? strmap_get(a->idx, r->v[MF_ID].s, strlen(r->v[MF_ID].s)) : -1;
    if (at >= 0) {
        struct srec *old = &a->r[at];
        int n;
        const struct map_field_def *defs = mapping_fields(t, &n);
        for (int i = 1; i < n; i++) {
            if (!(r->set >> i & 1))
                continue;
            if (defs[i].type == MF_TEXT && (old->set >> i & 1))
                free(old->v[i].s);
            old->v[i] = r->v[i];
            old->set |= 1u << i;
            old->known = (old->known & ~(1u << i)) | (r->known & (1u << i));
        }
        free(r->v[MF_ID].s);
        return;
    }
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 64;
        a->r = lcm_xrealloc(a->r, (size_t)a->cap * sizeof *a->r);
    }
    if (a->idx)
        strmap_put(a->idx, r->v[MF_ID].s, strlen(r->v[MF_ID].s), a->n);
    a->r[a->n++] = *r;
}

static enum lcm_status stage_activity(struct stage *sg, const struct map_file *mf,
                                      const struct csv_record *rec, struct lcm_err *err)
{
    struct srec r;
    enum lcm_status rc = eval_target(sg, mf, MT_ACTIVITY, rec, &r, err);
    if (rc == LCM_OK)
        rc = need(mf, MT_ACTIVITY, AC_ENROLLMENT, &r, rec, err);
    if (rc == LCM_OK)
        rc = need(mf, MT_ACTIVITY, AC_DAY, &r, rec, err);
    if (rc != LCM_OK) {
        srec_clear(&r, MT_ACTIVITY);
        return rc;
    }
    const char *ref = r.v[AC_ENROLLMENT].s;
    int enr = strmap_get(sg->enr_idx, ref, strlen(ref));
    if (enr < 0) {
        sg->enr_refs = lcm_xrealloc(sg->enr_refs, (size_t)(sg->nenr + 1) * sizeof *sg->enr_refs);
        sg->enr_refs[sg->nenr] = lcm_xstrdup(ref);
        enr = sg->nenr++;
        strmap_put(sg->enr_idx, ref, strlen(ref), enr);
    }
    srec_clear(&r, MT_ACTIVITY);
    char key[32];
    int klen = snprintf(key, sizeof key, "%d:%d", enr, (int)r.v[AC_DAY].i);
    int at = strmap_get(sg->act_idx, key, (size_t)klen);
    if (at >= 0 && mf->t[MT_ACTIVITY].rows_per_day)
        return lcm_err_set(err, LCM_ERR_PARSE,
                           _("%s:%ld: enrollment \"%s\" has a second row for the same day "
                             "(first at %s:%ld; activity rows = \"day\")"),
                           rec->file, rec->line, sg->enr_refs[enr], sg->act[at].file,
                           sg->act[at].line);
    if (at < 0) {
        if (sg->nact == sg->capact) {
            sg->capact = sg->capact ? sg->capact * 2 : 1024;
            sg->act = lcm_xrealloc(sg->act, (size_t)sg->capact * sizeof *sg->act);
        }
        at = sg->nact++;
        sg->act[at] = (struct sact){enr, (int)r.v[AC_DAY].i, 0, 0, 0, -1, 0, rec->file, rec->line};
        strmap_put(sg->act_idx, key, (size_t)klen, at);
    }
    struct sact *a = &sg->act[at];
    a->sessions += r.v[AC_SESSIONS].i;
    a->minutes += r.v[AC_MINUTES].i;
    a->actions += r.v[AC_ACTIONS].i;
    a->has_sessions |= (r.set >> AC_SESSIONS) & 1;
    if ((r.known >> AC_PROGRESS & 1) && r.v[AC_PROGRESS].d > a->progress)
        a->progress = r.v[AC_PROGRESS].d;
    return LCM_OK;
}

enum lcm_status import_stage_row(struct stage *sg, const struct map_file *mf,
                                 const struct csv_record *rec, struct lcm_err *err)
{
    for (int t = 0; t < MT_COUNT; t++) {
        if (!mf->t[t].present)
            continue;
        if (t == MT_ACTIVITY)
            return stage_activity(sg, mf, rec, err);
        struct srec r;
        enum lcm_status rc = eval_target(sg, mf, (enum map_target)t, rec, &r, err);
        int key = t == MT_DONE ? DO_MILESTONE : MF_ID;
        if (rc == LCM_OK)
            rc = need(mf, (enum map_target)t, key, &r, rec, err);
        if (rc == LCM_OK && t == MT_DONE)
            rc = need(mf, MT_DONE, DO_DAY, &r, rec, err);
        if (rc != LCM_OK) {
            srec_clear(&r, (enum map_target)t);
            return rc;
        }
        stage_put(sg, (enum map_target)t, &r);
    }
    return LCM_OK;
}
