/* store_identity.c — learner_key: the names sources give a learner, and their lookup. */
#include "store/store_identity.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/sha1.h"
#include "store/store_internal.h"

enum lcm_status store_identity_add(struct lcm_store *st, int64_t learner_id, const char *kind,
                                   const char *value, const char *source, struct lcm_err *err)
{
    if (!kind || !*kind || !value || !*value)
        return LCM_OK;
    STMT_OR_FAIL(s, st,
                 "INSERT INTO learner_key(kind, value, learner_id, source) "
                 "VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
                 err);
    store_bind_text(s, 1, kind);
    store_bind_text(s, 2, value);
    db_bind_int64(s, 3, learner_id);
    store_bind_text(s, 4, source ? source : "");
    return store_exec1(st, s, err, "learner key");
}

enum lcm_status store_identity_find(struct lcm_store *st, const char *kind, const char *value,
                                    int64_t *id, bool *several, struct lcm_err *err)
{
    *id = 0;
    if (several)
        *several = false;
    if (!kind || !value || !*value)
        return LCM_OK;
    STMT_OR_FAIL(s, st, "SELECT learner_id FROM learner_key WHERE kind = ?1 AND value = ?2 LIMIT 2",
                 err);
    store_bind_text(s, 1, kind);
    store_bind_text(s, 2, value);
    int r, n = 0;
    int64_t first = 0;
    while ((r = db_step(s)) == DB_ROW)
        if (n++ == 0)
            first = db_column_int64(s, 0);
    db_reset(s);
    if (r != DB_DONE)
        return store_fail(st, err, "learner key");
    if (n == 1)
        *id = first;
    else if (n > 1 && several)
        *several = true;
    return LCM_OK;
}

enum lcm_status store_identity_has(struct lcm_store *st, int64_t learner_id, const char *kind,
                                   const char *value, bool *has, struct lcm_err *err)
{
    STMT_OR_FAIL(
        s, st, "SELECT 1 FROM learner_key WHERE kind = ?1 AND value = ?2 AND learner_id = ?3", err);
    store_bind_text(s, 1, kind);
    store_bind_text(s, 2, value);
    db_bind_int64(s, 3, learner_id);
    int r = db_step(s);
    *has = r == DB_ROW;
    db_reset(s);
    return r == DB_ROW || r == DB_DONE ? LCM_OK : store_fail(st, err, "learner key");
}

bool store_identity_email(const char *in, char *out, size_t len)
{
    if (len)
        out[0] = '\0';
    if (!in || len == 0)
        return false;
    if (strncasecmp(in, "mailto:", 7) == 0)
        in += 7;
    while (*in == ' ' || *in == '\t')
        in++;
    size_t n = strlen(in);
    while (n && (in[n - 1] == ' ' || in[n - 1] == '\t'))
        n--;
    if (n == 0 || n >= len || !memchr(in, '@', n))
        return false;
    for (size_t i = 0; i < n; i++)
        out[i] = (char)tolower((unsigned char)in[i]);
    out[n] = '\0';
    return true;
}

void store_identity_email_sha1(const char *email_key, char out[41])
{
    char buf[600];
    int n = snprintf(buf, sizeof buf, "mailto:%s", email_key);
    sha1_hex(buf, n > 0 && (size_t)n < sizeof buf ? (size_t)n : 0, out);
}

enum lcm_status store_identity_email_add(struct lcm_store *st, int64_t learner_id,
                                         const char *email, const char *source, struct lcm_err *err)
{
    char key[512], sha[41];
    if (!store_identity_email(email, key, sizeof key))
        return LCM_OK;
    enum lcm_status rc = store_identity_add(st, learner_id, "email", key, source, err);
    store_identity_email_sha1(key, sha);
    if (rc == LCM_OK)
        rc = store_identity_add(st, learner_id, "sha1", sha, source, err);
    return rc;
}

enum lcm_status store_identity_source_has(struct lcm_store *st, int64_t learner_id,
                                          const char *source, bool *has, struct lcm_err *err)
{
    *has = false;
    STMT_OR_FAIL(s, st,
                 "SELECT 1 FROM learner_key WHERE learner_id = ?1 AND kind = 'id' AND source = ?2 "
                 "UNION ALL SELECT 1 FROM learner WHERE id = ?1 AND source = ?2 LIMIT 1",
                 err);
    db_bind_int64(s, 1, learner_id);
    store_bind_text(s, 2, source ? source : "");
    int r = db_step(s);
    *has = r == DB_ROW;
    db_reset(s);
    return r == DB_ROW || r == DB_DONE ? LCM_OK : store_fail(st, err, "learner key");
}

enum lcm_status store_identity_kind_has(struct lcm_store *st, int64_t learner_id, const char *kind,
                                        bool *has, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st, "SELECT 1 FROM learner_key WHERE learner_id = ?1 AND kind = ?2 LIMIT 1",
                 err);
    db_bind_int64(s, 1, learner_id);
    store_bind_text(s, 2, kind);
    int r = db_step(s);
    *has = r == DB_ROW;
    db_reset(s);
    return r == DB_ROW || r == DB_DONE ? LCM_OK : store_fail(st, err, "learner key");
}
