/* store_copy.c — one base copied into another (store_copy.h): the catalog read from the
 * source, the tables ordered by their foreign keys, the rows streamed through db_copy_*() in
 * one transaction of the target, each table's count and checksum compared before the commit. */
#include "store/store_copy.h"

#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "store/store_internal.h"

/* One table: its columns in the source's order, then what the copy read and wrote. */
struct cp_table {
    char *name;
    char **cols;
    int ncols;
    int64_t src_rows; /* rows read from the source's snapshot */
    uint64_t src_sum; /* their checksum (sum_rows()) */
};

struct cp_plan {
    struct cp_table *t; /* in foreign-key order once plan_order() ran */
    int n;
};

/* Strings read from a one-column query. */
struct cp_names {
    char **v;
    int n;
};

static void names_free(struct cp_names *l)
{
    for (int i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

static void plan_free(struct cp_plan *p)
{
    for (int i = 0; i < p->n; i++) {
        for (int c = 0; c < p->t[i].ncols; c++)
            free(p->t[i].cols[c]);
        free(p->t[i].cols);
        free(p->t[i].name);
    }
    free(p->t);
    p->t = NULL;
    p->n = 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs sql (static text) with ?1 bound to arg (NULL: none) and appends column 0 of each row
 * to out (width columns: the pairs of the foreign keys read two). */
static enum lcm_status read_names(struct db *db, const char *sql, const char *arg, int width,
                                  struct cp_names *out, struct lcm_err *err)
{
    struct db_stmt *s = db_prepare(db, sql, err);
    if (!s)
        return err ? err->status : LCM_ERR_DB;
    if (arg)
        db_bind_text(s, 1, arg);
    enum db_step_rc rc;
    while ((rc = db_step(s)) == DB_ROW) {
        out->v = lcm_xrealloc(out->v, ((size_t)out->n + (size_t)width) * sizeof *out->v);
        for (int c = 0; c < width; c++) {
            const char *v = db_column_text(s, c);
            out->v[out->n++] = lcm_xstrdup(v ? v : "");
        }
    }
    db_reset(s);
    return rc == DB_DONE ? LCM_OK : db_fail(db, err, "catalog");
}

/* The base's tables (the store's own: not SQLite's sqlite_* ones, not PostgreSQL's schema
 * version row), sorted by name. */
static enum lcm_status list_tables(struct db *db, struct cp_names *out, struct lcm_err *err)
{
    enum lcm_status rc = read_names(
        db,
        db_kind(db) == DB_PG
            ? "SELECT table_name::text FROM information_schema.tables WHERE table_schema = "
              "current_schema() AND table_type = 'BASE TABLE' AND table_name <> "
              "'lcm_schema_version'"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'",
        NULL, 1, out, err);
    if (rc == LCM_OK && out->n > 1)
        qsort(out->v, (size_t)out->n, sizeof *out->v, by_name);
    return rc;
}

static enum lcm_status list_cols(struct db *db, const char *table, struct cp_names *out,
                                 struct lcm_err *err)
{
    return read_names(db,
                      db_kind(db) == DB_PG
                          ? "SELECT column_name::text FROM information_schema.columns WHERE "
                            "table_schema = current_schema() AND table_name::text = ?1 "
                            "ORDER BY ordinal_position"
                          : "SELECT name FROM pragma_table_info(?1) ORDER BY cid",
                      table, 1, out, err);
}

/* Pairs (table, the table it references) of every foreign key. */
static enum lcm_status list_fks(struct db *db, struct cp_names *out, struct lcm_err *err)
{
    return read_names(db,
                      db_kind(db) == DB_PG
                          ? "SELECT c.conrelid::regclass::text, c.confrelid::regclass::text "
                            "FROM pg_constraint c WHERE c.connamespace = "
                            "current_schema()::regnamespace AND c.contype = 'f'"
                          : "SELECT m.name, f.\"table\" FROM sqlite_master m, "
                            "pragma_foreign_key_list(m.name) f WHERE m.type = 'table'",
                      NULL, 2, out, err);
}

/* Reads the source's tables and columns, checks the target has the same (by name, the order
 * of the columns may differ). */
static enum lcm_status plan_read(struct db *src, struct db *dst, struct cp_plan *p,
                                 struct lcm_err *err)
{
    struct cp_names st = {0}, dt = {0}, sc = {0}, dc = {0};
    enum lcm_status rc = list_tables(src, &st, err);
    if (rc == LCM_OK)
        rc = list_tables(dst, &dt, err);
    for (int i = 0; rc == LCM_OK && i < st.n; i++)
        if (i >= dt.n || strcmp(st.v[i], dt.v[i]) != 0)
            rc = lcm_err_set(err, LCM_ERR_DB, _("%s: no table %s as in %s: not the same schema"),
                             db_target(dst), st.v[i], db_target(src));
    if (rc == LCM_OK && dt.n != st.n)
        rc = lcm_err_set(err, LCM_ERR_DB, _("%s: table %s is not in %s: not the same schema"),
                         db_target(dst), dt.v[st.n], db_target(src));
    p->t = lcm_xcalloc((size_t)st.n + 1, sizeof *p->t);
    for (int i = 0; rc == LCM_OK && i < st.n; i++) {
        rc = list_cols(src, st.v[i], &sc, err);
        if (rc == LCM_OK)
            rc = list_cols(dst, st.v[i], &dc, err);
        char **sorted = lcm_xcalloc((size_t)sc.n + 1, sizeof *sorted);
        if (sc.n > 0) {
            memcpy(sorted, sc.v, (size_t)sc.n * sizeof *sorted);
            qsort(sorted, (size_t)sc.n, sizeof *sorted, by_name);
        }
        if (dc.n > 1)
            qsort(dc.v, (size_t)dc.n, sizeof *dc.v, by_name);
        bool same = rc == LCM_OK && sc.n == dc.n && sc.n > 0;
        for (int c = 0; same && c < sc.n; c++)
            same = strcmp(sorted[c], dc.v[c]) == 0;
        free(sorted);
        if (rc == LCM_OK && !same)
            rc = lcm_err_set(err, LCM_ERR_DB,
                             _("%s: table %s has other columns than in %s: not the same schema"),
                             db_target(dst), st.v[i], db_target(src));
        p->t[p->n].name = lcm_xstrdup(st.v[i]);
        p->t[p->n].cols = sc.v; /* the table owns them now */
        p->t[p->n].ncols = sc.n;
        p->n++;
        sc.v = NULL;
        sc.n = 0;
        names_free(&dc);
    }
    names_free(&st);
    names_free(&dt);
    names_free(&sc);
    return rc;
}

static int plan_find(const struct cp_plan *p, const char *name)
{
    for (int i = 0; i < p->n; i++)
        if (strcmp(p->t[i].name, name) == 0)
            return i;
    return -1;
}

/* Orders p's tables so that each comes after the tables it references (Kahn's algorithm,
 * ties by name: the same order on both engines); a table referencing itself is fine. */
static enum lcm_status plan_order(struct db *dst, struct cp_plan *p, struct lcm_err *err)
{
    struct cp_names fk = {0};
    enum lcm_status rc = list_fks(dst, &fk, err);
    if (rc != LCM_OK)
        return rc;
    int n = p->n;
    bool *dep = lcm_xcalloc((size_t)n * (size_t)n + 1, sizeof *dep); /* dep[a*n+b]: a refs b */
    for (int i = 0; i + 1 < fk.n; i += 2) {
        int a = plan_find(p, fk.v[i]), b = plan_find(p, fk.v[i + 1]);
        if (a >= 0 && b >= 0 && a != b)
            dep[a * n + b] = true;
    }
    names_free(&fk);
    struct cp_table *out = lcm_xcalloc((size_t)n + 1, sizeof *out);
    bool *done = lcm_xcalloc((size_t)n + 1, sizeof *done);
    for (int k = 0; k < n; k++) {
        int next = -1;
        for (int a = 0; a < n && next < 0; a++) { /* names are sorted: the first ready one */
            if (done[a])
                continue;
            bool ready = true;
            for (int b = 0; b < n && ready; b++)
                ready = !(dep[a * n + b] && !done[b]);
            if (ready)
                next = a;
        }
        if (next < 0) {
            rc = lcm_err_set(err, LCM_ERR_DB, _("%s: the foreign keys form a cycle"),
                             db_target(dst));
            break;
        }
        done[next] = true;
        out[k] = p->t[next];
    }
    if (rc == LCM_OK) {
        free(p->t);
        p->t = out;
    } else {
        free(out);
    }
    free(done);
    free(dep);
    return rc;
}

/* A 64-bit FNV-1a over n bytes, continued from h. */
static uint64_t fnv(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* A row's hash, mixed (splitmix64's finaliser) so that the sum over a table's rows, which
 * does not depend on their order, still tells apart tables that differ in one value. */
static uint64_t row_mix(uint64_t h)
{
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    return h ^ (h >> 31);
}

/* Column i of s's row as text in buf (len bytes) or NULL for SQL NULL, read the same on both
 * engines: integers in decimal, reals with 17 digits (they read back bit for bit; infinities
 * as PostgreSQL spells them), text as it is. False for a binary value. */
static bool value_text(struct db_stmt *s, int i, char *buf, size_t len, const char **out)
{
    switch (db_column_type(s, i)) {
    case DB_NULL:
        *out = NULL;
        return true;
    case DB_INTEGER:
        snprintf(buf, len, "%" PRId64, db_column_int64(s, i));
        *out = buf;
        return true;
    case DB_FLOAT: {
        double d = db_column_double(s, i);
        if (isnan(d))
            snprintf(buf, len, "NaN");
        else if (isinf(d))
            snprintf(buf, len, "%sInfinity", d < 0 ? "-" : "");
        else
            snprintf(buf, len, "%.17g", d);
        *out = buf;
        return true;
    }
    case DB_TEXT:
        *out = db_column_text(s, i);
        if (!*out)
            *out = "";
        return true;
    case DB_BLOB:
        break;
    }
    return false;
}

/* "SELECT c1, c2... FROM t" (caller frees). */
static char *select_sql(const struct cp_table *t)
{
    size_t len = strlen(t->name) + 32;
    for (int c = 0; c < t->ncols; c++)
        len += strlen(t->cols[c]) + 2;
    char *sql = lcm_xmalloc(len), *o = sql;
    o += sprintf(o, "SELECT ");
    for (int c = 0; c < t->ncols; c++)
        o += sprintf(o, "%s%s", c ? ", " : "", t->cols[c]);
    sprintf(o, " FROM %s", t->name);
    return sql;
}

/* Reads every row of t from db: *rows and *sum (the sum of the rows' hashes, over the values
 * as value_text() writes them) and, when dst is not NULL, sends each row to it through
 * db_copy_row() (a copy already begun). */
static enum lcm_status scan_table(struct db *db, const struct cp_table *t, struct db *dst,
                                  int64_t *rows, uint64_t *sum, struct lcm_err *err)
{
    char *sql = select_sql(t);
    struct db_stmt *s = db_prepare_new(db, sql, err);
    free(sql);
    if (!s)
        return err ? err->status : LCM_ERR_DB;
    db_stream(s, true);
    bool sqlite_dst = dst && db_kind(dst) == DB_SQLITE;
    char(*bufs)[40] = lcm_xcalloc((size_t)t->ncols + 1, sizeof *bufs);
    const char **vals = lcm_xcalloc((size_t)t->ncols + 1, sizeof *vals);
    enum lcm_status rc = LCM_OK;
    enum db_step_rc step;
    *rows = 0;
    *sum = 0;
    while (rc == LCM_OK && (step = db_step(s)) == DB_ROW) {
        uint64_t h = 0xcbf29ce484222325ULL;
        for (int c = 0; c < t->ncols && rc == LCM_OK; c++) {
            if (!value_text(s, c, bufs[c], sizeof bufs[c], &vals[c]))
                rc = lcm_err_set(err, LCM_ERR_DB, _("%s: table %s, column %s: a binary value"),
                                 db_target(db), t->name, t->cols[c]);
            else if (vals[c])
                h = fnv(fnv(h, "V", 1), vals[c], strlen(vals[c]) + 1);
            else
                h = fnv(h, "N", 1);
        }
        if (rc == LCM_OK && dst) {
            for (int c = 0; sqlite_dst && c < t->ncols; c++) /* SQLite reads no "Infinity" */
                if (vals[c] && db_column_type(s, c) == DB_FLOAT && isinf(db_column_double(s, c)))
                    vals[c] = db_column_double(s, c) < 0 ? "-9e999" : "9e999";
            rc = db_copy_row(dst, vals, err);
        }
        *sum += row_mix(h);
        ++*rows;
    }
    if (rc == LCM_OK && step != DB_DONE)
        rc = db_fail(db, err, t->name);
    db_finalize(&s);
    free(vals);
    free(bufs);
    return rc;
}

/* Copies table t from src into dst (in dst's transaction), noting the source's count and sum. */
static enum lcm_status copy_table(struct db *src, struct db *dst, struct cp_table *t,
                                  struct lcm_err *err)
{
    enum lcm_status rc = db_copy_begin(dst, t->name, (const char *const *)t->cols, t->ncols, err);
    if (rc != LCM_OK)
        return rc;
    rc = scan_table(src, t, dst, &t->src_rows, &t->src_sum, err);
    struct lcm_err end = {0};
    int64_t n = 0;
    enum lcm_status erc = db_copy_end(dst, &n, &end); /* always, once begun */
    if (rc == LCM_OK && erc != LCM_OK) {
        rc = erc;
        if (err)
            *err = end;
    }
    if (rc != LCM_OK && err && !strstr(err->msg, t->name)) {
        char msg[sizeof err->msg];
        snprintf(msg, sizeof msg, "%s", err->msg);
        lcm_err_set(err, rc, _("table %s: %s"), t->name, msg);
    }
    return rc;
}

/* The rows of table t on db (count(*)); -1 on failure (recorded in err). */
static int64_t count_rows(struct db *db, const char *table, struct lcm_err *err)
{
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    struct db_stmt *s = db_prepare_new(db, sql, err);
    if (!s)
        return -1;
    int64_t n = db_step(s) == DB_ROW ? db_column_int64(s, 0) : -1;
    if (n < 0)
        db_fail(db, err, table);
    db_finalize(&s);
    return n;
}

/* True when dst holds exactly what src holds: every table's count and sum (read, both, in
 * the open transactions). When not, *diff is the first table that differs. Sets each table's
 * source count and sum. */
static enum lcm_status same_data(struct db *src, struct db *dst, struct cp_plan *p, bool *same,
                                 int *diff, struct lcm_err *err)
{
    *same = true;
    *diff = -1;
    for (int i = 0; i < p->n; i++) {
        struct cp_table *t = &p->t[i];
        int64_t rows = 0;
        uint64_t sum = 0;
        enum lcm_status rc = scan_table(src, t, NULL, &t->src_rows, &t->src_sum, err);
        if (rc == LCM_OK)
            rc = scan_table(dst, t, NULL, &rows, &sum, err);
        if (rc != LCM_OK)
            return rc;
        if (*same && (rows != t->src_rows || sum != t->src_sum)) {
            *same = false;
            *diff = i;
        }
    }
    return LCM_OK;
}

/* Empties dst's tables (replace), in its transaction. PostgreSQL: one TRUNCATE of them all
 * (which fires no row triggers). SQLite: a DELETE per table, children first; the append-only
 * check-ins let a row go only for a learner being erased, so every learner is marked so
 * first (erase_request), and that table is emptied last. */
static enum lcm_status clear_target(struct db *dst, const struct cp_plan *p, struct lcm_err *err)
{
    if (db_kind(dst) == DB_PG) {
        size_t len = 16;
        for (int i = 0; i < p->n; i++)
            len += strlen(p->t[i].name) + 2;
        char *sql = lcm_xmalloc(len), *o = sql;
        o += sprintf(o, "TRUNCATE ");
        for (int i = 0; i < p->n; i++)
            o += sprintf(o, "%s%s", i ? ", " : "", p->t[i].name);
        enum lcm_status rc = db_exec(dst, sql, err);
        free(sql);
        return rc;
    }
    bool erase = plan_find(p, "erase_request") >= 0 && plan_find(p, "learner") >= 0;
    enum lcm_status rc = LCM_OK;
    if (erase)
        rc = db_exec(dst, "INSERT OR IGNORE INTO erase_request (learner_id) SELECT id FROM learner",
                     err);
    for (int i = p->n - 1; rc == LCM_OK && i >= 0; i--) {
        if (erase && strcmp(p->t[i].name, "erase_request") == 0)
            continue;
        char sql[200];
        snprintf(sql, sizeof sql, "DELETE FROM %s", p->t[i].name);
        rc = db_exec(dst, sql, err);
    }
    if (rc == LCM_OK && erase)
        rc = db_exec(dst, "DELETE FROM erase_request", err);
    return rc;
}

/* PostgreSQL: each identity column's sequence set past the largest id copied, so the next
 * insert does not take an id already there. */
static enum lcm_status set_sequences(struct db *dst, struct lcm_err *err)
{
    if (db_kind(dst) != DB_PG)
        return LCM_OK;
    struct cp_names idc = {0};
    enum lcm_status rc =
        read_names(dst,
                   "SELECT table_name::text, column_name::text FROM information_schema.columns "
                   "WHERE table_schema = current_schema() AND is_identity = 'YES'",
                   NULL, 2, &idc, err);
    for (int i = 0; rc == LCM_OK && i + 1 < idc.n; i += 2) {
        char sql[400];
        snprintf(sql, sizeof sql,
                 "SELECT setval(pg_get_serial_sequence('%s', '%s'), COALESCE(max(%s), 0) + 1, "
                 "false) FROM %s",
                 idc.v[i], idc.v[i + 1], idc.v[i + 1], idc.v[i]);
        struct db_stmt *s = db_prepare_new(dst, sql, err);
        if (!s) {
            rc = err ? err->status : LCM_ERR_DB;
            break;
        }
        if (db_step(s) != DB_ROW)
            rc = db_fail(dst, err, idc.v[i]);
        db_finalize(&s);
    }
    names_free(&idc);
    return rc;
}

/* After the copy, before the commit: each table's count and sum on dst are the source's. */
static enum lcm_status verify(struct db *dst, const struct cp_plan *p, struct lcm_err *err)
{
    for (int i = 0; i < p->n; i++) {
        const struct cp_table *t = &p->t[i];
        int64_t n = count_rows(dst, t->name, err);
        if (n < 0)
            return err ? err->status : LCM_ERR_DB;
        if (n != t->src_rows)
            return lcm_err_set(
                err, LCM_ERR_DB,
                _("%s: table %s: %" PRId64 " rows copied of %" PRId64 ": rolled back"),
                db_target(dst), t->name, n, t->src_rows);
        int64_t rows = 0;
        uint64_t sum = 0;
        enum lcm_status rc = scan_table(dst, t, NULL, &rows, &sum, err);
        if (rc != LCM_OK)
            return rc;
        if (sum != t->src_sum)
            return lcm_err_set(err, LCM_ERR_DB,
                               _("%s: table %s: the rows copied differ from the source's: "
                                 "rolled back"),
                               db_target(dst), t->name);
    }
    return LCM_OK;
}

/* Whether target names src's own base: the same URI, or the same SQLite file. */
static bool same_base(struct lcm_store *src, const char *target)
{
    if (store_target_is_server(target) != store_is_pg(src))
        return false;
    if (store_is_pg(src)) {
        char shown[1024];
        return strcmp(db_redact(target, shown, sizeof shown), db_target(src->db)) == 0;
    }
    char a[PATH_MAX], b[PATH_MAX];
    return src->path && realpath(src->path, a) && realpath(target, b) && strcmp(a, b) == 0;
}

/* The copy in dst's open transaction, src's snapshot open: see store_copy.h. */
static enum lcm_status copy_all(struct db *src, struct db *dst, struct cp_plan *p, bool replace,
                                const struct lcm_report *rep, struct store_copy_result *res,
                                struct lcm_err *err)
{
    int64_t held = 0;
    for (int i = 0; i < p->n; i++) {
        int64_t n = count_rows(dst, p->t[i].name, err);
        if (n < 0)
            return err ? err->status : LCM_ERR_DB;
        held += n;
    }
    if (held > 0) {
        bool same = false;
        int diff = -1;
        enum lcm_status rc = same_data(src, dst, p, &same, &diff, err);
        if (rc != LCM_OK)
            return rc;
        if (same) {
            res->same = true;
            for (int i = 0; i < p->n; i++)
                res->rows += p->t[i].src_rows;
            return LCM_OK;
        }
        if (!replace)
            return lcm_err_set(err, LCM_ERR_EXISTS,
                               _("%s already holds other data (table %s differs): nothing "
                                 "copied; --replace replaces it"),
                               db_target(dst), p->t[diff].name);
        rc = clear_target(dst, p, err);
        if (rc != LCM_OK)
            return rc;
        res->replaced = true;
    }
    for (int i = 0; i < p->n; i++) {
        enum lcm_status rc = copy_table(src, dst, &p->t[i], err);
        if (rc != LCM_OK)
            return rc;
        res->rows += p->t[i].src_rows;
        lcm_report(rep, LCM_LEVEL_PROGRESS, _("table %s: %" PRId64 " rows copied"), p->t[i].name,
                   p->t[i].src_rows);
    }
    enum lcm_status rc = set_sequences(dst, err);
    return rc == LCM_OK ? verify(dst, p, err) : rc;
}

enum lcm_status store_copy_to(struct lcm_store *src, const char *target, bool replace,
                              const struct lcm_report *rep, struct store_copy_result *out,
                              struct lcm_err *err)
{
    struct store_copy_result res = {0};
    if (out)
        *out = res;
    if (!target || !*target)
        return lcm_err_set(err, LCM_ERR_USAGE, _("db copy: no target"));
    db_redact(target, res.target, sizeof res.target);
    if (same_base(src, target))
        return lcm_err_set(err, LCM_ERR_USAGE, _("%s: the target is the base itself"),
                           store_where(src));
    if (store_in_tx(src))
        return lcm_err_set(err, LCM_ERR_USAGE, _("%s: a transaction is open"), store_where(src));
    struct lcm_store *dst = NULL;
    enum lcm_status rc = store_open(target, &dst, err); /* migrates it to this version */
    if (rc != LCM_OK)
        return rc;
    int sv = store_schema_current(src), dv = store_schema_current(dst);
    if (sv != dv || sv != store_schema_latest()) {
        rc = lcm_err_set(err, LCM_ERR_VERSION,
                         _("%s is at schema version %d, %s at %d: open both with this "
                           "version first"),
                         store_where(src), sv, store_where(dst), dv);
        store_close(&dst);
        return rc;
    }
    struct cp_plan plan = {0};
    rc = plan_read(src->db, dst->db, &plan, err);
    if (rc == LCM_OK)
        rc = plan_order(dst->db, &plan, err);
    if (rc == LCM_OK)
        rc = db_begin(src->db, DB_TX_READ, err);
    if (rc == LCM_OK) {
        rc = db_begin(dst->db, DB_TX_WRITE, err);
        if (rc == LCM_OK) {
            rc = copy_all(src->db, dst->db, &plan, replace, rep, &res, err);
            if (rc == LCM_OK && !res.same)
                rc = db_commit(dst->db, err);
            else
                db_rollback(dst->db);
        }
        db_rollback(src->db);
    }
    res.tables = plan.n;
    plan_free(&plan);
    store_close(&dst);
    if (out && rc == LCM_OK)
        *out = res;
    return rc;
}
