/* store_post.c — scheduled posts' SQL. See store_post.h. */
#include "store/store_post.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"

static void copy_col(struct db_stmt *s, int i, char *buf)
{
    snprintf(buf, STORE_POST_NAME, "%s", store_col_text(s, i));
}

#define TARGET_COLS                                                                                \
    "SELECT COALESCE(c.id, 0), p.id, COALESCE(c.ext_id, ''), COALESCE(c.name, ''), p.ext_id, "     \
    "p.name "

/* Runs a TARGET_COLS statement: the one row into out, or NOTFOUND / CONFLICT (two rows). */
static enum lcm_status read_target(struct lcm_store *st, struct db_stmt *s, const char *what,
                                   const char *name, struct store_post_target *out,
                                   struct lcm_err *err)
{
    memset(out, 0, sizeof *out);
    int rc = db_step(s);
    enum lcm_status o = LCM_OK;
    if (rc == DB_ROW) {
        out->cohort_id = db_column_int64(s, 0);
        out->program_id = db_column_int64(s, 1);
        copy_col(s, 2, out->cohort_ext);
        copy_col(s, 3, out->cohort_name);
        copy_col(s, 4, out->program_ext);
        copy_col(s, 5, out->program_name);
        rc = db_step(s);
        if (rc == DB_ROW)
            o = lcm_err_set(err, LCM_ERR_CONFLICT, _("%s \"%s\" is ambiguous: give it as #ID"),
                            what, name);
        else if (rc != DB_DONE)
            o = store_fail(st, err, what);
    } else if (rc == DB_DONE)
        o = lcm_err_set(err, LCM_ERR_NOTFOUND, _("%s \"%s\" not found"), what, name);
    else
        o = store_fail(st, err, what);
    db_reset(s);
    return o;
}

enum lcm_status store_post_target_find(struct lcm_store *st, bool program, const char *name,
                                       struct store_post_target *out, struct lcm_err *err)
{
    const char *what = program ? _("programme") : _("cohort");
    if (!name || !*name)
        return lcm_err_set(err, LCM_ERR_INVALID, _("%s: empty name"), what);
    char *end = NULL;
    long long id = name[0] == '#' ? strtoll(name + 1, &end, 10) : 0;
    bool by_id = name[0] == '#' && end && !*end && id > 0;
    struct db_stmt *s;
    if (program)
        s = store_stmt(st,
                       "SELECT 0, p.id, '', '', p.ext_id, p.name FROM program p "
                       "WHERE (CAST(?1 AS BIGINT) IS NOT NULL AND p.id = ?1) "
                       "OR (CAST(?1 AS BIGINT) IS NULL AND (p.ext_id = ?2 OR p.name = ?2)) "
                       "ORDER BY p.id LIMIT 2",
                       err);
    else
        s = store_stmt(st,
                       TARGET_COLS
                       "FROM cohort c JOIN program p ON p.id = c.program_id "
                       "WHERE (CAST(?1 AS BIGINT) IS NOT NULL AND c.id = ?1) "
                       "OR (CAST(?1 AS BIGINT) IS NULL AND (c.ext_id = ?2 OR c.name = ?2)) "
                       "ORDER BY c.id LIMIT 2",
                       err);
    if (!s)
        return err ? err->status : LCM_ERR_DB;
    store_bind_id_opt(s, 1, by_id ? id : 0);
    store_bind_text(s, 2, name);
    return read_target(st, s, what, name, out, err);
}

enum lcm_status store_post_target_get(struct lcm_store *st, int64_t cohort_id, int64_t program_id,
                                      struct store_post_target *out, struct lcm_err *err)
{
    char name[32];
    snprintf(name, sizeof name, "#%lld", (long long)(cohort_id > 0 ? cohort_id : program_id));
    return store_post_target_find(st, cohort_id <= 0, name, out, err);
}

enum lcm_status store_post_add(struct lcm_store *st, const struct store_post_new *p, int64_t now_ts,
                               int64_t *id, struct lcm_err *err)
{
    const struct store_post_target *t = p->target;
    if (!t || (t->cohort_id <= 0 && t->program_id <= 0) || !p->text || !*p->text)
        return lcm_err_set(err, LCM_ERR_INVALID, _("post: no channel or no text"));
    STMT_OR_FAIL(s, st,
                 "INSERT INTO message(channel, cohort_id, program_id, rule, subject, body, "
                 "not_before, status, created_at, updated_at) "
                 "VALUES ('post', ?1, ?2, ?3, ?4, ?5, ?6, 'draft', ?7, ?7)",
                 err);
    store_bind_id_opt(s, 1, t->cohort_id);
    store_bind_id_opt(s, 2, t->cohort_id > 0 ? 0 : t->program_id);
    store_bind_text(s, 3, p->rule);
    store_bind_text(s, 4, p->title ? p->title : "");
    store_bind_text(s, 5, p->text);
    store_bind_id_opt(s, 6, p->not_before);
    db_bind_int64(s, 7, now_ts);
    return store_exec_insert(st, s, id, err, "post");
}

enum lcm_status store_post_file_get(struct lcm_store *st, const char *path, const char *hash,
                                    bool *found, int64_t *message_id, int64_t *latest_id,
                                    struct lcm_err *err)
{
    *found = false;
    *message_id = *latest_id = 0;
    STMT_OR_FAIL(
        s, st,
        "SELECT CASE WHEN hash = ?2 THEN 1 ELSE 0 END, COALESCE(message_id, 0) FROM post_file "
        "WHERE path = ?1 "
        "ORDER BY queued_at DESC, hash",
        err);
    store_bind_text(s, 1, path);
    store_bind_text(s, 2, hash);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        int64_t mid = db_column_int64(s, 1);
        if (db_column_int64(s, 0)) {
            *found = true;
            *message_id = mid;
        } else if (!*latest_id)
            *latest_id = mid;
    }
    enum lcm_status o = rc == DB_DONE ? LCM_OK : store_fail(st, err, "post file");
    db_reset(s);
    return o;
}

enum lcm_status store_post_file_add(struct lcm_store *st, const char *path, const char *hash,
                                    int64_t message_id, int64_t now_ts, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "INSERT INTO post_file(path, hash, message_id, queued_at) VALUES (?1, ?2, ?3, ?4)",
                 err);
    store_bind_text(s, 1, path);
    store_bind_text(s, 2, hash);
    store_bind_id_opt(s, 3, message_id);
    db_bind_int64(s, 4, now_ts);
    return store_exec1(st, s, err, "post file");
}
