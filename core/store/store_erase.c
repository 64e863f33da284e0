/* store_erase.c — the erase of one learner (the right to erasure), its register and the
 * tombstones a later sync recognises. The tables come from the schema (store_export_tables()),
 * so a table added later with a learner_id or enrollment_id column is emptied too. */
#include "store/store_erase.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/day.h"
#include "base/i18n.h"
#include "base/sha1.h"
#include "store/store_internal.h"

int64_t store_erase_count(const struct store_erase_counts *c, const char *table)
{
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->t[i].table, table) == 0)
            return c->t[i].rows;
    return 0;
}

/* Runs sql (built at run time) with ?1 bound to id; *count (may be NULL) gets column 0 of its
 * first row. */
static enum lcm_status run_dyn(struct lcm_store *st, const char *sql, int64_t id, int64_t *count,
                               const char *what, struct lcm_err *err)
{
    struct db_stmt *s = db_prepare_new(st->db, sql, err);
    if (!s)
        return err ? err->status : LCM_ERR_DB;
    db_bind_int64(s, 1, id);
    int r;
    while ((r = db_step(s)) == DB_ROW)
        if (count)
            *count = db_column_int64(s, 0);
    enum lcm_status rc = r == DB_DONE ? LCM_OK : store_fail(st, err, what);
    db_finalize(&s);
    return rc;
}

static enum lcm_status learner_name(struct lcm_store *st, int64_t lid, char *buf, size_t len,
                                    struct lcm_err *err)
{
    STMT_OR_FAIL(s, st, "SELECT first_name, last_name FROM learner WHERE id = ?1", err);
    db_bind_int64(s, 1, lid);
    int r = db_step(s);
    enum lcm_status rc = LCM_OK;
    if (r == DB_ROW) {
        const char *f = store_col_text(s, 0), *l = store_col_text(s, 1);
        snprintf(buf, len, "%s%s%s", f, *f && *l ? " " : "", l);
    } else if (r == DB_DONE) {
        rc = lcm_err_set(err, LCM_ERR_NOTFOUND, _("learner #%lld not found"), (long long)lid);
    } else {
        rc = store_fail(st, err, "learner");
    }
    db_reset(s);
    return rc;
}

/* Counts into c with the tables already found. */
static enum lcm_status count_rows(struct lcm_store *st, int64_t lid,
                                  const struct store_export_table *tabs, int n,
                                  struct store_erase_counts *c, struct lcm_err *err)
{
    enum lcm_status rc = learner_name(st, lid, c->name, sizeof c->name, err);
    for (int i = 0; rc == LCM_OK && i < n; i++) {
        const char *where = store_export_where(&tabs[i]);
        if (!where)
            continue;
        char sql[512];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\" WHERE %s", tabs[i].name, where);
        int64_t rows = 0;
        rc = run_dyn(st, sql, lid, &rows, tabs[i].name, err);
        snprintf(c->t[c->n].table, sizeof c->t[c->n].table, "%s", tabs[i].name);
        c->t[c->n++].rows = rows;
    }
    return rc;
}

enum lcm_status store_erase_counts(struct lcm_store *st, int64_t learner_id,
                                   struct store_erase_counts *c, struct lcm_err *err)
{
    memset(c, 0, sizeof *c);
    struct store_export_table *tabs = lcm_xcalloc(STORE_EXPORT_MAX_TABLES, sizeof *tabs);
    int n = 0;
    enum lcm_status rc = store_export_tables(st, tabs, STORE_EXPORT_MAX_TABLES, &n, err);
    if (rc == LCM_OK)
        rc = count_rows(st, learner_id, tabs, n, c, err);
    free(tabs);
    return rc;
}

struct erase_ctx {
    int64_t lid;
    const char *author;
    int64_t now;
    int day;
    struct store_erase_counts *c;
};

/* The learner's identities ("SOURCE|EXT_ID": the record and its "id" keys) into keys and their
 * SHA-1s into hashes (cap of each); returns how many. */
static int identities(struct lcm_store *st, int64_t lid, char (*keys)[300], char (*hashes)[41],
                      int cap, enum lcm_status *rc, struct lcm_err *err)
{
    struct db_stmt *s = store_stmt(st,
                                   "SELECT source || '|' || ext_id FROM learner WHERE id = ?1 "
                                   "UNION SELECT value FROM learner_key WHERE learner_id = ?1 "
                                   "AND kind = 'id'",
                                   err);
    if (!s) {
        *rc = err ? err->status : LCM_ERR_DB;
        return 0;
    }
    db_bind_int64(s, 1, lid);
    int n = 0, r;
    while ((r = db_step(s)) == DB_ROW)
        if (n < cap) {
            const char *v = store_col_text(s, 0);
            snprintf(keys[n], sizeof keys[n], "%s", v);
            sha1_hex(v, strlen(v), hashes[n++]);
        }
    if (r != DB_DONE)
        *rc = store_fail(st, err, "identities");
    db_reset(s);
    return n;
}

/* Deletes t's remaining rows about the learner (after the cascade from learner): by learner_id,
 * or by the enrolments the learner had (ids, a list of numbers). */
static enum lcm_status sweep(struct lcm_store *st, const struct store_export_table *t, int64_t lid,
                             const char *ids, struct lcm_err *err)
{
    if (strcmp(t->name, "learner") == 0 || strcmp(t->name, "caldav_state") == 0)
        return LCM_OK; /* caldav_state: kept, the next push deletes the remote copies */
    size_t len = strlen(ids) + 256;
    char *sql = lcm_xcalloc(1, len);
    enum lcm_status rc = LCM_OK;
    if (strcmp(t->name, "learner_merge") == 0)
        snprintf(sql, len, "DELETE FROM \"%s\" WHERE kept_id = ?1 OR merged_id = ?1", t->name);
    else if (t->by_learner && t->by_enrollment)
        snprintf(sql, len, "DELETE FROM \"%s\" WHERE learner_id = ?1 OR enrollment_id IN (%s)",
                 t->name, ids);
    else if (t->by_learner)
        snprintf(sql, len, "DELETE FROM \"%s\" WHERE learner_id = ?1", t->name);
    else if (t->by_enrollment)
        snprintf(sql, len, "DELETE FROM \"%s\" WHERE enrollment_id IN (%s) AND ?1 = ?1", t->name,
                 ids);
    else
        sql[0] = '\0';
    if (sql[0])
        rc = run_dyn(st, sql, lid, NULL, t->name, err);
    free(sql);
    return rc;
}

/* "1, 2, 3": the learner's enrolments ("0" when none), malloc'ed. */
static char *enrolment_ids(struct lcm_store *st, int64_t lid, enum lcm_status *rc,
                           struct lcm_err *err)
{
    size_t cap = 64, o = 0;
    char *ids = lcm_xcalloc(1, cap);
    o += (size_t)snprintf(ids, cap, "0");
    struct db_stmt *s = store_stmt(st, "SELECT id FROM enrollment WHERE learner_id = ?1", err);
    if (!s) {
        *rc = err ? err->status : LCM_ERR_DB;
        return ids;
    }
    db_bind_int64(s, 1, lid);
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        if (o + 32 > cap) {
            cap *= 2;
            ids = lcm_xrealloc(ids, cap);
        }
        o += (size_t)snprintf(ids + o, cap - o, ", %lld", (long long)db_column_int64(s, 0));
    }
    if (r != DB_DONE)
        *rc = store_fail(st, err, "enrolments");
    db_reset(s);
    return ids;
}

/* The register row; its id into c->register_id. */
static enum lcm_status register_add(struct lcm_store *st, const struct erase_ctx *x,
                                    struct lcm_err *err)
{
    json_t *o = json_object();
    for (int i = 0; i < x->c->n; i++)
        if (x->c->t[i].rows)
            json_object_set_new(o, x->c->t[i].table, json_integer((json_int_t)x->c->t[i].rows));
    char *counts = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    struct db_stmt *s =
        store_stmt(st,
                   "INSERT INTO erase_register (at, day, author, erased_id, counts) "
                   "VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
                   err);
    enum lcm_status rc = s ? LCM_OK : (err ? err->status : LCM_ERR_DB);
    if (s) {
        db_bind_int64(s, 1, x->now);
        store_bind_day(s, 2, x->day);
        store_bind_text(s, 3, x->author && *x->author ? x->author : NULL);
        db_bind_int64(s, 4, x->lid);
        store_bind_text(s, 5, counts ? counts : "{}");
        if (db_step(s) == DB_ROW)
            x->c->register_id = db_column_int64(s, 0);
        else
            rc = store_fail(st, err, "erase register");
        db_reset(s);
    }
    free(counts);
    return rc;
}

static enum lcm_status tombstone_add(struct lcm_store *st, const char *hash, int64_t reg,
                                     struct lcm_err *err)
{
    STMT_OR_FAIL(
        s, st,
        "INSERT INTO erase_tombstone (hash, erase_id) VALUES (?1, ?2) "
        "ON CONFLICT (hash) DO UPDATE SET erase_id = excluded.erase_id, reported_at = NULL",
        err);
    store_bind_text(s, 1, hash);
    db_bind_int64(s, 2, reg);
    return store_exec1(st, s, err, "erase tombstone");
}

/* Deletes the sources' markers about the learner, which name them or their activity: Moodle's
 * last course access per user ("lca:UID@COURSE", by their identities keys) and the xAPI
 * running totals per enrolment and day ("day:EID:DAY", ids a list of numbers). */
static enum lcm_status forget_markers(struct lcm_store *st, char (*keys)[300], int nk,
                                      const char *ids, struct lcm_err *err)
{
    enum lcm_status rc = LCM_OK;
    for (int i = 0; rc == LCM_OK && i < nk; i++) {
        char *bar = strchr(keys[i], '|');
        if (!bar)
            continue;
        char pre[320];
        snprintf(pre, sizeof pre, "lca:%s@", bar + 1);
        /* a prefix by substr, not a range: PostgreSQL's collation does not order by bytes */
        STMT_OR_FAIL(s, st,
                     "DELETE FROM sync_value WHERE source = ?1 "
                     "AND substr(item_id, 1, length(?2)) = ?2",
                     err);
        store_bind_textn(s, 1, keys[i], (int)(bar - keys[i]));
        store_bind_text(s, 2, pre);
        rc = store_exec1(st, s, err, "erase: sync markers");
    }
    for (const char *p = ids; rc == LCM_OK && *p;) {
        char *end;
        long long eid = strtoll(p, &end, 10);
        if (end == p)
            break;
        p = *end == ',' ? end + 1 : end;
        while (*p == ' ')
            p++;
        if (eid <= 0)
            continue;
        char pre[48];
        snprintf(pre, sizeof pre, "day:%lld:", eid);
        STMT_OR_FAIL(s, st, "DELETE FROM sync_value WHERE substr(item_id, 1, length(?1)) = ?1",
                     err);
        store_bind_text(s, 1, pre);
        rc = store_exec1(st, s, err, "erase: sync markers");
    }
    return rc;
}

static enum lcm_status erase_tx(struct lcm_store *st, void *ctx, struct lcm_err *err)
{
    struct erase_ctx *x = ctx;
    memset(x->c, 0, sizeof *x->c);
    struct store_export_table *tabs = lcm_xcalloc(STORE_EXPORT_MAX_TABLES, sizeof *tabs);
    char hashes[16][41], keys[16][300];
    int n = 0, nh = 0;
    char *ids = NULL;
    enum lcm_status rc = store_export_tables(st, tabs, STORE_EXPORT_MAX_TABLES, &n, err);
    if (rc == LCM_OK)
        rc = count_rows(st, x->lid, tabs, n, x->c, err);
    if (rc == LCM_OK)
        nh = identities(st, x->lid, keys, hashes, 16, &rc, err);
    if (rc == LCM_OK)
        ids = enrolment_ids(st, x->lid, &rc, err);
    if (rc == LCM_OK)
        rc = store_exec_id(st, "INSERT INTO erase_request VALUES (?1) ON CONFLICT DO NOTHING",
                           x->lid, "erase", err);
    if (rc == LCM_OK)
        rc = store_exec_id(st, "DELETE FROM learner WHERE id = ?1", x->lid, "erase", err);
    for (int i = 0; rc == LCM_OK && i < n; i++)
        rc = sweep(st, &tabs[i], x->lid, ids, err);
    if (rc == LCM_OK)
        rc = forget_markers(st, keys, nh, ids, err);
    if (rc == LCM_OK)
        rc = store_exec_id(st, "DELETE FROM erase_request WHERE learner_id = ?1", x->lid, "erase",
                           err);
    if (rc == LCM_OK)
        rc = register_add(st, x, err);
    for (int i = 0; rc == LCM_OK && i < nh; i++)
        rc = tombstone_add(st, hashes[i], x->c->register_id, err);
    free(ids);
    free(tabs);
    return rc;
}

enum lcm_status store_erase_learner(struct lcm_store *st, int64_t learner_id, const char *author,
                                    int64_t now, int day, struct store_erase_counts *c,
                                    struct lcm_err *err)
{
    struct store_erase_counts own;
    struct erase_ctx x = {learner_id, author, now, day, c ? c : &own};
    return store_tx(st, erase_tx, &x, NULL, err);
}

enum lcm_status store_erase_tombstoned(struct lcm_store *st, const char *source, const char *ext_id,
                                       int64_t now, int *day, bool *first, struct lcm_err *err)
{
    *day = DAY_NONE;
    *first = false;
    char key[1024], hash[41];
    snprintf(key, sizeof key, "%s|%s", source, ext_id);
    sha1_hex(key, strlen(key), hash);
    STMT_OR_FAIL(s, st,
                 "SELECT r.day, t.reported_at FROM erase_tombstone t "
                 "JOIN erase_register r ON r.id = t.erase_id WHERE t.hash = ?1",
                 err);
    store_bind_text(s, 1, hash);
    int r = db_step(s);
    bool reported = true;
    if (r == DB_ROW) {
        *day = store_col_day(s, 0);
        reported = db_column_type(s, 1) != DB_NULL;
    }
    db_reset(s);
    if (r != DB_ROW && r != DB_DONE)
        return store_fail(st, err, "erase tombstone");
    if (r == DB_DONE || reported)
        return LCM_OK;
    *first = true;
    STMT_OR_FAIL(u, st, "UPDATE erase_tombstone SET reported_at = ?2 WHERE hash = ?1", err);
    store_bind_text(u, 1, hash);
    db_bind_int64(u, 2, now);
    return store_exec1(st, u, err, "erase tombstone");
}

enum lcm_status store_erase_note_returned(struct lcm_store *st, const char *source,
                                          const char *ext_id, struct lcm_err *err)
{
    int day = DAY_NONE;
    bool first = false;
    /* reported_at only marks the note as given: the wall clock is enough */
    enum lcm_status rc =
        store_erase_tombstoned(st, source, ext_id, (int64_t)time(NULL), &day, &first, err);
    if (rc != LCM_OK || !first)
        return rc;
    char d[DAY_TEXT_LEN];
    size_t old = st->returned ? strlen(st->returned) : 0, add = strlen(source) + DAY_TEXT_LEN + 3;
    st->returned = lcm_xrealloc(st->returned, old + add);
    snprintf(st->returned + old, add, "%s\t%s\n", day_format(day, d), source);
    return LCM_OK;
}

void store_erase_report_returned(struct lcm_store *st, const struct lcm_report *rep, bool quiet)
{
    for (char *line = st->returned; !quiet && line && *line;) {
        char *tab = strchr(line, '\t'), *nl = tab ? strchr(tab, '\n') : NULL;
        if (!nl)
            break;
        *tab = *nl = '\0';
        lcm_report(rep, LCM_LEVEL_WARN,
                   _("%s still lists a learner erased on %s: made anew (erase them in the LMS "
                     "too, or erase them again)"),
                   tab + 1, line);
        line = nl + 1;
    }
    free(st->returned);
    st->returned = NULL;
}
