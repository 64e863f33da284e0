/* mapping.c — loading, binding and evaluating import mapping files (libconfig). */
#include "import/mapping.h"

#include <fnmatch.h>
#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/day.h"

static const struct map_field_def f_program[] = {
    {"id", MF_TEXT}, {"name", MF_TEXT}, {"length_days", MF_INT}};
static const struct map_field_def f_cohort[] = {{"id", MF_TEXT},
                                                {"program", MF_TEXT},
                                                {"name", MF_TEXT},
                                                {"start_day", MF_DAY},
                                                {"end_day", MF_DAY}};
static const struct map_field_def f_learner[] = {{"id", MF_TEXT},
                                                 {"first_name", MF_TEXT},
                                                 {"last_name", MF_TEXT},
                                                 {"email", MF_TEXT},
                                                 {"phone", MF_TEXT},
                                                 {"manager", MF_TEXT},
                                                 {"manager_email", MF_TEXT},
                                                 {"department", MF_TEXT},
                                                 {"lang", MF_TEXT},
                                                 {"key", MF_TEXT}};
static const struct map_field_def f_enrollment[] = {
    {"id", MF_TEXT},       {"learner", MF_TEXT},  {"cohort", MF_TEXT},
    {"status", MF_STATUS}, {"start_day", MF_DAY}, {"expected_end_day", MF_DAY},
    {"ended_day", MF_DAY}, {"progress", MF_REAL}, {"outcome", MF_TEXT}};
static const struct map_field_def f_milestone[] = {
    {"id", MF_TEXT},     {"program", MF_TEXT},   {"cohort", MF_TEXT},
    {"name", MF_TEXT},   {"kind", MF_KIND},      {"threshold", MF_REAL},
    {"due_day", MF_DAY}, {"due_offset", MF_INT}, {"weight", MF_REAL}};
static const struct map_field_def f_done[] = {{"enrollment", MF_TEXT},
                                              {"learner", MF_TEXT},
                                              {"milestone", MF_TEXT},
                                              {"day", MF_DAY},
                                              {"score", MF_REAL}};
static const struct map_field_def f_activity[] = {{"enrollment", MF_TEXT}, {"day", MF_DAY},
                                                  {"sessions", MF_INT},    {"minutes", MF_INT},
                                                  {"actions", MF_INT},     {"progress", MF_REAL}};

#define N(a) ((int)(sizeof a / sizeof a[0]))

static const struct {
    const char *name;
    const struct map_field_def *f;
    int n;
} targets[MT_COUNT] = {
    {"program", f_program, N(f_program)},       {"cohort", f_cohort, N(f_cohort)},
    {"learner", f_learner, N(f_learner)},       {"enrollment", f_enrollment, N(f_enrollment)},
    {"milestone", f_milestone, N(f_milestone)}, {"milestone_done", f_done, N(f_done)},
    {"activity", f_activity, N(f_activity)},
};

const struct map_field_def *mapping_fields(enum map_target t, int *n)
{
    *n = targets[t].n;
    return targets[t].f;
}

const char *mapping_target_name(enum map_target t)
{
    return targets[t].name;
}

/* ---- loading ---------------------------------------------------------------------------- */

struct params {
    char **key, **val;
    int n;
};

struct loader {
    const char *name; /* mapping base name */
    struct params p;
    struct lcm_err *err;
};

static int line_of(const config_setting_t *s)
{
    return (int)config_setting_source_line(s);
}

static enum lcm_status fail_at(struct loader *ld, const config_setting_t *s, const char *what,
                               const char *detail)
{
    return lcm_err_set(ld->err, LCM_ERR_CONFIG, "%s:%d: %s%s%s", ld->name, s ? line_of(s) : 0, what,
                       detail ? " " : "", detail ? detail : "");
}

static void params_set(struct params *p, const char *k, size_t klen, const char *v)
{
    for (int i = 0; i < p->n; i++)
        if (strlen(p->key[i]) == klen && strncmp(p->key[i], k, klen) == 0) {
            free(p->val[i]);
            p->val[i] = lcm_xstrdup(v);
            return;
        }
    p->key = lcm_xrealloc(p->key, (size_t)(p->n + 1) * sizeof *p->key);
    p->val = lcm_xrealloc(p->val, (size_t)(p->n + 1) * sizeof *p->val);
    p->key[p->n] = lcm_xstrdup(k);
    p->key[p->n][klen] = '\0';
    p->val[p->n] = lcm_xstrdup(v);
    p->n++;
}

static const char *params_get(const struct params *p, const char *k, size_t klen)
{
    for (int i = 0; i < p->n; i++)
        if (strlen(p->key[i]) == klen && strncmp(p->key[i], k, klen) == 0)
            return p->val[i];
    return NULL;
}

static void params_free(struct params *p)
{
    for (int i = 0; i < p->n; i++) {
        free(p->key[i]);
        free(p->val[i]);
    }
    free(p->key);
    free(p->val);
}

/* Returns a malloc'ed copy of src with every ${name} replaced by its parameter. */
static char *subst(struct loader *ld, const config_setting_t *s, const char *src)
{
    struct buf b = {0};
    for (const char *c = src; *c;) {
        const char *piece = c, *val = NULL;
        size_t plen = 1;
        if (c[0] == '$' && c[1] == '{') {
            const char *close = strchr(c + 2, '}');
            if (!close) {
                fail_at(ld, s, "unterminated ${ in", src);
                buf_free(&b);
                return NULL;
            }
            val = params_get(&ld->p, c + 2, (size_t)(close - c - 2));
            if (!val) {
                char msg[160];
                snprintf(msg, sizeof msg,
                         "unknown parameter \"%.*s\" (define it in params or "
                         "use --set %.*s=...)",
                         (int)(close - c - 2), c + 2, (int)(close - c - 2), c + 2);
                fail_at(ld, s, msg, NULL);
                buf_free(&b);
                return NULL;
            }
            piece = val;
            plen = strlen(val);
            c = close + 1;
        } else {
            c++;
        }
        buf_add(&b, piece, plen);
    }
    return buf_take(&b);
}

static void tpl_free(struct map_tpl *t)
{
    for (int i = 0; i < t->n; i++)
        free(t->parts[i].text);
    free(t->parts);
    free(t->src);
    memset(t, 0, sizeof *t);
}

static void tpl_add(struct map_tpl *t, const char *s, size_t n, bool col)
{
    if (n == 0 && !col)
        return;
    t->parts = lcm_xrealloc(t->parts, (size_t)(t->n + 1) * sizeof *t->parts);
    struct map_tpl_part *p = &t->parts[t->n++];
    p->text = lcm_xmalloc(n + 1);
    memcpy(p->text, s, n);
    p->text[n] = '\0';
    p->col_ref = col;
    p->col = -1;
}

/* Parses a template string from setting s: params substituted, {column} references split. */
static enum lcm_status tpl_parse(struct loader *ld, const config_setting_t *s, const char *raw,
                                 struct map_tpl *t)
{
    memset(t, 0, sizeof *t);
    char *src = subst(ld, s, raw);
    if (!src)
        return LCM_ERR_CONFIG;
    t->src = src;
    const char *c = src, *lit = src;
    while (*c) {
        if (*c == '{') {
            const char *close = strchr(c + 1, '}');
            if (!close || close == c + 1) {
                tpl_free(t);
                return fail_at(ld, s, "bad column reference in", raw);
            }
            tpl_add(t, lit, (size_t)(c - lit), false);
            tpl_add(t, c + 1, (size_t)(close - c - 1), true);
            c = lit = close + 1;
        } else if (*c == '}') {
            tpl_free(t);
            return fail_at(ld, s, "unbalanced } in", raw);
        } else {
            c++;
        }
    }
    tpl_add(t, lit, (size_t)(c - lit), false);
    return LCM_OK;
}

/* Reads a ("from", "to") pair list: a list of 2-string lists or arrays. */
static enum lcm_status parse_pairs(struct loader *ld, const config_setting_t *s, char ***a,
                                   char ***b, int *n, bool subst_b)
{
    *n = 0;
    if (!config_setting_is_aggregate(s))
        return fail_at(ld, s, config_setting_name(s), "must be a list of (\"a\", \"b\") pairs");
    int len = config_setting_length(s);
    *a = lcm_xcalloc((size_t)len + 1, sizeof **a);
    *b = lcm_xcalloc((size_t)len + 1, sizeof **b);
    for (int i = 0; i < len; i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        const char *x = e && config_setting_is_aggregate(e) && config_setting_length(e) == 2
                            ? config_setting_get_string_elem(e, 0)
                            : NULL;
        const char *y = x ? config_setting_get_string_elem(e, 1) : NULL;
        if (!x || !y)
            return fail_at(ld, e ? e : s, config_setting_name(s),
                           "entries must be pairs of strings like (\"Pass\", \"completed\")");
        (*a)[i] = lcm_xstrdup(x);
        (*b)[i] = subst_b ? subst(ld, e, y) : lcm_xstrdup(y);
        (*n)++;
        if (!(*b)[i])
            return LCM_ERR_CONFIG;
    }
    return LCM_OK;
}

static void free_strs(char **v, int n)
{
    for (int i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

static bool key_known(const char *k, const char *const *keys)
{
    for (int i = 0; keys[i]; i++)
        if (strcmp(k, keys[i]) == 0)
            return true;
    return false;
}

/* Refuses keys of group g that are not in keys (a typo in a mapping must not pass silently). */
static enum lcm_status check_keys(struct loader *ld, const config_setting_t *g,
                                  const char *const *keys, const char *where)
{
    for (int i = 0; i < config_setting_length(g); i++) {
        const config_setting_t *e = config_setting_get_elem(g, (unsigned)i);
        if (!key_known(config_setting_name(e), keys)) {
            char msg[200];
            snprintf(msg, sizeof msg, "unknown key \"%s\" in %s", config_setting_name(e), where);
            return fail_at(ld, e, msg, NULL);
        }
    }
    return LCM_OK;
}

static const char *const field_keys[] = {"value", "map", "other", "default", "at_least", NULL};

/* A field is a template string, or a group { value, map, other, default, at_least }. */
static enum lcm_status parse_field(struct loader *ld, const config_setting_t *s,
                                   struct map_field *f)
{
    f->present = true;
    f->line = line_of(s);
    if (config_setting_type(s) == CONFIG_TYPE_STRING)
        return tpl_parse(ld, s, config_setting_get_string(s), &f->value);
    if (config_setting_type(s) == CONFIG_TYPE_INT || config_setting_type(s) == CONFIG_TYPE_FLOAT)
        return fail_at(ld, s, config_setting_name(s), "must be a string: write \"0\", not 0");
    if (!config_setting_is_group(s))
        return fail_at(ld, s, config_setting_name(s), "must be a string or a group");
    enum lcm_status rc = check_keys(ld, s, field_keys, config_setting_name(s));
    const char *v;
    if (rc == LCM_OK && !config_setting_lookup_string(s, "value", &v))
        return fail_at(ld, s, config_setting_name(s), "needs value = \"{column}\"");
    if (rc == LCM_OK)
        rc = tpl_parse(ld, config_setting_get_member(s, "value"), v, &f->value);
    const config_setting_t *m = config_setting_get_member(s, "map");
    if (rc == LCM_OK && m)
        rc = parse_pairs(ld, m, &f->from, &f->to, &f->nmap, false);
    if (rc == LCM_OK && config_setting_lookup_string(s, "other", &v))
        f->other = lcm_xstrdup(v);
    if (rc == LCM_OK && config_setting_lookup_string(s, "default", &v)) {
        f->has_default = true;
        rc = tpl_parse(ld, config_setting_get_member(s, "default"), v, &f->def);
    }
    if (rc == LCM_OK && config_setting_lookup_string(s, "at_least", &v)) {
        f->has_at_least = true;
        rc = tpl_parse(ld, config_setting_get_member(s, "at_least"), v, &f->at_least);
    }
    return rc;
}

static void field_free(struct map_field *f)
{
    tpl_free(&f->value);
    tpl_free(&f->def);
    tpl_free(&f->at_least);
    free_strs(f->from, f->nmap);
    free_strs(f->to, f->nmap);
    free(f->other);
}

/* Which fields a target needs before it can be written. */
static const char *target_missing(enum map_target t, const struct map_target_spec *ts)
{
    switch (t) {
    case MT_DONE:
        if (!ts->f[DO_MILESTONE].present)
            return "milestone";
        if (!ts->f[DO_DAY].present)
            return "day";
        if (!ts->f[DO_ENROLLMENT].present && !ts->f[DO_LEARNER].present)
            return "enrollment (or learner)";
        return NULL;
    case MT_ACTIVITY:
        return !ts->f[AC_ENROLLMENT].present ? "enrollment" : !ts->f[AC_DAY].present ? "day" : NULL;
    default:
        return ts->f[MF_ID].present ? NULL : "id";
    }
}

static enum lcm_status parse_target(struct loader *ld, const config_setting_t *g, enum map_target t,
                                    struct map_target_spec *ts)
{
    ts->present = true;
    ts->line = line_of(g);
    if (!config_setting_is_group(g))
        return fail_at(ld, g, mapping_target_name(t), "must be a group { ... }");
    int n;
    const struct map_field_def *defs = mapping_fields(t, &n);
    for (int i = 0; i < config_setting_length(g); i++) {
        const config_setting_t *e = config_setting_get_elem(g, (unsigned)i);
        const char *k = config_setting_name(e);
        int fi = -1;
        for (int j = 0; j < n; j++)
            if (strcmp(k, defs[j].key) == 0)
                fi = j;
        if (t == MT_ACTIVITY && strcmp(k, "rows") == 0) {
            const char *v = config_setting_get_string(e);
            if (!v || (strcmp(v, "event") != 0 && strcmp(v, "day") != 0))
                return fail_at(ld, e, "activity.rows", "must be \"event\" or \"day\"");
            ts->rows_per_day = strcmp(v, "day") == 0;
            continue;
        }
        if (fi < 0) {
            char msg[200];
            snprintf(msg, sizeof msg, "unknown key \"%s\" in %s", k, mapping_target_name(t));
            return fail_at(ld, e, msg, NULL);
        }
        enum lcm_status rc = parse_field(ld, e, &ts->f[fi]);
        if (rc != LCM_OK)
            return rc;
    }
    const char *miss = target_missing(t, ts);
    if (miss) {
        char msg[200];
        snprintf(msg, sizeof msg, "%s needs %s", mapping_target_name(t), miss);
        return fail_at(ld, g, msg, NULL);
    }
    return LCM_OK;
}

static enum lcm_status parse_sep(struct loader *ld, const config_setting_t *s, char *out)
{
    const char *v = config_setting_get_string(s);
    if (!v)
        return fail_at(ld, s, "separator", "must be a string");
    if (strcmp(v, "auto") == 0)
        *out = 0;
    else if (strcmp(v, "tab") == 0 || strcmp(v, "\t") == 0)
        *out = '\t';
    else if (strcmp(v, ",") == 0 || strcmp(v, ";") == 0)
        *out = v[0];
    else
        return fail_at(ld, s, "separator", "must be \"auto\", \",\", \";\" or \"tab\"");
    return LCM_OK;
}

static enum lcm_status parse_strings(struct loader *ld, const config_setting_t *s, char ***out,
                                     int *n)
{
    if (!config_setting_is_array(s) && !config_setting_is_list(s))
        return fail_at(ld, s, config_setting_name(s), "must be an array of strings [\"?\"]");
    int len = config_setting_length(s);
    *out = lcm_xcalloc((size_t)len + 1, sizeof **out);
    for (int i = 0; i < len; i++) {
        const char *v = config_setting_get_string_elem(s, (unsigned)i);
        if (!v)
            return fail_at(ld, s, config_setting_name(s), "must hold strings only");
        (*out)[(*n)++] = lcm_xstrdup(v);
    }
    return LCM_OK;
}

static const char *const file_keys[] = {"file",      "separator",      "missing",  "filter",
                                        "program",   "cohort",         "learner",  "enrollment",
                                        "milestone", "milestone_done", "activity", NULL};

static enum lcm_status parse_file(struct loader *ld, const config_setting_t *g, char dsep,
                                  char **dmissing, int ndmissing, struct map_file *mf)
{
    mf->line = line_of(g);
    mf->sep = dsep;
    if (!config_setting_is_group(g))
        return fail_at(ld, g, "files", "entries must be groups { file = \"x.csv\"; ... }");
    enum lcm_status rc = check_keys(ld, g, file_keys, "a files entry");
    const char *v;
    if (rc == LCM_OK && !config_setting_lookup_string(g, "file", &v))
        return fail_at(ld, g, "files entry", "needs file = \"name.csv\" (a glob)");
    if (rc == LCM_OK)
        mf->glob = subst(ld, config_setting_get_member(g, "file"), v);
    if (rc == LCM_OK && !mf->glob)
        rc = LCM_ERR_CONFIG;
    const config_setting_t *s;
    if (rc == LCM_OK && (s = config_setting_get_member(g, "separator")))
        rc = parse_sep(ld, s, &mf->sep);
    if (rc == LCM_OK && (s = config_setting_get_member(g, "missing")))
        rc = parse_strings(ld, s, &mf->missing, &mf->nmissing);
    else if (rc == LCM_OK)
        for (int i = 0; i < ndmissing; i++) {
            mf->missing = lcm_xrealloc(mf->missing, (size_t)(i + 1) * sizeof *mf->missing);
            mf->missing[mf->nmissing++] = lcm_xstrdup(dmissing[i]);
        }
    if (rc == LCM_OK && (s = config_setting_get_member(g, "filter"))) {
        char **cols = NULL, **pats = NULL;
        rc = parse_pairs(ld, s, &cols, &pats, &mf->nfilters, true);
        mf->filters = lcm_xcalloc((size_t)mf->nfilters + 1, sizeof *mf->filters);
        for (int i = 0; i < mf->nfilters; i++)
            mf->filters[i] = (struct map_filter){cols[i], pats[i], -1};
        if (rc != LCM_OK) /* the pair that failed is not in nfilters */
            for (int i = mf->nfilters; cols && cols[i]; i++) {
                free(cols[i]);
                free(pats[i]);
            }
        free(cols);
        free(pats);
    }
    bool any = false;
    for (int t = 0; rc == LCM_OK && t < MT_COUNT; t++)
        if ((s = config_setting_get_member(g, mapping_target_name((enum map_target)t)))) {
            any = true;
            rc = parse_target(ld, s, (enum map_target)t, &mf->t[t]);
        }
    if (rc == LCM_OK && !any)
        return fail_at(ld, g, "files entry", "maps nothing (add learner, enrollment, ...)");
    return rc;
}

static void file_free(struct map_file *mf)
{
    free(mf->glob);
    free_strs(mf->missing, mf->nmissing);
    for (int i = 0; i < mf->nfilters; i++) {
        free(mf->filters[i].column);
        free(mf->filters[i].pattern);
    }
    free(mf->filters);
    for (int t = 0; t < MT_COUNT; t++)
        for (int i = 0; i < MAP_MAX_FIELDS; i++)
            field_free(&mf->t[t].f[i]);
}

void mapping_free(struct mapping **mp)
{
    if (!mp || !*mp)
        return;
    struct mapping *m = *mp;
    for (int i = 0; i < m->nfiles; i++)
        file_free(&m->files[i]);
    free(m->files);
    free(m->path);
    free(m->name);
    free(m->source);
    free(m);
    *mp = NULL;
}

static enum lcm_status load_params(struct loader *ld, const config_t *cfg, const char *const *sets,
                                   int nsets)
{
    const config_setting_t *g = config_lookup(cfg, "params");
    if (g && !config_setting_is_group(g))
        return fail_at(ld, g, "params", "must be a group { name = \"value\"; ... }");
    for (int i = 0; g && i < config_setting_length(g); i++) {
        const config_setting_t *e = config_setting_get_elem(g, (unsigned)i);
        const char *v = config_setting_get_string(e);
        if (!v)
            return fail_at(ld, e, config_setting_name(e), "must be a string");
        params_set(&ld->p, config_setting_name(e), strlen(config_setting_name(e)), v);
    }
    int declared = ld->p.n;
    for (int i = 0; i < nsets; i++) {
        const char *eq = strchr(sets[i], '=');
        if (!eq || eq == sets[i])
            return lcm_err_set(ld->err, LCM_ERR_USAGE, _("--set %s: expected key=value"), sets[i]);
        /* A misspelt --set must not pass silently (and import everything unfiltered). */
        if (!params_get(&ld->p, sets[i], (size_t)(eq - sets[i]))) {
            char known[256] = "";
            size_t len = 0;
            for (int k = 0; k < declared && len < sizeof known; k++)
                len += (size_t)snprintf(known + len, sizeof known - len, "%s%s", k ? ", " : "",
                                        ld->p.key[k]);
            return lcm_err_set(ld->err, LCM_ERR_USAGE,
                               _("--set %.*s: %s has no such parameter (it has: %s)"),
                               (int)(eq - sets[i]), sets[i], ld->name, declared ? known : "none");
        }
        params_set(&ld->p, sets[i], (size_t)(eq - sets[i]), eq + 1);
    }
    return LCM_OK;
}

static const char *const top_keys[] = {"source", "params", "separator", "missing",
                                       "files",  "match",  NULL};

/* `match = ["key", "email"]`: how a learner row finds a learner another source made (default:
 * both, key first; a rule whose field the entry does not map is skipped; [] matches nothing). */
static enum lcm_status parse_match(struct loader *ld, const config_t *cfg, struct mapping *m)
{
    static const char *const names[] = {"key", "email"};
    static const enum map_match rules[] = {MAP_MATCH_KEY, MAP_MATCH_EMAIL};
    const config_setting_t *s = config_lookup(cfg, "match");
    m->nmatch = 0;
    if (!s) {
        m->match[m->nmatch++] = MAP_MATCH_KEY;
        m->match[m->nmatch++] = MAP_MATCH_EMAIL;
        return LCM_OK;
    }
    if (!config_setting_is_array(s) && !config_setting_is_list(s))
        return fail_at(ld, s, "match", "must be a list of \"key\", \"email\"");
    for (int i = 0; i < config_setting_length(s); i++) {
        const char *v = config_setting_get_string_elem(s, i);
        int k = 0;
        while (v && k < 2 && strcmp(v, names[k]) != 0)
            k++;
        if (!v || k == 2) {
            char msg[160];
            snprintf(msg, sizeof msg, "\"%.80s\" is not \"key\" or \"email\"", v ? v : "?");
            return fail_at(ld, s, "match:", msg);
        }
        bool dup = false;
        for (int j = 0; j < m->nmatch; j++)
            dup |= m->match[j] == rules[k];
        if (!dup)
            m->match[m->nmatch++] = rules[k];
    }
    return LCM_OK;
}

static enum lcm_status load_body(struct loader *ld, const config_t *cfg, struct mapping *m)
{
    const config_setting_t *root = config_root_setting(cfg);
    enum lcm_status rc = check_keys(ld, root, top_keys, "the mapping");
    if (rc != LCM_OK)
        return rc;
    const char *base = params_get(&ld->p, "base_date", 9);
    if (base && *base && !day_parse(base, &m->base_day))
        return lcm_err_set(ld->err, LCM_ERR_CONFIG,
                           _("%s: base_date \"%s\" is not a YYYY-MM-DD date"), ld->name, base);
    const config_setting_t *s = config_lookup(cfg, "source");
    const char *v = s ? config_setting_get_string(s) : NULL;
    if (!v || !*v)
        return fail_at(ld, s, "source", "must be set: a short name like \"oulad\"");
    if (!(m->source = subst(ld, s, v)))
        return LCM_ERR_CONFIG;
    if ((rc = parse_match(ld, cfg, m)) != LCM_OK)
        return rc;
    char sep = 0;
    char **missing = NULL;
    int nmissing = 0;
    if ((s = config_lookup(cfg, "separator")))
        rc = parse_sep(ld, s, &sep);
    if (rc == LCM_OK && (s = config_lookup(cfg, "missing")))
        rc = parse_strings(ld, s, &missing, &nmissing);
    const config_setting_t *files = config_lookup(cfg, "files");
    if (rc == LCM_OK && (!files || !config_setting_is_list(files)))
        rc = fail_at(ld, files ? files : root, "files", "must be a list ( { file = ...; }, ... )");
    int n = rc == LCM_OK ? config_setting_length(files) : 0;
    m->files = lcm_xcalloc((size_t)n + 1, sizeof *m->files);
    for (int i = 0; rc == LCM_OK && i < n; i++) {
        m->nfiles++;
        rc = parse_file(ld, config_setting_get_elem(files, (unsigned)i), sep, missing, nmissing,
                        &m->files[i]);
    }
    free_strs(missing, nmissing);
    return rc;
}

enum lcm_status mapping_load(const char *path, const char *const *sets, int nsets,
                             struct mapping **out, struct lcm_err *err)
{
    *out = NULL;
    if (!path || !*path)
        return lcm_err_set(err, LCM_ERR_USAGE, _("no mapping file given"));
    const char *slash = strrchr(path, '/');
    struct loader ld = {slash ? slash + 1 : path, {0}, err};
    config_t cfg;
    config_init(&cfg);
    enum lcm_status rc = LCM_OK;
    if (!config_read_file(&cfg, path)) {
        if (config_error_type(&cfg) == CONFIG_ERR_FILE_IO)
            rc = lcm_err_set(err, LCM_ERR_IO, _("%s: cannot read the mapping file"), path);
        else
            rc = lcm_err_set(err, LCM_ERR_CONFIG, "%s:%d: %s", ld.name, config_error_line(&cfg),
                             config_error_text(&cfg));
        config_destroy(&cfg);
        return rc;
    }
    struct mapping *m = lcm_xcalloc(1, sizeof *m);
    m->path = lcm_xstrdup(path);
    m->name = lcm_xstrdup(ld.name);
    m->base_day = DAY_NONE;
    rc = load_params(&ld, &cfg, sets, nsets);
    if (rc == LCM_OK)
        rc = load_body(&ld, &cfg, m);
    params_free(&ld.p);
    config_destroy(&cfg);
    if (rc != LCM_OK)
        mapping_free(&m);
    *out = m;
    return rc;
}

/* ---- binding and evaluation ---------------------------------------------------------- */

struct map_file *mapping_match(struct mapping *m, const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    for (int i = 0; i < m->nfiles; i++)
        if (fnmatch(m->files[i].glob, base, 0) == 0)
            return &m->files[i];
    return NULL;
}

static int find_col(const struct csv_record *h, const char *name)
{
    for (int i = 0; i < h->n; i++)
        if (strcmp(h->fields[i], name) == 0)
            return i;
    return -1;
}

static enum lcm_status bind_tpl(const struct mapping *m, struct map_tpl *t, int line,
                                const struct csv_record *h, struct lcm_err *err)
{
    for (int i = 0; i < t->n; i++) {
        if (!t->parts[i].col_ref)
            continue;
        t->parts[i].col = find_col(h, t->parts[i].text);
        if (t->parts[i].col < 0)
            return lcm_err_set(err, LCM_ERR_PARSE, _("%s:1: missing column \"%s\" (%s:%d)"),
                               h->file, t->parts[i].text, m->name, line);
    }
    return LCM_OK;
}

enum lcm_status mapping_bind(const struct mapping *m, struct map_file *mf,
                             const struct csv_record *header, struct lcm_err *err)
{
    for (int i = 0; i < mf->nfilters; i++) {
        mf->filters[i].col = find_col(header, mf->filters[i].column);
        if (mf->filters[i].col < 0)
            return lcm_err_set(err, LCM_ERR_PARSE, _("%s:1: missing column \"%s\" (%s:%d)"),
                               header->file, mf->filters[i].column, m->name, mf->line);
    }
    enum lcm_status rc = LCM_OK;
    for (int t = 0; t < MT_COUNT; t++)
        for (int i = 0; mf->t[t].present && i < MAP_MAX_FIELDS && rc == LCM_OK; i++) {
            struct map_field *f = &mf->t[t].f[i];
            if (!f->present)
                continue;
            rc = bind_tpl(m, &f->value, f->line, header, err);
            if (rc == LCM_OK && f->has_default)
                rc = bind_tpl(m, &f->def, f->line, header, err);
            if (rc == LCM_OK && f->has_at_least)
                rc = bind_tpl(m, &f->at_least, f->line, header, err);
        }
    return rc;
}

bool mapping_keep(const struct map_file *mf, const struct csv_record *rec)
{
    for (int i = 0; i < mf->nfilters; i++)
        if (fnmatch(mf->filters[i].pattern, rec->fields[mf->filters[i].col], 0) != 0)
            return false;
    return true;
}

/* Evaluates a bound template; a single column is returned without copying. */
const char *mapping_tpl_eval(const struct map_tpl *t, const struct csv_record *rec, struct buf *b)
{
    if (t->n == 1 && t->parts[0].col_ref)
        return rec->fields[t->parts[0].col];
    b->len = 0;
    buf_add(b, "", 0);
    for (int i = 0; i < t->n; i++)
        buf_adds(b, t->parts[i].col_ref ? rec->fields[t->parts[i].col] : t->parts[i].text);
    return b->p;
}

const char *mapping_field_label(const struct map_field *f, const char *key, char *buf, size_t n)
{
    if (f->value.n == 1 && f->value.parts[0].col_ref)
        snprintf(buf, n, "column %s", f->value.parts[0].text);
    else
        snprintf(buf, n, "field %s", key);
    return buf;
}

static bool is_missing(const struct map_file *mf, const char *v)
{
    if (!*v)
        return true;
    for (int i = 0; i < mf->nmissing; i++)
        if (strcmp(v, mf->missing[i]) == 0)
            return true;
    return false;
}

static enum lcm_status unknown_value(const struct map_field *f, const struct csv_record *rec,
                                     const char *v, struct lcm_err *err)
{
    char label[160], expected[256] = "";
    size_t len = 0;
    for (int i = 0; i < f->nmap && len < sizeof expected - 1; i++) {
        bool seen = false; /* several spellings may map to one value: list each once */
        for (int j = 0; j < i; j++)
            seen = seen || strcmp(f->from[j], f->from[i]) == 0;
        if (!seen)
            len += (size_t)snprintf(expected + len, sizeof expected - len, "%s%s", len ? ", " : "",
                                    f->from[i]);
    }
    return lcm_err_set(err, LCM_ERR_PARSE, _("%s:%ld: %s: unknown value \"%.80s\" (expected %s)"),
                       rec->file, rec->line, mapping_field_label(f, "value", label, sizeof label),
                       v, expected);
}

enum lcm_status mapping_eval(const struct map_file *mf, const struct map_field *f,
                             const struct csv_record *rec, struct buf *b, const char **out,
                             struct lcm_err *err)
{
    const char *v = mapping_tpl_eval(&f->value, rec, b);
    if (is_missing(mf, v))
        v = f->has_default ? mapping_tpl_eval(&f->def, rec, b) : "";
    if (f->nmap) {
        int hit = -1;
        for (int i = 0; i < f->nmap && hit < 0; i++)
            if (strcmp(v, f->from[i]) == 0)
                hit = i;
        if (hit >= 0)
            v = f->to[hit];
        else if (*v && f->other)
            v = f->other;
        else if (*v)
            return unknown_value(f, rec, v, err);
    }
    *out = v;
    return LCM_OK;
}
