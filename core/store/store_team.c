/* store_team.c — a team of LCMs: users, caseloads, handovers and contact claims. See
 * store_team.h and, for the claims, store_internal.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/model.h"
#include "store/store_checkin.h"
#include "store/store_internal.h"
#include "store/store_team.h"

void store_team_identify(struct lcm_store *st, const char *name, const char *email)
{
    free(st->me_name);
    free(st->me_email);
    st->me_name = name && *name ? lcm_xstrdup(name) : NULL;
    st->me_email = email && *email ? lcm_xstrdup(email) : NULL;
    st->me_id = st->me_tx_id = 0;
}

/* The id of the user (email, or name when email is NULL); 0 when none. */
static enum lcm_status user_lookup(struct lcm_store *st, const char *name, const char *email,
                                   int64_t *id, struct lcm_err *err)
{
    *id = 0;
    STMT_OR_FAIL(
        s, st,
        "SELECT id, name FROM lcm_user WHERE (CAST(?1 AS TEXT) IS NOT NULL AND email = lower(?1)) "
        "OR (CAST(?1 AS TEXT) IS NULL AND email IS NULL AND name = ?2) ORDER BY id LIMIT 1",
        err);
    store_bind_text(s, 1, email);
    store_bind_text(s, 2, name);
    enum db_step_rc r = db_step(s);
    if (r == DB_ROW)
        *id = db_column_int64(s, 0);
    db_reset(s);
    return r == DB_ERROR ? store_fail(st, err, "LCM") : LCM_OK;
}

/* Makes the user (a new e-mail's, or a name's without one); a concurrent maker's row wins. */
static enum lcm_status user_insert(struct lcm_store *st, const char *name, const char *email,
                                   int64_t now, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "INSERT INTO lcm_user(name, email, created_at) VALUES (?1, lower(?2), ?3) "
                 "ON CONFLICT DO NOTHING",
                 err);
    store_bind_text(s, 1, name ? name : "");
    store_bind_text(s, 2, email);
    db_bind_int64(s, 3, now);
    return store_exec1(st, s, err, "LCM");
}

enum lcm_status store_team_me(struct lcm_store *st, int64_t now, int64_t *id, struct lcm_err *err)
{
    *id = st->me_id ? st->me_id : st->in_tx ? st->me_tx_id : 0;
    if (*id || (!st->me_name && !st->me_email))
        return LCM_OK;
    enum lcm_status rc = user_lookup(st, st->me_name, st->me_email, id, err);
    if (rc == LCM_OK && *id) {
        /* known: the name follows the config (a user made by "team assign --to" has none) */
        if (st->me_name && st->me_email) {
            STMT_OR_FAIL(u, st, "UPDATE lcm_user SET name = ?2 WHERE id = ?1 AND name <> ?2", err);
            db_bind_int64(u, 1, *id);
            store_bind_text(u, 2, st->me_name);
            rc = store_exec1(st, u, err, "LCM");
        }
        /* kept for good when no transaction could still roll the row back; inside one, until
         * it ends (its commit keeps it: store.c) */
        if (rc == LCM_OK)
            *(store_in_tx(st) ? &st->me_tx_id : &st->me_id) = *id;
        return rc;
    }
    if (rc == LCM_OK)
        rc = user_insert(st, st->me_name, st->me_email, now, err);
    if (rc == LCM_OK)
        rc = user_lookup(st, st->me_name, st->me_email, id, err);
    if (rc == LCM_OK && store_in_tx(st))
        st->me_tx_id = *id;
    return rc;
}

enum lcm_status store_team_whoami(struct lcm_store *st, int64_t *id, struct lcm_err *err)
{
    *id = st->me_id;
    if (*id || (!st->me_name && !st->me_email))
        return LCM_OK;
    return user_lookup(st, st->me_name, st->me_email, id, err);
}

enum lcm_status store_team_owners(struct lcm_store *st, store_team_owner_fn fn, void *ctx,
                                  struct lcm_err *err)
{
    STMT_OR_FAIL(any, st,
                 "SELECT EXISTS (SELECT 1 FROM cohort_owner) OR EXISTS (SELECT 1 FROM caseload)",
                 err);
    enum db_step_rc r = db_step(any);
    bool some = r == DB_ROW && db_column_int64(any, 0) != 0;
    db_reset(any);
    if (r == DB_ERROR)
        return store_fail(st, err, "caseloads");
    if (!some)
        return LCM_OK;
    STMT_OR_FAIL(s, st,
                 "SELECT e.id, " STORE_OWNER_OF("e.learner_id") " FROM enrollment e ORDER BY e.id",
                 err);
    while ((r = db_step(s)) == DB_ROW)
        if (db_column_type(s, 1) != DB_NULL)
            fn(ctx, db_column_int64(s, 0), db_column_int64(s, 1));
    db_reset(s);
    return r == DB_ERROR ? store_fail(st, err, "caseloads") : LCM_OK;
}

enum lcm_status store_team_author(struct lcm_store *st, int64_t now, int64_t *id,
                                  struct lcm_err *err)
{
    return store_team_me(st, now, id, err);
}

enum lcm_status store_team_user_find(struct lcm_store *st, const char *email, bool create,
                                     int64_t now, int64_t *id, struct lcm_err *err)
{
    if (!email || !strchr(email, '@'))
        return lcm_err_set(err, LCM_ERR_INVALID, _("\"%s\" is not an LCM's e-mail address"),
                           email ? email : "");
    enum lcm_status rc = user_lookup(st, NULL, email, id, err);
    if (rc == LCM_OK && !*id && create && (rc = user_insert(st, "", email, now, err)) == LCM_OK)
        rc = user_lookup(st, NULL, email, id, err);
    if (rc == LCM_OK && !*id)
        rc = lcm_err_set(err, LCM_ERR_NOTFOUND, _("no LCM has the e-mail %s"), email);
    return rc;
}

enum lcm_status store_team_cohort_find(struct lcm_store *st, const char *ref, int64_t *id,
                                       struct lcm_err *err)
{
    *id = 0;
    if (!ref || !*ref)
        return lcm_err_set(err, LCM_ERR_INVALID, _("no cohort named"));
    const char *key = ref[0] == '#' ? ref + 1 : ref;
    STMT_OR_FAIL(s, st,
                 "SELECT id FROM cohort WHERE CAST(id AS TEXT) = ?1 OR name = ?2 OR ext_id = ?2 "
                 "ORDER BY id LIMIT 2",
                 err);
    store_bind_text(s, 1, key);
    store_bind_text(s, 2, ref);
    int n = 0;
    enum db_step_rc r;
    while ((r = db_step(s)) == DB_ROW)
        if (n++ == 0)
            *id = db_column_int64(s, 0);
    db_reset(s);
    if (r == DB_ERROR)
        return store_fail(st, err, "cohort");
    if (n == 0)
        return lcm_err_set(err, LCM_ERR_NOTFOUND, _("no cohort is named \"%s\""), ref);
    if (n > 1)
        return lcm_err_set(err, LCM_ERR_INVALID,
                           _("\"%s\" names several cohorts; give one by its #id"), ref);
    return LCM_OK;
}

/* The name a message shows for user id (its name, else its e-mail), "" when none. */
static enum lcm_status user_name(struct lcm_store *st, int64_t id, char *buf, size_t len,
                                 struct lcm_err *err)
{
    buf[0] = '\0';
    STMT_OR_FAIL(s, st,
                 "SELECT CASE WHEN name <> '' THEN name ELSE COALESCE(email, '') END "
                 "FROM lcm_user WHERE id = ?1",
                 err);
    db_bind_int64(s, 1, id);
    enum db_step_rc r = db_step(s);
    if (r == DB_ROW)
        snprintf(buf, len, "%s", store_col_text(s, 0));
    db_reset(s);
    return r == DB_ERROR ? store_fail(st, err, "LCM") : LCM_OK;
}

/* One learner taken over by to (their LCM was from, 0: unassigned): follow-ups and drafts
 * move, and when from was someone else a note in the timeline says so. */
static enum lcm_status hand_over(struct lcm_store *st, int64_t learner_id, int64_t from, int64_t to,
                                 int64_t now, struct store_handover *h, struct lcm_err *err)
{
    if (from == to)
        return LCM_OK;
    h->learners++;
    if (!from)
        return LCM_OK; /* unassigned until now: nothing was anyone's to hand over */
    STMT_OR_FAIL(f, st,
                 "UPDATE followup SET owner_id = ?3, updated_at = ?4, sequence = sequence + 1, "
                 "push_state = 'dirty' WHERE learner_id = ?1 AND status = 'planned' "
                 "AND (owner_id = ?2 OR owner_id IS NULL)",
                 err);
    db_bind_int64(f, 1, learner_id);
    db_bind_int64(f, 2, from);
    db_bind_int64(f, 3, to);
    db_bind_int64(f, 4, now);
    enum lcm_status rc = store_exec1(st, f, err, "handover");
    int64_t nf = rc == LCM_OK ? db_changes(st->db) : 0;
    STMT_OR_FAIL(m, st,
                 "UPDATE message SET owner_id = ?3, updated_at = ?4 WHERE learner_id = ?1 "
                 "AND status = 'draft' AND (owner_id = ?2 OR owner_id IS NULL)",
                 err);
    db_bind_int64(m, 1, learner_id);
    db_bind_int64(m, 2, from);
    db_bind_int64(m, 3, to);
    db_bind_int64(m, 4, now);
    if (rc == LCM_OK)
        rc = store_exec1(st, m, err, "handover");
    int64_t nm = rc == LCM_OK ? db_changes(st->db) : 0;
    char a[128], b[128], note[512];
    if (rc == LCM_OK)
        rc = user_name(st, from, a, sizeof a, err);
    if (rc == LCM_OK)
        rc = user_name(st, to, b, sizeof b, err);
    if (rc != LCM_OK)
        return rc;
    snprintf(note, sizeof note, _("handover: %s -> %s (%lld open follow-ups, %lld drafts moved)"),
             a, b, (long long)nf, (long long)nm);
    struct lcm_checkin c = {.learner_id = learner_id,
                            .at = now,
                            .channel = CH_NOTE,
                            .direction = "out",
                            .outcome = "other",
                            .note = note,
                            .next_step = "",
                            .author = st->me_name};
    rc = store_checkin_add(st, &c, NULL, err);
    h->handed++;
    h->followups += (int)nf;
    h->drafts += (int)nm;
    return rc;
}

/* The learners a reassignment concerns, with their LCM before it. */
struct moved {
    int64_t learner, from;
};

static enum lcm_status read_moved(struct lcm_store *st, struct db_stmt *s, struct moved **out,
                                  size_t *n, struct lcm_err *err)
{
    size_t cap = 0;
    enum db_step_rc r;
    while ((r = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            *out = lcm_xrealloc(*out, cap * sizeof **out);
        }
        (*out)[*n].learner = db_column_int64(s, 0);
        (*out)[*n].from = db_column_int64(s, 1);
        ++*n;
    }
    db_reset(s);
    return r == DB_ERROR ? store_fail(st, err, "caseload") : LCM_OK;
}

struct assign {
    int64_t cohort_id, learner_id, user_id, now;
    struct store_handover *h;
};

static enum lcm_status assign_tx(struct lcm_store *st, void *ctx, struct lcm_err *err)
{
    struct assign *a = ctx;
    memset(a->h, 0, sizeof *a->h);
    struct moved *mv = NULL;
    size_t n = 0;
    enum lcm_status rc;
    if (a->cohort_id) {
        STMT_OR_FAIL(
            s, st,
            "SELECT DISTINCT e.learner_id, " STORE_OWNER_OF(
                "e.learner_id") " FROM "
                                "enrollment e WHERE e.cohort_id = ?1 ORDER BY e.learner_id",
            err);
        db_bind_int64(s, 1, a->cohort_id);
        rc = read_moved(st, s, &mv, &n, err);
    } else {
        STMT_OR_FAIL(s, st,
                     "SELECT l.id, " STORE_OWNER_OF("l.id") " FROM learner l WHERE l.id = ?1", err);
        db_bind_int64(s, 1, a->learner_id);
        rc = read_moved(st, s, &mv, &n, err);
        if (rc == LCM_OK && n == 0)
            rc = lcm_err_set(err, LCM_ERR_NOTFOUND, _("learner %lld not found"),
                             (long long)a->learner_id);
    }
    if (rc == LCM_OK && a->cohort_id) {
        STMT_OR_FAIL(o, st,
                     "INSERT INTO cohort_owner(cohort_id, user_id, assigned_at) VALUES (?1,?2,?3) "
                     "ON CONFLICT (cohort_id) DO UPDATE SET user_id = excluded.user_id, "
                     "assigned_at = excluded.assigned_at",
                     err);
        db_bind_int64(o, 1, a->cohort_id);
        db_bind_int64(o, 2, a->user_id);
        db_bind_int64(o, 3, a->now);
        rc = store_exec1(st, o, err, "caseload");
        if (rc == LCM_OK)
            rc = store_exec_id(st,
                               "DELETE FROM caseload WHERE learner_id IN (SELECT learner_id FROM "
                               "enrollment WHERE cohort_id = ?1)",
                               a->cohort_id, "caseload", err);
    } else if (rc == LCM_OK) {
        STMT_OR_FAIL(c, st,
                     "INSERT INTO caseload(learner_id, user_id, assigned_at) VALUES (?1,?2,?3) "
                     "ON CONFLICT (learner_id) DO UPDATE SET user_id = excluded.user_id, "
                     "assigned_at = excluded.assigned_at",
                     err);
        db_bind_int64(c, 1, a->learner_id);
        db_bind_int64(c, 2, a->user_id);
        db_bind_int64(c, 3, a->now);
        rc = store_exec1(st, c, err, "caseload");
    }
    for (size_t i = 0; rc == LCM_OK && i < n; i++)
        rc = hand_over(st, mv[i].learner, mv[i].from, a->user_id, a->now, a->h, err);
    free(mv);
    return rc;
}

enum lcm_status store_team_assign_cohort(struct lcm_store *st, int64_t cohort_id, int64_t user_id,
                                         int64_t now, struct store_handover *h, struct lcm_err *err)
{
    struct store_handover own;
    struct assign a = {cohort_id, 0, user_id, now, h ? h : &own};
    if (cohort_id <= 0 || user_id <= 0)
        return lcm_err_set(err, LCM_ERR_INVALID, _("assign: a cohort and an LCM are required"));
    return store_tx(st, assign_tx, &a, NULL, err);
}

enum lcm_status store_team_assign_learner(struct lcm_store *st, int64_t learner_id, int64_t user_id,
                                          int64_t now, struct store_handover *h,
                                          struct lcm_err *err)
{
    struct store_handover own;
    struct assign a = {0, learner_id, user_id, now, h ? h : &own};
    if (learner_id <= 0 || user_id <= 0)
        return lcm_err_set(err, LCM_ERR_INVALID, _("assign: a learner and an LCM are required"));
    return store_tx(st, assign_tx, &a, NULL, err);
}

static enum lcm_status unassign(struct lcm_store *st, const char *sql, int64_t id, int *n,
                                struct lcm_err *err)
{
    enum lcm_status rc = store_exec_id(st, sql, id, "caseload", err);
    if (n)
        *n = rc == LCM_OK ? (int)db_changes(st->db) : 0;
    return rc;
}

enum lcm_status store_team_unassign_cohort(struct lcm_store *st, int64_t cohort_id, int *n,
                                           struct lcm_err *err)
{
    return unassign(st, "DELETE FROM cohort_owner WHERE cohort_id = ?1", cohort_id, n, err);
}

enum lcm_status store_team_unassign_learner(struct lcm_store *st, int64_t learner_id, int *n,
                                            struct lcm_err *err)
{
    return unassign(st, "DELETE FROM caseload WHERE learner_id = ?1", learner_id, n, err);
}

enum lcm_status store_team_each(struct lcm_store *st, store_team_user_fn fn, void *ctx,
                                struct lcm_err *err)
{
    struct db_stmt *s = store_stmt_each(
        st,
        "SELECT u.id, u.name, COALESCE(u.email, ''), COALESCE(t.n, 0), "
        "COALESCE((SELECT group_concat(name, ', ') FROM (SELECT c.name FROM cohort_owner o "
        "JOIN cohort c ON c.id = o.cohort_id WHERE o.user_id = u.id ORDER BY c.name)), '') "
        "FROM lcm_user u LEFT JOIN " STORE_TEAM_COUNTS " t ON t.o = u.id "
        "ORDER BY u.name, u.email",
        "SELECT u.id, u.name, COALESCE(u.email, ''), COALESCE(t.n, 0), "
        "COALESCE((SELECT string_agg(c.name, ', ' ORDER BY c.name) FROM cohort_owner o "
        "JOIN cohort c ON c.id = o.cohort_id WHERE o.user_id = u.id), '') "
        "FROM lcm_user u LEFT JOIN " STORE_TEAM_COUNTS " t ON t.o = u.id "
        "ORDER BY u.name, u.email",
        err);
    if (!s)
        return err ? err->status : LCM_ERR_DB;
    enum lcm_status rc = LCM_OK;
    enum db_step_rc r;
    while (rc == LCM_OK && (r = db_step(s)) == DB_ROW)
        rc = fn(ctx, db_column_int64(s, 0), store_col_text(s, 1), store_col_text(s, 2),
                db_column_int64(s, 3), store_col_text(s, 4));
    if (rc == LCM_OK && r == DB_ERROR)
        rc = store_fail(st, err, "team");
    db_reset(s);
    return rc;
}

enum lcm_status store_team_unassigned(struct lcm_store *st, int64_t *n, struct lcm_err *err)
{
    *n = 0;
    STMT_OR_FAIL(s, st,
                 "SELECT count(DISTINCT e.learner_id) FROM enrollment e WHERE e.status = 'active' "
                 "AND " STORE_OWNER_OF("e.learner_id") " IS NULL",
                 err);
    enum db_step_rc r = db_step(s);
    if (r == DB_ROW)
        *n = db_column_int64(s, 0);
    db_reset(s);
    return r == DB_ERROR ? store_fail(st, err, "team") : LCM_OK;
}

enum lcm_status store_team_owner(struct lcm_store *st, int64_t learner_id, int64_t *user_id,
                                 char *name, size_t len, struct lcm_err *err)
{
    *user_id = 0;
    if (name && len)
        name[0] = '\0';
    STMT_OR_FAIL(s, st, "SELECT " STORE_OWNER_OF("?1"), err);
    db_bind_int64(s, 1, learner_id);
    enum db_step_rc r = db_step(s);
    if (r == DB_ROW)
        *user_id = db_column_int64(s, 0);
    db_reset(s);
    if (r == DB_ERROR)
        return store_fail(st, err, "team");
    return *user_id && name && len ? user_name(st, *user_id, name, len, err) : LCM_OK;
}

enum lcm_status store_team_claims(struct lcm_store *st, int64_t learner_id, int64_t *claims,
                                  int64_t *overrides, struct lcm_err *err)
{
    STMT_OR_FAIL(s, st,
                 "SELECT (SELECT count(*) FROM contact_claim WHERE learner_id = ?1), "
                 "(SELECT count(*) FROM contact_override WHERE learner_id = ?1)",
                 err);
    db_bind_int64(s, 1, learner_id);
    enum db_step_rc r = db_step(s);
    *claims = r == DB_ROW ? db_column_int64(s, 0) : 0;
    *overrides = r == DB_ROW ? db_column_int64(s, 1) : 0;
    db_reset(s);
    return r == DB_ERROR ? store_fail(st, err, "claims") : LCM_OK;
}

/* "e-mail at 09:12 UTC by Claire Martin" (the day too when it is not at's). */
static void claim_text(const char *channel, int64_t when, int64_t at, const char *who, char *buf,
                       size_t len)
{
    time_t t = (time_t)when, t2 = (time_t)at;
    struct tm tm, now;
    gmtime_r(&t, &tm);
    gmtime_r(&t2, &now);
    char hm[8], day[16];
    strftime(hm, sizeof hm, "%H:%M", &tm);
    strftime(day, sizeof day, "%Y-%m-%d", &tm);
    const char *how = strcmp(channel, "email") == 0     ? _("e-mail")
                      : strcmp(channel, "call") == 0    ? _("call")
                      : strcmp(channel, "chat") == 0    ? _("chat")
                      : strcmp(channel, "meeting") == 0 ? _("meeting")
                                                        : channel;
    const char *by = who && *who ? who : _("an LCM without a name");
    if (tm.tm_yday == now.tm_yday && tm.tm_year == now.tm_year)
        snprintf(buf, len, _("%s at %s UTC by %s"), how, hm, by);
    else
        snprintf(buf, len, _("%s on %s at %s UTC by %s"), how, day, hm, by);
}

/* The claim that holds learner_id at `at` (its period's, or one of the last days days): its
 * id (*held 0: none), its LCM (*holder, 0: nobody) and, in text, who, when and how. */
static enum lcm_status claim_holder(struct lcm_store *st, int64_t learner_id, int64_t at, int days,
                                    int64_t *held, int64_t *holder, char *text, size_t len,
                                    struct lcm_err *err)
{
    STMT_OR_FAIL(h, st,
                 "SELECT c.id, c.at, c.channel, CASE WHEN u.name <> '' THEN u.name "
                 "ELSE COALESCE(u.email, '') END, COALESCE(c.user_id, 0) FROM contact_claim c "
                 "LEFT JOIN lcm_user u ON u.id = c.user_id WHERE c.learner_id = ?1 "
                 "AND (c.period = ?2 OR (c.at > ?3 AND c.at <= ?4)) ORDER BY c.at DESC LIMIT 1",
                 err);
    db_bind_int64(h, 1, learner_id);
    db_bind_int64(h, 2, (at / 86400) / days);
    db_bind_int64(h, 3, at - (int64_t)days * 86400);
    db_bind_int64(h, 4, at);
    enum db_step_rc r = db_step(h);
    if (r == DB_ROW) {
        *held = db_column_int64(h, 0);
        *holder = db_column_int64(h, 4);
        claim_text(store_col_text(h, 2), db_column_int64(h, 1), at, store_col_text(h, 3), text,
                   len);
    }
    db_reset(h);
    return r == DB_ERROR ? store_fail(st, err, "contact claim") : LCM_OK;
}

enum lcm_status store_team_claim_take(struct lcm_store *st, int64_t learner_id, int64_t at,
                                      int days, const char *channel, bool override, bool strict,
                                      struct store_team_claim *c, struct lcm_err *err)
{
    c->claim_id = c->override_id = 0;
    if (days <= 0)
        return LCM_OK;
    int64_t me = 0;
    enum lcm_status rc = store_team_author(st, at, &me, err);
    if (rc != LCM_OK)
        return rc;
    int64_t period = (at / 86400) / days;
    /* the claim of the period: the UNIQUE key decides between two writers at once */
    STMT_OR_FAIL(s, st,
                 "INSERT INTO contact_claim(learner_id, period, user_id, at, channel) "
                 "SELECT ?1, ?2, ?3, ?4, ?5 WHERE NOT EXISTS (SELECT 1 FROM contact_claim "
                 "WHERE learner_id = ?1 AND at > ?6 AND at <= ?4) "
                 "ON CONFLICT (learner_id, period) DO NOTHING RETURNING id",
                 err);
    db_bind_int64(s, 1, learner_id);
    db_bind_int64(s, 2, period);
    store_bind_id_opt(s, 3, me);
    db_bind_int64(s, 4, at);
    store_bind_text(s, 5, channel);
    db_bind_int64(s, 6, at - (int64_t)days * 86400);
    enum db_step_rc r = db_step(s);
    if (r == DB_ROW)
        c->claim_id = db_column_int64(s, 0);
    db_reset(s);
    if (r == DB_ERROR)
        return store_fail(st, err, "contact claim");
    if (c->claim_id)
        return LCM_OK;
    int64_t held = 0, holder = 0;
    char text[384] = "";
    if ((rc = claim_holder(st, learner_id, at, days, &held, &holder, text, sizeof text, err)) !=
        LCM_OK)
        return rc;
    if (held && holder == me && !strict)
        return LCM_OK; /* the claim is this LCM's own: a second contact of theirs is theirs to
                          judge (a solo LCM is never refused by themselves) */
    if (!override)
        return lcm_err_set(err, LCM_ERR_CONFLICT, _("already contacted: %s"), text);
    STMT_OR_FAIL(o, st,
                 "INSERT INTO contact_override(claim_id, learner_id, user_id, at, channel) "
                 "VALUES (?1,?2,?3,?4,?5) RETURNING id",
                 err);
    db_bind_int64(o, 1, held);
    db_bind_int64(o, 2, learner_id);
    store_bind_id_opt(o, 3, me);
    db_bind_int64(o, 4, at);
    store_bind_text(o, 5, channel);
    if ((r = db_step(o)) == DB_ROW)
        c->override_id = db_column_int64(o, 0);
    db_reset(o);
    return r == DB_ROW ? LCM_OK : store_fail(st, err, "contact override");
}

enum lcm_status store_team_claim_link(struct lcm_store *st, const struct store_team_claim *c,
                                      int64_t checkin_id, int64_t message_id, struct lcm_err *err)
{
    if (!c->claim_id && !c->override_id)
        return LCM_OK;
    struct db_stmt *s =
        c->claim_id
            ? store_stmt(st,
                         "UPDATE contact_claim SET checkin_id = ?2, message_id = ?3 WHERE id = ?1",
                         err)
            : store_stmt(
                  st, "UPDATE contact_override SET checkin_id = ?2, message_id = ?3 WHERE id = ?1",
                  err);
    if (!s)
        return err ? err->status : LCM_ERR_DB;
    db_bind_int64(s, 1, c->claim_id ? c->claim_id : c->override_id);
    store_bind_id_opt(s, 2, checkin_id);
    store_bind_id_opt(s, 3, message_id);
    return store_exec1(st, s, err, "contact claim");
}
