/* import_write.c — writes staged records into the store in dependency order, resolving the
 * references between them (a cohort's program, an enrollment's learner and cohort, ...) by
 * source identity: staged records are written first, so one lookup serves both records from
 * this import and records from an earlier one. Runs inside the importer's transaction. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "import/import_internal.h"
#include "store/store_batch.h"
#include "store/store_bulk.h"
#include "store/store_entity.h"
#include "store/store_erase.h"
#include "store/store_identity.h"
#include "store/store_import.h"
#include "store/store_milestone_done.h"

static bool known(const struct srec *r, int i)
{
    return r->known >> i & 1;
}

static const char *txt(const struct srec *r, int i)
{
    return known(r, i) ? r->v[i].s : NULL;
}

static int dayv(const struct srec *r, int i)
{
    return known(r, i) ? (int)r->v[i].i : DAY_NONE;
}

/* Prefixes the record's place to a message: "file:line: ...". */
static enum lcm_status rec_fail(const struct srec *r, struct lcm_err *err, enum lcm_status st,
                                const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static enum lcm_status rec_fail(const struct srec *r, struct lcm_err *err, enum lcm_status st,
                                const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return lcm_err_set(err, st, "%s:%ld: %s", r->file, r->line, msg);
}

/* The learner a learner row of source names: the one its "id" key points to (a row matched to
 * a learner another source made, or a merged one), else the row itself. */
static enum lcm_status learner_of(struct lcm_store *st, const char *source, const char *ext_id,
                                  int64_t *id, struct lcm_err *err)
{
    char key[1024];
    snprintf(key, sizeof key, "%s|%s", source, ext_id);
    enum lcm_status rc = store_identity_find(st, "id", key, id, NULL, err);
    if (rc == LCM_OK && !*id)
        rc = store_entity_learner_find(st, source, ext_id, id, err);
    return rc;
}

/* The ids the import looked up already, by "what\037key": written before they are referred
 * to, they stay the same until the commit; on PostgreSQL each lookup saved is a round trip
 * (a milestone_done row names a milestone, a learner and its enrollment: thousands of rows,
 * a few hundred distinct ids). Keys that do not fit are not cached. */
static bool cache_key(char *out, size_t n, const char *what, const char *key)
{
    return (size_t)snprintf(out, n, "%s\037%s", what, key) < n;
}

static bool cache_get(const struct stage *sg, const char *k, int64_t *id)
{
    int at = strmap_get(sg->ref_idx, k, strlen(k));
    if (at < 0)
        return false;
    *id = sg->ref_ids[at];
    return true;
}

static void cache_put(struct stage *sg, const char *k, int64_t id)
{
    if (sg->nref == sg->capref) {
        sg->capref = sg->capref ? sg->capref * 2 : 256;
        sg->ref_ids = lcm_xrealloc(sg->ref_ids, (size_t)sg->capref * sizeof *sg->ref_ids);
    }
    sg->ref_ids[sg->nref] = id;
    strmap_put(sg->ref_idx, k, strlen(k), sg->nref++);
}

/* A write attempt starts from what the store holds: store_tx() runs the import again after a
 * serialization failure, and the ids the rolled-back attempt looked up or made are gone. */
static void cache_reset(struct stage *sg)
{
    strmap_free(&sg->ref_idx);
    sg->ref_idx = strmap_new();
    sg->nref = 0;
    sg->ncreated = 0;
    sg->ntouched = 0;
    sg->known = false;
    sg->erased = true;
    sg->nknown_enr = 0;
    sg->nknown_lrn = 0;
    for (int i = 0; i < sg->nowned; i++)
        free(sg->owned[i]);
    sg->nowned = 0;
    sg->days_cohort = 0;
}

/* A copy of s (NULL stays NULL) freed with the stage's lookups. */
static char *owned_dup(struct stage *sg, const char *s)
{
    if (!s)
        return NULL;
    if (sg->nowned == sg->capowned) {
        sg->capowned = sg->capowned ? sg->capowned * 2 : 1024;
        sg->owned = lcm_xrealloc(sg->owned, (size_t)sg->capowned * sizeof *sg->owned);
    }
    return sg->owned[sg->nowned++] = lcm_xstrdup(s);
}

/* store_import_cohort_days() of the last cohort asked (the enrollments of one cohort follow
 * each other; cohorts are written before them and do not change after). */
static enum lcm_status cohort_days(struct stage *sg, struct lcm_store *st, int64_t cid,
                                   int64_t *prog, int *start, int *end, struct lcm_err *err)
{
    if (!cid || sg->days_cohort != cid) {
        enum lcm_status rc = store_import_cohort_days(st, cid, &sg->days_program, &sg->days_start,
                                                      &sg->days_end, err);
        if (rc != LCM_OK)
            return rc;
        sg->days_cohort = cid;
    }
    *prog = sg->days_program;
    *start = sg->days_start;
    *end = sg->days_end;
    return LCM_OK;
}

/* An enrollment this attempt inserted and its learner: a pair in sg->created. */
static void created_add(struct stage *sg, int64_t id, int64_t learner_id)
{
    if (sg->ncreated == sg->capcreated) {
        sg->capcreated = sg->capcreated ? sg->capcreated * 2 : 256;
        sg->created = lcm_xrealloc(sg->created, (size_t)sg->capcreated * 2 * sizeof *sg->created);
    }
    sg->created[2 * sg->ncreated] = id;
    sg->created[2 * sg->ncreated++ + 1] = learner_id;
}

static int id_cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* An import of at least this many learners and enrollments reads what the base holds of its
 * source in one go instead of a lookup a row (three queries instead of three round trips a
 * learner on PostgreSQL). */
#define KNOWN_MIN_ROWS 64
static int known_min_rows = KNOWN_MIN_ROWS;

void import_write_known_min(int rows)
{
    known_min_rows = rows;
}

static enum lcm_status known_row(void *ctx, const struct store_import_known *k)
{
    struct stage *sg = ctx;
    char key[600];
    int64_t id;
    if (k->kind == 'k' && cache_key(key, sizeof key, "idkey", k->ext_id))
        cache_put(sg, key, k->id);
    if (k->kind == 'l' && cache_key(key, sizeof key, "lrow", k->ext_id)) {
        cache_put(sg, key, k->id);
        if (sg->nknown_lrn == sg->capknown_lrn) {
            sg->capknown_lrn = sg->capknown_lrn ? sg->capknown_lrn * 2 : 256;
            sg->known_lrn =
                lcm_xrealloc(sg->known_lrn, (size_t)sg->capknown_lrn * sizeof *sg->known_lrn);
        }
        for (int i = 0; i < 8; i++)
            sg->known_lrn[sg->nknown_lrn][i] = owned_dup(sg, k->fields[i]);
        cache_key(key, sizeof key, "lval", k->ext_id);
        cache_put(sg, key, sg->nknown_lrn++);
    }
    /* a learner its "id" key names wins over the record itself (keys come first) */
    if ((k->kind == 'k' || k->kind == 'l') && cache_key(key, sizeof key, "learner", k->ext_id) &&
        !cache_get(sg, key, &id))
        cache_put(sg, key, k->id);
    if (k->kind == 't')
        sg->erased = k->id > 0;
    if (k->kind == 'e' && cache_key(key, sizeof key, "enrollment", k->ext_id)) {
        cache_put(sg, key, k->id);
        char lk[600];
        if (cache_key(lk, sizeof lk, "elearner", k->ext_id))
            cache_put(sg, lk, k->now->learner_id);
        if (sg->nknown_enr == sg->capknown_enr) {
            sg->capknown_enr = sg->capknown_enr ? sg->capknown_enr * 2 : 256;
            sg->known_enr =
                lcm_xrealloc(sg->known_enr, (size_t)sg->capknown_enr * sizeof *sg->known_enr);
        }
        sg->known_enr[sg->nknown_enr] = *k->now;
        sg->known_enr[sg->nknown_enr].outcome = owned_dup(sg, k->now->outcome);
        cache_key(key, sizeof key, "enow", k->ext_id);
        cache_put(sg, key, sg->nknown_enr++);
    }
    return LCM_OK;
}

static enum lcm_status known_read(struct stage *sg, struct lcm_store *st, struct lcm_err *err)
{
    if (sg->t[MT_LEARNER].n + sg->t[MT_ENROLLMENT].n < known_min_rows)
        return LCM_OK;
    enum lcm_status rc = store_import_known_all(st, sg->map->source, known_row, sg, err);
    sg->known = rc == LCM_OK;
    return rc;
}

/* With the source read in one go: what a lookup by that key would give (0 when none). Keys
 * too long for the cache are looked up in the store, as without it (*known false). */
static int64_t known_id(const struct stage *sg, const char *what, const char *ext_id, bool *known)
{
    char key[600];
    int64_t id = 0;
    *known = sg->known && cache_key(key, sizeof key, what, ext_id);
    if (*known && !cache_get(sg, key, &id))
        id = 0;
    return id;
}

/* Finds a referenced record; a missing one is an error naming the row that refers to it. */
static enum lcm_status ref(struct stage *sg, struct lcm_store *st, const struct srec *r,
                           const char *what, const char *id_text, int64_t *id, struct lcm_err *err)
{
    char k[600];
    bool cacheable = cache_key(k, sizeof k, what, id_text);
    if (cacheable && cache_get(sg, k, id))
        return LCM_OK;
    const char *src = sg->map->source;
    enum lcm_status rc;
    if (strcmp(what, "program") == 0)
        rc = store_import_find(st, STORE_REF_PROGRAM, src, id_text, id, err);
    else if (strcmp(what, "cohort") == 0)
        rc = store_import_find(st, STORE_REF_COHORT, src, id_text, id, err);
    else if (strcmp(what, "milestone") == 0)
        rc = store_import_find(st, STORE_REF_MILESTONE, src, id_text, id, err);
    else if (strcmp(what, "learner") == 0)
        rc = learner_of(st, src, id_text, id, err);
    else
        rc = store_entity_enrollment_find(st, src, id_text, id, err);
    if (rc == LCM_ERR_NOTFOUND)
        return rec_fail(r, err, LCM_ERR_NOTFOUND,
                        "%s \"%.80s\" not found (neither in these files nor in the database)", what,
                        id_text);
    if (rc == LCM_OK && cacheable && *id > 0)
        cache_put(sg, k, *id);
    return rc;
}

/* store_import_milestone_cohort() and store_import_enrollment_of() through the cache. */
static enum lcm_status milestone_cohort(struct stage *sg, struct lcm_store *st, int64_t mid,
                                        int64_t *cid, struct lcm_err *err)
{
    char k[64], n[24];
    snprintf(n, sizeof n, "%lld", (long long)mid);
    cache_key(k, sizeof k, "milestone cohort", n);
    if (cache_get(sg, k, cid))
        return LCM_OK;
    enum lcm_status rc = store_import_milestone_cohort(st, mid, cid, err);
    if (rc == LCM_OK)
        cache_put(sg, k, *cid);
    return rc;
}

static enum lcm_status enrollment_of(struct stage *sg, struct lcm_store *st, int64_t lid,
                                     int64_t cid, int64_t *eid, struct lcm_err *err)
{
    char k[80], n[48];
    snprintf(n, sizeof n, "%lld %lld", (long long)lid, (long long)cid);
    cache_key(k, sizeof k, "enrollment of", n);
    if (cache_get(sg, k, eid))
        return LCM_OK;
    enum lcm_status rc = store_import_enrollment_of(st, lid, cid, eid, err);
    if (rc == LCM_OK)
        cache_put(sg, k, *eid);
    return rc;
}

static enum lcm_status write_programs(struct stage *sg, struct lcm_store *st, struct lcm_err *err)
{
    enum lcm_status rc = LCM_OK;
    for (int i = 0; i < sg->t[MT_PROGRAM].n && rc == LCM_OK; i++) {
        const struct srec *r = &sg->t[MT_PROGRAM].r[i];
        struct lcm_program p = {sg->map->source, r->v[PR_ID].s, txt(r, PR_NAME),
                                known(r, PR_LENGTH) ? (int)r->v[PR_LENGTH].i : 0};
        rc = store_entity_program_upsert(st, &p, NULL, err);
    }
    return rc;
}

static enum lcm_status write_cohorts(struct stage *sg, struct lcm_store *st, struct lcm_err *err)
{
    enum lcm_status rc = LCM_OK;
    for (int i = 0; i < sg->t[MT_COHORT].n && rc == LCM_OK; i++) {
        const struct srec *r = &sg->t[MT_COHORT].r[i];
        struct lcm_cohort c = {
            0, sg->map->source, r->v[CO_ID].s, txt(r, CO_NAME), dayv(r, CO_START), dayv(r, CO_END)};
        int64_t old_id, old_prog;
        int old_start, old_end;
        /* Fields this import does not give keep their stored values. */
        if (store_import_find(st, STORE_REF_COHORT, c.source, c.ext_id, &old_id, NULL) == LCM_OK &&
            store_import_cohort_days(st, old_id, &old_prog, &old_start, &old_end, err) == LCM_OK) {
            c.program_id = old_prog;
            c.start_day = r->set >> CO_START & 1 ? c.start_day : old_start;
            c.end_day = r->set >> CO_END & 1 ? c.end_day : old_end;
        }
        if (known(r, CO_PROGRAM))
            rc = ref(sg, st, r, "program", r->v[CO_PROGRAM].s, &c.program_id, err);
        else if (!c.program_id)
            rc = rec_fail(r, err, LCM_ERR_INVALID,
                          "cohort \"%.80s\": no program (map cohort.program)", c.ext_id);
        if (rc == LCM_OK)
            rc = store_entity_cohort_upsert(st, &c, NULL, err);
    }
    return rc;
}

/* The learner another source made that this row names by its key or e-mail (case-insensitive),
 * by the mapping's `match` rules in order; *id = 0 when none, when several learners share the
 * key (a shared mailbox names nobody), or when a record of this source already names it: two
 * rows of one export are two people, whatever they share. */
static enum lcm_status learner_match(struct stage *sg, struct lcm_store *st,
                                     const struct lcm_learner *l, const char *key, int64_t *id,
                                     struct lcm_err *err)
{
    enum lcm_status rc = LCM_OK;
    *id = 0;
    for (int i = 0; rc == LCM_OK && !*id && i < sg->map->nmatch; i++) {
        char email[512];
        const char *kind = NULL, *value = NULL;
        if (sg->map->match[i] == MAP_MATCH_KEY && key && *key) {
            kind = "key";
            value = key;
        } else if (sg->map->match[i] == MAP_MATCH_EMAIL &&
                   store_identity_email(l->email, email, sizeof email)) {
            kind = "email";
            value = email;
        }
        if (!kind)
            continue;
        bool own = false;
        rc = store_identity_find(st, kind, value, id, NULL, err);
        if (rc == LCM_OK && *id)
            rc = store_identity_source_has(st, *id, l->source, &own, err);
        if (own)
            *id = 0;
    }
    return rc;
}

/* With the source read in one go: whether learner record found (this source's row of l, not
 * a learner its key names) already holds every field l gives (a field l leaves NULL keeps its
 * value), so that its update would change nothing. */
static bool learner_unchanged(const struct stage *sg, const struct lcm_learner *l, int64_t found)
{
    char key[600];
    int64_t at;
    bool known;
    if (known_id(sg, "lrow", l->ext_id, &known) != found || !known ||
        !cache_key(key, sizeof key, "lval", l->ext_id) || !cache_get(sg, key, &at))
        return false;
    const char *now[8] = {l->first_name, l->last_name,     l->email,      l->phone,
                          l->manager,    l->manager_email, l->department, l->lang};
    char *const *stored = sg->known_lrn[at];
    for (int i = 0; i < 8; i++)
        if (now[i] && (!stored[i] || strcmp(now[i], stored[i]) != 0))
            return false;
    return true;
}

/* Whether a learner this import makes can be queued (store_batch.h): the source was read in
 * one go and names no learner ext_id, and no earlier row of this import wrote it. */
static bool learner_batchable(const struct stage *sg, const char *ext_id)
{
    char k[600];
    int64_t id;
    return sg->known && cache_key(k, sizeof k, "learner", ext_id) && !cache_get(sg, k, &id);
}

/* Marks learner id as made by this import (queued): its enrollments are new too. */
static void learner_new_put(struct stage *sg, int64_t id)
{
    char k[600], n[24];
    snprintf(n, sizeof n, "%lld", (long long)id);
    if (cache_key(k, sizeof k, "new learner", n))
        cache_put(sg, k, id);
}

static bool learner_new(const struct stage *sg, int64_t id)
{
    char k[600], n[24];
    int64_t v;
    snprintf(n, sizeof n, "%lld", (long long)id);
    return cache_key(k, sizeof k, "new learner", n) && cache_get(sg, k, &v);
}

/* Writes one learner row: its own record (its "id" key, or the row), else the learner matched,
 * else a new one; then records the keys it is known by, so that the next files, imports and
 * other sources (Moodle, an LRS) find it: its "id" key, e-mail (and SHA-1) and key. */
static enum lcm_status write_learner(struct stage *sg, struct lcm_store *st, const struct srec *r,
                                     size_t left, struct lcm_err *err)
{
    struct lcm_learner l = {
        sg->map->source,  r->v[LE_ID].s,    txt(r, LE_FIRST),   txt(r, LE_LAST),
        txt(r, LE_EMAIL), txt(r, LE_PHONE), txt(r, LE_MANAGER), txt(r, LE_MANAGER_EMAIL),
        txt(r, LE_DEPT),  txt(r, LE_LANG)};
    const char *key = txt(r, LE_KEY);
    int64_t match = 0, id = 0;
    enum store_put put;
    char idkey[1024];
    snprintf(idkey, sizeof idkey, "%s|%s", l.source, l.ext_id);
    /* a row already written (its "id" key) needs no match; store_entity_learner_put finds
     * it, or the row of an import made before learner keys, before it looks at match */
    bool known, batched = false;
    enum lcm_status rc = LCM_OK;
    id = known_id(sg, "idkey", l.ext_id, &known);
    if (!known)
        rc = store_identity_find(st, "id", idkey, &id, NULL, err);
    bool has_key = rc == LCM_OK && id; /* else a new one gets it from store_entity_learner_put,
                                          an older row (before learner keys) here */
    if (rc == LCM_OK && !id)
        rc = learner_match(sg, st, &l, key, &match, err);
    if (rc == LCM_OK && known) { /* what store_entity_learner_put would look up */
        int64_t found = id;
        bool k2;
        if (!found)
            found = known_id(sg, "lrow", l.ext_id, &k2);
        if (found && learner_unchanged(sg, &l, found)) { /* no write: a round trip saved */
            id = found;
            put = STORE_PUT_SAME;
        } else if (!found && !match && learner_batchable(sg, l.ext_id)) { /* queued */
            rc = sg->erased ? store_erase_note_returned(st, l.source, l.ext_id, err) : LCM_OK;
            if (rc == LCM_OK)
                rc = store_batch_learner(st, &l, left, &id, err);
            if (rc == LCM_OK)
                learner_new_put(sg, id);
            put = STORE_PUT_NEW;
            batched = true;
        } else {
            rc = store_entity_learner_put_found(st, &l, found, match, sg->erased, &id, &put, err);
        }
    } else if (rc == LCM_OK) {
        rc = store_entity_learner_put(st, &l, match, &id, &put, err);
    }
    if (rc == LCM_OK && !has_key && put != STORE_PUT_NEW)
        rc = store_identity_add(st, id, "id", idkey, l.source, err);
    char k[600];
    if (rc == LCM_OK && cache_key(k, sizeof k, "learner", l.ext_id)) /* for its enrollments */
        cache_put(sg, k, id);
    if (rc == LCM_OK)
        rc = batched ? store_batch_email(st, id, l.email, l.source, err)
                     : store_identity_email_add(st, id, l.email, l.source, err);
    if (rc == LCM_OK && key && *key)
        rc = batched ? store_batch_key(st, id, "key", key, l.source, err)
                     : store_identity_add(st, id, "key", key, l.source, err);
    return rc;
}

static enum lcm_status write_learners(struct stage *sg, struct lcm_store *st, struct lcm_err *err)
{
    enum lcm_status rc = LCM_OK;
    int n = sg->t[MT_LEARNER].n;
    for (int i = 0; i < n && rc == LCM_OK; i++)
        rc = write_learner(sg, st, &sg->t[MT_LEARNER].r[i], (size_t)(n - i), err);
    return rc;
}

/* Fills the fields this import does not give from the stored enrollment, if any (*found).
 * Unset days stay DAY_NONE there: the upsert keeps the stored ones. */
static enum lcm_status enrollment_defaults(struct stage *sg, struct lcm_store *st,
                                           const struct srec *r, struct lcm_enrollment *e,
                                           int64_t *found,
                                           const struct store_import_enrollment_now **stored,
                                           struct lcm_err *err)
{
    struct store_import_enrollment_now now;
    char key[600];
    int64_t at;
    enum lcm_status rc;
    *stored = NULL;
    if (sg->known && cache_key(key, sizeof key, "enow", e->ext_id)) { /* read in one go */
        rc = cache_get(sg, key, &at) ? LCM_OK : LCM_ERR_NOTFOUND;
        if (rc == LCM_OK) {
            now = sg->known_enr[at];
            *stored = &sg->known_enr[at];
        }
    } else {
        rc = store_import_enrollment_now(st, sg->map->source, e->ext_id, &now, err);
    }
    *found = rc == LCM_OK ? now.id : 0;
    if (rc == LCM_ERR_NOTFOUND)
        return LCM_OK;
    if (rc != LCM_OK)
        return rc;
    e->learner_id = now.learner_id;
    e->cohort_id = now.cohort_id;
    if (!(r->set >> EN_STATUS & 1))
        e->status = (enum enroll_status)now.status;
    if (!(r->set >> EN_ENDED & 1))
        e->ended_day = now.ended_day;
    if (e->start_day == DAY_NONE) /* the stored one: the upsert keeps it */
        e->start_day = now.start_day;
    return LCM_OK;
}

static bool same_day_or_kept(int given, int stored)
{
    return given == DAY_NONE || given == stored;
}

/* Whether store_entity_enrollment_update() of e would leave the stored enrollment (read in
 * one go) as it is: every field e gives equal to the stored one (a day or a progress e leaves
 * unknown keeps the stored one; its last activity day is never given by an import). */
static bool enrollment_unchanged(const struct lcm_enrollment *e,
                                 const struct store_import_enrollment_now *s)
{
    return e->learner_id == s->learner_id && e->cohort_id == s->cohort_id &&
           (int)e->status == s->status && e->ended_day == s->ended_day &&
           same_day_or_kept(e->start_day, s->start_day) &&
           same_day_or_kept(e->expected_end_day, s->expected_end_day) &&
           e->last_activity_day == DAY_NONE &&
           (e->progress < 0 || (s->progress >= 0 && e->progress == s->progress)) &&
           (!e->outcome || (s->outcome && strcmp(e->outcome, s->outcome) == 0));
}

/* Whether a new enrollment e can be queued (store_batch.h): its learner is one this import
 * made, and no earlier row of it wrote e or an enrollment of that learner in e's cohort. */
static bool enrollment_batchable(const struct stage *sg, const struct lcm_enrollment *e)
{
    char k[600], n[48];
    int64_t id;
    snprintf(n, sizeof n, "%lld %lld", (long long)e->learner_id, (long long)e->cohort_id);
    return sg->known && learner_new(sg, e->learner_id) &&
           cache_key(k, sizeof k, "enrollment", e->ext_id) && !cache_get(sg, k, &id) &&
           cache_key(k, sizeof k, "enrollment of", n) && !cache_get(sg, k, &id);
}

static enum lcm_status write_enrollment(struct stage *sg, struct lcm_store *st,
                                        const struct srec *r, size_t left, struct lcm_err *err)
{
    struct lcm_enrollment e = {.source = sg->map->source,
                               .ext_id = r->v[EN_ID].s,
                               .status = known(r, EN_STATUS) ? (enum enroll_status)r->v[EN_STATUS].i
                                                             : ENROLL_ACTIVE,
                               .start_day = dayv(r, EN_START),
                               .expected_end_day = dayv(r, EN_EXPECTED_END),
                               .ended_day = dayv(r, EN_ENDED),
                               .progress = known(r, EN_PROGRESS) ? r->v[EN_PROGRESS].d : -1,
                               .last_activity_day = DAY_NONE,
                               .outcome = txt(r, EN_OUTCOME)};
    int64_t found;
    const struct store_import_enrollment_now *stored;
    enum lcm_status rc = enrollment_defaults(sg, st, r, &e, &found, &stored, err);
    if (rc == LCM_OK && known(r, EN_LEARNER))
        rc = ref(sg, st, r, "learner", r->v[EN_LEARNER].s, &e.learner_id, err);
    if (rc == LCM_OK && known(r, EN_COHORT))
        rc = ref(sg, st, r, "cohort", r->v[EN_COHORT].s, &e.cohort_id, err);
    if (rc == LCM_OK && (!e.learner_id || !e.cohort_id))
        return rec_fail(r, err, LCM_ERR_INVALID, "enrollment \"%.80s\": no %s (map enrollment.%s)",
                        e.ext_id, e.learner_id ? "cohort" : "learner",
                        e.learner_id ? "cohort" : "learner");
    int64_t prog;
    int cstart = DAY_NONE, cend = DAY_NONE;
    if (rc == LCM_OK && !found)
        rc = cohort_days(sg, st, e.cohort_id, &prog, &cstart, &cend, err);
    /* Without its own dates a new enrollment follows its cohort's. */
    if (e.start_day == DAY_NONE)
        e.start_day = cstart;
    if (e.expected_end_day == DAY_NONE)
        e.expected_end_day = cend;
    if (rc == LCM_OK && e.ended_day != DAY_NONE && e.start_day != DAY_NONE &&
        e.ended_day < e.start_day) {
        char ended[DAY_TEXT_LEN], started[DAY_TEXT_LEN];
        day_format(e.ended_day, ended);
        day_format(e.start_day, started);
        return rec_fail(r, err, LCM_ERR_INVALID,
                        "enrollment \"%.80s\": ended_day %s is before start_day %s", e.ext_id,
                        ended, started);
    }
    int64_t id = found;
    enum store_put put;
    /* a stored one written only when this import changes it (an update writes every index) */
    if (rc == LCM_OK && found && stored && enrollment_unchanged(&e, stored))
        put = STORE_PUT_SAME; /* no write: a round trip saved */
    else if (rc == LCM_OK && found)
        rc = store_entity_enrollment_update(st, &e, found, &put, err);
    else if (rc == LCM_OK && enrollment_batchable(sg, &e))
        rc = store_batch_enrollment(st, &e, left, &id, err);
    else if (rc == LCM_OK)
        rc = store_entity_enrollment_upsert(st, &e, &id, err);
    if (rc == LCM_OK && !found) /* no row of this source had it: inserted now */
        created_add(sg, id, e.learner_id);
    char k[600], n[48];
    if (rc == LCM_OK && cache_key(k, sizeof k, "enrollment", e.ext_id)) /* for its days */
        cache_put(sg, k, id);
    if (rc == LCM_OK && cache_key(k, sizeof k, "elearner", e.ext_id)) /* ... and their learner */
        cache_put(sg, k, e.learner_id);
    snprintf(n, sizeof n, "%lld %lld", (long long)e.learner_id, (long long)e.cohort_id);
    if (rc == LCM_OK && cache_key(k, sizeof k, "enrollment of", n)) /* for its milestones */
        cache_put(sg, k, id);
    return rc;
}

static enum lcm_status write_milestone(struct stage *sg, struct lcm_store *st, const struct srec *r,
                                       struct lcm_err *err)
{
    struct lcm_milestone m = {
        .source = sg->map->source,
        .ext_id = r->v[MI_ID].s,
        .name = txt(r, MI_NAME),
        .kind = known(r, MI_KIND) ? (enum milestone_kind)r->v[MI_KIND].i : MILESTONE_OTHER,
        .threshold = known(r, MI_THRESHOLD) ? r->v[MI_THRESHOLD].d : -1,
        .due_day = dayv(r, MI_DUE_DAY),
        .due_offset = known(r, MI_DUE_OFFSET) ? (int)r->v[MI_DUE_OFFSET].i : -1,
        .weight = known(r, MI_WEIGHT) ? r->v[MI_WEIGHT].d : 0};
    enum lcm_status rc = LCM_OK;
    if (known(r, MI_COHORT)) {
        int s, e;
        rc = ref(sg, st, r, "cohort", r->v[MI_COHORT].s, &m.cohort_id, err);
        if (rc == LCM_OK)
            rc = store_import_cohort_days(st, m.cohort_id, &m.program_id, &s, &e, err);
    }
    if (rc == LCM_OK && known(r, MI_PROGRAM))
        rc = ref(sg, st, r, "program", r->v[MI_PROGRAM].s, &m.program_id, err);
    if (rc == LCM_OK && !m.program_id)
        return rec_fail(r, err, LCM_ERR_INVALID, "milestone \"%.80s\": no program or cohort",
                        m.ext_id);
    if (rc == LCM_OK)
        rc = store_entity_milestone_upsert(st, &m, NULL, err);
    return rc;
}

/* The learner of the enrollment this import names ext_id, when it wrote it or read it in one
 * go; 0 when not known (the store then reads the enrollment's). */
static int64_t enrollment_learner(const struct stage *sg, const char *ext_id)
{
    char k[600];
    int64_t lid;
    return cache_key(k, sizeof k, "elearner", ext_id) && cache_get(sg, k, &lid) ? lid : 0;
}

/* Resolves one reached milestone's row into *out (written in one batch by write_dones). */
static enum lcm_status write_done(struct stage *sg, struct lcm_store *st, const struct srec *r,
                                  struct lcm_milestone_done *out, struct lcm_err *err)
{
    int64_t mid, eid, lid = 0, cid;
    enum lcm_status rc = ref(sg, st, r, "milestone", r->v[DO_MILESTONE].s, &mid, err);
    if (rc == LCM_OK && known(r, DO_ENROLLMENT)) {
        rc = ref(sg, st, r, "enrollment", r->v[DO_ENROLLMENT].s, &eid, err);
        lid = enrollment_learner(sg, r->v[DO_ENROLLMENT].s);
    } else if (rc == LCM_OK && known(r, DO_LEARNER)) {
        /* The learner's enrollment in the milestone's cohort. */
        rc = ref(sg, st, r, "learner", r->v[DO_LEARNER].s, &lid, err);
        if (rc == LCM_OK)
            rc = milestone_cohort(sg, st, mid, &cid, err);
        if (rc == LCM_OK && cid == 0)
            return rec_fail(r, err, LCM_ERR_INVALID,
                            "milestone \"%.80s\" has no cohort: map milestone_done.enrollment",
                            r->v[DO_MILESTONE].s);
        if (rc == LCM_OK && enrollment_of(sg, st, lid, cid, &eid, err) == LCM_ERR_NOTFOUND)
            return rec_fail(r, err, LCM_ERR_NOTFOUND,
                            "learner \"%.80s\" is not enrolled in the cohort of milestone "
                            "\"%.80s\"",
                            r->v[DO_LEARNER].s, r->v[DO_MILESTONE].s);
    } else if (rc == LCM_OK) {
        return rec_fail(r, err, LCM_ERR_INVALID, "milestone_done: empty enrollment and learner");
    }
    if (rc == LCM_OK)
        *out = (struct lcm_milestone_done){.enrollment_id = eid,
                                           .milestone_id = mid,
                                           .day = (int)r->v[DO_DAY].i,
                                           .score = known(r, DO_SCORE) ? r->v[DO_SCORE].d : -1,
                                           .learner_id = lid};
    return rc;
}

/* Every reached milestone of the import, checked row by row (a bad row is named with its file
 * and line), then written in one batch: on PostgreSQL one COPY, not a round trip a row. */
static enum lcm_status write_dones(struct stage *sg, struct lcm_store *st, struct lcm_err *err)
{
    int n = sg->t[MT_DONE].n;
    struct lcm_milestone_done *rows = lcm_xcalloc((size_t)n + 1, sizeof *rows);
    enum lcm_status rc = LCM_OK;
    for (int i = 0; rc == LCM_OK && i < n; i++)
        rc = write_done(sg, st, &sg->t[MT_DONE].r[i], &rows[i], err);
    if (rc == LCM_OK)
        rc = store_milestone_done_put_many(st, rows, (size_t)n, err);
    free(rows);
    return rc;
}

static int clamp(int64_t v)
{
    return v > INT_MAX ? INT_MAX : v < 0 ? 0 : (int)v;
}

static enum lcm_status write_activity(struct stage *sg, struct lcm_store *st, struct lcm_err *err)
{
    int64_t *ids = lcm_xcalloc((size_t)sg->nenr + 1, sizeof *ids);
    int64_t *fresh = lcm_xcalloc((size_t)sg->nenr + 1, sizeof *fresh); /* created: its learner */
    int64_t *learner = lcm_xcalloc((size_t)sg->nenr + 1, sizeof *learner); /* 0: not known */
    struct lcm_activity_day *days = lcm_xcalloc((size_t)sg->nact + 1, sizeof *days);
    bool *created = lcm_xcalloc((size_t)sg->nact + 1, sizeof *created);
    if (sg->ncreated) /* (qsort and bsearch take no NULL array, even empty) */
        qsort(sg->created, (size_t)sg->ncreated, 2 * sizeof *sg->created, id_cmp);
    free(sg->touched);
    sg->touched = lcm_xcalloc((size_t)sg->nenr + 1, sizeof *sg->touched);
    sg->ntouched = 0;
    enum lcm_status rc = LCM_OK;
    for (int i = 0; i < sg->nact && rc == LCM_OK; i++) {
        const struct sact *a = &sg->act[i];
        if (!ids[a->enr]) {
            struct srec where = {.file = a->file, .line = a->line};
            rc = ref(sg, st, &where, "enrollment", sg->enr_refs[a->enr], &ids[a->enr], err);
            if (rc != LCM_OK)
                break;
            sg->touched[sg->ntouched++] = ids[a->enr];
            const int64_t *c = sg->ncreated
                                   ? bsearch(&ids[a->enr], sg->created, (size_t)sg->ncreated,
                                             2 * sizeof *sg->created, id_cmp)
                                   : NULL;
            fresh[a->enr] = c ? c[1] : 0;
            learner[a->enr] = c ? c[1] : enrollment_learner(sg, sg->enr_refs[a->enr]);
        }
        /* Event rows carry no session count: each active enrollment-day is one session. */
        days[i] =
            (struct lcm_activity_day){ids[a->enr], a->day, a->has_sessions ? clamp(a->sessions) : 1,
                                      clamp(a->minutes), clamp(a->actions), a->progress,
                                      /* else the store reads the enrollment's */
                                      learner[a->enr]};
        created[i] = fresh[a->enr] > 0;
    }
    /* In one batch: on PostgreSQL COPY, not a round trip a row. */
    if (rc == LCM_OK)
        rc = store_bulk_activity_put(st, days, (size_t)sg->nact, created, err);
    free(created);
    free(days);
    free(fresh);
    free(learner);
    free(ids);
    return rc;
}

enum lcm_status import_write_stage(struct stage *sg, struct lcm_store *st, struct lcm_err *err)
{
    cache_reset(sg);
    enum lcm_status rc = write_programs(sg, st, err);
    if (rc == LCM_OK) /* after the programs: learners and enrollments only */
        rc = known_read(sg, st, err);
    if (rc == LCM_OK)
        rc = write_cohorts(sg, st, err);
    if (rc == LCM_OK)
        rc = write_learners(sg, st, err);
    int nenr = sg->t[MT_ENROLLMENT].n;
    for (int i = 0; rc == LCM_OK && i < nenr; i++)
        rc = write_enrollment(sg, st, &sg->t[MT_ENROLLMENT].r[i], (size_t)(nenr - i), err);
    for (int i = 0; rc == LCM_OK && i < sg->t[MT_MILESTONE].n; i++)
        rc = write_milestone(sg, st, &sg->t[MT_MILESTONE].r[i], err);
    if (rc == LCM_OK)
        rc = write_dones(sg, st, err);
    if (rc == LCM_OK)
        rc = write_activity(sg, st, err);
    return rc;
}
