/* store_learner.c — learner references and what the store knows of one learner. */
#include "store/store_learner.h"

#include <ctype.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "base/fold.h"
#include "base/status.h"
#include "store/store_internal.h"

static void copy(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

enum lcm_status store_learner_get(struct lcm_store *st, int64_t id, struct store_learner_row *out,
                                  struct lcm_err *err)
{
    /* the cohorts, the active ones first: SQLite's group_concat keeps the subquery's order;
     * PostgreSQL's string_agg takes its own ORDER BY */
    struct db_stmt *s = store_stmt_each(
        st,
        "SELECT l.id, trim(l.first_name || ' ' || l.last_name), l.email, l.source, "
        "l.ext_id, (SELECT group_concat(name, ', ') FROM (SELECT c.name FROM enrollment e "
        "  JOIN cohort c ON c.id = e.cohort_id WHERE e.learner_id = l.id "
        "  ORDER BY e.status != 'active', e.id)), "
        "(SELECT count(*) FROM enrollment e WHERE e.learner_id = l.id), "
        "(SELECT max(last_activity_day) FROM enrollment e WHERE e.learner_id = l.id) "
        "FROM learner l WHERE l.id = ?1",
        "SELECT l.id, trim(l.first_name || ' ' || l.last_name), l.email, l.source, "
        "l.ext_id, (SELECT string_agg(c.name, ', ' ORDER BY e.status <> 'active', e.id) "
        "  FROM enrollment e JOIN cohort c ON c.id = e.cohort_id WHERE e.learner_id = l.id), "
        "(SELECT count(*) FROM enrollment e WHERE e.learner_id = l.id), "
        "(SELECT max(last_activity_day) FROM enrollment e WHERE e.learner_id = l.id) "
        "FROM learner l WHERE l.id = ?1",
        err);
    if (!s)
        return err ? err->status : LCM_ERR_DB;
    db_bind_int64(s, 1, id);
    int r = db_step(s);
    if (r == DB_ROW) {
        memset(out, 0, sizeof *out);
        out->id = db_column_int64(s, 0);
        copy(out->name, sizeof out->name, store_col_text(s, 1));
        copy(out->email, sizeof out->email, store_col_text(s, 2));
        copy(out->source, sizeof out->source, store_col_text(s, 3));
        copy(out->ext_id, sizeof out->ext_id, store_col_text(s, 4));
        copy(out->cohorts, sizeof out->cohorts, store_col_text(s, 5));
        out->enrollments = (int)db_column_int64(s, 6);
        out->last_activity = store_col_day(s, 7);
    }
    db_reset(s);
    if (r == DB_DONE)
        return lcm_err_set(err, LCM_ERR_NOTFOUND, _("no learner #%lld"), (long long)id);
    return r == DB_ROW ? LCM_OK : store_fail(st, err, "learner");
}

/* The ids a reference names, growing *ids. */
struct idlist {
    int64_t *v;
    int n, cap;
};

static void idlist_add(struct idlist *l, int64_t id)
{
    for (int i = 0; i < l->n; i++)
        if (l->v[i] == id)
            return;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->v = lcm_xrealloc(l->v, (size_t)l->cap * sizeof *l->v);
    }
    l->v[l->n++] = id;
}

static enum lcm_status collect_ids(struct lcm_store *st, struct db_stmt *s, struct idlist *l,
                                   struct lcm_err *err)
{
    int r;
    while ((r = db_step(s)) == DB_ROW)
        idlist_add(l, db_column_int64(s, 0));
    db_reset(s);
    return r == DB_DONE ? LCM_OK : store_fail(st, err, "learner reference");
}

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

/* Every word of the folded query is in the folded name. */
static bool words_in(const char *query, const char *name)
{
    char word[256];
    const char *p = query;
    while (*p) {
        size_t w = strcspn(p, " ");
        if (w >= sizeof word)
            return false;
        memcpy(word, p, w);
        word[w] = '\0';
        if (w && !strstr(name, word))
            return false;
        p += w;
        while (*p == ' ')
            p++;
    }
    return true;
}

struct named {
    int64_t id;
    char *key; /* folded "last first": the order a list of people is read in */
};

static int by_key(const void *a, const void *b)
{
    const struct named *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->id > y->id) - (x->id < y->id);
}

struct namelist {
    struct named *v;
    int n, cap;
};

static void namelist_add(struct namelist *l, int64_t id, const char *key)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->v = lcm_xrealloc(l->v, (size_t)l->cap * sizeof *l->v);
    }
    l->v[l->n].id = id;
    l->v[l->n++].key = lcm_xstrdup(key);
}

static void namelist_free(struct namelist *l)
{
    for (int i = 0; i < l->n; i++)
        free(l->v[i].key);
    free(l->v);
}

/* Learners whose folded name holds every folded word of ref; the exact full names only when
 * there are some. Sorted by last name, first name, id. */
static enum lcm_status by_name(struct lcm_store *st, const char *ref, struct idlist *out,
                               struct lcm_err *err)
{
    char q[512], full[512], rev[512], raw[600];
    if (fold_key(ref, q, sizeof q) == 0)
        return LCM_OK;
    STMT_OR_FAIL(s, st, "SELECT id, first_name, last_name FROM learner", err);
    struct namelist exact = {0}, part = {0};
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        const char *first = store_col_text(s, 1), *last = store_col_text(s, 2);
        snprintf(raw, sizeof raw, "%s %s", first, last);
        fold_key(raw, full, sizeof full);
        snprintf(raw, sizeof raw, "%s %s", last, first);
        fold_key(raw, rev, sizeof rev);
        int64_t id = db_column_int64(s, 0);
        if (strcmp(q, full) == 0 || strcmp(q, rev) == 0)
            namelist_add(&exact, id, rev);
        else if (words_in(q, full))
            namelist_add(&part, id, rev);
    }
    db_reset(s);
    struct namelist *keep = exact.n ? &exact : &part;
    if (keep->n > 1)
        qsort(keep->v, (size_t)keep->n, sizeof *keep->v, by_key);
    for (int i = 0; i < keep->n; i++)
        idlist_add(out, keep->v[i].id);
    namelist_free(&exact);
    namelist_free(&part);
    return r == DB_DONE ? LCM_OK : store_fail(st, err, "learner reference");
}

static enum lcm_status resolve(struct lcm_store *st, const char *ref, struct idlist *ids,
                               struct lcm_err *err)
{
    if (ref[0] == '#' || all_digits(ref)) {
        const char *num = ref[0] == '#' ? ref + 1 : ref;
        if (!all_digits(num) || strlen(num) > 18)
            return LCM_OK;
        STMT_OR_FAIL(s, st, "SELECT id FROM learner WHERE id = ?1", err);
        db_bind_int64(s, 1, strtoll(num, NULL, 10));
        return collect_ids(st, s, ids, err);
    }
    if (strncasecmp(ref, "mailto:", 7) == 0)
        ref += 7;
    const char *colon = strchr(ref, ':');
    if (colon && colon > ref && colon[1]) {
        char key[1024];
        snprintf(key, sizeof key, "%.*s|%s", (int)(colon - ref), ref, colon + 1);
        STMT_OR_FAIL(s, st,
                     "SELECT learner_id FROM learner_key WHERE kind = 'id' AND value = ?1 "
                     "UNION SELECT id FROM learner WHERE source = ?2 AND ext_id = ?3",
                     err);
        store_bind_text(s, 1, key);
        store_bind_textn(s, 2, ref, (int)(colon - ref));
        store_bind_text(s, 3, colon + 1);
        return collect_ids(st, s, ids, err);
    }
    if (strchr(ref, '@')) {
        STMT_OR_FAIL(
            s, st,
            "SELECT learner_id FROM learner_key WHERE kind = 'email' AND value = lower(?1) "
            "UNION SELECT id FROM learner WHERE lower(email) = lower(?1)",
            err);
        store_bind_text(s, 1, ref);
        return collect_ids(st, s, ids, err);
    }
    return by_name(st, ref, ids, err);
}

enum lcm_status store_learner_find(struct lcm_store *st, const char *ref,
                                   struct store_learner_row *out, int max, int *n,
                                   struct lcm_err *err)
{
    *n = 0;
    char buf[1024];
    copy(buf, sizeof buf, ref);
    char *p = buf;
    while (*p == ' ')
        p++;
    size_t len = strlen(p);
    while (len && p[len - 1] == ' ')
        p[--len] = '\0';
    if (!*p)
        return LCM_OK;
    struct idlist ids = {0};
    enum lcm_status rc = resolve(st, p, &ids, err);
    int kept = 0;
    for (int i = 0; rc == LCM_OK && i < ids.n && kept < max; i++)
        if ((rc = store_learner_get(st, ids.v[i], &out[kept], err)) == LCM_OK)
            kept++;
    if (rc == LCM_OK)
        *n = ids.n;
    free(ids.v);
    return rc;
}

enum lcm_status store_learner_unmatched(struct lcm_store *st, const char *source,
                                        store_learner_fn fn, void *ctx, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "SELECT k.learner_id, k.value FROM learner_key k "
                 "JOIN learner l ON l.id = k.learner_id "
                 "WHERE k.kind = 'unmatched' AND (CAST(?1 AS TEXT) IS NULL OR k.value = ?1) "
                 "ORDER BY k.value, l.last_name, l.first_name, l.id",
                 err);
    store_bind_text(s, 1, source);
    /* collected first: fn may run other statements */
    struct idlist ids = {0};
    char(*srcs)[64] = NULL;
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        int before = ids.n;
        idlist_add(&ids, db_column_int64(s, 0));
        if (ids.n > before) {
            srcs = lcm_xrealloc(srcs, (size_t)ids.cap * sizeof *srcs);
            copy(srcs[ids.n - 1], sizeof *srcs, store_col_text(s, 1));
        }
    }
    db_reset(s);
    enum lcm_status rc = r == DB_DONE ? LCM_OK : store_fail(st, err, "unmatched learners");
    for (int i = 0; rc == LCM_OK && i < ids.n; i++) {
        struct store_learner_row row;
        rc = store_learner_get(st, ids.v[i], &row, err);
        if (rc == LCM_OK) {
            copy(row.source, sizeof row.source, srcs[i]);
            rc = fn(ctx, &row);
        }
    }
    free(ids.v);
    free(srcs);
    return rc;
}

enum lcm_status store_learner_keys(struct lcm_store *st, int64_t id, store_learner_key_fn fn,
                                   void *ctx, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "SELECT kind, value, source FROM learner_key WHERE learner_id = ?1 "
                 "ORDER BY kind, value",
                 err);
    db_bind_int64(s, 1, id);
    int r = DB_DONE;
    enum lcm_status rc = LCM_OK;
    while (rc == LCM_OK && (r = db_step(s)) == DB_ROW)
        rc = fn(ctx, store_col_text(s, 0), store_col_text(s, 1), store_col_text(s, 2));
    db_reset(s);
    if (rc == LCM_OK && r != DB_DONE)
        return store_fail(st, err, "learner keys");
    return rc;
}

enum lcm_status store_learner_enrollments(struct lcm_store *st, int64_t id,
                                          store_learner_enrol_fn fn, void *ctx, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "SELECT e.id, c.name, e.source, e.status, e.progress, e.start_day, "
                 "e.last_activity_day, "
                 "(SELECT count(*) FROM activity_day a WHERE a.enrollment_id = e.id "
                 "AND a.learner_id = e.learner_id), "
                 "(SELECT count(*) FROM checkin k WHERE k.enrollment_id = e.id "
                 "AND k.learner_id = e.learner_id) "
                 "FROM enrollment e JOIN cohort c ON c.id = e.cohort_id "
                 "WHERE e.learner_id = ?1 ORDER BY e.status != 'active', e.id",
                 err);
    db_bind_int64(s, 1, id);
    int r = DB_DONE;
    enum lcm_status rc = LCM_OK;
    while (rc == LCM_OK && (r = db_step(s)) == DB_ROW) {
        struct store_learner_enrol e = {.id = db_column_int64(s, 0)};
        copy(e.cohort, sizeof e.cohort, store_col_text(s, 1));
        copy(e.source, sizeof e.source, store_col_text(s, 2));
        copy(e.status, sizeof e.status, store_col_text(s, 3));
        e.progress = db_column_type(s, 4) == DB_NULL ? -1 : db_column_double(s, 4);
        e.start_day = store_col_day(s, 5);
        e.last_activity = store_col_day(s, 6);
        e.days_active = (int)db_column_int64(s, 7);
        e.checkins = (int)db_column_int64(s, 8);
        rc = fn(ctx, &e);
    }
    db_reset(s);
    if (rc == LCM_OK && r != DB_DONE)
        return store_fail(st, err, "learner enrolments");
    return rc;
}
